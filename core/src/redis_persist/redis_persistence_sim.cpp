// The redis_persistence sim: the server's life (start, load, shutdown) and
// the write path into aof_buf.
#include "sdp/redis_persistence_sim.h"

#include <algorithm>

#include "redis_persist/persistence_state.h"

namespace sdp {

using redis_persist::AofFile;
using redis_persist::SeqSet;

namespace {

const char* const kAofName = "appendonly.aof";  // appendfilename

// What a replayed command adds to server.dirty. zaddGenericCommand adds one
// per member added or updated: every pair of a rewritten base's ZADD (all
// its members are new); other commands count one (our model; Redis counts
// the elements they change).
uint64_t ReplayedChanges(const redis::Argv& argv) {
  if (Lower(argv[0]) != "zadd" || argv.size() < 4) return 1;
  size_t k = 2;
  for (; k < argv.size(); ++k) {
    const std::string flag = Lower(argv[k]);
    if (flag == "incr") return 1;
    if (flag != "nx" && flag != "xx" && flag != "gt" && flag != "lt" && flag != "ch") break;
  }
  return std::max<uint64_t>(1, (argv.size() - k) / 2);
}

}  // namespace

Result<std::vector<RedisPersistenceConfig::SavePoint>> ParseSavePoints(const std::string& text,
                                                                       const char* field) {
  std::vector<int64_t> numbers;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    int64_t v = 0;
    size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 10; ++i, ++digits) {
      v = v * 10 + (text[i] - '0');
    }
    if (digits == 0 || (i < text.size() && text[i] != ' ')) {
      return Status::Invalid(std::string("field \"") + field +
                             "\": Invalid save parameters (Redis syntax: pairs of <seconds> "
                             "<changes>, e.g. \"3600 1 300 100 60 10000\", or \"\" for none)");
    }
    numbers.push_back(v);
  }
  if (numbers.size() % 2 != 0 || numbers.size() > 32) {
    return Status::Invalid(std::string("field \"") + field +
                           "\": Invalid save parameters (an even count of numbers, at most 16 "
                           "<seconds> <changes> pairs)");
  }
  std::vector<RedisPersistenceConfig::SavePoint> out;
  for (size_t k = 0; k < numbers.size(); k += 2) {
    if (numbers[k] < 1) {
      return Status::Invalid(std::string("field \"") + field +
                             "\": Invalid save parameters (seconds must be at least 1)");
    }
    out.push_back({numbers[k], numbers[k + 1]});
  }
  return out;
}

RedisPersistenceSim::RedisPersistenceSim(uint64_t seed, const Config& config)
    : config_(config),
      rng_(seed),
      db_seed_(SplitMix64(seed ^ 0x5ed15ULL).Next()),
      events_(2000),
      dir_(std::make_unique<redis_persist::AofDir>()),
      aof_buf_(std::make_unique<redis_persist::AofBuffer>()),
      rdb_(std::make_unique<RdbFile>()),
      alive_(std::make_unique<SeqSet>()),
      acked_(std::make_unique<SeqSet>()),
      series_(config.bucket_ms * kMicrosPerMilli, {"acked", "fsyncs"},
              {{"at_risk_process", TimeSeries::LevelKind::kMax},
               {"at_risk_power", TimeSeries::LevelKind::kMax}},
              600) {
  state_ = ServerState::kDown;
  Boot();
}

RedisPersistenceSim::~RedisPersistenceSim() = default;
RedisPersistenceSim::RedisPersistenceSim(const RedisPersistenceSim&) = default;

void RedisPersistenceSim::Log(std::string text) { events_.Note(std::move(text)); }

// --- start, load, shutdown ------------------------------------------------

