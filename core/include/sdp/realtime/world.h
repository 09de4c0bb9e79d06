// One server, N clients and a seeded stream of server-side events (chat
// messages, price ticks), delivered by one of five techniques, each a small
// per-client state machine on the shared event queue:
//
//   short polling  GET every interval; the response carries what is new.
//   long polling   GET held by the server until an event (or a timeout),
//                  then at once a new GET: each event exactly once, in order.
//   SSE            one GET answered by a never-ending text/event-stream; on a
//                  drop the client waits `retry:` and reconnects with
//                  Last-Event-ID, and the server replays what it missed.
//   WebSocket      HTTP Upgrade, then frames; ping/pong keep-alive; after a
//                  drop the client reconnects, what was sent meanwhile is lost.
//   WebRTC         offer/answer/ICE candidates through the server (the
//                  signalling channel), ICE + DTLS + SCTP set-up, then the
//                  publisher sends each event to each client directly (or via
//                  a TURN relay); the server carries none of it.
//
// Every event a client receives is checked against what it had: duplicates,
// gaps (missed) and reordering are counted, not assumed away.
//
// Invariants: integer microseconds; the event stream draws from its own Rng
// (so every technique sees the same events for a seed) and the network from
// another; a connection's bytes arrive in order (TCP underneath); nothing
// about the run is unbounded (timeline, series, event log all capped).
//
// Left out: bandwidth and server CPU (no queueing at the server), TCP/TLS
// handshakes and TCP/IP/TLS bytes, packet loss, HTTP/2 multiplexing,
// client-to-server application messages.
#ifndef SDP_REALTIME_WORLD_H_
#define SDP_REALTIME_WORLD_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/event_queue.h"
#include "sdp/latency_histogram.h"
#include "sdp/realtime/agenda.h"
#include "sdp/random.h"
#include "sdp/time_series.h"
#include "sdp/transport/link.h"

namespace sdp::realtime {

enum class Technique : uint8_t { kShortPolling, kLongPolling, kSse, kWebSocket, kWebRtc };
constexpr uint32_t kTechniques = 5;
const char* TechniqueName(Technique t);
// False if `name` is none of short_polling, long_polling, sse, websocket, webrtc.
bool ParseTechnique(std::string_view name, Technique* out);

// One message's delay on a link without loss, reordering or duplicates:
// exactly what transport::DrawFate draws there (one Between when there is
// jitter), inlined because every delivery draws one.
inline SimTime LinkDelay(const transport::LinkConfig& link, Rng& rng) {
  if (link.jitter <= 0) return link.latency;
  return std::max<SimTime>(0, link.latency + rng.Between(-link.jitter, link.jitter));
}

struct WorldConfig {
  SimTime latency = 50 * kMicrosPerMilli;             // client <-> server, one way
  SimTime jitter = 10 * kMicrosPerMilli;              // each message: latency +- uniform[0, jitter]
  SimTime p2p_latency = 50 * kMicrosPerMilli;         // publisher <-> client directly (WebRTC), one way
  bool turn = false;                                  // WebRTC relays through TURN beside the server
  SimTime poll_interval = 1000 * kMicrosPerMilli;     // short polling
  SimTime long_poll_timeout = 30 * kMicrosPerSecond;  // server answers a held GET empty after this
  SimTime sse_retry = 3000 * kMicrosPerMilli;         // sent as `retry:`; the client waits it after a drop
  SimTime ws_reconnect = 1000 * kMicrosPerMilli;      // the app's wait before reconnecting a WebSocket
  SimTime ping_interval = 30 * kMicrosPerSecond;      // WebSocket keep-alive (server ping, client pong)
  uint32_t memory_per_connection = 32 * 1024;         // bytes the server spends per open connection (assumed)
  SimTime bucket = 1000 * kMicrosPerMilli;            // chart bucket width
};

// What a run measured since the technique was (re)chosen.
struct Metrics {
  SimTime since = 0;
  uint64_t events_published = 0;
  uint64_t deliveries = 0;  // (client, event) pairs received
  uint64_t duplicates = 0;
  uint64_t out_of_order = 0;
  uint64_t missed = 0;  // events a client will never get (published while it was reconnecting)
  uint64_t requests = 0;  // HTTP requests arriving at the server (polls, SSE GETs, Upgrades)
  uint64_t signalling_messages = 0;  // WebRTC offers/answers/candidates the server relays
  uint64_t bytes_up = 0;    // clients -> server (and -> publisher)
  uint64_t bytes_down = 0;  // server (or publisher) -> clients
  uint64_t server_bytes = 0;  // of those, through the app server
  uint64_t p2p_bytes = 0;     // directly between peers
  uint64_t relay_bytes = 0;   // through the TURN relay (both of its hops)
  uint64_t peak_open = 0;
  uint64_t connects = 0;     // connections opened (first ones and reconnects)
  uint64_t empty_responses = 0;  // polls that carried nothing
  SimTime held_response_latency_max = 0;  // long polling: latency of events answering a held GET
  SimTime latency_sum = 0;
  LatencyHistogram latency;
};

// What a timeline line is about, so that a view can draw it without
// reading its wording.
enum class LineKind : uint8_t {
  kRequest,   // the client sends an HTTP request (a poll, an SSE GET, an Upgrade, the signalling socket's)
  kHeld,      // the server holds a long-poll GET open
  kOpen,      // a connection is open for pushing: an SSE stream, a WebSocket, a data channel
  kDelivery,  // events arrive at the client
  kEmpty,     // a poll's answer carried nothing
  kDrop,      // the connection is cut (drop_connection)
  kNoticed,   // the client notices the drop and starts to recover
  kLost,      // events the client will never get
  kSignal,    // WebRTC: the answer is in; ICE, DTLS, SCTP set-up starts
};
const char* LineKindName(LineKind k);

struct TimelineEntry {
  SimTime t;
  uint64_t seq;
  uint32_t client;
  LineKind kind;
  std::string what;
};

class World {
 public:
  static constexpr uint32_t kMaxClients = 20000;
  static constexpr uint32_t kTimelineClients = 8;   // clients 0..7 get a timeline
  static constexpr uint32_t kTimelineEntries = 2000;
  static constexpr uint32_t kSampledClients = 100;  // whose latencies feed the per-bucket p50/p99
  static constexpr uint32_t kMaxBuckets = 3600;
  static constexpr uint64_t kMaxEvents = 4000000;   // over the world's life

