#include "sdp/cap/cluster.h"

#include <algorithm>
#include <set>
#include <utility>

#include "sdp/status.h"

namespace sdp::cap {

namespace {

std::string ReplicaName(uint32_t i) { return "r" + std::to_string(i + 1); }

}  // namespace

const char* StanceName(Stance stance) {
  switch (stance) {
    case Stance::kCp: return "cp";
    case Stance::kAp: return "ap";
    case Stance::kCacheFallback: return "cache_fallback";
    case Stance::kCacheFail: return "cache_fail";
  }
  return "?";
}

const char* ConflictName(Conflict conflict) { return conflict == Conflict::kLww ? "lww" : "vclock"; }

const char* OpStatusName(OpStatus status) {
  switch (status) {
    case OpStatus::kInFlight: return "in_flight";
    case OpStatus::kOk: return "ok";
    case OpStatus::kRefused: return "refused";
    case OpStatus::kUnknown: return "unknown";
  }
  return "?";
}

// A stored value. `stamp` orders versions: CP's (counter, replica) as ABD,
// AP's (time of the write, replica) for last-writer-wins; the op id breaks
// what ties remain. `clock` (AP only) says which writes the writer had seen.
struct Cluster::Version {
  int64_t value = kInitialValue;
  int64_t major = -1;  // -1: the initial value, older than every write
  uint32_t replica = 0;
  uint32_t write = kNoWrite;
  std::vector<uint32_t> clock;
  uint32_t dot = 0;  // vclock: this version's counter at `replica`; `clock` is then its writer's context

  // Vclock: this version's context has seen `o` (covers o's dot).
  bool Covers(const Version& o) const { return o.replica < clock.size() && clock[o.replica] >= o.dot; }
  // Vclock: the context plus this version's own dot.
  void JoinInto(std::vector<uint32_t>& joined) const {
    for (size_t i = 0; i < clock.size() && i < joined.size(); ++i) joined[i] = std::max(joined[i], clock[i]);
    joined[replica] = std::max(joined[replica], dot);
  }

