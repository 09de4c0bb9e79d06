// <sdp-redis-zset>: a Redis sorted set used as a priority queue of jobs.
// Type commands as in redis-cli; the set is drawn as Redis holds it: a flat
// listpack while small, a skip list (level by level, with spans) past 128
// entries or a 65-byte member. An insert shows its search path and the level
// it drew. Attributes: seed, sync-url, state-key.

import { el, formatCount, scrollRegion, svg } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { consoleSheet, RedisConsole } from './redis-console.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const KEY = 'jobs';
const DRAW_NODES = 24;
const COL = 58;      // px per skip-list column
const ROW = 26;      // px per level
const EXAMPLES = ['ZADD jobs NX 5 urgent', 'ZPOPMIN jobs', 'ZRANGE jobs 0 4 WITHSCORES', 'ZRANGE jobs (100 +inf BYSCORE LIMIT 0 3',
  'ZADD jobs GT 1 urgent', 'ZADD jobs NX GT 1 x', 'ZSCORE jobs urgent', 'OBJECT ENCODING jobs'];

const styles = sheetFrom(`
.layout { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(300px, 1.4fr); gap: 16px; align-items: start; }
@container (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: var(--sdp-panel); border: 1px solid var(--sdp-line); font-size: 0.82rem; }
.badge.skiplist { border-color: var(--sdp-accent); color: var(--sdp-accent); }
.note { color: var(--sdp-muted); font-size: 0.85rem; margin: 4px 0; }
.scroll { overflow-x: auto; border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 4px; }
.skiplist text { font-size: 11px; fill: var(--sdp-fg); }
.skiplist .muted { fill: var(--sdp-muted); }
.skiplist rect.box { fill: var(--sdp-panel); stroke: var(--sdp-line); }
.skiplist rect.box.path { stroke: var(--sdp-accent); stroke-width: 2; }
.skiplist rect.box.new { fill: var(--sdp-accent); }
.skiplist text.new { fill: var(--sdp-accent-fg); }
.skiplist line.link { stroke: var(--sdp-muted); stroke-width: 1.2; marker-end: url(#arrow); }
.skiplist line.link.path { stroke: var(--sdp-accent); stroke-width: 2.5; }
.skiplist path.head { fill: var(--sdp-muted); }
.listpack { display: flex; flex-wrap: wrap; gap: 0; font-size: 0.8rem; font-family: ui-monospace, monospace; }
.listpack span { border: 1px solid var(--sdp-line); padding: 2px 5px; background: var(--sdp-panel); }
.listpack span.score { background: none; color: var(--sdp-muted); margin-right: 4px; }
`);

export class RedisZSetElement extends SdpWidget {
  static sim = 'redis_zset';
  static title = 'Redis sorted set as a priority queue';
  static subtitle = 'ZADD jobs by deadline, ZPOPMIN the earliest — and see the listpack turn into a skip list, with the search path of every insert.';
  static styles = [styles, consoleSheet];

  #v = {};

  baseConfig() { return { draw_nodes: DRAW_NODES }; }

  initialSteps() {
    return [{ op: 'fill', key: KEY, count: 8, prefix: 'job-', max_score: 1000 }, { op: 'view', key: KEY }];
  }

