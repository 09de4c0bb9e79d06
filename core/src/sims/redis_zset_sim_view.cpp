// redis_zset's snapshot: the key list and the viewed key's structure.
#include "sdp/redis_zset_sim.h"

namespace sdp {
namespace {

using redis::Db;
using redis::FormatDouble;
using redis::SkipList;
using redis::ZSet;

Json SkiplistJson(const SkipList& list, uint32_t max_nodes) {
  Json header = Json::array();
  for (uint32_t i = 0; i < list.level(); ++i) header.push_back(list.header_level(i).span);
  Json nodes = Json::array();
  uint64_t rank = 0;
  for (uint32_t x = list.First(); x != SkipList::kNone && rank < max_nodes; x = list.Next(x)) {
    const SkipList::Node& n = list.node(x);
    Json spans = Json::array();
    for (uint32_t i = 0; i < n.level_count; ++i) spans.push_back(n.level(i).span);
    nodes.push_back({{"rank", ++rank},
                     {"member", n.member},
                     {"score", FormatDouble(n.score)},
                     {"level", n.level_count},
                     {"spans", std::move(spans)}});
  }
  return {{"level", list.level()},
          {"length", list.length()},
          {"header_spans", std::move(header)},
          {"nodes", std::move(nodes)},
          {"drawn", rank},
          {"truncated", list.length() > rank}};
}

}  // namespace

Json RedisZSetSim::KeyJson(const std::string& key) const {
  switch (db_.TypeOf(key)) {
    case Db::KeyType::kNone: return {{"key", key}, {"type", "none"}, {"size", 0}};
    case Db::KeyType::kString: {
      const std::string& s = *db_.FindString(key);
      return {{"key", key}, {"type", "string"}, {"size", s.size()}, {"encoding", redis::StringEncoding(s)}};
    }
    case Db::KeyType::kZSet: {
      const ZSet& zs = *db_.FindZSet(key);
      return {{"key", key},
              {"type", "zset"},
              {"size", zs.size()},
              {"encoding", ZSet::EncodingName(zs.encoding())}};
    }
  }
  return nullptr;
}

Json RedisZSetSim::ViewJson() const {
  const std::optional<std::string>& key = ViewedKey();
  if (!key) return nullptr;
  Json out = KeyJson(*key);
  out["exists"] = db_.TypeOf(*key) != Db::KeyType::kNone;
  const ZSet* zs = db_.FindZSet(*key);
  if (zs == nullptr) return out;
  if (const SkipList* list = zs->skiplist()) {
    out.update(SkiplistJson(*list, config_.draw_nodes));
    return out;
  }
  Json entries = Json::array();
  for (const ZSet::Item& item : zs->listpack()) {
    if (entries.size() >= config_.draw_nodes) break;
    entries.push_back({item.first, FormatDouble(item.second)});
  }
  out["drawn"] = entries.size();
  out["truncated"] = zs->size() > entries.size();
  out["entries"] = std::move(entries);
  return out;
}

Json RedisZSetSim::Snapshot(Detail) const {
  Json keys = Json::array();
  for (const std::string& key : db_.Keys()) {
    if (keys.size() >= kMaxListedKeys) break;
    keys.push_back(KeyJson(key));
  }
  return {{"keys", std::move(keys)},
          {"keys_total", db_.KeyCount()},
          {"entries_total", db_.EntryCount()},
          {"commands", commands_},
          {"error_replies", error_replies_},
          {"limits",
           {{"zset_max_listpack_entries", ZSet::kListpackMaxEntries},
            {"zset_max_listpack_value", ZSet::kListpackMaxValue},
            {"skiplist_max_level", SkipList::kMaxLevel},
            {"skiplist_p", 0.25}}},
          {"view", ViewJson()}};
}

}  // namespace sdp
