// The sorted set itself: order, encodings, the skip list's invariants under
// random operations, and the pieces of the wire format (line splitting,
// reply doubles, RESP, propagation, rewrite).
#include <catch2/catch.hpp>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sdp/random.h"
#include "sdp/redis/db.h"
#include "sdp/redis/zset.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_zset_test {

using sdp::redis::Argv;
using sdp::redis::Db;
using sdp::redis::FormatDouble;
using sdp::redis::Reply;
using sdp::redis::SkipList;
using sdp::redis::ZSet;

namespace {

Reply Run(Db& db, const std::string& line) {
  auto argv = sdp::redis::SplitCommandLine(line);
  REQUIRE(argv.ok());
  return db.Execute(argv.value());
}

std::vector<std::string> Members(const ZSet& zs) {
  std::vector<std::string> out;
  for (const auto& item : zs.Items()) out.push_back(item.first);
  return out;
}

}  // namespace

TEST_CASE("members order by score, then by their bytes (memcmp, shorter first)", "[redis_zset]") {
  for (const bool skiplist : {false, true}) {
    ZSet zs(3);
    if (skiplist) zs.Set(std::string(65, 'z'), 1e9);  // forces the skip list
    zs.Set("b", 1);
    zs.Set("ab", 1);
    zs.Set("a", 1);
    zs.Set("\xff", 1);  // byte 255 sorts after every ASCII byte
    zs.Set("B", 1);     // 'B' (66) before 'a' (97)
    zs.Set("low", -std::numeric_limits<double>::infinity());
    zs.Set("high", std::numeric_limits<double>::infinity());
    zs.Set("mid", 0.5);
    std::vector<std::string> expected = {"low", "mid", "B", "a", "ab", "b", "\xff"};
    if (skiplist) expected.push_back(std::string(65, 'z'));
    expected.push_back("high");
    CHECK(Members(zs) == expected);
    CHECK(zs.encoding() == (skiplist ? ZSet::Encoding::kSkiplist : ZSet::Encoding::kListpack));
    CHECK(zs.Rank("ab", false) == 4u);
    CHECK(zs.Rank("ab", true) == expected.size() - 5);
    CHECK(zs.CheckInvariants().empty());
  }
}

TEST_CASE("listpack until 128 entries of at most 64 bytes; the 129th or a 65-byte member "
          "converts, and it never converts back", "[redis_zset]") {
  ZSet zs(1);
  for (int i = 0; i < 128; ++i) zs.Set("job:" + std::to_string(i), i);
  CHECK(zs.encoding() == ZSet::Encoding::kListpack);
  zs.Set("job:5", 1000);  // an update adds no entry
  CHECK(zs.encoding() == ZSet::Encoding::kListpack);
  zs.Set("job:128", 128);
  CHECK(zs.encoding() == ZSet::Encoding::kSkiplist);
  CHECK(zs.size() == 129);
  for (int i = 0; i < 128; ++i) zs.Remove("job:" + std::to_string(i));
  CHECK(zs.size() == 1);
  CHECK(zs.encoding() == ZSet::Encoding::kSkiplist);
  CHECK(zs.CheckInvariants().empty());

  ZSet small(1);
  small.Set(std::string(64, 'm'), 1);
  CHECK(small.encoding() == ZSet::Encoding::kListpack);
  small.Set(std::string(65, 'm'), 2);
  CHECK(small.encoding() == ZSet::Encoding::kSkiplist);
  CHECK(Members(small) == std::vector<std::string>{std::string(64, 'm'), std::string(65, 'm')});

  // Through the command layer, as OBJECT ENCODING reports it (checked on 7.0.15).
  Db db(1);
  for (int i = 1; i <= 128; ++i) Run(db, "ZADD jobs " + std::to_string(i) + " job:" + std::to_string(i));
  CHECK(Run(db, "OBJECT ENCODING jobs").str == "listpack");
  Run(db, "ZADD jobs 129 job:129");
  CHECK(Run(db, "OBJECT ENCODING jobs").str == "skiplist");
}

