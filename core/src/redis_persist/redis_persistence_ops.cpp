// The redis_persistence sim's ops: each checks everything it can refuse for
// before it changes anything.
#include <algorithm>

#include "redis_persist/persistence_state.h"
#include "sdp/redis_persistence_sim.h"

namespace sdp {

using redis_persist::AofFile;
using redis_persist::SeqSet;

namespace {

std::string Base64(std::string_view bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[v & 63] : '=');
  }
  return out;
}

}  // namespace

Result<Json> RedisPersistenceSim::Apply(const std::string& op, const Json& args) {
  if (op == "write") return Write(args);
  if (op == "stream") return StartStream(args);
  if (op == "advance") return Advance(args);
  if (op == "crash") return Crash(args);
  if (op == "restart") return Restart();
  if (op == "config_set") return SetConfig(args);
  if (op == "read_file") return ReadFile(args);
  if (op == "bgsave" || op == "bgrewriteaof") {
    if (state_ != ServerState::kUp) return Status::Invalid(op + ": " + DownMessage());
    const redis::Reply reply = op == "bgsave" ? BgsaveCommand() : BgrewriteaofCommand();
    if (reply.IsError()) return Status::Invalid(op + ": (error) " + reply.str);
    UpdateSeries();
    return Json{{"reply", reply.ToJson()}};
  }
  return Status::Invalid("unknown op \"" + op + "\"");
}

std::string RedisPersistenceSim::DownMessage() const {
  return std::string("the server is ") +
         (state_ == ServerState::kFailed ? "down: it failed to start (see the last restart)"
                                         : "down") +
         "; restart it first";
}

Status RedisPersistenceSim::CheckRoom(const char* op, uint64_t writes, uint64_t bytes) const {
  if (next_seq_ - 1 + writes > kMaxWrites) {
    return Status::Invalid(std::string(op) + ": the simulation keeps at most " +
                           std::to_string(kMaxWrites) + " writes");
  }
  const uint64_t temp = temp_incr_ ? temp_incr_->bytes.size() : 0;
  if (dir_->Bytes() + temp + aof_buf_->bytes.size() + bytes > kMaxFileBytes) {
    return Status::Invalid(std::string(op) + ": the AOF would exceed the simulation's " +
                           std::to_string(kMaxFileBytes) + " bytes; run bgrewriteaof");
  }
  return Status::Ok();
}

Result<Json> RedisPersistenceSim::Write(const Json& args) {
  auto split = redis::SplitCommandLine(args["line"].get<std::string>());
  if (!split.ok()) return Status::Invalid("write: field \"line\": " + split.message());
  const redis::Argv& argv = split.value();
  if (argv.empty()) return Status::Invalid("write: field \"line\": no command in the line");
  if (state_ != ServerState::kUp) return Status::Invalid("write: " + DownMessage());
  const std::string name = Lower(argv[0]);
  if ((name == "bgsave" || name == "bgrewriteaof") && argv.size() == 1) {
    return Apply(name, Json::object());
  }
  SDP_RETURN_IF_ERROR(CheckRoom("write", 1, redis::EncodeCommand(argv).size() + 64));
  Json result;
  ExecuteWrite(argv, &result);
  if (result["reply"]["type"] == "error") {
    return Status::Invalid("write: field \"line\": (error) " +
                           result["reply"]["value"].get<std::string>());
  }
  events_.AdvanceTo(events_.now(), this);  // this loop iteration: flush, maybe reply
  UpdateSeries();
  const SimTime now = events_.now();
  if (result["seq"].is_null()) {
    result["acked"] = true;
    result["ack_ms"] = now / kMicrosPerMilli;
    result["ack_expected_ms"] = nullptr;
    return result;
  }
  const int64_t ack = ack_us_[result["seq"].get<uint64_t>() - 1];
  result["acked"] = ack >= 0;
  result["ack_ms"] = ack >= 0 ? Json(ack / kMicrosPerMilli) : Json(nullptr);
  // Not acked yet: an always-fsync holds the loop. If this write's own loop
  // pass has run, its reply waits for that fsync; if not, for the next one.
  const SimTime expected = iteration_pending_
                               ? loop_blocked_until_ + config_.fsync_ms * kMicrosPerMilli
                               : loop_blocked_until_;
  result["ack_expected_ms"] = ack >= 0 ? Json(nullptr) : Json(expected / kMicrosPerMilli);
  return result;
}

