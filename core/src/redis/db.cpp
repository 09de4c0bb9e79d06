// The keyspace and command dispatch, with Redis 7.0's arity and unknown-command
// errors (server.c processCommand) and AOF-style propagation.
#include "sdp/redis/db.h"

#include <algorithm>

#include "redis/args.h"
#include "sdp/random.h"

namespace sdp::redis {
namespace {

using CommandTable = std::map<std::string, CommandSpec, std::less<>>;

const CommandTable& Commands() {
  static const CommandTable table = [] {
    CommandTable t;
    for (auto list : {StringCommands(), ZSetCommands(), GeoCommands()}) {
      for (CommandSpec& spec : list) {
        std::string name = spec.name;
        t.emplace(std::move(name), std::move(spec));
      }
    }
    return t;
  }();
  return table;
}

// addReplyErrorFormat turns CR and LF into spaces so the reply stays one line.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

// printf's "%.*s": a C string stops at its first NUL.
std::string_view CString(std::string_view s, size_t max) {
  s = s.substr(0, s.find('\0'));
  return s.substr(0, std::min(max, s.size()));
}

Reply UnknownCommand(const Argv& argv) {
  std::string args;
  for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
    args += "'";
    args += CString(argv[i], 128 - args.size());
    args += "' ";
  }
  return Reply::Error(OneLine("ERR unknown command '" + std::string(CString(argv[0], 128)) +
                              "', with args beginning with: " + args));
}

}  // namespace

Db::Db() : Db(1) {}

Db::Db(uint64_t seed) : seed_(seed) {}

const CommandSpec* Db::FindCommand(std::string_view name) {
  const CommandTable& table = Commands();
  const auto it = table.find(ToLower(name));
  return it == table.end() ? nullptr : &it->second;
}

Reply Db::Execute(const Argv& argv) {
  if (argv.empty()) return Reply::Error("ERR empty command");
  const CommandSpec* spec = FindCommand(argv[0]);
  if (spec == nullptr) return UnknownCommand(argv);
  const auto argc = static_cast<int64_t>(argv.size());
  if ((spec->arity > 0 && spec->arity != argc) || argc < -spec->arity) {
    return Reply::Error("ERR wrong number of arguments for '" + spec->name + "' command");
  }
  return spec->handler(*this, argv);
}

std::vector<Argv> Db::TakePropagated() {
  std::vector<Argv> out;
  out.swap(propagated_);
  return out;
}

void Db::Propagate(Argv argv) { propagated_.push_back(std::move(argv)); }

// rewriteAppendOnlyFileRio without the RDB preamble: SET for strings, ZADD
// with at most 64 pairs (AOF_REWRITE_ITEMS_PER_CMD) for sorted sets, scores
// written as "%.17g" (what 7.0's rioWriteBulkDouble writes).
std::vector<Argv> Db::RewriteCommands() const {
  constexpr size_t kItemsPerCommand = 64;
  std::vector<Argv> out;
  for (const auto& [key, value] : keys_) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      out.push_back({"SET", key, *s});
      continue;
    }
    const std::vector<ZSet::Item> items = std::get<ZSet>(value).Items();
    for (size_t i = 0; i < items.size(); i += kItemsPerCommand) {
      Argv cmd = {"ZADD", key};
      for (size_t j = i; j < std::min(items.size(), i + kItemsPerCommand); ++j) {
        cmd.push_back(FormatDouble(items[j].second));
        cmd.push_back(items[j].first);
      }
      out.push_back(std::move(cmd));
    }
  }
  return out;
}

size_t Db::KeyCount() const { return keys_.size(); }

nlohmann::json Db::Dump() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : keys_) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      out[key] = {{"type", "string"}, {"value", *s}};
      continue;
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& [member, score] : std::get<ZSet>(value).Items()) {
      items.push_back({member, FormatDouble(score)});
    }
    out[key] = {{"type", "zset"}, {"items", std::move(items)}};
  }
  return out;
}

void Db::Clear() { keys_.clear(); }

const ZSet* Db::FindZSet(std::string_view key) const {
  const auto it = keys_.find(key);
  if (it == keys_.end()) return nullptr;
  return std::get_if<ZSet>(&it->second);
}

std::variant<ZSet*, Reply> Db::ZSetForWrite(std::string_view key) {
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    ++zsets_created_;
    SplitMix64 mix(seed_ ^ (zsets_created_ * 0x9E3779B97F4A7C15ULL));
    it = keys_.emplace(std::string(key), ZSet(mix.Next())).first;
  }
  if (auto* z = std::get_if<ZSet>(&it->second)) return z;
  return Reply::Error(kWrongType);
}

void Db::DeleteIfEmpty(std::string_view key) {
  const auto it = keys_.find(key);
  if (it == keys_.end()) return;
  if (const auto* z = std::get_if<ZSet>(&it->second); z != nullptr && z->size() == 0) {
    keys_.erase(it);
  }
}

Db::KeyType Db::TypeOf(std::string_view key) const {
  const auto it = keys_.find(key);
  if (it == keys_.end()) return KeyType::kNone;
  return std::holds_alternative<std::string>(it->second) ? KeyType::kString : KeyType::kZSet;
}

const std::string* Db::FindString(std::string_view key) const {
  const auto it = keys_.find(key);
  if (it == keys_.end()) return nullptr;
  return std::get_if<std::string>(&it->second);
}

void Db::SetString(std::string_view key, std::string value) {
  const auto it = keys_.find(key);
  if (it == keys_.end()) {
    keys_.emplace(std::string(key), std::move(value));
  } else {
    it->second = std::move(value);
  }
}

bool Db::Delete(std::string_view key) {
  const auto it = keys_.find(key);
  if (it == keys_.end()) return false;
  keys_.erase(it);
  return true;
}

std::vector<std::string> Db::Keys() const {
  std::vector<std::string> out;
  out.reserve(keys_.size());
  for (const auto& entry : keys_) out.push_back(entry.first);
  return out;
}

uint64_t Db::EntryCount() const {
  uint64_t total = 0;
  for (const auto& entry : keys_) {
    const auto* z = std::get_if<ZSet>(&entry.second);
    total += z != nullptr ? z->size() : 1;
  }
  return total;
}

SkipInsertTrace* Db::TraceSlot() {
  if (zset_trace_ == nullptr) return nullptr;
  scratch_trace_ = SkipInsertTrace();
  return &scratch_trace_;
}

void Db::KeepTrace() {
  if (zset_trace_ == nullptr || scratch_trace_.drawn_level == 0) return;
  if (zset_trace_->inserts.size() < ZSetTrace::kMaxInserts) {
    zset_trace_->inserts.push_back(std::move(scratch_trace_));
  } else {
    ++zset_trace_->more_inserts;
  }
  scratch_trace_ = SkipInsertTrace();
}

}  // namespace sdp::redis