Json RedisPersistenceSim::Boot() {
  ++epoch_;
  ++pid_;
  started_at_ = events_.now();
  const uint64_t log_from = events_.log().total_appended();
  Log("Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=" + std::to_string(pid_) +
      ", just started");
  aof_buf_->Clear();
  temp_incr_.reset();
  aof_selected_ = false;
  bio_busy_ = false;
  postponed_start_s_ = -1;
  loop_blocked_until_ = events_.now();
  iteration_pending_ = false;
  awaiting_reply_.clear();
  child_.reset();
  rewrite_scheduled_ = bgsave_scheduled_ = false;
  dirty_ = 0;
  lastsave_s_ = UnixTime();
  aof_last_fsync_s_ = UnixTime();
  db_ = std::make_unique<redis::Db>(db_seed_);

  Json out = {{"started", true}, {"truncated", nullptr}};
  SeqSet loaded;
  std::vector<redis::Argv> commands;
  size_t rdb_commands = 0;
  aof_state_ = config_.appendonly ? AofState::kOn : AofState::kOff;
  if (config_.appendonly) {
    out["loaded_from"] = "aof";
    if (dir_->Empty()) {
      // AOF_NOT_EXIST: 7.0 does not fall back to dump.rdb; an empty data set.
      out["loaded_from"] = "empty";
    } else {
      Result<SeqSet> aof = LoadAof(commands, rdb_commands, out);
      if (!aof.ok()) {
        state_ = ServerState::kFailed;
        ++epoch_;
        out["started"] = false;
        out["startup_error"] = aof.message();
        out["log"] = LogSince(log_from);
        return out;
      }
      loaded = aof.value();
    }
  } else {
    out["loaded_from"] = rdb_->exists ? "rdb" : "empty";
    if (rdb_->exists) {
      auto decoded = redis::DecodeRdb(rdb_->bytes);
      SDP_CHECK(decoded.ok());  // we wrote it
      commands = redis::DataSetCommands(decoded.value().data);
      rdb_commands = commands.size();
      loaded = rdb_->seqs;
      Log("Done loading RDB, keys loaded: " + std::to_string(decoded.value().data.size()) +
          ", keys expired: 0.");
      Log("DB loaded from disk: 0.000 seconds");
    }
  }
  // Commands replayed from AOF files run through their command procs and
  // count as changes (server.dirty), as loadSingleAppendOnlyFile runs them;
  // keys read from an RDB (dump.rdb, an RDB base) do not.
  for (size_t i = 0; i < commands.size(); ++i) {
    db_->Execute(commands[i]);
    if (!db_->TakePropagated().empty() && i >= rdb_commands) dirty_ += ReplayedChanges(commands[i]);
  }
  work_ += commands.size();
  if (config_.appendonly) OpenAofOnStart();

  const bool had_crash = crash_ != nullptr;
  const SeqSet alive_before = had_crash ? crash_->alive : *alive_;
  out["lost"] = LossReport(alive_before, loaded, config_.appendonly, rdb_->exists);
  *alive_ = loaded;
  crash_.reset();
  aof_fsync_offset_ = Current() ? Current()->bytes.size() : 0;
  state_ = ServerState::kUp;
  out["keys"] = db_->KeyCount();
  Log("Ready to accept connections");
  out["log"] = LogSince(log_from);

  const uint64_t epoch = epoch_;
  events_.ScheduleIn(kCronMs * kMicrosPerMilli, "",
                     EventQueue::For<RedisPersistenceSim>([epoch](RedisPersistenceSim& self) {
                       if (self.Alive(epoch)) self.Cron();
                     }));
  if (stream_) {
    stream_->start = events_.now();
    stream_->index = 0;
    ++stream_->generation;
    ScheduleStreamArrival();
  }
  UpdateSeries();
  return out;
}

AofFile* RedisPersistenceSim::NewIncrFile(std::string name) {
  auto file = std::make_unique<AofFile>();
  file->name = std::move(name);
  file->exists = true;
  file->generation = ++file_generation_;
  dir_->incrs.push_back(std::move(file));
  return dir_->incrs.back().get();
}

void RedisPersistenceSim::OpenAofOnStart() {
  const std::string prefix = std::string(kAofName) + ".";
  if (dir_->Empty()) {
    // "If we start with an empty dataset, we will force create a BASE file."
    const bool rdb = config_.aof_use_rdb_preamble;
    dir_->base = std::make_unique<AofFile>();
    dir_->base->name = prefix + std::to_string(++dir_->base_seq) + ".base." + (rdb ? "rdb" : "aof");
    dir_->base->ResetTo(rdb ? redis::EncodeRdb({}, true) : std::string(), rdb, 0, SeqSet());
    dir_->base->generation = ++file_generation_;
    Log("Creating AOF base file " + dir_->base->name + " on server start");
  }
  if (dir_->incrs.empty()) {
    NewIncrFile(prefix + std::to_string(++dir_->incr_seq) + ".incr.aof");
    Log("Creating AOF incr file " + dir_->incrs.back()->name + " on server start");
  } else {
    Log("Opening AOF incr file " + dir_->incrs.back()->name + " on server start");
  }
}

