// The redis_persistence sim's forked children: BGSAVE and BGREWRITEAOF, as
// rdb.c / aof.c start them and as serverCron collects them.
#include "redis_persist/persistence_state.h"
#include "sdp/redis_persistence_sim.h"

namespace sdp {

using redis_persist::AofFile;

namespace {

std::string Seconds(SimTime t) { return std::to_string(t / kMicrosPerSecond); }

}  // namespace

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
    // rewriteAppendOnlyFileBackground: flush, then a fresh SELECT for the tail.
    FlushAof(true);
    aof_selected_ = false;
    if (aof_state_ == AofState::kWaitRewrite) {
      // The tail goes to a temporary file; the old AOF (if any) stays on disk.
      aof_stale_ = std::move(aof_);
      aof_ = std::make_unique<AofFile>();
      aof_->exists = true;
      aof_->generation = ++file_generation_;
    }
    child->tail_start = aof_->bytes.size();
    child->bytes_before = aof_stale_ ? aof_stale_->bytes.size() : aof_->bytes.size();
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
    events_.ScheduleAt(child->done_at, "", [this, epoch, pid] {
      if (!Alive(epoch) || !child_ || child_->pid != pid) return;
      *rdb_ = RdbFile{true, child_->bytes, child_->seqs, child_->keys, child_->fork_at,
                      events_.now()};
      Log("DB saved on disk");
      UpdateSeries();
    });
  }
  child_ = std::move(child);
}

void RedisPersistenceSim::FinishChild() {
  std::unique_ptr<Child> child = std::move(child_);
  if (child->rdb) {
    dirty_ = dirty_ > dirty_at_fork_ ? dirty_ - dirty_at_fork_ : 0;
    lastsave_s_ = UnixTime();
    ++saves_;
    Log("Background saving terminated with success");
    return;
  }
  const uint64_t tail_bytes = aof_->bytes.size() - child->tail_start;
  aof_->Rebase(child->tail_start, std::move(child->bytes), child->preamble, child->keys,
               child->seqs);
  aof_->generation = ++file_generation_;
  aof_stale_.reset();
  if (aof_state_ == AofState::kWaitRewrite) aof_state_ = AofState::kOn;
  last_rewrite_ = {{"fork_ms", child->fork_at / kMicrosPerMilli},
                   {"done_ms", events_.now() / kMicrosPerMilli},
                   {"bytes_before", child->bytes_before},
                   {"bytes_after", aof_->bytes.size()},
                   {"base_bytes", aof_->base_length},
                   {"tail_bytes", tail_bytes}};
  Log("Background AOF rewrite terminated with success");
  Log("Background AOF rewrite finished successfully (" + std::to_string(child->bytes_before) +
      " -> " + std::to_string(aof_->bytes.size()) + " bytes, started at " +
      Seconds(child->fork_at) + " s)");
  ScheduleWriteback();
}

}  // namespace sdp
