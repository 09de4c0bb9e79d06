#include "sdp/redis_zset_sim.h"

#include <algorithm>

namespace sdp {
namespace {

using redis::Argv;
using redis::Db;
using redis::FormatDouble;
using redis::ZSet;

Json EncodingOf(const ZSet* zs) {
  return zs == nullptr ? Json(nullptr) : Json(ZSet::EncodingName(zs->encoding()));
}

Json OptionalMember(const std::optional<std::string>& member) {
  return member ? Json(*member) : Json(nullptr);
}

Json InsertJson(const redis::SkipInsertTrace& t) {
  Json path = Json::array();
  for (const auto& step : t.path) {
    path.push_back({{"level", step.level},
                    {"visited", step.visited},
                    {"more_visited", step.more_visited},
                    {"stop", OptionalMember(step.stop)},
                    {"next", OptionalMember(step.next)},
                    {"rank", step.rank}});
  }
  return {{"member", t.member},
          {"score", FormatDouble(t.score)},
          {"drawn_level", t.drawn_level},
          {"list_level_before", t.list_level_before},
          {"rank", t.rank},
          {"path", std::move(path)}};
}

bool IsLexRange(const Argv& argv) {
  for (std::string arg : argv) {
    for (char& c : arg) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (arg.find("lex") != std::string::npos) return true;
  }
  return false;
}

bool IsZSetCommand(const Argv& argv) {
  return argv.size() >= 2 && !argv[0].empty() && (argv[0][0] == 'z' || argv[0][0] == 'Z');
}

}  // namespace

RedisZSetSim::RedisZSetSim(uint64_t seed, const Config& config)
    : Cloneable(seed, Caps{kMaxEntries, kMaxKeys}), config_(config), rng_(seed) {}

Result<Json> RedisZSetSim::Command(const std::string& line) {
  const Result<Argv> parsed = ParseCommand(line);
  if (!parsed.ok()) return parsed.status();
  const Argv& argv = parsed.value();

  const bool zset_trace =
      argv.size() >= 2 && (IsZSetCommand(argv) || db_.TypeOf(argv[1]) == Db::KeyType::kZSet);
  // A BYLEX range copies and scans the whole set; everything else touches
  // O(log n) entries plus its reply.
  const ZSet* touched = argv.size() >= 2 ? db_.FindZSet(argv[1]) : nullptr;
  const uint64_t scanned = touched != nullptr && IsLexRange(argv) ? touched->size() : 0;
  Json trace = Json::object();
  Db::ZSetTrace inserts;
  Json before = nullptr;
  if (zset_trace) {
    before = EncodingOf(db_.FindZSet(argv[1]));
    db_.set_zset_trace(&inserts);
  }
  (void)db_.TakePropagated();
  const redis::Reply reply = db_.Execute(argv);
  db_.set_zset_trace(nullptr);
  const std::vector<Argv> propagated = db_.TakePropagated();

  if (zset_trace) {
    const Json after = EncodingOf(db_.FindZSet(argv[1]));
    Json list = Json::array();
    for (const auto& t : inserts.inserts) list.push_back(InsertJson(t));
    trace = {{"key", argv[1]},
             {"encoding_before", before},
             {"encoding_after", after},
             {"converted", before == "listpack" && after == "skiplist"},
             {"inserts", std::move(list)},
             {"more_inserts", inserts.more_inserts}};
  }
  NoteTouchedKey(argv);
  CountReply(reply);
  // CheckRoom walks the key list (KeyCount / 64 is its rough cost).
  work_ += 1 + argv.size() + reply.elements.size() + db_.KeyCount() / 64 + scanned;
  Json propagated_json = Json::array();
  for (const Argv& p : propagated) propagated_json.push_back(p);
  Json out = {{"argv", argv},
              {"propagated", std::move(propagated_json)},
              {"trace", std::move(trace)}};
  if (reply.elements.size() > kMaxReplyElements) {
    // ZRANGE k 0 -1 on a 200k-entry set: keep the step's JSON bounded.
    redis::Reply shown = reply;
    shown.elements.resize(kMaxReplyElements);
    out["reply"] = shown.ToJson();
    out["reply_truncated"] = true;
    out["reply_elements"] = reply.elements.size();
  } else {
    out["reply"] = reply.ToJson();
  }
  return out;
}

Result<Json> RedisZSetSim::View(const std::string& key) {
  if (db_.TypeOf(key) == Db::KeyType::kNone) return MissingKeyError(key);
  view_key_ = key;
  return KeyJson(key);
}

Result<Json> RedisZSetSim::Fill(const Json& args) {
  const std::string key = args["key"].get<std::string>();
  const auto count = args["count"].get<uint64_t>();
  const std::string prefix = args.value("prefix", std::string("job:"));
  const auto max_score = args.value("max_score", int64_t{1000000});
  if (db_.TypeOf(key) == Db::KeyType::kString) {
    return Status::Invalid("fill: field \"key\": \"" + key +
                           "\" holds a string; fill adds to a sorted set (or a new key)");
  }
  SDP_RETURN_IF_ERROR(CheckRoom("fill: field \"count\"", count, key));
  // A seed of its own leaves the sim's stream alone.
  Rng own(args.value("seed", uint64_t{0}));
  Rng& rng = args.contains("seed") ? own : rng_;
  const ZSet* zs = db_.FindZSet(key);
  const Json before = EncodingOf(zs);
  uint64_t next = zs != nullptr ? zs->size() + 1 : 1;
  uint64_t added = 0;
  Json converted_at = nullptr;
  for (uint64_t i = 0; i < count; ++i) {
    const int64_t score = rng.Between(0, max_score);
    const bool was_listpack = db_.FindZSet(key) == nullptr ||
                              db_.FindZSet(key)->encoding() == ZSet::Encoding::kListpack;
    const redis::Reply r =
        db_.Execute({"ZADD", key, std::to_string(score), prefix + std::to_string(next++)});
    added += static_cast<uint64_t>(r.integer);
    if (was_listpack && db_.FindZSet(key)->encoding() == ZSet::Encoding::kSkiplist) {
      converted_at = db_.FindZSet(key)->size();
    }
  }
  (void)db_.TakePropagated();
  work_ += count * 4;
  last_zset_key_ = key;
  const ZSet* after = db_.FindZSet(key);
  return Json{{"key", key},
              {"added", added},
              {"size", after->size()},
              {"encoding_before", before},
              {"encoding_after", EncodingOf(after)},
              {"converted", before != "skiplist" && after->encoding() == ZSet::Encoding::kSkiplist},
              {"converted_at_size", converted_at}};
}

Result<Json> RedisZSetSim::Apply(const std::string& op, const Json& args) {
  if (op == "command") return Command(args["line"].get<std::string>());
  if (op == "view") return View(args["key"].get<std::string>());
  if (op == "fill") return Fill(args);
  SDP_CHECK(false && "op declared in RedisZSetSimInfo but not handled");
  return Status::Invalid(op);
}

}  // namespace sdp