TEST_CASE("a listpack reads -0 back as 0, a skip list keeps -0 (as on the real server)",
          "[redis_zset]") {
  Db db(1);
  CHECK(Run(db, "ZADD lp -0 m").integer == 1);
  CHECK(Run(db, "ZSCORE lp m").str == "0");
  CHECK(Run(db, "ZINCRBY lp -0 n").str == "-0");  // the reply is the computed score
  CHECK(Run(db, "ZSCORE lp n").str == "0");
  Run(db, "ZADD sk 1 " + std::string(65, 'L'));
  CHECK(Run(db, "ZADD sk -0 m").integer == 1);
  CHECK(Run(db, "ZSCORE sk m").str == "-0");
}

TEST_CASE("skip list invariants hold under random inserts, updates and removals",
          "[redis_zset]") {
  sdp::Rng rng(2024);
  ZSet zs(99);
  std::set<std::pair<double, std::string>> model;
  std::map<std::string, double> scores;
  for (int step = 0; step < 6000; ++step) {
    const std::string member = "m" + std::to_string(rng.Below(400));
    const double score = static_cast<double>(rng.Between(-50, 50)) / 2;
    const uint64_t action = rng.Below(10);
    if (action < 6) {
      const bool is_new = scores.count(member) == 0;
      if (!is_new) model.erase({scores[member], member});
      CHECK(zs.Set(member, score) == is_new);
      scores[member] = score;
      model.insert({score, member});
    } else {
      const bool present = scores.count(member) > 0;
      if (present) {
        model.erase({scores[member], member});
        scores.erase(member);
      }
      CHECK(zs.Remove(member) == present);
    }
    if (step % 50 == 0 || step > 5900) {
      REQUIRE(zs.CheckInvariants().empty());
      std::vector<std::string> expected;
      for (const auto& [s, m] : model) expected.push_back(m);
      REQUIRE(Members(zs) == expected);
      // Ranks from spans agree with positions in the model.
      uint64_t position = 0;
      for (const auto& [s, m] : model) {
        REQUIRE(zs.Rank(m, false) == position);
        ++position;
      }
    }
  }
  CHECK(zs.encoding() == ZSet::Encoding::kSkiplist);
  CHECK(zs.skiplist()->level() <= SkipList::kMaxLevel);
  CHECK(zs.Count({-5, 5, true, false}) == zs.RangeByScore(-5, 5).size() -
                                               zs.RangeByScore(-5, -5).size());
}

TEST_CASE("random levels follow P = 1/4: about 1/4 of nodes reach level 2, 1/16 level 3",
          "[redis_zset]") {
  SkipList list(7);
  constexpr int kNodes = 100000;
  for (int i = 0; i < kNodes; ++i) list.Insert(i, "n" + std::to_string(i), nullptr);
  int at_least[5] = {0, 0, 0, 0, 0};
  for (uint32_t x = list.First(); x != SkipList::kNone; x = list.Next(x)) {
    for (size_t l = 1; l <= list.node(x).level_count && l < 5; ++l) ++at_least[l];
  }
  CHECK(at_least[1] == kNodes);
  CHECK(at_least[2] == Approx(kNodes / 4.0).epsilon(0.03));
  CHECK(at_least[3] == Approx(kNodes / 16.0).epsilon(0.06));
  CHECK(at_least[4] == Approx(kNodes / 64.0).epsilon(0.12));
  CHECK(list.level() >= 7);  // log4(100000) is about 8.3
  CHECK(list.CheckInvariants().empty());
  CHECK(list.NodeAtRank(1) == list.First());
  CHECK(list.node(list.NodeAtRank(77777)).member == "n77776");
  CHECK(list.Rank(4242, "n4242") == 4243);
}

