// The event loop of the redis_persistence sim: beforeSleep's
// flushAppendOnlyFile (aof.c), the bio fsync thread, serverCron at hz 10
// (children, save points), the kernel's writeback, and the write stream.
#include <algorithm>

#include "redis_persist/persistence_state.h"
#include "sdp/redis_persistence_sim.h"

namespace sdp {

using Fsync = RedisPersistenceConfig::Fsync;
using redis_persist::AofFile;

void RedisPersistenceSim::ScheduleIteration() {
  if (iteration_pending_) return;
  iteration_pending_ = true;
  const uint64_t epoch = epoch_;
  events_.ScheduleAt(std::max(events_.now(), loop_blocked_until_), "",
                     EventQueue::For<RedisPersistenceSim>([epoch](RedisPersistenceSim& self) {
                       if (!self.Alive(epoch)) return;
                       self.iteration_pending_ = false;
                       self.BeforeSleep();
                     }));
}

void RedisPersistenceSim::BeforeSleep() {
  ++work_;
  if (events_.now() < loop_blocked_until_) {  // an fsync holds the main thread
    ScheduleIteration();
    return;
  }
  const SimTime reply_at = FlushAof(false);
  if (awaiting_reply_.empty()) return;
  std::vector<uint64_t> seqs;
  seqs.swap(awaiting_reply_);
  if (reply_at == events_.now()) {
    SendReplies(reply_at, seqs);
    return;
  }
  const uint64_t epoch = epoch_;
  events_.ScheduleAt(reply_at, "",
                     EventQueue::For<RedisPersistenceSim>([epoch, seqs](RedisPersistenceSim& self) {
                       if (self.Alive(epoch)) self.SendReplies(self.events_.now(), seqs);
                     }));
}

SimTime RedisPersistenceSim::FlushAof(bool force) {
  const SimTime now = events_.now();
  const int64_t unix_s = UnixTime();
  const Fsync policy = config_.appendfsync;
  if (aof_state_ == AofState::kOff || Current() == nullptr) return now;
  AofFile& file = *Current();
  bool sync_in_progress = false;
  if (aof_buf_->bytes.empty()) {
    // 7.0: fsync what is written even when no new command came in: everysec
    // once a second, and (since 7.0.12) always at once, e.g. after CONFIG SET
    // appendfsync always while idle.
    const bool pending = aof_fsync_offset_ != file.bytes.size();
    if (!(policy == Fsync::kEverysec && pending && unix_s > aof_last_fsync_s_ && !bio_busy_) &&
        !(policy == Fsync::kAlways && pending)) {
      return now;
    }
  } else {
    if (policy == Fsync::kEverysec) sync_in_progress = bio_busy_;
    if (policy == Fsync::kEverysec && !force && sync_in_progress) {
      if (postponed_start_s_ < 0) {
        postponed_start_s_ = unix_s;
        ++postponed_;
        return now;
      }
      if (unix_s - postponed_start_s_ < 2) return now;
      ++delayed_fsync_;
      Log("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer "
          "without waiting for fsync to complete, this may slow down Redis.");
    }
    file.Append(*aof_buf_, now);
    work_ += aof_buf_->records.size();
    aof_buf_->Clear();
    postponed_start_s_ = -1;
    ScheduleWriteback();
  }
  // try_fsync:
  if (policy == Fsync::kAlways) {
    const uint64_t upto = file.bytes.size();
    aof_fsync_offset_ = upto;
    aof_last_fsync_s_ = unix_s;
    ++fsyncs_;
    series_.AdvanceTo(now);
    series_.Count(1);
    const SimTime done = now + config_.fsync_ms * kMicrosPerMilli;
    if (done == now) {
      file.MarkDurable(upto);
      return now;
    }
    loop_blocked_until_ = done;
    const uint64_t epoch = epoch_, generation = file.generation;
    events_.ScheduleAt(
        done, "",
        EventQueue::For<RedisPersistenceSim>([epoch, generation, upto](RedisPersistenceSim& self) {
          if (epoch != self.epoch_) return;
          if (AofFile* f = self.FindFile(generation)) f->MarkDurable(upto);
          self.UpdateSeries();
        }));
    return done;
  }
  if (policy == Fsync::kEverysec && unix_s > aof_last_fsync_s_) {
    if (!bio_busy_) {
      StartBioFsync();
      aof_fsync_offset_ = file.bytes.size();
    }
    aof_last_fsync_s_ = unix_s;
  }
  return now;
}

void RedisPersistenceSim::StartBioFsync() {
  bio_busy_ = true;
  bio_done_at_ = events_.now() + config_.fsync_ms * kMicrosPerMilli;
  ++fsyncs_;
  series_.AdvanceTo(events_.now());
  series_.Count(1);
  const AofFile& file = *Current();
  const uint64_t epoch = epoch_, generation = file.generation, upto = file.bytes.size();
  events_.ScheduleAt(
      bio_done_at_, "",
      EventQueue::For<RedisPersistenceSim>([epoch, generation, upto](RedisPersistenceSim& self) {
        if (epoch != self.epoch_) return;  // the bio thread died with its process
        self.bio_busy_ = false;
        if (AofFile* f = self.FindFile(generation)) f->MarkDurable(upto);
        self.UpdateSeries();
      }));
}

void RedisPersistenceSim::SendReplies(SimTime at, const std::vector<uint64_t>& seqs) {
  series_.AdvanceTo(at);
  for (uint64_t seq : seqs) {
    ack_us_[seq - 1] = at;
    acked_->Add(seq);
    series_.Latency(at - exec_us_[seq - 1]);
  }
  series_.Count(0, static_cast<uint32_t>(seqs.size()));
  UpdateSeries();
}

// The flusher thread: wakes every writeback_interval_ms and writes a file
// back once it has been dirty for dirty_expire_ms. Independent of Redis.
void RedisPersistenceSim::ScheduleWriteback() {
  if (writeback_at_ >= 0) return;
  SimTime dirty_since = -1;
  for (const AofFile* f : AllFiles()) {
    if (f->dirty_since >= 0 && (dirty_since < 0 || f->dirty_since < dirty_since)) {
      dirty_since = f->dirty_since;
    }
  }
  if (dirty_since < 0) return;
  const SimTime interval = config_.writeback_interval_ms * kMicrosPerMilli;
  const SimTime expire = config_.dirty_expire_ms * kMicrosPerMilli;
  const SimTime due = std::max(events_.now(), dirty_since + expire);
  writeback_at_ = (due + interval - 1) / interval * interval;
  events_.ScheduleAt(
      writeback_at_, "", EventQueue::For<RedisPersistenceSim>([expire](RedisPersistenceSim& self) {
        self.writeback_at_ = -1;
        for (AofFile* f : self.AllFiles()) {
          const SimTime dirty_for = self.events_.now() - f->dirty_since;
          if (f->dirty_since < 0 || dirty_for < expire) continue;
          const uint64_t bytes = f->bytes.size() - f->durable;
          f->MarkDurable(f->bytes.size());
          self.Log("[sim] kernel flusher wrote back " + std::to_string(bytes) + " dirty bytes of " +
                   f->name + ", dirty for " + std::to_string(dirty_for / kMicrosPerMilli) + " ms");
        }
        self.ScheduleWriteback();
        self.UpdateSeries();
      }));
}

void RedisPersistenceSim::Cron() {
  const uint64_t epoch = epoch_;
  const auto next = EventQueue::For<RedisPersistenceSim>([epoch](RedisPersistenceSim& self) {
    if (self.Alive(epoch)) self.Cron();
  });
  if (events_.now() < loop_blocked_until_) {
    events_.ScheduleAt(loop_blocked_until_, "", next);
    return;
  }
  ++work_;
  const uint64_t written_before = Current() ? Current()->bytes.size() : 0;
  const bool had_child = child_ != nullptr;
  if (child_) {
    if (events_.now() >= child_->done_at) FinishChild();
  } else {
    CheckSavePoints();
  }
  if (!child_ && rewrite_scheduled_) {
    rewrite_scheduled_ = false;
    StartChild(false);
  }
  BeforeSleep();
  events_.ScheduleIn(kCronMs * kMicrosPerMilli, "", next);
  // Most ticks change nothing; the at-risk levels only move with the files.
  const uint64_t written_after = Current() ? Current()->bytes.size() : 0;
  if (written_after != written_before || had_child != (child_ != nullptr)) {
    UpdateSeries();
  } else {
    series_.AdvanceTo(events_.now());
  }
}

void RedisPersistenceSim::CheckSavePoints() {
  for (const RedisPersistenceConfig::SavePoint& sp : config_.save_points) {
    if (static_cast<int64_t>(dirty_) >= sp.changes && UnixTime() - lastsave_s_ > sp.seconds) {
      Log(std::to_string(sp.changes) + " changes in " + std::to_string(sp.seconds) +
          " seconds. Saving...");
      StartChild(true);
      return;
    }
  }
}

// --- the write stream -----------------------------------------------------

void RedisPersistenceSim::ScheduleStreamArrival() {
  if (!stream_ || stream_->rate <= 0 || state_ != ServerState::kUp) return;
  const SimTime at = stream_->start + static_cast<SimTime>(stream_->index) * kMicrosPerSecond /
                                          stream_->rate;
  if (stream_->until >= 0 && at >= stream_->until) return;
  const uint64_t epoch = epoch_, generation = stream_->generation;
  events_.ScheduleAt(
      at, "", EventQueue::For<RedisPersistenceSim>([epoch, generation](RedisPersistenceSim& self) {
        self.OnStreamArrival(epoch, generation);
      }));
}

void RedisPersistenceSim::OnStreamArrival(uint64_t epoch, uint64_t generation) {
  if (!Alive(epoch) || !stream_ || stream_->generation != generation) return;
  ++stream_->index;
  if (!CheckRoom("stream", 1, 1024).ok()) {
    Log("[sim] stream stopped: the sim holds at most " + std::to_string(kMaxWrites) +
        " writes and " + std::to_string(kMaxFileBytes) + " AOF bytes");
    stream_->rate = 0;
    return;
  }
  ExecuteWrite(NextStreamCommand(), nullptr);
  ++stream_->sent;
  ScheduleStreamArrival();
}

redis::Argv RedisPersistenceSim::NextStreamCommand() {
  std::string pattern = stream_->pattern;
  if (pattern == "mixed") {
    const uint64_t pick = rng_.Below(3);
    pattern = pick == 0 ? "jobs" : pick == 1 ? "counters" : "strings";
  }
  const auto key = [this] { return std::to_string(rng_.Below(static_cast<uint64_t>(stream_->keys))); };
  if (pattern == "counters") return {"INCR", "counter:" + key()};
  if (pattern == "strings") {
    std::string k = "key:" + key();
    return {"SET", std::move(k), "v" + std::to_string(stream_->sent)};
  }
  if (rng_.Below(5) == 0) return {"ZPOPMIN", "jobs"};
  const int64_t priority = rng_.Between(1, 100);
  return {"ZADD", "jobs", std::to_string(priority), "job:" + std::to_string(++stream_->jobs)};
}

void RedisPersistenceSim::UpdateSeries() {
  series_.AdvanceTo(events_.now());
  const auto clamp = [](uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); };
  series_.SetLevel(0, clamp(AtRisk(false)));
  series_.SetLevel(1, clamp(AtRisk(true)));
}

}  // namespace sdp
