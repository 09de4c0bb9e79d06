// The redis_persistence sim's forked children: BGSAVE and BGREWRITEAOF, as
// rdb.c / aof.c start them and as serverCron collects them.
#include "redis_persist/persistence_state.h"
#include "sdp/redis_persistence_sim.h"

namespace sdp {

using redis_persist::AofFile;

redis::Reply RedisPersistenceSim::BgsaveCommand() {
  if (child_ && child_->rdb) return redis::Reply::Error("ERR Background save already in progress");
  if (child_) {
    return redis::Reply::Error(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
        "SCHEDULE in order to schedule a BGSAVE whenever possible.");
  }
  StartChild(true);
  return redis::Reply::Status("Background saving started");
}

redis::Reply RedisPersistenceSim::BgrewriteaofCommand() {
  if (child_ && !child_->rdb) {
    return redis::Reply::Error("ERR Background append only file rewriting already in progress");
  }
  if (child_) {
    rewrite_scheduled_ = true;
    return redis::Reply::Status("Background append only file rewriting scheduled");
  }
  StartChild(false);
  return redis::Reply::Status("Background append only file rewriting started");
}

void RedisPersistenceSim::StartChild(bool rdb) {
  auto child = std::make_unique<Child>();
  child->rdb = rdb;
  child->pid = ++child_pid_;
  child->fork_at = events_.now();
  const redis::DataSet data = redis::DataSetFromDb(*db_);
  child->keys = data.size();
  child->seqs = *alive_;
  if (rdb) {
    child->bytes = redis::EncodeRdb(data, false);
    dirty_at_fork_ = dirty_;
    Log("Background saving started by pid " + std::to_string(child->pid));
  } else {
    // rewriteAppendOnlyFileBackground: flush, force a SELECT, then
    // openNewIncrAofForAppend.
    FlushAof(true);
    aof_selected_ = false;
    child->bytes_before = dir_->Bytes();
    if (aof_state_ == AofState::kWaitRewrite) {
      // A temporary incr file accumulates the writes; the manifest (and the
      // files it names, if any) stays as it is until the rewrite is done.
      temp_incr_ = std::make_unique<AofFile>();
      temp_incr_->name = "temp-appendonly.aof.incr";
      temp_incr_->exists = true;
      temp_incr_->generation = ++file_generation_;
      Log("Creating AOF incr file " + temp_incr_->name + " on background rewrite");
    } else if (aof_state_ == AofState::kOn) {
      // A new incr file goes into the manifest (persisted with fsync); the old
      // one is fsynced and closed by a bio job under every appendfsync policy
      // (aof_background_fsync_and_close).
      AofFile* old = Current();
      NewIncrFile("appendonly.aof." + std::to_string(++dir_->incr_seq) + ".incr.aof");
      Log("Creating AOF incr file " + dir_->incrs.back()->name + " on background rewrite");
      if (old != nullptr) {
        ++fsyncs_;
        series_.AdvanceTo(events_.now());
        series_.Count(1);
        const uint64_t generation = old->generation, upto = old->bytes.size();
        // The bio thread dies with the process: a crash before the job ran
        // leaves the old file as the page cache and the disk had it.
        const uint64_t epoch = epoch_;
        events_.ScheduleAt(events_.now() + config_.fsync_ms * kMicrosPerMilli, "",
                           EventQueue::For<RedisPersistenceSim>(
                               [epoch, generation, upto](RedisPersistenceSim& self) {
                                 if (epoch != self.epoch_) return;
                                 if (AofFile* f = self.FindFile(generation)) f->MarkDurable(upto);
                                 self.UpdateSeries();
                               }));
      }
      aof_fsync_offset_ = 0;
      aof_last_fsync_s_ = UnixTime();
    }
    child->preamble = config_.aof_use_rdb_preamble;
    if (child->preamble) {
      child->bytes = redis::EncodeRdb(data, true);
    } else if (!data.empty()) {
      child->bytes = redis::EncodeCommand({"SELECT", "0"});
      for (const redis::Argv& argv : db_->RewriteCommands()) child->bytes += redis::EncodeCommand(argv);
    }
    Log("Background append only file rewriting started by pid " + std::to_string(child->pid));
  }
  const int64_t ms = config_.child_ms + config_.child_ms_per_1000_keys *
                                            static_cast<int64_t>(child->keys) / 1000;
  child->done_at = events_.now() + ms * kMicrosPerMilli;
  work_ += child->bytes.size() / 64 + child->keys;
  if (rdb) {
    // The child fsyncs and renames dump.rdb itself, before the parent notices.
    const uint64_t epoch = epoch_;
    const uint32_t pid = child->pid;
    events_.ScheduleAt(
        child->done_at, "",
        EventQueue::For<RedisPersistenceSim>([epoch, pid](RedisPersistenceSim& self) {
          if (!self.Alive(epoch) || !self.child_ || self.child_->pid != pid) return;
          const Child& done = *self.child_;
          *self.rdb_ =
              RdbFile{true, done.bytes, done.seqs, done.keys, done.fork_at, self.events_.now()};
          self.Log("DB saved on disk");
          self.UpdateSeries();
        }));
  }
  child_ = std::move(child);
}

void RedisPersistenceSim::FinishChild() {
  DeepPtr<Child> child = std::move(child_);
  if (child->rdb) {
    dirty_ = dirty_ > dirty_at_fork_ ? dirty_ - dirty_at_fork_ : 0;
    lastsave_s_ = UnixTime();
    ++saves_;
    Log("Background saving terminated with success");
    return;
  }
  // backgroundRewriteDoneHandler: the temporary base becomes the new base,
  // the incr files it covers become history and are deleted in the background.
  Log("Background AOF rewrite terminated with success");
  const std::string temp_base = "temp-rewriteaof-bg-" + std::to_string(child->pid) + ".aof";
  std::vector<std::string> history;
  const bool writing = aof_state_ != AofState::kOff;
  auto base = std::make_unique<AofFile>();
  base->name = "appendonly.aof." + std::to_string(++dir_->base_seq) + ".base." +
               (child->preamble ? "rdb" : "aof");
  base->ResetTo(std::move(child->bytes), child->preamble, child->keys, child->seqs);
  base->generation = ++file_generation_;
  Log("Successfully renamed the temporary AOF base file " + temp_base + " into " + base->name);
  std::vector<DeepPtr<AofFile>> incrs = std::move(dir_->incrs);
  dir_->incrs.clear();
  if (aof_state_ == AofState::kWaitRewrite) {
    temp_incr_->name = "appendonly.aof." + std::to_string(++dir_->incr_seq) + ".incr.aof";
    Log("Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into " +
        temp_incr_->name);
    incrs.push_back(std::move(temp_incr_));
  }
  // markRewrittenIncrAofAsHistory keeps the file being written (the last).
  if (writing && !incrs.empty()) {
    dir_->incrs.push_back(std::move(incrs.back()));
    incrs.pop_back();
  }
  for (const auto& f : incrs) history.push_back(f->name);
  if (dir_->base) history.push_back(dir_->base->name);
  dir_->base = std::move(base);
  for (const std::string& name : history) Log("Removing the history file " + name + " in the background");
  if (aof_state_ == AofState::kWaitRewrite) aof_state_ = AofState::kOn;
  if (writing) {
    aof_selected_ = false;  // "Make sure SELECT is re-issued"
    aof_fsync_offset_ = Current()->bytes.size();
    aof_last_fsync_s_ = UnixTime();
  }
  const uint64_t incr_bytes = writing ? Current()->bytes.size() : 0;
  last_rewrite_ = {{"fork_ms", child->fork_at / kMicrosPerMilli},
                   {"done_ms", events_.now() / kMicrosPerMilli},
                   {"bytes_before", child->bytes_before},
                   {"bytes_after", dir_->Bytes()},
                   {"base_bytes", dir_->base->bytes.size()},
                   {"tail_bytes", incr_bytes}};
  Log("Background AOF rewrite finished successfully");
  ScheduleWriteback();
}

}  // namespace sdp