Result<Json> RedisPersistenceSim::StartStream(const Json& args) {
  const int64_t rate = args["rate"].get<int64_t>();
  const int64_t duration = args.value("duration_ms", int64_t{0});
  if (duration > 0 && events_.now() / kMicrosPerMilli + duration > kMaxTimeMs) {
    return Status::Invalid("stream: field \"duration_ms\": the stream would end after " +
                           std::to_string(kMaxTimeMs) + " ms of simulated time");
  }
  if (!stream_) stream_ = std::make_unique<Stream>();
  stream_->rate = rate;
  stream_->pattern = args.value("pattern", stream_->pattern);
  stream_->keys = args.value("keys", stream_->keys);
  stream_->start = events_.now();
  stream_->until = duration > 0 ? events_.now() + duration * kMicrosPerMilli : -1;
  stream_->index = 0;
  ++stream_->generation;
  ScheduleStreamArrival();
  return Json{{"rate", rate},
              {"pattern", stream_->pattern},
              {"keys", stream_->keys},
              {"until_ms", stream_->until >= 0 ? Json(stream_->until / kMicrosPerMilli) : Json()}};
}

Result<Json> RedisPersistenceSim::Advance(const Json& args) {
  const int64_t ms = args["ms"].get<int64_t>();
  if (events_.now() / kMicrosPerMilli + ms > kMaxTimeMs) {
    return Status::Invalid("advance: field \"ms\": the simulation stops at " +
                           std::to_string(kMaxTimeMs) + " ms");
  }
  const uint64_t log_from = events_.log().total_appended();
  const uint64_t acked_before = acked_->Count(), fsyncs_before = fsyncs_;
  work_ += events_.AdvanceTo(events_.now() + ms * kMicrosPerMilli, this);
  UpdateSeries();
  return Json{{"now_ms", events_.now() / kMicrosPerMilli},
              {"acked", acked_->Count() - acked_before},
              {"fsyncs", fsyncs_ - fsyncs_before},
              {"log", LogSince(log_from)}};
}

