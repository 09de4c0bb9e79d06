// The cluster picture of <sdp-search-cluster>: one box per node holding its
// shard copies (primary solid "P0", replica outlined "R0"), the master
// marked in words, a node that is down struck through and saying so, the
// unassigned copies in their own box, and the health badge (colour AND text).
import { el, formatPercent } from './dom.mjs';

export const nodesCss = `
.health { display: inline-flex; align-items: center; gap: 6px; font-weight: 700; border-radius: 999px; padding: 2px 12px; border: 2px solid var(--c); --c: var(--sdp-ok); }
.health.yellow { --c: var(--sdp-warn); }
.health.red { --c: var(--sdp-error); }
/* the colour marks the border and the dot; the words carry the meaning */
.health i { width: 12px; height: 12px; border-radius: 50%; background: var(--c); display: inline-block; }
.nodes { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.node { border: 1.5px solid var(--sdp-line); border-radius: 8px; padding: 6px 8px; min-width: 150px; flex: 0 1 190px; background: var(--sdp-panel); }
.node.down, .node.waiting { border-style: dashed; }
.node.down { opacity: 0.75; }
.node.down .name { text-decoration: line-through; }
.node .name { font-weight: 700; }
.node .roles, .node .cache { color: var(--sdp-muted); font-size: 0.78rem; }
.node .state { font-size: 0.78rem; font-weight: 600; }
.node.down .state { color: var(--sdp-error); }
.copies { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; min-height: 26px; }
.copy { font-family: ui-monospace, monospace; font-size: 0.82rem; border-radius: 4px; padding: 1px 6px; border: 2px solid var(--sdp-accent); }
.copy.primary { background: var(--sdp-accent); color: var(--sdp-accent-fg); }
.copy.replica { background: var(--sdp-bg); color: var(--sdp-fg); }
.copy.unassigned { border-style: dashed; border-color: var(--sdp-muted); background: transparent; color: var(--sdp-muted); }
.copy.searched { outline: 3px solid var(--sdp-focus); outline-offset: 1px; }
.node button { min-height: 32px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.8rem; color: var(--sdp-muted); align-items: center; }
`;

export function healthBadge(status) {
  const says = { green: 'every copy assigned', yellow: 'a replica is unassigned', red: 'a primary is unassigned: some data unavailable' };
  return el('span', { class: `health ${status}`, role: 'status' }, el('i', { 'aria-hidden': 'true' }), `${status} — ${says[status]}`);
}

function copyChip(c, searched) {
  const kind = c.state !== 'started' ? 'unassigned' : c.primary ? 'primary' : 'replica';
  const title = `${c.primary ? 'primary' : 'replica'} of shard ${c.shard}, ${c.state}, ${c.docs} docs`;
  return el('span', { class: `copy ${kind}${searched ? ' searched' : ''}`, title, role: 'listitem', text: c.label });
}

// searched: Set of "label@node" the last search's query phase used.
export function renderNodes(box, snap, searched, onToggle) {
  box.replaceChildren(...snap.nodes.map((n) => {
    const started = n.copies.filter((c) => c.state === 'started');
    const cache = n.query_cache;
    return el('div', { class: `node${n.up ? '' : ' down'}`, role: 'group', 'aria-label': n.name },
      el('div', { class: 'name', text: `${n.name}${n.master ? ' ★ master' : ''}` }),
      el('div', { class: 'roles', text: n.roles.length ? n.roles.join(', ') : 'coordinating only' }),
      el('div', { class: 'state', text: n.up ? 'up' : 'down' }),
      el('div', { class: 'copies', role: 'list', 'aria-label': `${n.name} shard copies` },
        ...started.map((c) => copyChip(c, searched.has(`${c.label}@${n.name}`)))),
      el('div', { class: 'cache', text: cache.hits + cache.misses === 0 ? 'query cache: unused'
        : `query cache: ${formatPercent(cache.hit_rate)} hits (${cache.hits}/${cache.hits + cache.misses}), ${cache.entries} ${cache.entries === 1 ? 'entry' : 'entries'}` }),
      el('button', { type: 'button', text: n.up ? `Kill ${n.name}` : `Start ${n.name}`, onclick: (e) => onToggle(n, e.currentTarget) }));
  }));
  const unassigned = (snap.index?.shards ?? []).flatMap((s) => s.copies.filter((c) => c.state !== 'started').map((c) => ({ ...c, shard: s.shard })));
  if (unassigned.length) {
    box.append(el('div', { class: 'node waiting', role: 'group', 'aria-label': 'unassigned copies' },
      el('div', { class: 'name', text: 'unassigned' }),
      el('div', { class: 'roles', text: 'copies waiting for a node' }),
      el('div', { class: 'copies', role: 'list' }, ...unassigned.map((c) => copyChip(c, false)))));
  }
}
