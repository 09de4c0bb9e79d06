// What the redis_persistence sim shows: what survives a crash now, the loss
// report after a restart, the snapshot and the columns.
#include <algorithm>

#include "redis_persist/persistence_state.h"
#include "sdp/redis_persistence_sim.h"

namespace sdp {

using redis_persist::AofFile;
using redis_persist::SeqSet;

namespace {

const char* FsyncName(RedisPersistenceConfig::Fsync f) {
  switch (f) {
    case RedisPersistenceConfig::Fsync::kAlways: return "always";
    case RedisPersistenceConfig::Fsync::kEverysec: return "everysec";
    case RedisPersistenceConfig::Fsync::kNo: return "no";
  }
  return "?";
}

const char* YesNo(bool b) { return b ? "yes" : "no"; }

Json Ms(SimTime t) { return t / kMicrosPerMilli; }

}  // namespace

SeqSet RedisPersistenceSim::SurvivorsOnCrash(bool power) const {
  if (config_.appendonly) {
    // What the manifest names (while waiting for the first rewrite, the
    // temporary incr file is not among them).
    SeqSet out;
    for (const AofFile* f : dir_->Files()) {
      out = SeqSet::Union(out, f->Survivors(power ? f->durable : f->bytes.size()));
    }
    return out;
  }
  return rdb_->exists ? rdb_->seqs : SeqSet();
}

uint64_t RedisPersistenceSim::AtRisk(bool power) const {
  if (state_ != ServerState::kUp) return 0;
  const SeqSet acked_alive = SeqSet::Intersect(*alive_, *acked_);
  return SeqSet::Minus(acked_alive, SurvivorsOnCrash(power)).Count();
}

Json RedisPersistenceSim::LossReport(const SeqSet& alive_before, const SeqSet& loaded,
                                     bool from_aof, bool rdb_existed) const {
  const SeqSet acked_before = SeqSet::Intersect(alive_before, *acked_);
  const SeqSet lost = SeqSet::Minus(acked_before, loaded);
  const SeqSet unacked_lost = SeqSet::Minus(SeqSet::Minus(alive_before, *acked_), loaded);
  const auto ack_ms = [this](uint64_t seq) { return Ms(ack_us_[seq - 1]); };
  Json out = {{"acked_lost", lost.Count()},
              {"unacked_lost", unacked_lost.Count()},
              {"resurrected", SeqSet::Minus(loaded, alive_before).Count()},
              {"seqs", lost.Elements(kLostSeqsShown)},
              {"by_reason", Json::array()}};
  if (lost.empty()) {
    for (const char* k : {"first_seq", "last_seq", "first_ack_ms", "last_ack_ms", "window_ms"}) {
      out[k] = nullptr;
    }
    return out;
  }
  out["first_seq"] = lost.Min();
  out["last_seq"] = lost.Max();
  out["first_ack_ms"] = ack_ms(lost.Min());
  out["last_ack_ms"] = ack_ms(lost.Max());
  const SimTime crash_at = crash_ ? crash_->at : events_.now();
  out["window_ms"] = Ms(crash_at - ack_us_[lost.Min() - 1]);
  // Reasons partition the seq space: the torn write, then what was only in
  // aof_buf, then what was only in the page cache, then the rest.
  std::vector<std::pair<std::string, SeqSet>> parts;
  if (from_aof) {
    const uint64_t torn = crash_ ? crash_->torn_seq : 0;
    const uint64_t buffered = crash_ ? crash_->buffer_first_seq : UINT64_MAX;
    const uint64_t unsynced = crash_ ? std::min(crash_->unsynced_first_seq, buffered) : UINT64_MAX;
    SeqSet rest = lost;
    const auto take = [&](const char* reason, const SeqSet& part) {
      const SeqSet in = SeqSet::Intersect(rest, part);
      rest = SeqSet::Minus(rest, in);
      parts.emplace_back(reason, in);
    };
    if (torn != 0) take("torn_tail", SeqSet::FromRange(torn, torn));
    take("in_aof_buffer", SeqSet::FromRange(buffered, UINT64_MAX - 1));
    take("not_fsynced", SeqSet::FromRange(unsynced, UINT64_MAX - 1));
    parts.emplace_back("not_in_aof", rest);
  } else {
    parts.emplace_back(rdb_existed ? "after_last_save" : "no_snapshot", lost);
  }
  for (const auto& [reason, set] : parts) {
    if (set.empty()) continue;
    out["by_reason"].push_back({{"reason", reason},
                                {"count", set.Count()},
                                {"first_seq", set.Min()},
                                {"last_seq", set.Max()},
                                {"first_ack_ms", ack_ms(set.Min())},
                                {"last_ack_ms", ack_ms(set.Max())}});
  }
  return out;
}

Json RedisPersistenceSim::ConfigJson() const {
  return {{"appendonly", YesNo(config_.appendonly)},
          {"appendfsync", FsyncName(config_.appendfsync)},
          {"save", config_.save},
          {"aof_use_rdb_preamble", YesNo(config_.aof_use_rdb_preamble)},
          {"aof_load_truncated", YesNo(config_.aof_load_truncated)},
          {"fsync_ms", config_.fsync_ms},
          {"child_ms", config_.child_ms},
          {"child_ms_per_1000_keys", config_.child_ms_per_1000_keys},
          {"dirty_expire_ms", config_.dirty_expire_ms},
          {"writeback_interval_ms", config_.writeback_interval_ms},
          {"bucket_ms", config_.bucket_ms}};
}

Json RedisPersistenceSim::LogSince(uint64_t first_seq) const {
  Json out = Json::array();
  for (const EventLog::Entry& e : events_.log().entries()) {
    if (e.seq >= first_seq) out.push_back({{"t_ms", Ms(e.time)}, {"text", e.text}});
  }
  return out;
}

Json RedisPersistenceSim::AofJson(Detail detail) const {
  const char* state = aof_state_ == AofState::kOn            ? "on"
                      : aof_state_ == AofState::kWaitRewrite ? "wait_rewrite"
                                                             : "off";
  const redis_persist::AofDir& dir = *dir_;
  Json base = nullptr;
  if (dir.base) {
    base = {{"name", dir.base->name},
            {"kind", dir.base->base_is_rdb ? "rdb_preamble" : "commands"},
            {"bytes", dir.base->base_length},
            {"keys", dir.base->base_keys}};
  }
  Json files = Json::array();
  bool torn = false;
  for (const AofFile* f : dir.Files()) {
    files.push_back({{"name", f->name},
                     {"type", f == dir.base.get() ? "base" : "incr"},
                     {"bytes", f->bytes.size()},
                     {"durable_bytes", f->durable}});
    torn = torn || f->torn;
  }
  // The commands of the files being written (the incr files, or the
  // temporary one), then those of aof_buf; the last kRecordsShown of them.
  std::vector<const AofFile*> chain;
  if (aof_state_ == AofState::kWaitRewrite) {
    if (temp_incr_) chain.push_back(temp_incr_.get());
  } else {
    for (const auto& f : dir.incrs) chain.push_back(f.get());
  }
  uint64_t total = aof_buf_->records.size();
  for (const AofFile* f : chain) total += f->records.size();
  const uint64_t from = total > kRecordsShown ? total - kRecordsShown : 0;
  Json records = Json::array();
  uint64_t index = 0;
  const auto add = [&](const AofFile* f, const redis_persist::AofRecord& r, bool last) {
    if (index++ < from) return;
    const bool buffered = f == nullptr;
    const AofFile* target = buffered ? (chain.empty() ? nullptr : chain.back()) : f;
    const std::string& bytes = buffered ? aof_buf_->bytes : f->bytes;
    const uint64_t shift = buffered && target ? target->bytes.size() : 0;
    Json rec = {{"file", target ? Json(target->name) : Json()},
                {"offset", r.offset + shift},
                {"bytes", r.length},
                {"seq", r.seq ? Json(r.seq) : Json()},
                {"state", buffered ? "buffer" : r.end() <= f->durable ? "durable" : "written"}};
    if (!buffered && f->torn && last) rec["torn"] = true;
    if (detail == Detail::kFull) {
      rec["text"] = redis_persist::RespText(std::string_view(bytes).substr(r.offset, r.length),
                                            kRecordTextBytes);
    }
    records.push_back(std::move(rec));
  };
  for (const AofFile* f : chain) {
    if (index + f->records.size() <= from) {
      index += f->records.size();
      continue;
    }
    for (size_t i = 0; i < f->records.size(); ++i) add(f, f->records[i], i + 1 == f->records.size());
  }
  for (const auto& r : aof_buf_->records) add(nullptr, r, false);
  Json fsync = {{"in_progress", bio_busy_ || loop_blocked_until_ > events_.now()},
                {"done_at_ms", bio_busy_ ? Ms(bio_done_at_)
                                         : loop_blocked_until_ > events_.now() ? Ms(loop_blocked_until_)
                                                                               : Json()},
                {"last_fsync_s", aof_last_fsync_s_},
                {"postponed_since_s", postponed_start_s_ >= 0 ? Json(postponed_start_s_) : Json()},
                {"fsyncs", fsyncs_},
                {"postponed", postponed_},
                {"delayed_fsync", delayed_fsync_}};
  Json rewrite = nullptr;
  if (child_ && !child_->rdb) rewrite = {{"fork_ms", Ms(child_->fork_at)}, {"done_ms", Ms(child_->done_at)}};
  return {{"state", state},
          {"exists", !dir.Empty()},
          {"file_bytes", dir.Bytes()},
          {"durable_bytes", dir.DurableBytes()},
          {"buffer_bytes", aof_buf_->bytes.size()},
          {"manifest", dir.Empty() ? Json() : Json(dir.Manifest())},
          {"files", files},
          {"base", base},
          {"torn", torn},
          {"fsync", fsync},
          {"records_total", total},
          {"records_shown_from", from},
          {"records", records},
          {"rewrite", rewrite},
          {"last_rewrite", last_rewrite_}};
}

Json RedisPersistenceSim::RdbJson() const {
  Json points = Json::array();
  for (const auto& sp : config_.save_points) points.push_back({{"seconds", sp.seconds}, {"changes", sp.changes}});
  Json bgsave = nullptr;
  if (child_ && child_->rdb) bgsave = {{"fork_ms", Ms(child_->fork_at)}, {"done_ms", Ms(child_->done_at)}};
  return {{"exists", rdb_->exists},
          {"bytes", rdb_->bytes.size()},
          {"keys", rdb_->keys},
          {"fork_ms", rdb_->exists ? Ms(rdb_->fork_at) : Json()},
          {"done_ms", rdb_->exists ? Ms(rdb_->done_at) : Json()},
          {"saves", saves_},
          {"dirty", dirty_},
          {"lastsave_s", lastsave_s_},
          {"save_points", points},
          {"bgsave", bgsave}};
}

Json RedisPersistenceSim::Snapshot(Detail detail) const {
  const char* state = state_ == ServerState::kUp     ? "up"
                      : state_ == ServerState::kDown ? "down"
                                                     : "failed";
  Json out = {
      {"now_ms", Ms(events_.now())},
      {"server",
       {{"state", state},
        {"pid", pid_},
        {"started_ms", Ms(started_at_)},
        {"loop_blocked_until_ms",
         loop_blocked_until_ > events_.now() ? Ms(loop_blocked_until_) : Json()}}},
      {"config", ConfigJson()},
      {"writes",
       {{"last_seq", next_seq_ - 1},
        {"acked", acked_->Count()},
        {"alive", alive_->Count()},
        {"awaiting_reply", awaiting_reply_.size()}}},
      {"at_risk", {{"process_crash", AtRisk(false)}, {"power_loss", AtRisk(true)}}},
      {"aof", AofJson(detail)},
      {"rdb", RdbJson()},
      {"last_crash", last_crash_},
      {"last_restart", last_restart_}};
  out["stream"] = nullptr;
  if (stream_) {
    out["stream"] = {{"rate", stream_->rate},
                     {"pattern", stream_->pattern},
                     {"keys", stream_->keys},
                     {"until_ms", stream_->until >= 0 ? Ms(stream_->until) : Json()},
                     {"sent", stream_->sent}};
  }
  Json log = Json::array();
  const auto& entries = events_.log().entries();
  const size_t skip = entries.size() > kLogShown ? entries.size() - kLogShown : 0;
  for (size_t i = skip; i < entries.size(); ++i) {
    log.push_back({{"t_ms", Ms(entries[i].time)}, {"text", entries[i].text}});
  }
  out["log"] = std::move(log);
  if (detail == Detail::kFull) {
    const bool small = db_->EntryCount() <= kMaxDumpEntries;
    out["data"] = {{"keys", db_->KeyCount()}, {"dump", small ? db_->Dump() : Json()}};
    out["series"] = series_.ToJson();
  }
  return out;
}

std::vector<uint32_t> RedisPersistenceSim::Column(std::string_view name) const {
  if (name == "ack_ms") {
    std::vector<uint32_t> out;
    out.reserve(ack_us_.size());
    for (int64_t t : ack_us_) {
      out.push_back(t < 0 ? UINT32_MAX : static_cast<uint32_t>(t / kMicrosPerMilli));
    }
    return out;
  }
  return series_.Column(name);
}

}  // namespace sdp