Result<Json> RedisPersistenceSim::Crash(const Json& args) {
  const bool power = args["kind"].get<std::string>() == "power";
  const auto torn_bytes = static_cast<uint64_t>(args.value("torn_bytes", int64_t{0}));
  const bool up = state_ == ServerState::kUp;
  if (!up && !power) {
    return Status::Invalid(
        "crash: field \"kind\": the server is already down; only a power loss can still change "
        "what is on disk");
  }
  const uint64_t log_from = events_.log().total_appended();
  Json out = {{"kind", power ? "power" : "process"},
              {"at_ms", events_.now() / kMicrosPerMilli},
              {"acked_last_seq", acked_->Max()},
              {"aof_buffer_bytes", aof_buf_->bytes.size()},
              {"children_killed", Json::array()},
              {"torn", nullptr}};
  if (up || !crash_) {
    crash_ = std::make_unique<CrashFacts>();
    crash_->at = events_.now();
    crash_->alive = *alive_;
    for (const auto& r : aof_buf_->records) {
      if (r.seq != 0) {
        crash_->buffer_first_seq = r.seq;
        break;
      }
    }
  }
  if (up) {
    if (child_) out["children_killed"].push_back(child_->rdb ? "bgsave" : "bgrewriteaof");
    child_.reset();
    if (aof_state_ == AofState::kWaitRewrite) {  // the temporary incr file is in no manifest
      temp_incr_.reset();
      aof_buf_->Clear();
    }
  }
  crash_->power = crash_->power || power;
  // The command a torn write cuts: the first one that does not survive, in
  // the manifest's order of files.
  std::string torn_source;
  uint64_t torn_seq = 0;
  AofFile* torn_file = nullptr;
  if (power) {
    uint64_t lost_bytes = 0;
    for (AofFile* f : dir_->Files()) {
      const size_t k = f->FirstRecordEndingAfter(f->durable);
      for (size_t i = k; i < f->records.size(); ++i) {
        if (f->records[i].seq != 0) {
          crash_->unsynced_first_seq = std::min(crash_->unsynced_first_seq, f->records[i].seq);
          break;
        }
      }
      if (torn_file == nullptr && k < f->records.size() && f->records[k].offset >= f->durable) {
        torn_source = f->bytes.substr(f->records[k].offset, f->records[k].length);
        torn_seq = f->records[k].seq;
        torn_file = f;
      }
      lost_bytes += f->bytes.size() - f->durable;
      f->CutTo(f->durable);
      f->dirty_since = -1;
    }
    out["page_cache_bytes_lost"] = lost_bytes;
  } else if (!aof_buf_->records.empty()) {
    const auto& r = aof_buf_->records.front();
    torn_source = aof_buf_->bytes.substr(r.offset, r.length);
    torn_seq = r.seq;
    torn_file = Current();
  }
  if (torn_bytes > 0 && !dir_->Empty()) {
    if (!torn_source.empty() && torn_file != nullptr) {
      const uint64_t n = std::min<uint64_t>(torn_bytes, torn_source.size() - 1);
      torn_file->AppendTorn(torn_source, torn_seq, n);
      if (power) torn_file->MarkDurable(torn_file->bytes.size());
      if (!power && torn_file->dirty_since < 0) torn_file->dirty_since = events_.now();
      out["torn"] = {{"file", torn_file->name},
                     {"seq", torn_seq ? Json(torn_seq) : Json()},
                     {"kept_bytes", n},
                     {"of_bytes", torn_source.size()}};
      crash_->torn_seq = torn_seq;
    } else {
      out["torn"] = {{"file", nullptr}, {"seq", nullptr}, {"kept_bytes", 0}, {"of_bytes", 0},
                     {"note", "nothing to tear: every command written survives this crash"}};
    }
  }
  aof_buf_->Clear();
  awaiting_reply_.clear();
  bio_busy_ = false;
  iteration_pending_ = false;
  loop_blocked_until_ = events_.now();
  if (up) {
    ++epoch_;
    state_ = ServerState::kDown;
  }
  ScheduleWriteback();
  Log(std::string("[sim] crash: ") +
      (power ? "power loss, the page cache is gone" : "kill -9 of the server process"));
  out["file_bytes"] = dir_->Bytes();
  out["log"] = LogSince(log_from);
  last_crash_ = out;
  UpdateSeries();
  return out;
}

Result<Json> RedisPersistenceSim::Restart() {
  if (state_ == ServerState::kUp && aof_state_ == AofState::kWaitRewrite) {
    return Status::Invalid(
        "restart: the server is writing its initial AOF (appendonly was just turned on) and "
        "Redis refuses SHUTDOWN then (\"Writing initial AOF, can't exit.\"); advance until the "
        "rewrite is done, or crash it");
  }
  Json shutdown = nullptr;
  if (state_ == ServerState::kUp) shutdown = Shutdown();
  Json out = Boot();
  out["shutdown"] = shutdown;
  last_restart_ = out;
  return out;
}