TEST_CASE("redis-cli line splitting (sdssplitargs)", "[redis_zset]") {
  using V = std::vector<std::string>;
  const auto split = [](const std::string& line) { return sdp::redis::SplitCommandLine(line); };
  CHECK(split("ZADD  q\t1 a ").value() == V{"ZADD", "q", "1", "a"});
  CHECK(split("set \"a b\" 'c d'").value() == V{"set", "a b", "c d"});
  CHECK(split("x \"\\x41\\n\\t\\\\\\\"\"").value() == V{"x", "A\n\t\\\""});
  CHECK(split("x 'it\\'s' '\\n'").value() == V{"x", "it's", "\\n"});
  CHECK(split("x a\"b c\"").value() == V{"x", "ab c"});
  CHECK(split("x \"\" ''").value() == V{"x", "", ""});
  CHECK(split("   ").value().empty());
  CHECK(split("x \"\\xZZ\"").value() == V{"x", "xZZ"});
  CHECK(split("x \"abc").message() == "Invalid argument(s)");
  CHECK_FALSE(split("x \"a\"b").ok());
  CHECK_FALSE(split("x 'a").ok());
}

TEST_CASE("reply doubles are Redis 7.0's %.17g (checked on the real 7.0.15)", "[redis_zset]") {
  CHECK(FormatDouble(1.5) == "1.5");
  CHECK(FormatDouble(0.1) == "0.10000000000000001");
  CHECK(FormatDouble(1e20) == "1e+20");
  CHECK(FormatDouble(0.1 + 0.2) == "0.30000000000000004");
  CHECK(FormatDouble(3.0000000000000004) == "3.0000000000000004");
  CHECK(FormatDouble(100) == "100");
  CHECK(FormatDouble(-0.0) == "-0");
  CHECK(FormatDouble(1.0 / 3) == "0.33333333333333331");
  CHECK(FormatDouble(-1.5e-7) == "-1.4999999999999999e-07");
  CHECK(FormatDouble(1e-310) == "9.9999999999999694e-311");
  CHECK(FormatDouble(123456789012345678.0) == "1.2345678901234568e+17");
  CHECK(FormatDouble(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(FormatDouble(-std::numeric_limits<double>::infinity()) == "-inf");
}

TEST_CASE("replies as RESP and as JSON", "[redis_zset]") {
  CHECK(Reply::Integer(3).ToResp() == ":3\r\n");
  CHECK(Reply::Nil().ToResp() == "$-1\r\n");
  CHECK(Reply::NilArray().ToResp() == "*-1\r\n");
  CHECK(Reply::Array({Reply::Bulk("a"), Reply::Status("OK")}).ToResp() == "*2\r\n$1\r\na\r\n+OK\r\n");
  CHECK(Reply::Array({Reply::Bulk("1.5"), Reply::Nil()}).ToJson().dump() ==
        R"({"type":"array","value":[{"type":"bulk","value":"1.5"},{"type":"nil"}]})");
  CHECK(Reply::Integer(9007199254740991).ToJson().dump() ==
        R"({"type":"integer","value":9007199254740991})");
  CHECK(Reply::Integer(INT64_MAX).ToJson().dump() ==
        R"({"type":"integer","value":"9223372036854775807"})");
  CHECK(Reply::Error("ERR x").ToJson().dump() == R"({"type":"error","value":"ERR x"})");
  CHECK(sdp::redis::EncodeCommand({"ZADD", "q", "1", "a"}) ==
        "*4\r\n$4\r\nZADD\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\na\r\n");
}

TEST_CASE("propagation matches the AOF a real Redis 7.0.15 writes", "[redis_zset]") {
  // Each command and what appeared in appendonlydir/*.incr.aof after it.
  struct Case {
    const char* line;
    std::vector<Argv> propagated;
  };
  const std::vector<Case> cases = {
      {"FLUSHALL", {{"FLUSHALL"}}},
      {"SET s v", {{"SET", "s", "v"}}},
      {"SET s w NX", {}},
      {"set t 1 GET", {{"set", "t", "1", "GET"}}},
      {"INCR n", {{"INCR", "n"}}},
      {"ZADD q 1 a 2 b 3 c", {{"ZADD", "q", "1", "a", "2", "b", "3", "c"}}},
      {"ZADD q NX 5 a", {}},
      {"zadd q INCR 2 a", {{"zadd", "q", "INCR", "2", "a"}}},
      {"ZADD q XX CH GT 10 b 0 zz", {{"ZADD", "q", "XX", "CH", "GT", "10", "b", "0", "zz"}}},
      {"ZINCRBY q 1.5 c", {{"ZINCRBY", "q", "1.5", "c"}}},
      {"ZREM q nosuch", {}},
      {"ZREM q a nosuch", {{"ZREM", "q", "a", "nosuch"}}},
      {"ZPOPMIN q", {{"ZPOPMIN", "q"}}},
      {"ZPOPMIN q 0", {}},
      {"ZPOPMAX q 5", {{"ZPOPMAX", "q", "5"}}},
      {"ZPOPMIN q 3", {}},
      {"DEL nokey", {}},
      {"DEL s nokey t", {{"DEL", "s", "nokey", "t"}}},
      {"ZADD r XX 1 a", {}},
      {"ZINCRBY r 0 m", {{"ZINCRBY", "r", "0", "m"}}},
      {"ZINCRBY r 0 m", {}},
      {"ZSCORE r m", {}},
      {"ZADD r nan m", {}},
      {"FLUSHALL ASYNC", {{"FLUSHALL", "ASYNC"}}},
  };
  Db db(1);
  for (const Case& c : cases) {
    INFO(c.line);
    Run(db, c.line);
    CHECK(db.TakePropagated() == c.propagated);
  }
}

TEST_CASE("rewrite: SET per string, ZADD with at most 64 pairs, keys sorted; Dump",
          "[redis_zset]") {
  Db db(1);
  for (int i = 0; i < 150; ++i) Run(db, "ZADD q " + std::to_string(i) + ".5 m" + std::to_string(i));
  Run(db, "SET a text");
  Run(db, "ZADD inf +inf top");
  const std::vector<Argv> rewrite = db.RewriteCommands();
  REQUIRE(rewrite.size() == 5);
  CHECK(rewrite[0] == Argv{"SET", "a", "text"});
  CHECK(rewrite[1] == Argv{"ZADD", "inf", "inf", "top"});
  CHECK(rewrite[2].size() == 2 + 64 * 2);
  CHECK(rewrite[2][2] == "0.5");
  CHECK(rewrite[4].size() == 2 + 22 * 2);
  CHECK(rewrite[4].back() == "m149");
  // Replaying the rewrite rebuilds the same data set.
  Db copy(5);
  for (const Argv& argv : rewrite) CHECK_FALSE(copy.Execute(argv).IsError());
  CHECK(copy.Dump() == db.Dump());
  CHECK(db.Dump()["inf"].dump() == R"({"items":[["top","inf"]],"type":"zset"})");
  CHECK(db.Dump()["a"].dump() == R"({"type":"string","value":"text"})");
  CHECK(db.KeyCount() == 3);
  db.Clear();
  CHECK(db.KeyCount() == 0);
}

TEST_CASE("t_zset.c zsetAdd: GT and LT restrict updates only; a new member is added (ZADD GT "
          "INCR -1 on a new member replies -1)",
          "[redis_zset]") {
  Db db;
  // Checked on redis-server 7.0.15, reply by reply.
  const Reply added = Run(db, "ZADD q GT INCR -1 a");
  CHECK(added.ToResp() == "$2\r\n-1\r\n");
  const Reply stopped = Run(db, "ZADD q GT INCR -5 a");
  CHECK(stopped.ToResp() == "$-1\r\n");
  const Reply raised = Run(db, "ZADD q LT INCR 5 b");
  CHECK(raised.ToResp() == "$1\r\n5\r\n");
  CHECK(Run(db, "ZADD q GT 3 c").ToResp() == ":1\r\n");
  CHECK(Run(db, "ZADD q GT 2 c").ToResp() == ":0\r\n");
  CHECK(Run(db, "ZSCORE q c").ToResp() == "$1\r\n3\r\n");
}

}  // namespace redis_zset_test