  bool NewerThan(const Version& o) const {
    if (major != o.major) return major > o.major;
    if (replica != o.replica) return replica > o.replica;
    return write != o.write && (o.write == kNoWrite || (write != kNoWrite && write > o.write));
  }
  // Every write this version's writer had seen, `o` had seen too.
  bool ClockAtMost(const Version& o) const {
    for (size_t i = 0; i < clock.size(); ++i) {
      if (clock[i] > (i < o.clock.size() ? o.clock[i] : 0)) return false;
    }
    return true;
  }
};

struct Cluster::Replica {
  std::map<std::string, Version> store;  // cp, ap lww; the cache stances: r1's data, the others' caches
  std::map<std::string, std::vector<Version>> siblings;  // ap vclock, in (replica, dot) order
  uint32_t dots = 0;  // ap vclock: the last counter this replica gave a write
  std::set<std::string> changed;  // since this replica's last anti-entropy round
  const Version* Find(const std::string& key) const {
    const auto it = store.find(key);
    return it == store.end() ? nullptr : &it->second;
  }
};

// A CP operation its coordinator is gathering a quorum for.
struct Cluster::Coordination {
  enum Phase : uint8_t { kQuery, kStore } phase = kQuery;
  uint32_t replies = 0;
  uint32_t acks = 0;
  Version best;
  EventQueue::EventId timeout = 0;
};

struct Cluster::Message {
  enum Kind : uint8_t { kQuery, kReply, kStore, kAck, kReplicate, kRepairPush, kRepairPull, kAntiEntropy } kind;
  uint32_t op = 0;
  uint32_t from = 0;
  std::string key;
  Version version;
  std::vector<Version> siblings;  // vclock: the sender's whole sibling set for `key`
  std::vector<std::pair<std::string, Version>> all;  // kAntiEntropy (vclock: one entry per sibling)
};

Cluster::Cluster(const ClusterConfig& config, uint64_t seed)
    : config_(config), rng_(seed), queue_(200), cut_(config.n * config.n, 0), replicas_(config.n) {
  SDP_CHECK(config.n >= 1 && config.r >= 1 && config.w >= 1 && config.r <= config.n && config.w <= config.n);
  if (config_.stance == Stance::kAp) ScheduleAntiEntropy();
}

Cluster::Cluster(const Cluster&) = default;
Cluster& Cluster::operator=(const Cluster&) = default;
Cluster::~Cluster() = default;

SimTime Cluster::LinkDelay() {
  const int64_t jitter = rng_.Between(0, config_.link_jitter);
  return config_.link_latency + jitter;
}

void Cluster::Cut(uint32_t a, uint32_t b) {
  cut_[a * config_.n + b] = cut_[b * config_.n + a] = 1;
  network_log_.push_back({now(), "cut " + ReplicaName(a) + "-" + ReplicaName(b)});
  queue_.Note("link " + ReplicaName(a) + "-" + ReplicaName(b) + " cut");
}

void Cluster::Partition(const std::vector<std::vector<uint32_t>>& groups) {
  const uint32_t n = config_.n;
  std::vector<uint32_t> group_of(n, static_cast<uint32_t>(groups.size()));  // unlisted: one more group
  std::string what = "partition";
  for (uint32_t g = 0; g < groups.size(); ++g) {
    what += g == 0 ? " " : " | ";
    for (uint32_t k = 0; k < groups[g].size(); ++k) {
      group_of[groups[g][k]] = g;
      what += (k ? "," : "") + ReplicaName(groups[g][k]);
    }
  }
  for (uint32_t a = 0; a < n; ++a) {
    for (uint32_t b = 0; b < n; ++b) cut_[a * n + b] = a != b && group_of[a] != group_of[b];
  }
  network_log_.push_back({now(), what});
  queue_.Note(what);
  // Some links may have come back: exchange whole stores, as on heal.
  if (config_.stance == Stance::kAp) queue_.ScheduleIn(0, "", EventQueue::For<Cluster>([](Cluster& self) { self.AntiEntropyRound(true); }));
}

void Cluster::Heal() {
  std::fill(cut_.begin(), cut_.end(), 0);
  network_log_.push_back({now(), "heal"});
  queue_.Note("network healed");
  // Anti-entropy runs at once on heal, not only at its next period.
  if (config_.stance == Stance::kAp) queue_.ScheduleIn(0, "", EventQueue::For<Cluster>([](Cluster& self) { self.AntiEntropyRound(true); }));
}

void Cluster::Send(uint32_t from, uint32_t to, std::shared_ptr<const Message> message) {
  ++counters_.messages;
  if (from == to) {
    queue_.ScheduleIn(0, "", EventQueue::For<Cluster>([to, message](Cluster& self) { self.Receive(to, *message); }));
    return;
  }
  if (IsCut(from, to)) {
    ++counters_.dropped;
    return;
  }
  queue_.ScheduleIn(LinkDelay(), "", EventQueue::For<Cluster>([from, to, message](Cluster& self) {
    if (self.IsCut(from, to)) {
      ++self.counters_.dropped;
      return;
    }
    self.Receive(to, *message);
  }));
}

uint32_t Cluster::Write(uint32_t client, uint32_t replica, const std::string& key, int64_t value) {
  return Invoke(client, replica, key, OpKind::kWrite, value);
}

uint32_t Cluster::Read(uint32_t client, uint32_t replica, const std::string& key) {
  return Invoke(client, replica, key, OpKind::kRead, 0);
}

// Records the invocation in the history now; the request reaches its replica
// one client latency later.
uint32_t Cluster::Invoke(uint32_t client, uint32_t replica, const std::string& key, OpKind kind, int64_t value) {
  ClientOp op;
  op.id = static_cast<uint32_t>(ops_.size());
  op.client = client;
  op.replica = replica;
  op.key = key;
  op.kind = kind;
  op.value = value;
  op.invoke = now();
  if (Vclock() && kind == OpKind::kWrite) {
    const auto it = contexts_.find({client, key});
    op.context = it == contexts_.end() ? std::vector<uint32_t>(config_.n, 0) : it->second;
  }
  ops_.push_back(std::move(op));
  lost_flag_.push_back(0);
  const uint32_t id = ops_.back().id;
  queue_.ScheduleIn(config_.client_latency, "", EventQueue::For<Cluster>([id](Cluster& self) { self.Begin(id); }));
  return id;
}

void Cluster::Advance(SimTime delta) { queue_.AdvanceTo(now() + delta, this); }

void Cluster::RunUntilDone(uint32_t id) {
  while (ops_[id].status == OpStatus::kInFlight && queue_.Step(this)) {
  }
}

void Cluster::Begin(uint32_t op_id) {
  if (config_.stance != Stance::kAp) {
    BeginCp(op_id);  // the cache stances: the same two phases, with r1 alone as the quorum
  } else if (Vclock()) {
    BeginApVclock(op_id);
  } else {
    BeginAp(op_id);
  }
}

void Cluster::BeginCp(uint32_t op_id) {
  const ClientOp& op = ops_[op_id];
  Coordination& c = coordinating_[op_id];
  c.timeout = queue_.ScheduleIn(config_.timeout, "", EventQueue::For<Cluster>([op_id](Cluster& self) { self.OnTimeout(op_id); }));
  auto query = std::make_shared<Message>();
  query->kind = Message::kQuery;
  query->op = op_id;
  query->from = op.replica;
  query->key = op.key;
  if (CacheMode()) {
    Send(op.replica, 0, query);
    return;
  }
  for (uint32_t to = 0; to < config_.n; ++to) Send(op.replica, to, query);
}

void Cluster::OnTimeout(uint32_t op_id) {
  const auto it = coordinating_.find(op_id);
  if (it == coordinating_.end()) return;
  const Coordination& c = it->second;
  const ClientOp& op = ops_[op_id];
  const std::string waited = " within " + std::to_string(config_.timeout / kMicrosPerMilli) + " ms";
  if (CacheMode() && c.phase == Coordination::kQuery && op.kind == OpKind::kRead) {
    const Version* cached = replicas_[op.replica].Find(op.key);
    if (config_.stance == Stance::kCacheFail) {
      Finish(op_id, OpStatus::kRefused, "the database r1 did not answer" + waited +
                                            "; cache_fail refuses rather than serve a cached value that may be stale");
    } else if (cached == nullptr) {
      Finish(op_id, OpStatus::kRefused, "the database r1 did not answer" + waited + " and " + ReplicaName(op.replica) +
                                            "'s cache holds nothing for this key");
    } else {
      ClientOp& read = ops_[op_id];
      read.value = cached->value;
      read.read_from = cached->write;
      read.from_cache = true;
      Finish(op_id, OpStatus::kOk, "the database r1 did not answer" + waited + "; served from " +
                                       ReplicaName(op.replica) + "'s cache, which may be stale");
    }
    return;
  }
  if (CacheMode()) {
    if (c.phase == Coordination::kQuery) {
      Finish(op_id, OpStatus::kRefused, "the database r1 did not answer" + waited + "; nothing was stored");
    } else {
      Finish(op_id, OpStatus::kUnknown, "the database r1 did not acknowledge" + waited + "; the value may be stored there");
    }
    return;
  }
  if (c.phase == Coordination::kQuery) {
    Finish(op_id, OpStatus::kRefused,
           "no quorum: " + std::to_string(c.replies) + " of R=" + std::to_string(ReadQuorum()) +
               " replicas answered" + waited + "; nothing was stored");
  } else if (op.kind == OpKind::kWrite) {
    Finish(op_id, OpStatus::kUnknown,
           "no quorum: " + std::to_string(c.acks) + " of W=" + std::to_string(WriteQuorum()) +
               " replicas acknowledged" + waited + "; the value may be stored on some replicas");
  } else {
    Finish(op_id, OpStatus::kRefused,
           "no quorum: " + std::to_string(c.acks) + " of W=" + std::to_string(config_.w) +
               " replicas took the read's write-back" + waited);
  }
}

void Cluster::OnReply(uint32_t op_id, const Version& version) {
  const auto it = coordinating_.find(op_id);
  if (it == coordinating_.end() || it->second.phase != Coordination::kQuery) return;
  Coordination& c = it->second;
  if (c.replies == 0 || version.NewerThan(c.best)) c.best = version;
  if (++c.replies < ReadQuorum()) return;
  ClientOp& op = ops_[op_id];
  if (CacheMode() && op.kind == OpKind::kRead) {
    // r1's answer is the truth; the server keeps it in its cache. No
    // write-back: there is one copy of the data.
    if (op.replica != 0) Merge(op.replica, op.key, c.best);
    op.value = c.best.value;
    op.read_from = c.best.write;
    Finish(op_id, OpStatus::kOk, "");
    return;
  }
  c.phase = Coordination::kStore;
  auto store = std::make_shared<Message>();
  store->kind = Message::kStore;
  store->op = op_id;
  store->from = op.replica;
  store->key = op.key;
  if (op.kind == OpKind::kWrite) {
    store->version.value = op.value;
    store->version.major = std::max<int64_t>(c.best.major, 0) + 1;
    store->version.replica = op.replica;
    store->version.write = op_id;
    c.best = store->version;
  } else {
    store->version = c.best;  // ABD's write-back: the read's value is on W replicas before it returns
  }
  if (CacheMode()) {
    Send(op.replica, 0, store);
    return;
  }
  for (uint32_t to = 0; to < config_.n; ++to) Send(op.replica, to, store);
}

void Cluster::OnAck(uint32_t op_id) {
  const auto it = coordinating_.find(op_id);
  if (it == coordinating_.end() || it->second.phase != Coordination::kStore) return;
  if (++it->second.acks < WriteQuorum()) return;
  ClientOp& op = ops_[op_id];
  if (CacheMode() && op.replica != 0) Merge(op.replica, op.key, it->second.best);  // write-through
  if (op.kind == OpKind::kRead) {
    op.value = it->second.best.value;
    op.read_from = it->second.best.write;
  }
  Finish(op_id, OpStatus::kOk, "");
}

void Cluster::BeginAp(uint32_t op_id) {
  ClientOp& op = ops_[op_id];
  Replica& local = replicas_[op.replica];
  auto push = std::make_shared<Message>();
  push->from = op.replica;
  push->op = op_id;
  push->key = op.key;
  if (op.kind == OpKind::kWrite) {
    Version v;
    if (const Version* old = local.Find(op.key)) v.clock = old->clock;
    v.clock.resize(config_.n, 0);
    ++v.clock[op.replica];
    v.value = op.value;
    v.major = now();
    v.replica = op.replica;
    v.write = op_id;
    Merge(op.replica, op.key, v);
    push->kind = Message::kReplicate;
    push->version = v;
  } else {
    const Version* held = local.Find(op.key);
    op.value = held ? held->value : kInitialValue;
    op.read_from = held ? held->write : kNoWrite;
    push->kind = Message::kRepairPush;
    if (held) push->version = *held;
  }
  Finish(op_id, OpStatus::kOk, "");
  for (uint32_t to = 0; to < config_.n; ++to) {
    if (to != op.replica) Send(op.replica, to, push);
  }
}

// Dynamo's put with a context: the write gets the coordinator's next dot,
// replaces the siblings its context covers and joins the rest. A read
// answers every sibling and their joined clock. Both then push the
// coordinator's whole sibling set for the key to the others.
void Cluster::BeginApVclock(uint32_t op_id) {
  ClientOp& op = ops_[op_id];
  Replica& local = replicas_[op.replica];
  if (op.kind == OpKind::kWrite) {
    Version v;
    v.value = op.value;
    v.major = now();
    v.replica = op.replica;
    v.write = op_id;
    v.clock = op.context;
    v.dot = ++local.dots;
    op.dot = v.dot;
    MergeSibling(op.replica, op.key, v);
  } else {
    std::vector<uint32_t> joined(config_.n, 0);
    op.values.clear();
    op.siblings.clear();
    const auto it = local.siblings.find(op.key);
    if (it != local.siblings.end()) {
      for (const Version& v : it->second) {
        op.values.push_back(v.value);
        op.siblings.push_back(v.write);
        v.JoinInto(joined);
      }
    }
    if (op.values.empty()) op.values.push_back(kInitialValue);
    op.value = op.values.front();
    op.read_from = op.siblings.empty() ? kNoWrite : op.siblings.front();
    op.context = std::move(joined);
  }
  Finish(op_id, OpStatus::kOk, "");
  auto push = std::make_shared<Message>();
  push->kind = op.kind == OpKind::kWrite ? Message::kReplicate : Message::kRepairPush;
  push->from = op.replica;
  push->op = op_id;
  push->key = op.key;
  const auto held = local.siblings.find(op.key);
  if (held == local.siblings.end()) return;  // a read of a key never written here: nothing to push
  push->siblings = held->second;
  for (uint32_t to = 0; to < config_.n; ++to) {
    if (to != op.replica) Send(op.replica, to, push);
  }
}

void Cluster::Finish(uint32_t op_id, OpStatus status, std::string reason) {
  const auto it = coordinating_.find(op_id);
  if (it != coordinating_.end()) {
    queue_.Cancel(it->second.timeout);
    coordinating_.erase(it);
  }
  queue_.ScheduleIn(config_.client_latency, "", EventQueue::For<Cluster>([op_id, status, reason = std::move(reason)](Cluster& self) {
    ClientOp& op = self.ops_[op_id];
    op.response = self.now();
    op.status = status;
    op.reason = reason;
    if (status == OpStatus::kOk && op.kind == OpKind::kRead) self.MarkStale(op);
    if (status == OpStatus::kOk && self.Vclock()) {
      // The client's context for its next write of this key: what it read,
      // or what it wrote (its context plus the new dot).
      std::vector<uint32_t> context = op.context;
      if (op.kind == OpKind::kWrite) context[op.replica] = std::max(context[op.replica], op.dot);
      self.contexts_[{op.client, op.key}] = std::move(context);
    }
  }));
}

// Stale: the write it returned (or the initial value) was followed, in real
// time, by another acknowledged write that completed before this read began.
void Cluster::MarkStale(ClientOp& read) {
  if (Vclock()) {
    MarkStaleVclock(read);
    return;
  }
  SimTime returned_done = -1;
  if (read.read_from != kNoWrite) {
    const ClientOp& w = ops_[read.read_from];
    returned_done = w.status == OpStatus::kOk ? w.response : INT64_MAX;
  }
  for (const ClientOp& w : ops_) {
    if (w.kind != OpKind::kWrite || w.status != OpStatus::kOk || w.key != read.key || w.id == read.read_from) continue;
    if (w.response < read.invoke && w.invoke > returned_done) {
      read.stale = true;
      ++counters_.stale_reads;
      return;
    }
  }
}

// Vclock: stale if an acknowledged write of the key completed before the
// read began and neither is one of its siblings nor in their causal past
// (the read's joined clock does not cover its dot).
void Cluster::MarkStaleVclock(ClientOp& read) {
  for (const ClientOp& w : ops_) {
    if (w.kind != OpKind::kWrite || w.status != OpStatus::kOk || w.key != read.key || w.response >= read.invoke) continue;
    if (read.context[w.replica] < w.dot) {
      read.stale = true;
      ++counters_.stale_reads;
      return;
    }
  }
}

bool Cluster::MergeSibling(uint32_t at, const std::string& key, const Version& incoming) {
  ++counters_.merges;
  Replica& replica = replicas_[at];
  std::vector<Version>& siblings = replica.siblings[key];
  for (const Version& s : siblings) {
    if (s.write == incoming.write || s.Covers(incoming)) return false;  // have it, or have seen past it
  }
  siblings.erase(std::remove_if(siblings.begin(), siblings.end(), [&](const Version& s) { return incoming.Covers(s); }),
                 siblings.end());
  const auto at_dot = std::find_if(siblings.begin(), siblings.end(), [&](const Version& s) {
    return s.replica != incoming.replica ? s.replica > incoming.replica : s.dot > incoming.dot;
  });
  siblings.insert(at_dot, incoming);
  replica.changed.insert(key);
  return true;
}

bool Cluster::MergeAny(uint32_t at, const std::string& key, const Version& incoming) {
  return Vclock() ? MergeSibling(at, key, incoming) : Merge(at, key, incoming);
}

bool Cluster::Merge(uint32_t at, const std::string& key, const Version& incoming) {
  ++counters_.merges;
  if (incoming.major < 0) return false;  // nothing written there yet
  auto& store = replicas_[at].store;
  const auto it = store.find(key);
  if (it == store.end()) {
    store.emplace(key, incoming);
    replicas_[at].changed.insert(key);
    return true;
  }
  Version& local = it->second;
  if (!incoming.NewerThan(local)) {
    // The incoming version loses; if its writer never saw the winner, it is gone for good.
    if (config_.stance == Stance::kAp && local.NewerThan(incoming) && !incoming.ClockAtMost(local) &&
        incoming.write != kNoWrite && !lost_flag_[incoming.write]) {
      lost_flag_[incoming.write] = 1;
      lost_writes_.push_back(incoming.write);
    }
    return false;
  }
  if (config_.stance == Stance::kAp && !local.ClockAtMost(incoming) && local.write != kNoWrite &&
      !lost_flag_[local.write]) {
    lost_flag_[local.write] = 1;
    lost_writes_.push_back(local.write);
  }
  local = incoming;
  replicas_[at].changed.insert(key);
  return true;
}

void Cluster::Receive(uint32_t at, const Message& m) {
  switch (m.kind) {
    case Message::kQuery: {
      auto reply = std::make_shared<Message>();
      reply->kind = Message::kReply;
      reply->op = m.op;
      reply->from = at;
      if (const Version* v = replicas_[at].Find(m.key)) reply->version = *v;
      Send(at, m.from, reply);
      return;
    }
    case Message::kReply: OnReply(m.op, m.version); return;
    case Message::kStore: {
      Merge(at, m.key, m.version);
      auto ack = std::make_shared<Message>();
      ack->kind = Message::kAck;
      ack->op = m.op;
      ack->from = at;
      Send(at, m.from, ack);
      return;
    }
    case Message::kAck: OnAck(m.op); return;
    case Message::kReplicate:
      if (Vclock()) {
        for (const Version& v : m.siblings) MergeSibling(at, m.key, v);
      } else {
        Merge(at, m.key, m.version);
      }
      return;
    case Message::kRepairPush: {
      if (Vclock()) {
        bool changed = false;
        for (const Version& v : m.siblings) changed = MergeSibling(at, m.key, v) || changed;
        if (changed) ++counters_.repairs;
        // Pull back if this replica holds what the reader's replica lacks.
        const std::vector<Version>& mine = replicas_[at].siblings[m.key];
        const bool same = mine.size() == m.siblings.size() &&
                          std::equal(mine.begin(), mine.end(), m.siblings.begin(),
                                     [](const Version& a, const Version& b) { return a.write == b.write; });
        if (!same) {
          auto pull = std::make_shared<Message>();
          pull->kind = Message::kRepairPull;
          pull->from = at;
          pull->key = m.key;
          pull->siblings = mine;
          Send(at, m.from, pull);
        }
        return;
      }
      if (Merge(at, m.key, m.version)) ++counters_.repairs;
      const Version* mine = replicas_[at].Find(m.key);
      if (mine != nullptr && mine->NewerThan(m.version)) {
        auto pull = std::make_shared<Message>();
        pull->kind = Message::kRepairPull;
        pull->from = at;
        pull->key = m.key;
        pull->version = *mine;
        Send(at, m.from, pull);
      }
      return;
    }
    case Message::kRepairPull:
      if (Vclock()) {
        bool changed = false;
        for (const Version& v : m.siblings) changed = MergeSibling(at, m.key, v) || changed;
        if (changed) ++counters_.repairs;
      } else if (Merge(at, m.key, m.version)) {
        ++counters_.repairs;
      }
      return;
    case Message::kAntiEntropy:
      for (const auto& [key, version] : m.all) {
        if (MergeAny(at, key, version)) ++counters_.anti_entropy_updates;
      }
      return;
  }
}

void Cluster::AntiEntropyRound(bool full) {
  for (uint32_t from = 0; from < config_.n; ++from) {
    Replica& replica = replicas_[from];
    auto all = std::make_shared<Message>();
    all->kind = Message::kAntiEntropy;
    all->from = from;
    if (Vclock()) {
      // Whole sibling sets only: a context that covers a counter must cover every earlier dot.
      for (const auto& [key, siblings] : replica.siblings) {
        if (!full && replica.changed.count(key) == 0) continue;
        for (const Version& v : siblings) all->all.emplace_back(key, v);
      }
    } else if (full) {
      all->all.assign(replica.store.begin(), replica.store.end());
    } else {
      for (const std::string& key : replica.changed) all->all.emplace_back(key, replica.store.at(key));
    }
    replica.changed.clear();
    if (all->all.empty()) continue;
    for (uint32_t to = 0; to < config_.n; ++to) {
      if (to != from) Send(from, to, all);
    }
  }
}

void Cluster::ScheduleAntiEntropy() {
  queue_.ScheduleIn(config_.anti_entropy, "", EventQueue::For<Cluster>([](Cluster& self) {
    self.AntiEntropyRound(false);
    self.ScheduleAntiEntropy();
  }));
}

std::vector<HistoryOp> Cluster::CheckableHistory() const {
  std::vector<HistoryOp> out;
  for (const ClientOp& op : ops_) {
    const bool ok = op.status == OpStatus::kOk;
    const bool maybe_write = op.kind == OpKind::kWrite &&
                             (op.status == OpStatus::kUnknown || op.status == OpStatus::kInFlight);
    if (!ok && !maybe_write) continue;
    out.push_back({op.id, op.client, op.key, op.kind, op.value, op.invoke, ok ? op.response : kPendingResponse});
  }
  return out;
}

int64_t Cluster::ValueAt(uint32_t replica, const std::string& key) const {
  return ValuesAt(replica, key).front();
}

std::vector<int64_t> Cluster::ValuesAt(uint32_t replica, const std::string& key) const {
  std::vector<int64_t> values;
  if (Vclock()) {
    const auto it = replicas_[replica].siblings.find(key);
    if (it != replicas_[replica].siblings.end()) {
      for (const Version& v : it->second) values.push_back(v.value);
    }
  } else if (const Version* v = replicas_[replica].Find(key)) {
    values.push_back(v->value);
  }
  if (values.empty()) values.push_back(kInitialValue);
  return values;
}

std::vector<std::string> Cluster::Keys() const {
  std::vector<std::string> keys;
  for (const Replica& r : replicas_) {
    for (const auto& entry : r.store) keys.push_back(entry.first);
    for (const auto& entry : r.siblings) keys.push_back(entry.first);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace sdp::cap