  World(uint64_t seed, const WorldConfig& config);
  // Copyable (a cloned sim copies its world): events reach the world
  // through the owner the queue hands them, never a captured `this`.

  // Every client drops what it has and connects with `t` now; metrics restart.
  void SetTechnique(Technique t);
  // Grows (new clients connect now) or shrinks (the last ones leave).
  // REQUIRES: count <= kMaxClients
  void SetClients(uint32_t count);
  // Events per second (0 stops the stream) and bytes per event.
  // REQUIRES: rate >= 0, size >= 1
  void SetEvents(double rate, uint32_t size);
  // Cuts client c's connection now; what the server had written before
  // still arrives. Nothing changes when there is nothing to cut (short
  // polling between polls, a client already reconnecting).
  // REQUIRES: c < clients()
  struct DropResult {
    bool dropped;
    std::string note;  // what happens next, or why nothing was dropped
  };
  DropResult Drop(uint32_t c);
  // Runs events up to now + duration, stopping early (false) once `work`
  // units were used; now() is then the last event's time.
  bool Advance(SimTime duration, uint64_t max_work);

  SimTime now() const { return now_; }
  Technique technique() const { return technique_; }
  uint32_t clients() const { return static_cast<uint32_t>(clients_.size()); }
  double rate() const { return rate_; }
  uint32_t event_size() const { return size_; }
  uint64_t latest_id() const { return created_.size(); }
  uint64_t open_connections() const { return open_; }
  const Metrics& metrics() const { return m_; }
  const WorldConfig& config() const { return config_; }
  const TimeSeries& series() const { return series_; }
  const std::deque<TimelineEntry>& timeline() const { return timeline_; }
  // Queue events run plus deliveries (about 8 to a unit): what a step's cap bounds.
  uint64_t work() const { return executed_ + delivered_total_ / 8; }

  // What one client has: for tests and the per-client table.
  struct ClientView {
    const char* state;
    uint64_t received_last;  // highest event id received
    uint64_t baseline;       // events up to this id were before it first connected
    uint64_t received;
    uint64_t missed;
  };
  ClientView Client(uint32_t c) const;

