// The four charts of <sdp-realtime>, from the sim's per-bucket columns
// (t_ms, requests, deliveries, bytes_down, bytes_up, open_connections,
// p50_us, p99_us): delivery latency, requests per second at the server,
// bytes on the wire per second (headers included) and the connections the
// server holds open.

import { el, formatCount } from './dom.mjs';
import { LineChart } from './chart.mjs';

const TIME_INCRS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const COLOURS = { p50: '#2f6fd6', p99: '#d9822b', requests: '#b0439e', down: '#3a8f4e', up: '#2f6fd6', open: '#8a6d00' };

// Columns (one entry per bucket) -> each chart's uPlot data. The sim hands
// out typed arrays: copied to plain ones, whose map can hold fractions and nulls.
export function chartData(typedColumn, bucketMs) {
  const column = (name) => Array.from(typedColumn(name));
  const t = column('t_ms').map((ms) => ms / 1000);
  const perSecond = 1000 / bucketMs;
  const latency = (us) => us.map((v) => (v > 0 ? v / 1000 : null));
  return {
    latency: [t, latency(column('p50_us')), latency(column('p99_us'))],
    requests: [t, column('requests').map((n) => n * perSecond)],
    bytes: [t, column('bytes_down').map((b) => (b * perSecond) / 1000), column('bytes_up').map((b) => (b * perSecond) / 1000)],
    open: [t, column('open_connections')],
  };
}

export class RealtimeCharts {
  #charts;
  #memoryNote;

  constructor(host) {
    const time = { xLabel: 'time (s)', xRange: (min, max) => [0, max > 0 ? max : 1], xIncrs: TIME_INCRS, points: false };
    const box = () => el('div');
    const hosts = { latency: box(), requests: box(), bytes: box(), open: box() };
    this.#memoryNote = el('p', { class: 'note' });
    host.append(hosts.latency, hosts.requests, hosts.bytes, el('div', {}, hosts.open, this.#memoryNote));
    this.#charts = {
      latency: new LineChart(hosts.latency, { ...time, title: 'Delivery latency (event created → client has it)', yLabel: 'ms',
        series: [{ label: 'p50', colour: COLOURS.p50 }, { label: 'p99', colour: COLOURS.p99, dash: [6, 3] }] }),
      requests: new LineChart(hosts.requests, { ...time, title: 'HTTP requests per second at the server', yLabel: 'requests/s',
        yFormat: (v) => formatCount(Math.round(v)), series: [{ label: 'requests/s', colour: COLOURS.requests }] }),
      bytes: new LineChart(hosts.bytes, { ...time, title: 'Bytes on the wire per second, headers included', yLabel: 'kB/s',
        series: [{ label: 'to clients', colour: COLOURS.down }, { label: 'to the server', colour: COLOURS.up, dash: [6, 3] }] }),
      open: new LineChart(hosts.open, { ...time, title: 'Connections the server holds open', yLabel: 'connections',
        yFormat: (v) => formatCount(Math.round(v)), series: [{ label: 'open', colour: COLOURS.open }] }),
    };
  }

  update(column, snap, bucketMs) {
    const data = chartData(column, bucketMs);
    for (const [name, chart] of Object.entries(this.#charts)) chart.update(data[name]);
    const m = snap.metrics;
    const kib = Math.round(snap.memory_per_connection_bytes / 1024);
    const mib = (bytes) => `${(bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 1)} MiB`;
    this.#memoryNote.textContent = `Each open connection is assumed to cost ${formatCount(kib)} KiB at the server: ${formatCount(m.open_connections)} open now = ${mib(m.memory_bytes)}; peak ${formatCount(m.peak_open_connections)} = ${mib(m.peak_memory_bytes)}.`;
  }
}
