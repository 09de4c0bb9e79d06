// <sdp-redis-persistence>: a stream of writes into one Redis server; crash it
// (kill -9 or a power cut) at any moment, restart it, and see which
// acknowledged writes came back and why the others did not: RDB save points
// vs the AOF with appendfsync always | everysec | no. The AOF is shown as the
// RESP text Redis writes. Attributes: seed, sync-url, state-key.

import { el, formatCount, plural, scrollRegion, selectBox, setSelect } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { consoleSheet, formatReply } from './redis-console.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const FSYNC = [['everysec', 'appendfsync everysec'], ['always', 'appendfsync always'], ['no', 'appendfsync no']];
const SAVES = [['3600 1 300 100 60 10000', 'save 3600 1 300 100 60 10000 (default)'], ['5 1', 'save 5 1'], ['', 'no save points']];
const RATES = [[0, 'no writes'], [10, '10 writes/s'], [100, '100 writes/s'], [1000, '1000 writes/s']];
const DISKS = [[2, 'fast disk (fsync 2 ms)'], [3000, 'slow disk (fsync 3 s)']];
const REASONS = {
  in_aof_buffer: 'acknowledged while the everysec write was postponed: only in Redis\'s memory',
  not_fsynced: 'written to the OS page cache but never fsynced',
  torn_tail: 'cut off by the torn tail',
  not_in_aof: 'not in the AOF on disk',
  after_last_save: 'written after the snapshot that was loaded',
  no_snapshot: 'no snapshot to load',
};

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(260px, 100%), 1fr)); gap: 4px 20px; }
h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.status { display: flex; flex-wrap: wrap; gap: 8px 16px; font-size: 0.9rem; margin: 10px 0 4px; font-variant-numeric: tabular-nums; }
.status .down { color: var(--sdp-error); font-weight: 600; }
.status .risk { color: var(--sdp-error); }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); gap: 12px 16px; margin-top: 8px; }
.panel { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; }
.panel h4 { margin: 0 0 4px; font-size: 0.95rem; }
.records { font-family: ui-monospace, monospace; font-size: 0.75rem; max-height: 15em; overflow: auto; margin: 0; white-space: pre-wrap; word-break: break-all; }
.records span { display: block; border-left: 4px solid transparent; padding-left: 6px; margin: 1px 0; }
.records .durable { border-color: var(--sdp-ok); }
.records .written { border-color: var(--sdp-warn); }
.records .buffer { border-color: var(--sdp-error); }
.legend { font-size: 0.8rem; color: var(--sdp-muted); margin: 4px 0; }
/* The colour marks the kind; the words stay in the text colour, readable on any panel. */
.legend b { font-weight: 600; border-left: 4px solid transparent; padding-left: 4px; }
.legend b.durable { border-color: var(--sdp-ok); } .legend b.written { border-color: var(--sdp-warn); } .legend b.buffer { border-color: var(--sdp-error); }
.loss { font-size: 0.88rem; }
.loss .bad { color: var(--sdp-error); font-weight: 600; }
.loss .good { color: var(--sdp-ok); font-weight: 600; }
.log { font-family: ui-monospace, monospace; font-size: 0.72rem; color: var(--sdp-muted); margin: 4px 0 0; white-space: pre-wrap; max-height: 8em; overflow: auto; }
.charts { margin-top: 12px; }
`);

export class RedisPersistenceElement extends SdpWidget {
  static sim = 'redis_persistence';
  static fullSnapshot = true; // the AOF's record texts
  static title = 'Redis persistence: RDB and AOF';
  static subtitle = 'Crash the server at any moment, restart it, and count the acknowledged writes that did not come back — and see why.';
  static styles = [styles, chartSheet, consoleSheet];
  // The CSV export: the chart's series, per time bucket.
  static csvColumns = ['t_ms', 'acked', 'at_risk_process', 'at_risk_power'];

  #v = {};

  baseConfig() { return { appendonly: 'yes', appendfsync: 'everysec', fsync_ms: 2 }; }

  initialSteps() {
    return [{ op: 'stream', rate: 100, pattern: 'jobs' }, { op: 'advance', ms: 4000 }];
  }

  describe(step, r) {
    switch (step.op) {
      case 'advance': return `${step.ms / 1000} s: ${formatCount(r.acked)} writes acknowledged, ${plural(r.fsyncs, 'fsync')}.`;
      case 'crash': return `${step.kind === 'power' ? 'Power cut' : 'kill -9'} at ${r.at_ms} ms: ${formatCount(r.aof_buffer_bytes)} bytes in Redis's AOF buffer are gone${step.kind === 'power' ? `, and ${formatCount(r.page_cache_bytes_lost)} bytes of page cache` : ''}.`;
      case 'restart': {
        if (!r.started) return `Redis does not start: ${r.error}`;
        const lost = r.lost?.acked_lost ?? 0;
        return `Restarted from ${r.loaded_from.toUpperCase()}: ${plural(r.keys, 'key')}; ${lost ? `${plural(lost, 'acknowledged write')} lost` : 'no acknowledged write lost'}.`;
      }
      case 'config_set': return `Config: ${r.changed.join(', ') || 'unchanged'}.`;
      case 'write': return `${step.line} → ${formatReply(r.reply)}${r.acked ? ` (acked at ${r.ack_ms} ms)` : ' (reply pending)'}.`;
      case 'stream': return r.rate ? `Writing ${r.rate} per second (${r.pattern}).` : 'Writes stopped.';
      case 'bgsave': case 'bgrewriteaof': return r.reply;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    const select = selectBox;
    const button = (text, step, extra = {}) => el('button', { type: 'button', text, onclick: (e) => this.act(step(), e.currentTarget), ...extra });
    v.appendonly = select('AOF', [['yes', 'appendonly yes'], ['no', 'appendonly no (RDB only)']]);
    v.fsync = select('appendfsync', FSYNC);
    v.save = select('Save points', SAVES, (points) => `save ${points}`);
    v.disk = select('Disk', DISKS, (ms) => `disk (fsync ${ms} ms)`);
    const config = (e) => this.act({ op: 'config_set', appendonly: v.appendonly.value, appendfsync: v.fsync.value,
      save: v.save.value, fsync_ms: Number(v.disk.value) }, e.currentTarget);
    for (const s of [v.appendonly, v.fsync, v.save, v.disk]) s.addEventListener('change', config);
    v.rate = select('Write rate', RATES, (n) => `${n} writes/s`);
    v.rate.addEventListener('change', (e) => this.act({ op: 'stream', rate: Number(v.rate.value), pattern: 'jobs' }, e.currentTarget));
    v.status = el('div', { class: 'status', role: 'status' });
    v.aof = el('div', { class: 'panel', role: 'region', 'aria-label': 'Append-only file' });
    v.outcome = el('div', { class: 'panel', role: 'region', 'aria-label': 'Last crash and restart' });
    v.chartHost = el('div', { class: 'charts' });
    body.append(
      el('div', { class: 'controls' },
        el('div', {}, el('h3', { text: 'Persistence' }), this.controlGroup(v.appendonly, v.fsync), this.controlGroup(v.save, v.disk)),
        el('div', {}, el('h3', { text: 'Writes' }), this.controlGroup(v.rate),
          this.controlGroup(button('+1 s', () => ({ op: 'advance', ms: 1000 }), { class: 'primary' }), button('+10 s', () => ({ op: 'advance', ms: 10000 })),
            button('BGSAVE', () => ({ op: 'bgsave' })), button('BGREWRITEAOF', () => ({ op: 'bgrewriteaof' })))),
        el('div', {}, el('h3', { text: 'Break it' }),
          this.controlGroup(button('kill -9', () => ({ op: 'crash', kind: 'process' })), button('Power cut', () => ({ op: 'crash', kind: 'power' })),
            button('Power cut, torn tail', () => ({ op: 'crash', kind: 'power', torn_bytes: 7 }))),
          this.controlGroup(button('Restart', () => ({ op: 'restart' }), { class: 'primary' })))),
      v.status, el('div', { class: 'panels' }, v.aof, v.outcome), v.chartHost);
  }

  render(snap) {
    const v = this.#v;
    const c = snap.config;
    setSelect(v.appendonly, c.appendonly);
    setSelect(v.fsync, c.appendfsync);
    setSelect(v.save, c.save);
    setSelect(v.disk, c.fsync_ms);
    setSelect(v.rate, snap.stream?.rate ?? 0);
    const up = snap.server.state === 'up';
    v.status.replaceChildren(
      el('span', { class: up ? '' : 'down', text: `server ${snap.server.state}` }),
      el('span', { text: `${formatCount(snap.writes.acked)} writes acknowledged` }),
      el('span', { class: snap.at_risk.process_crash ? 'risk' : '', text: `a kill -9 now loses ${formatCount(snap.at_risk.process_crash)}` }),
      el('span', { class: snap.at_risk.power_loss ? 'risk' : '', text: `a power cut now loses ${formatCount(snap.at_risk.power_loss)}` }),
      el('span', { text: snap.rdb.exists ? `dump.rdb: ${formatCount(snap.rdb.keys)} keys, saved at ${snap.rdb.done_ms} ms` : 'no dump.rdb yet' }));
    this.#drawAof(snap);
    this.#drawOutcome(snap);
    this.#drawChart();
  }

  #drawAof(snap) {
    // The record texts are in the full snapshot only (fullSnapshot).
    const a = snap.aof;
    const records = (a.records ?? []).map((r) => el('span', { class: r.state, title: `${r.state}${r.seq ? `, write #${r.seq}` : ''}, ${r.file ?? ''} offset ${r.offset}`, text: (r.text ?? '').replace(/\r\n/g, '\\r\\n ') }));
    this.#v.aof.replaceChildren(
      el('h4', { text: `appendonlydir — ${a.state === 'off' ? 'off' : `${formatCount(a.file_bytes)} bytes, ${formatCount(a.durable_bytes)} durable, ${formatCount(a.buffer_bytes)} in Redis's buffer`}` }),
      a.files?.length ? el('p', { class: 'legend', text: `Manifest: ${a.files.map((f) => `${f.name} (${f.type}, ${formatCount(f.bytes)} bytes)`).join(', ')}.` }) : null,
      a.base ? el('p', { class: 'legend', text: `Base file: ${a.base.kind === 'rdb_preamble' ? 'an RDB' : 'commands'} of ${plural(a.base.keys, 'key')}; below, the incr file${a.files?.length > 2 ? 's' : ''} written since.` }) : null,
      el('p', { class: 'legend' }, 'The newest commands, as RESP: ', el('b', { class: 'durable', text: 'on disk' }), ' · ',
        el('b', { class: 'written', text: 'in the OS page cache' }), ' · ', el('b', { class: 'buffer', text: 'in Redis\'s memory only' })),
      scrollRegion('pre', 'AOF records', { class: 'records' }, ...records));
  }

  #drawOutcome(snap) {
    const restart = snap.last_restart;
    const crash = snap.last_crash;
    const parts = [el('h4', { text: 'Crash and restart' })];
    if (!crash && !restart) parts.push(el('p', { class: 'legend', text: 'Crash the server, then restart it: this panel lists the acknowledged writes that did not survive.' }));
    if (crash) parts.push(el('p', { class: 'loss', text: `${crash.kind === 'power' ? 'Power cut' : 'kill -9'} at ${crash.at_ms} ms, after write #${crash.acked_last_seq} was acknowledged.` }));
    if (restart) {
      if (!restart.started) parts.push(el('p', { class: 'loss' }, el('span', { class: 'bad', text: 'Redis refused to start: ' }), restart.error));
      else {
        const lost = restart.lost;
        parts.push(el('p', { class: 'loss' }, `Loaded from ${restart.loaded_from.toUpperCase()}: `,
          lost?.acked_lost ? el('span', { class: 'bad', text: `${plural(lost.acked_lost, 'acknowledged write')} lost` }) : el('span', { class: 'good', text: 'every acknowledged write is back' }),
          lost?.acked_lost ? ` (#${lost.first_seq}–#${lost.last_seq}, acknowledged in the last ${lost.window_ms} ms before the crash).` : '.'));
        for (const r of lost?.by_reason ?? []) parts.push(el('p', { class: 'loss', text: `• ${plural(r.count, 'write')} ${REASONS[r.reason] ?? r.reason} (#${r.first_seq}–#${r.last_seq}).` }));
      }
      if (restart.log?.length) parts.push(scrollRegion('pre', 'Redis log of the restart', { class: 'log', text: restart.log.map((l) => (typeof l === 'string' ? l : l.text)).join('\n') }));
    }
    this.#v.outcome.replaceChildren(...parts);
  }

  #drawChart() {
    const v = this.#v;
    v.chart ??= new LineChart(v.chartHost, {
      title: 'Acknowledged writes a crash would lose', xLabel: 'time (s)', yLabel: 'writes', points: false,
      // The acked rate is the reference, drawn wide underneath: where a crash
      // would lose everything acked lately (appendfsync no, everysec with a
      // slow disk), the loss lines run along it and still show.
      series: [{ label: 'acked per bucket', colour: '#4e79a7', width: 6 }, { label: 'kill -9', colour: '#e39a22' },
        { label: 'power cut', colour: '#e15759' }] });
    const col = (name) => Array.from(this.session.column(name));
    v.chart.update([col('t_ms').map((ms) => ms / 1000), col('acked'), col('at_risk_process'), col('at_risk_power')]);
  }
}