 private:
  enum class State : uint8_t { kIdle, kInFlight, kHeld, kOpen, kReconnecting };
  // What each event of a client reads and writes, in 32 bytes: 10,000
  // clients in 320 KB. Long polling's events come in time order, not client
  // order, so every one of them is a random access here; with the state in
  // one small line, most hit the cache. Event ids fit 32 bits (kMaxEvents).
  struct ClientState {
    uint32_t gen = 0;            // scheduled work carrying an older gen is stale
    State state = State::kIdle;
    bool fresh = true;           // has not reached the server yet: starts from the latest event
    bool timer_pending = false;  // long polling: a timeout check is queued
    bool server_holds = false;   // counted in open_: a held GET, an SSE stream, a WebSocket
    uint32_t last_id = 0;        // the server's view: events after this are owed to the client
    uint32_t received_last = 0;  // the client's view: highest id received
    uint32_t hold_seq = 0;       // long polling: which held GET the held list means
    uint32_t unused = 0;
    // One time whose meaning is the technique's (Start sets it for each):
    //   short polling  when the next poll leaves the client;
    //   long polling   since when the server holds the GET;
    //   streams        when the last byte sent on the connection arrives
    //                  (in-order delivery: an event never overtakes the previous one).
    SimTime clock = 0;
  };
  // The rest of a client's state: counts, touched once per response.
  struct ClientTally {
    uint64_t received = 0;
    uint32_t baseline = 0;  // events up to this id were before it first connected
    uint32_t missed = 0;
  };

  struct Held {
    uint32_t client;
    uint32_t hold_seq;
  };

  SimTime OneWay() { return LinkDelay(link_, net_rng_); }
  SimTime PeerOneWay() {
    if (!config_.turn) return LinkDelay(peer_link_, net_rng_);
    // Publisher -> relay -> client; the relay sits beside the server.
    const SimTime first = OneWay();
    return first + OneWay();
  }
  bool Current(uint32_t c, uint32_t gen) const { return c < clients_.size() && clients_[c].gen == gen; }
  void Run(const AgendaEvent& e);
  // series_.AdvanceTo(now()), once per microsecond of simulated time: the
  // counting below calls it on every request and delivery.
  void SeriesNow() {
    if (series_at_ == now_) return;
    series_.AdvanceTo(now_);
    series_at_ = now_;
  }
  // A timeline line for clients below kTimelineClients (built only for them).
  void Note(uint32_t c, SimTime t, LineKind kind, const char* what, int64_t a = -1, int64_t b = -1);
  void SchedulePublish();
  void Publish();
  void Start(uint32_t c, SimTime at);
  void Stop(uint32_t c);
  void FirstContact(uint32_t c);
  // A connection came back without replay: events after the client's last
  // one up to `latest` are missed for good.
  void CountMissed(uint32_t c, uint64_t latest);
  // Client c receives events (from, to] at `arrival`.
  void Deliver(uint32_t c, uint64_t from, uint64_t to, SimTime arrival);
  void Hold(ClientState& s);
  void Release(ClientState& s);
  void CountUp(uint64_t bytes, bool via_server = true);
  void CountDown(uint64_t bytes, bool via_server = true);
  void CountRequest();
  void CountDeliveries(uint64_t n);

  // Per technique: what happens when a request reaches the server, etc.
  void SendPoll(uint32_t c, SimTime at);
  void OnShortPoll(uint32_t c);
  void OnLongPoll(uint32_t c);
  void AnswerLongPoll(uint32_t c);
  SimTime RespondToPoll(uint32_t c, const char* empty_note);
  void OnLongPollTimer(uint32_t c);
  void SendStreamRequest(uint32_t c, SimTime at);
  void OnSseRequest(uint32_t c);
  void OnWsUpgrade(uint32_t c);
  void StartWebRtc(uint32_t c, SimTime at);
  void OnPeerOpen(uint32_t c);
  void PingSweep();
  void SendToStreams(uint64_t id);

  WorldConfig config_;
  transport::LinkConfig link_;      // client <-> server
  transport::LinkConfig peer_link_; // publisher <-> client
  Rng stream_rng_;
  Rng net_rng_;
  Agenda agenda_;
  SimTime now_ = 0;
  uint64_t executed_ = 0;  // events run, stale ones included (work())
  TimeSeries series_;
  SimTime series_at_ = 0;  // the series was last advanced to this time
  Technique technique_ = Technique::kLongPolling;
  double rate_ = 0;
  uint32_t size_ = 100;
  uint32_t publish_gen_ = 0;
  uint32_t ping_gen_ = 0;
  uint32_t next_gen_ = 1;
  std::vector<SimTime> created_;  // created_[id - 1]: when event id was published
  std::vector<ClientState> clients_;
  std::vector<ClientTally> tallies_;  // one per client, as clients_
  std::vector<Held> held_;
  std::vector<Held> answering_;  // held_ swapped out while a publish answers it
  uint64_t open_ = 0;
  uint64_t delivered_total_ = 0;  // over the world's life, every technique
  uint64_t timeline_seq_ = 0;
  std::deque<TimelineEntry> timeline_;
  Metrics m_;
};

}  // namespace sdp::realtime

#endif  // SDP_REALTIME_WORLD_H_