AofFile* RedisPersistenceSim::Current() const {
  if (aof_state_ == AofState::kWaitRewrite) return temp_incr_.get();
  return dir_->incrs.empty() ? nullptr : dir_->incrs.back().get();
}

std::vector<AofFile*> RedisPersistenceSim::AllFiles() const {
  std::vector<AofFile*> files = dir_->Files();
  if (temp_incr_) files.push_back(temp_incr_.get());
  return files;
}

AofFile* RedisPersistenceSim::FindFile(uint64_t generation) const {
  for (AofFile* f : AllFiles()) {
    if (f->generation == generation) return f;
  }
  return nullptr;
}

// loadAppendOnlyFiles: the base, then every incr file, each read by
// loadSingleAppendOnlyFile. A truncated file that is not the last one is fatal.
Result<SeqSet> RedisPersistenceSim::LoadAof(std::vector<redis::Argv>& commands,
                                            size_t& rdb_commands, Json& out) {
  const std::vector<AofFile*> files = dir_->Files();
  SeqSet loaded;
  for (size_t k = 0; k < files.size(); ++k) {
    AofFile& f = *files[k];
    const bool last_file = k + 1 == files.size();
    const bool is_base = dir_->base && k == 0;
    if (f.bytes.empty()) continue;  // AOF_EMPTY
    const std::string_view file = f.bytes;
    uint64_t pos = 0;
    if (file.substr(0, 5) == "REDIS") {
      Log("Reading RDB base file on AOF loading...");
      auto rdb = redis::DecodeRdb(file);
      if (!rdb.ok()) {
        const std::string message =
            "Error reading the RDB base file " + f.name + ", AOF loading aborted";
        Log(message);
        return Status::Invalid(message);
      }
      Log("Done loading RDB, keys loaded: " + std::to_string(rdb.value().data.size()) +
          ", keys expired: 0.");
      for (redis::Argv& argv : redis::DataSetCommands(rdb.value().data)) {
        commands.push_back(std::move(argv));
      }
      rdb_commands = commands.size();
      pos = rdb.value().length;
    }
    const redis_persist::AofTailParse tail = redis_persist::ParseAofTail(file, pos);
    if (tail.format_error) {
      const std::string message = "Bad file format reading the append only file " + f.name +
                                  ": make a backup of your AOF file, then use ./redis-check-aof "
                                  "--fix <filename.manifest>";
      Log(message);
      return Status::Invalid(message);
    }
    // Replay with MULTI/EXEC queued as Redis's fake client does; valid_up_to
    // starts at 0 as in loadSingleAppendOnlyFile.
    uint64_t valid_up_to = 0, valid_before_multi = 0, loaded_end = pos;
    bool in_multi = false;
    std::vector<redis::Argv> queued;
    for (size_t i = 0; i < tail.commands.size(); ++i) {
      const redis::Argv& argv = tail.commands[i];
      const std::string name = Lower(argv[0]);
      if (name == "multi") {
        valid_before_multi = valid_up_to;
        in_multi = true;
      } else if (name == "exec") {
        for (redis::Argv& q : queued) commands.push_back(std::move(q));
        queued.clear();
        in_multi = false;
        loaded_end = tail.ends[i];
      } else if (in_multi) {
        queued.push_back(argv);
      } else {
        if (name != "select") commands.push_back(argv);
        loaded_end = tail.ends[i];
      }
      valid_up_to = tail.ends[i];
    }
    loaded = SeqSet::Union(loaded, f.Survivors(loaded_end));
    if (in_multi && !tail.truncated) {
      Log("Revert incomplete MULTI/EXEC transaction in AOF file " + f.name);
      valid_up_to = valid_before_multi;
    }
    if (tail.truncated || in_multi) {
      if (!config_.aof_load_truncated) {
        const std::string message =
            "Unexpected end of file reading the append only file " + f.name +
            ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix "
            "<filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' "
            "configuration option to yes and restart the server.";
        Log(message);
        return Status::Invalid(message);
      }
      Log("!!! Warning: short read while loading the AOF file " + f.name + "!!!");
      Log("!!! Truncating the AOF " + f.name + " at offset " + std::to_string(valid_up_to) +
          " !!!");
      Log("AOF " + f.name + " loaded anyway because aof-load-truncated is enabled");
      out["truncated"] = {{"file", f.name},
                          {"at_offset", valid_up_to},
                          {"dropped_bytes", f.bytes.size() - valid_up_to}};
      f.CutTo(valid_up_to);
      if (!last_file) {
        const std::string message = "Fatal error: the truncated file is not the last file";
        Log(message);
        return Status::Invalid(message);
      }
    }
    Log(std::string("DB loaded from ") + (is_base ? "base" : "incr") + " file " + f.name +
        ": 0.000 seconds");
  }
  Log("DB loaded from append only file: 0.000 seconds");
  return loaded;
}

