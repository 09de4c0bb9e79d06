// The kafka sim against what Apache Kafka's own code does (issue 23): each
// test is named after the source it follows.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "kafka_test_util.h"
#include "sdp/hash.h"

using kafka_test::As;
using kafka_test::Make;
using kafka_test::Partition;
using kafka_test::Refused;
using kafka_test::Step;
using sdp::Json;

TEST_CASE("kafka stream reports how many partitions the salted hot keys reach", "[kafka]") {
  auto sim = Make({{"acks", "1"}});
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 12}});
  for (int salt : {0, 8, 16}) {
    const Json s = Step(*sim, {{"op", "stream"}, {"topic", "t"}, {"rate", 10}, {"keys", "hot"},
                               {"salt", salt}});
    std::set<int> distinct;
    std::map<int, int> count;
    int most = 0;
    for (const Json& p : s["hot_partitions"]) {
      distinct.insert(p.get<int>());
      most = std::max(most, ++count[p.get<int>()]);
    }
    CHECK(s["hot_partitions_reached"] == distinct.size());
    CHECK(s["hot_keys_most_on_one_partition"] == most);
    CHECK(s["hot_partitions"].size() == (salt == 0 ? 1u : static_cast<size_t>(salt)));
  }
}
