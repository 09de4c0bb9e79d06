// The per-technique comparison of the `realtime` sim, one row per run's
// metrics (the snapshot's `metrics`, or one of `compare`'s runs). Shared by
// the widget's table (web/realtime-compare.mjs) and the docs table
// (scripts/realtime_table.mjs), so both show the same columns, rounded the
// same way. No DOM here: node imports it too.

export const TECHNIQUES = ['short_polling', 'long_polling', 'sse', 'websocket', 'webrtc'];

export const TECHNIQUE_NAMES = {
  short_polling: 'short polling',
  long_polling: 'long polling',
  sse: 'SSE',
  websocket: 'WebSocket',
  webrtc: 'WebRTC',
};

export const ms = (us) => (us / 1000).toFixed(us < 10000 ? 1 : 0);
export const mb = (bytes) => (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1);
export const mib = (bytes) => (bytes / 1048576).toFixed(1);

// [{head, cell(metrics) -> text}] for runs of `seconds` simulated seconds.
export function comparisonColumns(seconds) {
  return [
    { head: 'latency p50 ms', cell: (m) => ms(m.latency_p50_us) },
    { head: 'p99 ms', cell: (m) => ms(m.latency_p99_us) },
    { head: 'requests/s at server', cell: (m) => m.requests_per_s.toFixed(1) },
    { head: `MB on the wire (${seconds} s)`, cell: (m) => mb(m.bytes_total) },
    { head: 'bytes per delivery', cell: (m) => String(m.bytes_per_delivery) },
    { head: 'open connections', cell: (m) => String(m.peak_open_connections) },
    { head: 'server memory MiB', cell: (m) => mib(m.peak_memory_bytes) },
  ];
}