Json RedisPersistenceSim::Shutdown() {
  const uint64_t log_from = events_.log().total_appended();
  Log("User requested shutdown...");
  if (child_) {
    Log(child_->rdb ? "There is a child saving an .rdb. Killing it!"
                    : "There is a child rewriting the AOF. Killing it!");
    child_.reset();
  }
  if (aof_state_ != AofState::kOff) {
    Log("Calling fsync() on the AOF file.");
    FlushAof(true);
    if (AofFile* f = Current()) f->MarkDurable(f->bytes.size());
  }
  if (!config_.save_points.empty()) {
    Log("Saving the final RDB snapshot before exiting.");
    const redis::DataSet data = redis::DataSetFromDb(*db_);
    *rdb_ = RdbFile{true, redis::EncodeRdb(data, false), *alive_, data.size(), events_.now(),
                    events_.now()};
    ++saves_;
    Log("DB saved on disk");
  }
  Log("Redis is now ready to exit, bye bye...");
  ++epoch_;
  state_ = ServerState::kDown;
  return {{"saved_rdb", !config_.save_points.empty()}, {"log", LogSince(log_from)}};
}

// --- the write path -------------------------------------------------------

void RedisPersistenceSim::ExecuteWrite(const redis::Argv& argv, Json* result) {
  redis::Reply reply = db_->Execute(argv);
  std::vector<redis::Argv> propagated = db_->TakePropagated();
  work_ += 8;  // execute, encode, flush, reply, the at-risk sets: ~2 us natively
  if (result != nullptr) {
    (*result)["reply"] = reply.ToJson();
    (*result)["resp"] = reply.ToResp();
    (*result)["seq"] = nullptr;
  }
  if (propagated.empty()) return;
  const uint64_t seq = next_seq_++;
  ack_us_.push_back(-1);
  exec_us_.push_back(events_.now());
  alive_->Add(seq);
  ++dirty_;
  if (aof_state_ == AofState::kOn ||
      (aof_state_ == AofState::kWaitRewrite && child_ && !child_->rdb)) {
    AppendToAofBuffer(std::move(propagated), seq);
  }
  awaiting_reply_.push_back(seq);
  if (result != nullptr) (*result)["seq"] = seq;
  ScheduleIteration();
}

void RedisPersistenceSim::AppendToAofBuffer(std::vector<redis::Argv> commands, uint64_t seq) {
  if (!aof_selected_) {
    aof_buf_->Add(redis::EncodeCommand({"SELECT", "0"}), 0);
    aof_selected_ = true;
  }
  // 7.0 wraps a command that propagates several in MULTI/EXEC.
  const bool wrap = commands.size() > 1;
  if (wrap) aof_buf_->Add(redis::EncodeCommand({"MULTI"}), seq);
  for (const redis::Argv& argv : commands) aof_buf_->Add(redis::EncodeCommand(argv), seq);
  if (wrap) aof_buf_->Add(redis::EncodeCommand({"EXEC"}), seq);
}

}  // namespace sdp
