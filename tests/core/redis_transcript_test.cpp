// Transcripts recorded on a real Redis 7.0.15 (redis-server from Debian 12,
// fresh server, RESP2): each line as typed into redis-cli and the exact reply
// bytes the server sent. Our Db must answer every line byte for byte.
// Recorded with tests/js/resp_client.mjs; tests/js/redis_zset_diff.test.mjs
// checks thousands more random commands against a live server.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sdp/redis/db.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_transcript_test {

namespace {

struct Line {
  const char* command;
  const char* resp;
};

void Replay(const std::vector<Line>& transcript) {
  sdp::redis::Db db(7);
  for (const Line& line : transcript) {
    INFO(line.command);
    auto argv = sdp::redis::SplitCommandLine(line.command);
    REQUIRE(argv.ok());
    CHECK(db.Execute(argv.value()).ToResp() == line.resp);
  }
}

}  // namespace

TEST_CASE("real Redis 7.0 transcript: ZADD flags, their combinations and their errors", "[redis_zset]") {
  Replay({
      // plain ZADD: new members count, updates do not
      {"ZADD q 1 a 2 b 3 c", ":3\r\n"},
      {"ZADD q 5 a 4 d", ":1\r\n"},
      {"ZRANGE q 0 -1 WITHSCORES", "*8\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\na\r\n$1\r\n5\r\n"},
      // CH counts updates too; an equal score is no update
      {"ZADD q CH 6 a 4 d 7 e", ":2\r\n"},
      // NX only adds
      {"ZADD q NX 100 a 8 f", ":1\r\n"},
      {"ZSCORE q a", "$1\r\n6\r\n"},
      // XX only updates, never creates
      {"ZADD q XX 9 a 1 zz", ":0\r\n"},
      {"ZSCORE q zz", "$-1\r\n"},
      {"ZADD q XX CH 10 a 1 zz", ":1\r\n"},
      {"ZADD nokey XX 1 a", ":0\r\n"},
      {"EXISTS nokey", ":0\r\n"},
      // GT / LT only move a score up / down; new members are still added
      {"ZADD q GT 1 a", ":0\r\n"},
      {"ZADD q GT CH 11 a 1 g", ":2\r\n"},
      {"ZADD q LT CH 12 a 0 a", ":1\r\n"},
      {"ZSCORE q a", "$1\r\n0\r\n"},
      {"ZADD q XX GT CH 20 a 20 h", ":1\r\n"},
      {"ZADD q XX LT CH 30 b 0 c", ":1\r\n"},
      // INCR: the reply is the new score; nil when a flag stops it
      {"ZADD q INCR 1.5 a", "$4\r\n21.5\r\n"},
      {"ZADD q NX INCR 1 a", "$-1\r\n"},
      {"ZADD q XX INCR 1 newm", "$-1\r\n"},
      {"ZADD q GT INCR -1 a", "$-1\r\n"},
      {"ZADD q LT INCR -1 a", "$4\r\n20.5\r\n"},
      {"ZADD q INCR 5 newm", "$1\r\n5\r\n"},
      {"ZINCRBY q 2.5 newm", "$3\r\n7.5\r\n"},
      {"ZINCRBY q -inf newm", "$4\r\n-inf\r\n"},
      {"ZINCRBY q +inf newm", "-ERR resulting score is not a number (NaN)\r\n"},
      {"ZADD q INCR -inf newm", "$4\r\n-inf\r\n"},
      {"ZSCORE q newm", "$4\r\n-inf\r\n"},
      // incompatible flags and bad arguments
      {"ZADD q NX XX 1 a", "-ERR XX and NX options at the same time are not compatible\r\n"},
      {"ZADD q GT LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
      {"ZADD q NX GT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
      {"ZADD q NX LT 1 a", "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
      {"ZADD q INCR 1 a 2 b", "-ERR INCR option supports a single increment-element pair\r\n"},
      {"ZADD q 1 a 2", "-ERR syntax error\r\n"},
      {"ZADD q XX NX", "-ERR syntax error\r\n"},
      {"ZADD q", "-ERR wrong number of arguments for 'zadd' command\r\n"},
      {"ZADD q nan a", "-ERR value is not a valid float\r\n"},
      {"ZADD q 1 a nan b", "-ERR value is not a valid float\r\n"},
      {"ZSCORE q b", "$1\r\n2\r\n"},
      {"ZADD q 1e400 a", "-ERR value is not a valid float\r\n"},
      {"ZADD q \" 1\" a", "-ERR value is not a valid float\r\n"},
      {"ZADD q 1x a", "-ERR value is not a valid float\r\n"},
      {"ZADD q 0x1p3 hex", ":1\r\n"},
      {"ZSCORE q hex", "$1\r\n8\r\n"},
      {"ZADD q 1 a CH 2 b", "-ERR syntax error\r\n"},
      {"ZINCRBY q NX 1", "-ERR syntax error\r\n"},
      {"ZINCRBY q abc a", "-ERR value is not a valid float\r\n"},
      {"SET s text", "+OK\r\n"},
      {"ZADD s 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"ZADD s nan a", "-ERR value is not a valid float\r\n"},
      {"ZADD s NX XX 1 a", "-ERR XX and NX options at the same time are not compatible\r\n"},
      {"ZINCRBY s 1 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
  });
}

TEST_CASE("real Redis 7.0 transcript: ZRANGE forms, ZCOUNT, ZRANK, ZPOPMIN / ZPOPMAX edge cases, WRONGTYPE", "[redis_zset]") {
  Replay({
      // a priority queue: deadlines as scores
      {"ZADD jobs 30 job:c 10 job:a 20 job:b 20 job:bb 40 job:d", ":5\r\n"},
      // ties on score order by member bytes
      {"ZRANGE jobs 0 -1 WITHSCORES", "*10\r\n$5\r\njob:a\r\n$2\r\n10\r\n$5\r\njob:b\r\n$2\r\n20\r\n$6\r\njob:bb\r\n$2\r\n20\r\n$5\r\njob:c\r\n$2\r\n30\r\n$5\r\njob:d\r\n$2\r\n40\r\n"},
      {"ZRANGE jobs -2 -1", "*2\r\n$5\r\njob:c\r\n$5\r\njob:d\r\n"},
      {"ZRANGE jobs 3 1", "*0\r\n"},
      {"ZRANGE jobs 10 20", "*0\r\n"},
      {"ZRANGE jobs -100 0", "*1\r\n$5\r\njob:a\r\n"},
      {"ZRANGE jobs 0 -1 REV", "*5\r\n$5\r\njob:d\r\n$5\r\njob:c\r\n$6\r\njob:bb\r\n$5\r\njob:b\r\n$5\r\njob:a\r\n"},
      {"ZREVRANGE jobs 0 1 WITHSCORES", "*4\r\n$5\r\njob:d\r\n$2\r\n40\r\n$5\r\njob:c\r\n$2\r\n30\r\n"},
      {"ZRANGE jobs 0 x", "-ERR value is not an integer or out of range\r\n"},
      {"ZRANGE jobs 0 1 LIMIT 0 1", "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"},
      {"ZRANGE jobs (10 30 BYSCORE WITHSCORES", "*6\r\n$5\r\njob:b\r\n$2\r\n20\r\n$6\r\njob:bb\r\n$2\r\n20\r\n$5\r\njob:c\r\n$2\r\n30\r\n"},
      {"ZRANGE jobs 30 (10 BYSCORE REV", "*3\r\n$5\r\njob:c\r\n$6\r\njob:bb\r\n$5\r\njob:b\r\n"},
      {"ZRANGE jobs -inf +inf BYSCORE LIMIT 1 2", "*2\r\n$5\r\njob:b\r\n$6\r\njob:bb\r\n"},
      {"ZRANGE jobs -inf +inf BYSCORE LIMIT -1 2", "*0\r\n"},
      {"ZRANGE jobs -inf +inf BYSCORE LIMIT 2 -1", "*3\r\n$6\r\njob:bb\r\n$5\r\njob:c\r\n$5\r\njob:d\r\n"},
      {"ZRANGE jobs -inf +inf BYSCORE LIMIT 0 0", "*0\r\n"},
      {"ZRANGE jobs -inf +inf BYSCORE LIMIT 1", "-ERR syntax error\r\n"},
      {"ZRANGE jobs nan 1 BYSCORE", "-ERR min or max is not a float\r\n"},
      {"ZRANGE jobs a 1 BYSCORE", "-ERR min or max is not a float\r\n"},
      {"ZRANGE jobs 0 -1 BYLEX", "-ERR min or max not valid string range item\r\n"},
      {"ZRANGE jobs - + BYLEX WITHSCORES", "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
      {"ZRANGEBYSCORE jobs 20 20", "*2\r\n$5\r\njob:b\r\n$6\r\njob:bb\r\n"},
      {"ZRANGEBYSCORE jobs (20 (20", "*0\r\n"},
      {"ZRANGEBYSCORE jobs 20 +inf WITHSCORES LIMIT 1 10", "*6\r\n$6\r\njob:bb\r\n$2\r\n20\r\n$5\r\njob:c\r\n$2\r\n30\r\n$5\r\njob:d\r\n$2\r\n40\r\n"},
      {"ZRANGEBYSCORE jobs 0 100 REV", "-ERR syntax error\r\n"},
      {"ZREVRANGEBYSCORE jobs +inf 20", "*4\r\n$5\r\njob:d\r\n$5\r\njob:c\r\n$6\r\njob:bb\r\n$5\r\njob:b\r\n"},
      {"ZCOUNT jobs (10 30", ":3\r\n"},
      {"ZCOUNT jobs -inf +inf", ":5\r\n"},
      {"ZCOUNT jobs x 1", "-ERR min or max is not a float\r\n"},
      {"ZRANK jobs job:bb", ":2\r\n"},
      {"ZREVRANK jobs job:bb", ":2\r\n"},
      {"ZRANK jobs nosuch", "$-1\r\n"},
      {"ZRANK nokey a", "$-1\r\n"},
      {"ZMSCORE jobs job:a nosuch job:d", "*3\r\n$2\r\n10\r\n$-1\r\n$2\r\n40\r\n"},
      {"ZMSCORE nokey a b", "*2\r\n$-1\r\n$-1\r\n"},
      {"ZCARD jobs", ":5\r\n"},
      {"ZCARD nokey", ":0\r\n"},
      // pops: by score, with a count, the empty key deleted
      {"ZPOPMIN jobs", "*2\r\n$5\r\njob:a\r\n$2\r\n10\r\n"},
      {"ZPOPMAX jobs", "*2\r\n$5\r\njob:d\r\n$2\r\n40\r\n"},
      {"ZPOPMIN jobs 0", "*0\r\n"},
      {"ZPOPMIN jobs -1", "-ERR value is out of range, must be positive\r\n"},
      {"ZPOPMIN jobs x", "-ERR value is out of range, must be positive\r\n"},
      {"ZPOPMIN jobs 1 2", "-ERR syntax error\r\n"},
      {"ZPOPMIN jobs 2", "*4\r\n$5\r\njob:b\r\n$2\r\n20\r\n$6\r\njob:bb\r\n$2\r\n20\r\n"},
      {"ZPOPMIN jobs 10", "*2\r\n$5\r\njob:c\r\n$2\r\n30\r\n"},
      {"EXISTS jobs", ":0\r\n"},
      {"ZPOPMIN jobs", "*0\r\n"},
      {"ZPOPMIN jobs 0", "*0\r\n"},
      {"ZRANGE jobs 0 -1", "*0\r\n"},
      {"ZREM nokey a", ":0\r\n"},
      {"ZADD r 1 a 2 b", ":2\r\n"},
      {"ZREM r a a nosuch", ":1\r\n"},
      {"ZREM r b", ":1\r\n"},
      {"TYPE r", "+none\r\n"},
      {"SET s v", "+OK\r\n"},
      {"ZPOPMIN s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"ZRANGE s 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"ZRANGE s 0 x", "-ERR value is not an integer or out of range\r\n"},
      {"ZSCORE s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"ZCARD s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"ZRANK s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"ZCOUNT s 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"GET s", "$1\r\nv\r\n"},
      // lexicographic ranges on equal scores
      {"ZADD lex 0 a 0 b 0 c 0 d 0 e", ":5\r\n"},
      {"ZRANGEBYLEX lex - +", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
      {"ZRANGEBYLEX lex [b (d", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
      {"ZRANGE lex (d [b BYLEX REV", "*2\r\n$1\r\nc\r\n$1\r\nb\r\n"},
      {"ZRANGEBYLEX lex - + LIMIT 1 2", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
      {"ZRANGEBYLEX lex b c", "-ERR min or max not valid string range item\r\n"},
      {"ZRANGEBYLEX lex [c [a", "*0\r\n"},
  });
}

TEST_CASE("real Redis 7.0 transcript: strings, counters, keyspace commands, arity and unknown commands", "[redis_zset]") {
  Replay({
      // strings, counters and the keyspace
      {"SET k v", "+OK\r\n"},
      {"GET k", "$1\r\nv\r\n"},
      {"SET k w NX", "$-1\r\n"},
      {"SET k w XX", "+OK\r\n"},
      {"SET k2 v XX", "$-1\r\n"},
      {"SET k x GET", "$1\r\nw\r\n"},
      {"SET k y NX GET", "$1\r\nx\r\n"},
      {"SET k y NX XX", "-ERR syntax error\r\n"},
      {"SET k y FOO", "-ERR syntax error\r\n"},
      {"SET k y EX", "-ERR syntax error\r\n"},
      {"INCR n", ":1\r\n"},
      {"INCRBY n 41", ":42\r\n"},
      {"DECR n", ":41\r\n"},
      {"INCRBY n x", "-ERR value is not an integer or out of range\r\n"},
      {"INCR k", "-ERR value is not an integer or out of range\r\n"},
      {"SET big 9223372036854775807", "+OK\r\n"},
      {"INCR big", "-ERR increment or decrement would overflow\r\n"},
      {"INCRBY n -9223372036854775808", ":-9223372036854775767\r\n"},
      {"SET neg -0", "+OK\r\n"},
      {"INCR neg", "-ERR value is not an integer or out of range\r\n"},
      {"OBJECT ENCODING n", "$3\r\nint\r\n"},
      {"OBJECT ENCODING k", "$6\r\nembstr\r\n"},
      {"SET longv aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "+OK\r\n"},
      {"OBJECT ENCODING longv", "$3\r\nraw\r\n"},
      {"OBJECT ENCODING nokey", "$-1\r\n"},
      {"TYPE k", "+string\r\n"},
      {"TYPE nokey", "+none\r\n"},
      {"ZADD z 1 a", ":1\r\n"},
      {"TYPE z", "+zset\r\n"},
      {"GET z", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"INCR z", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
      {"SET z plain", "+OK\r\n"},
      {"TYPE z", "+string\r\n"},
      {"EXISTS k k nokey z", ":3\r\n"},
      {"DBSIZE", ":6\r\n"},
      {"DEL k nokey n", ":2\r\n"},
      {"DBSIZE", ":4\r\n"},
      {"FLUSHALL x", "-ERR syntax error\r\n"},
      {"FLUSHALL", "+OK\r\n"},
      {"DBSIZE", ":0\r\n"},
      {"PING", "+PONG\r\n"},
      {"PING hello", "$5\r\nhello\r\n"},
      {"PING a b", "-ERR wrong number of arguments for 'ping' command\r\n"},
      {"SELECT 0", "+OK\r\n"},
      {"SELECT 16", "-ERR DB index is out of range\r\n"},
      {"SELECT x", "-ERR value is not an integer or out of range\r\n"},
      {"GET", "-ERR wrong number of arguments for 'get' command\r\n"},
      {"DBSIZE x", "-ERR wrong number of arguments for 'dbsize' command\r\n"},
      {"foo", "-ERR unknown command 'foo', with args beginning with: \r\n"},
      {"FOO bar \"baz qux\"", "-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz qux' \r\n"},
  });
}

}  // namespace redis_transcript_test