  replayStarted() { this.#v.console?.clear(); }

  stepApplied(step, result) {
    if (step.op === 'command') this.#v.console.record(step.line, result);
  }

  describe(step, r) {
    switch (step.op) {
      case 'command': {
        const t = r.trace ?? {};
        if (t.converted) return `${r.argv[0]}: the set outgrew the listpack and became a skip list.`;
        const insert = t.inserts?.[0];
        if (insert) return `${insert.member} inserted at rank ${insert.rank}; it drew level ${insert.drawn_level} (each level up has chance 1/4).`;
        return r.reply.type === 'error' ? `Redis refused: ${r.reply.value}` : '';
      }
      case 'fill': return `${formatCount(r.added)} jobs added; ${KEY} holds ${formatCount(r.size)} as a ${r.encoding_after}${r.converted ? ` (converted at ${r.converted_at_size} entries)` : ''}.`;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.console = new RedisConsole(this, { run: (line, source) => this.act({ op: 'command', line }, source), examples: EXAMPLES, placeholder: 'ZADD jobs 250 job-x' });
    const button = (text, step, cls) => el('button', { type: 'button', text, class: cls, onclick: (e) => this.act(step(), e.currentTarget) });
    v.summary = el('p', { class: 'note' });
    v.drawing = el('div', {});
    body.append(el('div', { class: 'layout' },
      el('div', {},
        el('h3', { text: 'Queue' }),
        this.controlGroup(
          button('Add a job', () => ({ op: 'fill', key: KEY, count: 1, prefix: 'job-', max_score: 1000 }), 'primary'),
          button('Worker takes the earliest', () => ({ op: 'command', line: `ZPOPMIN ${KEY}` })),
          button('Fill past 128 entries', () => ({ op: 'fill', key: KEY, count: 125, prefix: 'job-', max_score: 1000 }))),
        el('h3', { text: 'redis-cli' }), v.console.element),
      el('div', {}, el('h3', { text: `How Redis holds "${KEY}"` }), v.summary, v.drawing)));
  }

  render(snap, last) {
    const v = this.#v;
    const view = snap.view;
    if (!view?.exists) {
      v.summary.replaceChildren(`The key does not exist (Redis deletes a sorted set when its last member goes). Add a job to create it.`);
      v.drawing.replaceChildren();
      return;
    }
    const limits = snap.limits;
    v.summary.replaceChildren(el('span', { class: `badge ${view.encoding}`, text: view.encoding }), ' ',
      view.encoding === 'listpack'
        ? `${formatCount(view.size)} entries in one flat, compact array. Redis keeps this encoding up to ${limits.zset_max_listpack_entries} entries of at most ${limits.zset_max_listpack_value} bytes, and converts for good beyond.`
        : `${formatCount(view.size)} entries: a skip list of ${view.level} levels (each node climbs a level with chance ${limits.skiplist_p}, at most ${limits.skiplist_max_level}) beside a hash table of member → score.`);
    if (view.encoding === 'listpack') {
      v.drawing.replaceChildren(el('div', { class: 'listpack', role: 'list', 'aria-label': 'Listpack entries' },
        ...view.entries.flatMap(([member, score]) => [el('span', { role: 'listitem', text: member }), el('span', { class: 'score', text: score })])),
      // replaceChildren writes null as the text "null": no note, no child.
      ...(view.truncated ? [el('p', { class: 'note', text: `… and ${formatCount(view.size - view.drawn)} more.` })] : []));
      return;
    }
    const insert = last?.trace?.inserts?.[0];
    v.drawing.replaceChildren(scrollRegion('div', 'Skip list drawing', { class: 'scroll' }, this.#skipList(view, insert)),
      el('p', { class: 'note', text: `${view.truncated ? `The first ${view.drawn} of ${formatCount(view.size)} nodes. ` : ''}Numbers on the links are spans: how many nodes each one skips, which is how ZRANK counts without walking the list.${insert ? ` Blue: the search path that placed ${insert.member}.` : ''}` }));
  }

  #skipList(view, insert) {
    const levels = view.level;
    const nodes = view.nodes;
    const width = (nodes.length + 2) * COL + 18;
    const height = (levels + 2) * ROW + 24;
    const x = (i) => (i + 1) * COL + 18;  // column i: -1 header ... nodes; room for the level labels
    const y = (level) => height - 30 - level * ROW;  // level 1 at the bottom
    const onPath = new Map();  // level -> set of members the search stood on
    for (const step of insert?.path ?? []) onPath.set(step.level, new Set([...(step.visited ?? []), step.stop ?? '(header)']));
    const parts = [svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 6 6', refX: 6, refY: 3, markerWidth: 6, markerHeight: 6, orient: 'auto' },
      svg('path', { d: 'M0,0 L6,3 L0,6 z', class: 'head' })))];
    const columns = [{ member: '(header)', level: levels, spans: view.header_spans, score: '' }, ...nodes];
    columns.forEach((node, c) => {
      const cx = x(c - 1) + COL / 2 - 22;
      const isNew = insert && node.member === insert.member;
      for (let level = 1; level <= node.level; level++) {
        const path = onPath.get(level)?.has(node.member);
        parts.push(svg('rect', { x: cx, y: y(level) - 9, width: 26, height: 18, rx: 3, class: `box${isNew ? ' new' : path ? ' path' : ''}` }));
        // The link on this level goes to the next column tall enough.
        let next = c + 1;
        while (next < columns.length && columns[next].level < level) next++;
        const span = node.spans?.[level - 1];
        const x1 = cx + 26;
        const x2 = next < columns.length ? x(next - 1) + COL / 2 - 22 : width - 6;
        const linkOnPath = path && onPath.get(level)?.has(columns[next]?.member);
        parts.push(svg('line', { x1, y1: y(level), x2: x2 - 1, y2: y(level), class: `link${linkOnPath ? ' path' : ''}` }));
        if (span !== undefined && next - c > 1) parts.push(svg('text', { x: (x1 + x2) / 2, y: y(level) - 4, 'text-anchor': 'middle', class: 'muted', text: String(span) }));
      }
      parts.push(svg('text', { x: cx + 13, y: y(0) + 4, 'text-anchor': 'middle', class: isNew ? '' : 'muted', text: truncate(node.member, 8) }));
      parts.push(svg('text', { x: cx + 13, y: y(0) + 17, 'text-anchor': 'middle', class: 'muted', text: node.score }));
    });
    for (let level = 1; level <= levels; level++) parts.push(svg('text', { x: 4, y: y(level) + 4, class: 'muted', text: `L${level}` }));
    return svg('svg', { class: 'skiplist', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': `Skip list of ${view.size} entries, ${levels} levels` }, ...parts);
  }
}

function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
