#include "sdp/redis_geo_sim.h"

#include "sdp/redis/geohash.h"
#include "sims/redis_geo_trace.h"

namespace sdp {
namespace {

using redis::Argv;
using redis::Db;

const char* TypeName(Db::KeyType type) {
  switch (type) {
    case Db::KeyType::kZSet:
      return "zset";
    case Db::KeyType::kString:
      return "string";
    case Db::KeyType::kNone:
      break;
  }
  return "none";
}

uint64_t SizeOf(const Db& db, const std::string& key) {
  if (const redis::ZSet* z = db.FindZSet(key)) return z->size();
  if (const std::string* s = db.FindString(key)) return s->size();
  return 0;
}

// Work() units (~0.2 us natively), measured: a traced GEOADD point ~40 us
// (its JSON), a search candidate ~5 us (its haversine and sort), a reply
// element ~1 us, a key scan ~0.1 us an entry.
uint64_t WorkOf(const Argv& argv, const TracedReply& run, uint64_t key_size) {
  uint64_t traced_points = 0;
  if (run.trace.contains("points")) traced_points = run.trace["points"].size();
  return 1 + argv.size() + 5 * run.reply.elements.size() + key_size / 2 + 200 * traced_points +
         25 * run.candidates;
}

}  // namespace

RedisGeoSim::RedisGeoSim(uint64_t seed, const Config& config)
    : Cloneable(seed, Caps{kMaxEntries, kMaxKeys}), config_(config) {}

Result<Json> RedisGeoSim::Command(const std::string& line) {
  const Result<Argv> parsed = ParseCommand(line);
  if (!parsed.ok()) return parsed.status();
  const Argv& argv = parsed.value();

  const redis::ZSet* touched = argv.size() >= 2 ? db_.FindZSet(argv[1]) : nullptr;
  const uint64_t key_size = touched != nullptr ? touched->size() : 0;
  TracedReply run = ExecuteWithGeoTrace(db_, argv);
  (void)db_.TakePropagated();  // the AOF is the persistence sim's subject
  NoteTouchedKey(argv);
  CountReply(run.reply);
  work_ += WorkOf(argv, run, key_size);
  return Json{{"argv", argv}, {"reply", run.reply.ToJson()}, {"trace", std::move(run.trace)}};
}

Result<Json> RedisGeoSim::View(const std::string& key) {
  const Db::KeyType type = db_.TypeOf(key);
  if (type == Db::KeyType::kNone) return MissingKeyError(key);
  view_key_ = key;
  work_ += 1;
  return Json{{"key", key}, {"type", TypeName(type)}, {"size", SizeOf(db_, key)}};
}

Json RedisGeoSim::ViewJson() const {
  const std::optional<std::string>& key = ViewedKey();
  if (!key) return nullptr;
  const Db::KeyType type = db_.TypeOf(*key);
  Json view = {{"key", *key},
               {"exists", type != Db::KeyType::kNone},
               {"type", TypeName(type)},
               {"size", SizeOf(db_, *key)}};
  const redis::ZSet* zset = db_.FindZSet(*key);
  Json places = Json::array();
  if (zset != nullptr && zset->size() > 0) {
    const uint64_t shown = std::min<uint64_t>(zset->size(), config_.places);
    for (const auto& [member, score] : zset->RangeByRank(0, shown - 1, false)) {
      const redis::GeoPoint p = redis::GeoDecodeScore(score);
      places.push_back({{"member", member}, {"lon", p.lon}, {"lat", p.lat}, {"score", score}});
    }
  }
  view["shown"] = places.size();
  view["truncated"] = zset != nullptr && zset->size() > places.size();
  view["places"] = std::move(places);
  return view;
}

Json RedisGeoSim::Snapshot(Detail detail) const {
  (void)detail;  // the lists are already capped
  Json keys = Json::array();
  const std::vector<std::string> all = db_.Keys();
  for (const std::string& k : all) {
    if (keys.size() >= kMaxListedKeys) break;
    keys.push_back({{"key", k}, {"type", TypeName(db_.TypeOf(k))}, {"size", SizeOf(db_, k)}});
  }
  return {{"keys", std::move(keys)},
          {"keys_total", all.size()},
          {"entries_total", db_.EntryCount()},
          {"commands", commands_},
          {"error_replies", error_replies_},
          {"bytes_per_point", redis::kGeoBytesPerPoint},
          {"limits",
           {{"lon_min", redis::kGeoLonMin},
            {"lon_max", redis::kGeoLonMax},
            {"lat_min", redis::kGeoLatMin},
            {"lat_max", redis::kGeoLatMax},
            {"step_max", redis::kGeoStepMax}}},
          {"view", ViewJson()}};
}

Result<Json> RedisGeoSim::Apply(const std::string& op, const Json& args) {
  if (op == "command") return Command(args["line"].get<std::string>());
  if (op == "view") return View(args["key"].get<std::string>());
  SDP_CHECK(false && "op declared in RedisGeoSimInfo but not handled");
  return Status::Invalid(op);
}

}  // namespace sdp
