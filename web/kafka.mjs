// <sdp-kafka>: brokers, a replicated topic drawn as partition logs, a
// batching producer and a consumer group. Kill a broker and watch the leader
// election from the ISR; add consumers and watch the rebalance; crash one
// between processing and committing and count the duplicates.
// Attributes: partitions, brokers, seed, sync-url, state-key.

import { actionButton, el, formatCount, plural, selectBox, setSelect } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { slotColour, textOn } from './palette.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const TOPIC = 'orders';
const GROUP = 'billing';
const RATES = [[0, 'stream off'], [20, '20 rec/s'], [100, '100 rec/s'], [500, '500 rec/s']];
const KEYS = [['uniform', '20 keys, uniform'], ['hot', 'one hot key (80%)'], ['none', 'keyless']];
const SALTS = [[0, 'no salting'], [4, 'salt hot key ×4'], [8, 'salt hot key ×8']];
const ASSIGNORS = [['range', 'range'], ['roundrobin', 'round robin'], ['sticky', 'sticky'], ['cooperative-sticky', 'cooperative sticky']];
const PARTITIONERS = [['uniform_sticky', 'keyless: uniform sticky (Java ≥ 3.3)'], ['sticky', 'keyless: sticky (Java 2.4–3.2)'], ['round_robin', 'keyless: round robin (kafkajs)']];
const LINGERS = [[0, 'linger 0 ms'], [5, 'linger 5 ms'], [50, 'linger 50 ms']];
const MEMBER_NAMES = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(280px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls input { width: 7em; }
.brokers { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 6px; }
.broker { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 4px 8px; font-size: 0.85rem; display: flex; gap: 6px; align-items: center; }
.broker.dead { border-color: var(--sdp-error); color: var(--sdp-error); }
.log { display: grid; grid-template-columns: 12.5em 1fr 13em; gap: 2px 8px; align-items: center; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
.log [role="row"] { display: grid; grid-column: 1 / -1; grid-template-columns: subgrid; align-items: center; }
.log .head { color: var(--sdp-muted); font-weight: 600; }
.log .offline { color: var(--sdp-error); font-weight: 600; }
.cells { display: flex; gap: 2px; min-height: 22px; align-items: stretch; }
/* Text colour and background come from the key's colour (textOn): readable on every key. */
.cell { min-width: 26px; padding: 1px 2px; text-align: center; border-radius: 3px; border: 1px solid transparent; font-size: 0.72rem; line-height: 18px; }
/* Above the high watermark: hollow, the key's colour only in the dashed border. */
.cell.unreplicated { background: var(--sdp-bg); color: var(--sdp-fg); border: 2px dashed; line-height: 16px; }
.cell.consumed { outline: 2px solid var(--sdp-fg); outline-offset: -2px; }
.cell.gap { background: none; color: var(--sdp-muted); }
.legend { font-size: 0.8rem; color: var(--sdp-muted); margin: 4px 0 0; }
.group { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; margin-top: 10px; }
.group h4 { margin: 0 0 4px; font-size: 0.95rem; }
.member { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; font-size: 0.85rem; margin: 3px 0; }
.member strong { min-width: 2.5em; }
.counters { font-size: 0.85rem; margin: 6px 0 0; font-variant-numeric: tabular-nums; }
.counters .bad { color: var(--sdp-error); font-weight: 600; }
@container (max-width: 560px) {
  .log { grid-template-columns: 1fr; }
  .cells { flex-wrap: wrap; }
}
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 12px 16px; margin-top: 12px; }
`);

// A record's colour follows its key, so one key's records are easy to follow
// across partitions (salted forms keep the hot key's colour).
function keyColour(key) {
  if (key === null || key === undefined) return '#7a7a7a';
  const logical = key.split('#')[0];
  let h = 0;
  for (let i = 0; i < logical.length; i++) h = (h * 31 + logical.charCodeAt(i)) >>> 0;
  // Slot 2 is the palette's red, kept for the hot key.
  const slots = [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return logical === 'hot' ? '#d62728' : slotColour(slots[h % slots.length]);
}

export class KafkaElement extends SdpWidget {
  static sim = 'kafka';
  static title = 'Kafka';
  static subtitle = 'Partitions as logs, keys hashed like the Java client, replication with an ISR and a high watermark, and a consumer group that rebalances, commits and redelivers.';
  static styles = [styles, chartSheet];

  #v = {};

  static attributes = {
    brokers: { config: 'brokers' },
    partitions: { op: 'create_topic', field: 'partitions', default: 6 },
  };

  // The CSV export: the produce latency chart's series, per time bucket.
  static csvColumns = ['t_ms', 'p50_us', 'p99_us', 'batch_records'].map((name) => `series:${name}`);

  baseConfig() {
    return {
      brokers: 3,
      min_insync_replicas: 2, acks: 'all', linger_ms: 5, replica_fetch_ms: 50,
      replica_lag_time_max_ms: 2000, auto_commit_interval_ms: 1000, bucket_ms: 500,
    };
  }

  // Three replicas, or one per broker when there are fewer.
  initialSteps({ brokers, partitions }) {
    return [
      { op: 'create_topic', name: TOPIC, partitions, replication: Math.min(3, brokers) },
      { op: 'consumer_join', group: GROUP, id: 'c1', topic: TOPIC, rate: 40 },
      { op: 'consumer_join', group: GROUP, id: 'c2', topic: TOPIC, rate: 40 },
      { op: 'stream', topic: TOPIC, rate: 20, keys: 'uniform', key_count: 20 },
      { op: 'advance', ms: 3000 },
    ];
  }

  describe(step, r) {
    const rebalance = (rb) => (rb ? ` Rebalance (${rb.assignor}, ${rb.protocol}): ${plural(rb.moves, 'partition')} moved.` : '');
    switch (step.op) {
      case 'produce':
        return r.offset === null
          ? `Key ${JSON.stringify(r.key)} → partition ${r.partition}; waiting in a batch (${r.batch.reason}).`
          : `Key ${r.key === null ? '(none)' : JSON.stringify(r.key)} → partition ${r.partition}, offset ${r.offset}.`;
      case 'stream': return r.rate ? `Streaming ${r.rate} records/s (${r.keys}${r.salt > 1 ? `, salted ×${r.salt}` : ''}).` : 'Stream stopped.';
      case 'advance': return `${step.ms / 1000} s: ${formatCount(r.during.produced ?? 0)} produced, ${formatCount(r.during.consumed ?? 0)} consumed.`;
      case 'kill_broker': {
        const moved = r.elections.map((e) => `p${e.partition.split('-').pop()} → b${e.to}${e.clean ? '' : ` (unclean, ${e.lost} lost)`}`);
        return `Broker ${r.broker} dies. ${moved.length ? `New leaders: ${moved.join(', ')}.` : 'It led nothing.'}${r.offline.length ? ` Offline: ${r.offline.join(', ')}.` : ''}`;
      }
      case 'start_broker': {
        const cut = r.truncated.map((t) => `p${t.partition.split('-').pop()} ${t.from} → ${t.to}`);
        return `Broker ${r.broker} restarts, keeps what the leaders hold in the same epoch${cut.length ? ` (truncated where the log diverged: ${cut.join(', ')})` : ''} and catches up.`;
      }
      case 'consumer_join': return `${step.id} joins ${GROUP}.${rebalance(r)}`;
      case 'consumer_leave': return `${step.id} leaves ${GROUP}.${rebalance(r)}`;
      case 'assignor': return `Assignor ${step.name}.${rebalance(r)}`;
      case 'poll': return `${step.id} polled ${plural(r.count, 'record')}.`;
      case 'commit': return `${step.id} committed ${Object.entries(r.committed).map(([p, o]) => `${p}@${o}`).join(', ') || 'nothing new'}.`;
      case 'crash_consumer':
        return step.when === 'before_commit'
          ? `${step.id} processed ${plural(r.batch, 'record')} and died before committing: ${plural(r.redeliver, 'record')} will be delivered again.`
          : `${step.id} committed ${plural(r.batch, 'record')} and died before processing them: ${plural(r.lose, 'record')} are never processed.`;
      case 'producer': return `Producer: acks=${r.acks}, linger ${r.linger_ms} ms, ${r.partitioner}.`;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    const select = selectBox;
    const button = (text, onclick, extra = {}) => el('button', { type: 'button', text, onclick, ...extra });

    v.key = el('input', { type: 'text', 'aria-label': 'Key', placeholder: 'key (empty: none)', maxlength: 64, value: 'user-42' });
    v.value = el('input', { type: 'text', 'aria-label': 'Value', placeholder: 'value', maxlength: 256, value: 'order' });
    v.acks = select('acks', [['all', 'acks=all'], ['1', 'acks=1'], ['0', 'acks=0']]);
    const produce = (e) => {
      const step = { op: 'produce', topic: TOPIC, value: v.value.value, acks: v.acks.value };
      if (v.key.value !== '') step.key = v.key.value;
      this.act(step, e.currentTarget);
    };
    v.rate = select('Stream rate', RATES, (n) => `${n} rec/s`);
    v.keys = select('Stream keys', KEYS);
    v.salt = select('Salting', SALTS, (n) => `salt hot key ×${n}`);
    const stream = (e) => this.act({ op: 'stream', topic: TOPIC, rate: Number(v.rate.value), keys: v.keys.value,
      key_count: 20, hot_share: 0.8, salt: Number(v.salt.value) }, e.currentTarget);
    for (const s of [v.rate, v.keys, v.salt]) s.addEventListener('change', stream);
    v.linger = select('linger.ms', LINGERS, (n) => `linger ${n} ms`);
    v.partitioner = select('Keyless partitioner', PARTITIONERS);
    const producer = (e) => this.act({ op: 'producer', linger_ms: Number(v.linger.value), partitioner: v.partitioner.value }, e.currentTarget);
    for (const s of [v.linger, v.partitioner]) s.addEventListener('change', producer);
    v.assignor = select('Assignor', ASSIGNORS);
    v.assignor.addEventListener('change', (e) => this.act({ op: 'assignor', group: GROUP, name: v.assignor.value }, e.currentTarget));

    v.brokers = el('div', { class: 'brokers', role: 'group', 'aria-label': 'Brokers' });
    v.log = el('div', { class: 'log', role: 'table', 'aria-label': `Partitions of ${TOPIC}` });
    v.group = el('div', { class: 'group', role: 'region', 'aria-label': `Consumer group ${GROUP}` });
    v.lagHost = el('div');
    v.latencyHost = el('div');
    body.append(
      el('div', { class: 'controls' },
        el('div', {}, el('h3', { text: 'Produce one record' }), this.controlGroup(v.key, v.value, v.acks),
          this.controlGroup(button('Produce', produce, { class: 'primary' }))),
        el('div', {}, el('h3', { text: 'Stream' }), this.controlGroup(v.rate, v.keys, v.salt),
          this.controlGroup(
            button('+1 s', (e) => this.act({ op: 'advance', ms: 1000 }, e.currentTarget), { class: 'primary' }),
            button('+10 s', (e) => this.act({ op: 'advance', ms: 10000 }, e.currentTarget)))),
        el('div', {}, el('h3', { text: 'Producer and group' }), this.controlGroup(v.linger, v.partitioner), this.controlGroup(v.assignor))),
      v.brokers, v.log,
      el('p', { class: 'legend', text: 'Cells are the last records of each partition, coloured by key (red: the hot key). Hollow, dashed cells are above the high watermark: not yet on every in-sync replica, so no consumer sees them. An outlined cell is the last one the group has processed.' }),
      v.group,
      el('div', { class: 'charts' }, v.lagHost, v.latencyHost));
  }

  render(snap) {
    const v = this.#v;
    setSelect(v.acks, snap.producer.acks);
    setSelect(v.linger, snap.producer.linger_ms);
    setSelect(v.partitioner, snap.producer.partitioner);
    const topic = snap.topics.find((t) => t.name === TOPIC);
    const group = snap.groups.find((g) => g.name === GROUP);
    if (group) setSelect(v.assignor, group.assignor);
    if (topic?.stream) {
      setSelect(v.rate, topic.stream.running ? topic.stream.rate : 0);
      setSelect(v.keys, topic.stream.keys);
      setSelect(v.salt, topic.stream.salt > 1 ? topic.stream.salt : 0);
    }
    this.#drawBrokers(snap);
    this.#drawLog(topic, group);
    this.#drawGroup(group, snap);
    this.#drawCharts(topic);
  }

  #drawBrokers(snap) {
    const act = (op, id) => (e) => this.act({ op, id }, e.currentTarget);
    this.#v.brokers.replaceChildren(...snap.brokers.map((b) => el('div', { class: `broker${b.alive ? '' : ' dead'}` },
      el('strong', { text: `broker ${b.id}` }),
      el('span', { text: b.alive ? `leads ${b.leaders}` : 'down' }),
      b.alive ? actionButton('Kill', `broker ${b.id}`, act('kill_broker', b.id))
        : actionButton('Start', `broker ${b.id}`, act('start_broker', b.id)))));
  }

  #drawLog(topic, group) {
    const v = this.#v;
    const row = (...cells) => el('div', { role: 'row' }, ...cells);
    if (!topic) return v.log.replaceChildren(row(el('span', { class: 'head', role: 'cell', text: 'No topic.' })));
    const owned = new Map((group?.partitions ?? []).map((p) => [p.partition, p]));
    const head = (text) => el('span', { class: 'head', role: 'columnheader', text });
    const rows = [row(head('partition · leader · ISR'), head('log (newest right)'), head('offsets'))];
    for (const p of topic.partitions) {
      const name = `${topic.name}-${p.partition}`;
      const mine = owned.get(name);
      const position = mine?.position >= 0 ? mine.position : mine?.committed ?? -1;
      const cells = p.tail.map((r) => el('span', {
        class: `cell${r.offset >= p.hw ? ' unreplicated' : ''}${r.offset === position - 1 ? ' consumed' : ''}`,
        style: r.offset >= p.hw ? { 'border-color': keyColour(r.key) } : { background: keyColour(r.key), color: textOn(keyColour(r.key)) },
        title: `offset ${r.offset}${r.key === null ? '' : `, key ${r.key}`}`,
        text: String(r.offset) }));
      if (p.log_start > 0 && p.tail.length && p.tail[0].offset === p.log_start) cells.unshift(el('span', { class: 'cell gap', text: '⋯' }));
      const leader = p.leader < 0 ? el('span', { class: 'offline', text: 'offline' }) : `b${p.leader}`;
      const pending = p.tail.filter((r) => r.offset >= p.hw).length;
      rows.push(row(
        el('span', { role: 'rowheader' }, `p${p.partition} · `, leader, ` · ISR [${p.isr.join(',')}]`),
        el('div', { class: 'cells', role: 'cell', 'aria-label': p.tail.length
          ? `Partition ${p.partition} log: offsets ${p.tail[0].offset} to ${p.tail.at(-1).offset}${pending ? `, ${pending} above the high watermark` : ''}`
          : `Partition ${p.partition} log: empty` }, ...cells),
        el('span', { role: 'cell', text: `HW ${p.hw} · end ${p.log_end}${mine ? ` · ${mine.owner || 'no owner'} lag ${mine.lag}` : ''}` })));
    }
    v.log.replaceChildren(...rows);
  }

  #drawGroup(group, snap) {
    const v = this.#v;
    if (!group) {
      v.group.replaceChildren(el('h4', { text: `Group ${GROUP}: no members` }),
        this.controlGroup(el('button', { type: 'button', text: 'Add consumer', onclick: (e) => this.#addMember(e.currentTarget, snap) })));
      return;
    }
    const act = (op, id, extra = {}) => (e) => this.act({ op, group: GROUP, id, ...extra }, e.currentTarget);
    const members = group.members.map((m) => el('div', { class: 'member' },
      el('strong', { text: m.id }),
      el('span', { text: `${m.partitions.map((p) => `p${p.split('-').pop()}`).join(' ') || 'no partitions'} · ${formatCount(m.processed)} processed` }),
      actionButton('Poll', m.id, act('poll', m.id, { max: 10 })),
      actionButton('Commit', m.id, act('commit', m.id)),
      actionButton('Crash before commit', m.id, act('crash_consumer', m.id, { when: 'before_commit', max: 10 })),
      actionButton('Crash after commit', m.id, act('crash_consumer', m.id, { when: 'after_commit', max: 10 })),
      actionButton('Leave', m.id, act('consumer_leave', m.id))));
    const c = group.counters;
    const bad = (n, text) => el('span', { class: n > 0 ? 'bad' : '', text: `${formatCount(n)} ${text}` });
    v.group.replaceChildren(
      el('h4', { text: `Group ${GROUP} · ${group.assignor} (${group.protocol}) · generation ${group.generation}` }),
      ...members,
      this.controlGroup(el('button', { type: 'button', text: 'Add consumer', onclick: (e) => this.#addMember(e.currentTarget, snap) })),
      el('p', { class: 'counters' }, `${formatCount(c.processed)} processed · `, bad(c.duplicates, 'duplicates'), ' · ',
        bad(c.out_of_order, 'out of order'), ' · ', bad(c.skipped + c.expired, 'never processed'), ` · ${formatCount(c.rebalances)} rebalances, ${formatCount(c.moves)} partition moves`));
  }

  #addMember(source, snap) {
    const taken = new Set((snap.groups.find((g) => g.name === GROUP)?.members ?? []).map((m) => m.id));
    const id = MEMBER_NAMES.find((n) => !taken.has(n)) ?? `c${taken.size + 1}`;
    this.act({ op: 'consumer_join', group: GROUP, id, topic: TOPIC, rate: 40 }, source);
  }

  #drawCharts(topic) {
    const v = this.#v;
    const partitions = topic?.partitions.length ?? 0;
    if (v.chartPartitions !== partitions) {
      v.lag?.destroy();
      v.latency?.destroy();
      v.lag = new LineChart(v.lagHost, {
        title: `Consumer lag per partition (${GROUP})`, xLabel: 'time (s)', yLabel: 'records', points: false,
        series: Array.from({ length: partitions }, (_, p) => ({ label: `p${p}`, colour: slotColour(p) })) });
      v.latency = new LineChart(v.latencyHost, {
        title: 'Produce latency, record created → acked', xLabel: 'time (s)', yLabel: 'ms', y2Label: 'records per batch', points: false,
        // p99 wide underneath, p50 thin on top: where they are equal both stay visible.
        series: [{ label: 'p99', colour: '#e15759', width: 5 }, { label: 'p50', colour: '#4e79a7' },
          { label: 'records per batch', colour: '#59a14f', dash: [4, 3], right: true }] });
      v.chartPartitions = partitions;
    }
    if (!topic) return;
    const col = (name) => Array.from(this.session.column(name));
    const prefix = `group:${GROUP}:${TOPIC}:`;
    const lagT = col(`${prefix}t_ms`).map((ms) => ms / 1000);
    v.lag.update([lagT, ...Array.from({ length: partitions }, (_, p) => col(`${prefix}lag_${p}`))]);
    const t = col('series:t_ms').map((ms) => ms / 1000);
    v.latency.update([t, col('series:p99_us').map((us) => us / 1000), col('series:p50_us').map((us) => us / 1000), col('series:batch_records')]);
  }
}