Result<Json> RedisPersistenceSim::SetConfig(const Json& args) {
  Config next = config_;
  Json changed = Json::array();
  const auto yes = [&](const char* name, bool current) {
    return args.contains(name) ? args[name].get<std::string>() == "yes" : current;
  };
  if (args.contains("save")) {
    auto points = ParseSavePoints(args["save"].get<std::string>(), "save");
    if (!points.ok()) return Status::Invalid("config_set: " + points.message());
    next.save = args["save"].get<std::string>();
    next.save_points = points.value();
  }
  next.appendonly = yes("appendonly", next.appendonly);
  next.aof_use_rdb_preamble = yes("aof_use_rdb_preamble", next.aof_use_rdb_preamble);
  next.aof_load_truncated = yes("aof_load_truncated", next.aof_load_truncated);
  if (args.contains("appendfsync")) {
    const std::string f = args["appendfsync"].get<std::string>();
    next.appendfsync = f == "always" ? Config::Fsync::kAlways
                       : f == "no"   ? Config::Fsync::kNo
                                     : Config::Fsync::kEverysec;
  }
  next.fsync_ms = args.value("fsync_ms", next.fsync_ms);
  next.child_ms = args.value("child_ms", next.child_ms);
  next.child_ms_per_1000_keys = args.value("child_ms_per_1000_keys", next.child_ms_per_1000_keys);
  next.dirty_expire_ms = args.value("dirty_expire_ms", next.dirty_expire_ms);
  next.writeback_interval_ms = args.value("writeback_interval_ms", next.writeback_interval_ms);
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (it.key() != "op") changed.push_back(it.key());
  }
  const bool turn_on = next.appendonly && !config_.appendonly;
  const bool turn_off = !next.appendonly && config_.appendonly;
  config_ = next;
  if (state_ == ServerState::kUp && turn_on) StartAppendOnly();
  if (state_ == ServerState::kUp && turn_off) StopAppendOnly();
  UpdateSeries();
  return Json{{"changed", changed}, {"config", ConfigJson()}};
}

void RedisPersistenceSim::StartAppendOnly() {
  aof_state_ = AofState::kWaitRewrite;
  if (child_ && child_->rdb) {
    rewrite_scheduled_ = true;
    Log("AOF was enabled but there is already another background operation. An AOF background "
        "was scheduled to start when possible.");
  } else {
    if (child_) {
      Log("AOF was enabled but there is already an AOF rewriting in background. Stopping "
          "background AOF and starting a rewrite now.");
      child_.reset();
    }
    StartChild(false);
  }
  aof_last_fsync_s_ = UnixTime();
}

void RedisPersistenceSim::StopAppendOnly() {
  FlushAof(true);
  if (AofFile* f = Current()) f->MarkDurable(f->bytes.size());
  temp_incr_.reset();  // wait_rewrite: the manifest never named it
  if (child_ && !child_->rdb) {
    Log("Killing running AOF rewrite child: " + std::to_string(child_->pid));
    child_.reset();
  }
  aof_state_ = AofState::kOff;
  rewrite_scheduled_ = false;
  aof_selected_ = false;
  aof_buf_->Clear();
}

Result<Json> RedisPersistenceSim::ReadFile(const Json& args) const {
  const std::string name = args["name"].get<std::string>();
  Json out = {{"name", name}};
  if (name == "dump.rdb") {
    out["exists"] = rdb_->exists;
    out["bytes"] = rdb_->bytes.size();
    out["durable_bytes"] = rdb_->bytes.size();
    out["base64"] = Base64(rdb_->bytes);
    return out;
  }
  // appendonlydir: the manifest and the files it names (a temporary incr
  // file of a first rewrite is not named, so not read).
  out["exists"] = !dir_->Empty();
  out["manifest"] = dir_->Manifest();
  out["files"] = Json::array();
  for (const AofFile* f : dir_->Files()) {
    out["files"].push_back({{"name", f->name},
                            {"bytes", f->bytes.size()},
                            {"durable_bytes", f->durable},
                            {"base64", Base64(f->bytes)}});
  }
  return out;
}

}  // namespace sdp
