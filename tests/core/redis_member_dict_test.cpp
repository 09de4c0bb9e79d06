// The sorted set's dict against std::map as the reference: random inserts,
// updates and erasures over a small member space (long probe runs, erasures
// that shift entries back across the table's end), every lookup compared.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "sdp/random.h"
#include "sdp/redis/member_dict.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_member_dict_test {

TEST_CASE("MemberDict finds, updates and erases exactly like a map", "[redis_zset]") {
  sdp::redis::MemberDict dict;
  std::map<std::string, double> reference;
  sdp::Rng rng(11);
  for (int step = 0; step < 200000; ++step) {
    const std::string member = "m" + std::to_string(rng.Below(step < 100000 ? 3000 : 40));
    const double score = static_cast<double>(rng.Below(1000));
    const auto it = reference.find(member);
    switch (rng.Below(3)) {
      case 0:  // insert or update
        if (it == reference.end()) {
          dict.Insert(member, score);
          reference.emplace(member, score);
        } else {
          *dict.Find(member) = score;
          it->second = score;
        }
        break;
      case 1:
        REQUIRE(dict.Erase(member) == (it != reference.end()));
        if (it != reference.end()) reference.erase(it);
        break;
      default: {
        const double* found = dict.Find(member);
        REQUIRE((found != nullptr) == (it != reference.end()));
        if (found != nullptr) REQUIRE(*found == it->second);
      }
    }
    REQUIRE(dict.size() == reference.size());
  }
  // Every member still there is found with its score; none of the others is.
  for (int i = 0; i < 3000; ++i) {
    const std::string member = "m" + std::to_string(i);
    const auto it = reference.find(member);
    const double* found = dict.Find(member);
    REQUIRE((found != nullptr) == (it != reference.end()));
    if (found != nullptr) CHECK(*found == it->second);
  }
}

}  // namespace redis_member_dict_test
