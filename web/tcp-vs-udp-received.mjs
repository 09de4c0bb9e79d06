// What each application of <sdp-tcp-vs-udp> received, message by message:
// one strip of cells for TCP (a prefix, always in order) and one for UDP
// (gaps, late arrivals, second copies), the first arrivals at the UDP
// application in the order they came, and a sentence naming the ids. Colour
// is never the only cue: a legend names the states, each cell has a title,
// late cells carry a mark and the sentence lists the ids.

import { el, formatCount, svg } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { arrivalOrder, NOT_DELIVERED, UDP_FATE, udpSummary } from './tcp-vs-udp-data.mjs';

const MAX_CELLS = 300; // messages drawn per strip; the counts cover all
const MAX_CHIPS = 120; // UDP arrivals listed
const MAX_IDS = 12; // ids named per kind in the sentence
const COLUMNS = 50;

// Cell states, drawn with these classes (colours in the sheet below).
const CELLS = {
  waiting: 'not sent (yet) or on the way',
  delivered: 'delivered in order',
  late: 'arrived after a later message',
  twice: 'arrived twice',
  lost: 'lost: never arrives',
};

export const receivedSheet = sheetFrom(`
.received { display: grid; gap: 6px; }
.received h4 { margin: 6px 0 2px; font-size: 0.9rem; }
.strip { width: 100%; height: auto; display: block; }
.strip rect { stroke: var(--sdp-bg); stroke-width: 0.12; }
.strip .waiting { fill: var(--sdp-line); }
.strip .delivered { fill: #3a8f4e; }
.strip .late { fill: #d9822b; }
.strip .twice { fill: #6f5bd3; }
.strip .lost { fill: var(--sdp-error); }
.strip .mark { fill: var(--sdp-bg); pointer-events: none; }
.cell-legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 0.8rem; color: var(--sdp-muted); margin: 2px 0; }
.cell-legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.cell-legend .waiting { background: var(--sdp-line); }
.cell-legend .delivered { background: #3a8f4e; }
.cell-legend .late { background: #d9822b; }
.cell-legend .twice { background: #6f5bd3; }
.cell-legend .lost { background: var(--sdp-error); }
.chips { display: flex; flex-wrap: wrap; gap: 2px; font-size: 0.78rem; font-variant-numeric: tabular-nums; margin: 2px 0; }
.chips span { padding: 0 4px; border-radius: 3px; border: 1px solid var(--sdp-line); }
.chips .late { border-color: #d9822b; font-weight: 700; }
.chips .again { border-style: dashed; border-color: #6f5bd3; }
.app-note { color: var(--sdp-muted); font-size: 0.85rem; margin: 0; }
`);

function idList(ids) {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, MAX_IDS).map((id) => `#${id}`).join(', ');
  return ids.length > MAX_IDS ? `${shown} and ${formatCount(ids.length - MAX_IDS)} more` : shown;
}

export class ReceivedView {
  #tcp;
  #udp;
  #tcpNote;
  #udpNote;
  #chips;
  #chipsNote;

  constructor(host) {
    this.#tcp = svg('svg', { class: 'strip', role: 'img', 'aria-label': 'Messages the TCP application received' });
    this.#udp = svg('svg', { class: 'strip', role: 'img', 'aria-label': 'Messages the UDP application received' });
    this.#tcpNote = el('p', { class: 'app-note' });
    this.#udpNote = el('p', { class: 'app-note' });
    this.#chips = el('div', { class: 'chips', role: 'list', 'aria-label': 'The UDP application\'s first arrivals, in the order they came' });
    this.#chipsNote = el('p', { class: 'app-note' });
    host.append(el('div', { class: 'received' },
      el('div', { class: 'cell-legend' }, ...Object.entries(CELLS).map(([cls, text]) =>
        el('span', {}, el('span', { class: `swatch ${cls}` }), text))),
      el('h4', { text: 'TCP\'s application: a byte stream, in order, each byte once' }), this.#tcp, this.#tcpNote,
      el('h4', { text: 'UDP\'s application: whatever datagrams arrive, as they arrive' }), this.#udp, this.#udpNote,
      el('h4', { text: 'UDP arrivals in order of arrival (bold: after a later message; dashed: a second copy)' }),
      this.#chips, this.#chipsNote));
  }

  // columns: {tcpUs, fates, copies, sentMs}; snap: the sim's snapshot.
  update(snap, { tcpUs, fates, copies }) {
    const n = Math.max(tcpUs.length, fates.length);
    const tcpSent = snap.tcp.app.messages_sent;
    const tcpState = (i) => (tcpUs[i] !== NOT_DELIVERED ? 'delivered' : 'waiting');
    const udpState = (i) => {
      if (fates[i] === UDP_FATE.lost) return 'lost';
      if (fates[i] === UDP_FATE.late) return copies[i] > 1 ? 'twice' : 'late';
      if (fates[i] === UDP_FATE.arrived) return copies[i] > 1 ? 'twice' : 'delivered';
      return 'waiting';
    };
    this.#strip(this.#tcp, 'Messages the TCP application received', n, tcpState, (i) => `message #${i} at TCP's application: ${tcpState(i) === 'delivered' ? `delivered after ${(tcpUs[i] / 1000).toFixed(1)} ms` : 'not yet'}`);
    this.#strip(this.#udp, 'Messages the UDP application received', n, udpState, (i) => `message #${i} at UDP's application: ${CELLS[udpState(i)]}`, (i) => fates[i] === UDP_FATE.late);
    const app = snap.tcp.app;
    const c = snap.tcp;
    this.#tcpNote.textContent = tcpSent === 0 ? 'No message sent over TCP yet.'
      : `${formatCount(app.messages_delivered)} of ${formatCount(tcpSent)} messages delivered, in order, none twice. `
        + `Underneath, TCP's receiver held back ${formatCount(c.receiver_out_of_order_segments)} out-of-order segments and dropped ${formatCount(c.receiver_duplicate_segments)} duplicates; `
        + `the sender resent ${formatCount(c.retransmits_timeout + c.retransmits_fast)} segments (${formatCount(c.retransmits_fast)} fast, ${formatCount(c.retransmits_timeout)} after a timeout).`;
    const u = snap.udp;
    const { lost, late, twice } = udpSummary(fates, copies);
    this.#udpNote.textContent = u.datagrams_sent === 0 ? 'No message sent over UDP yet.'
      : `${formatCount(u.app.messages_delivered)} of ${formatCount(u.datagrams_sent)} datagrams arrived. Lost: ${idList(lost)}. `
        + `After a later one: ${idList(late)}. Twice: ${idList(twice)}.`;
    const arrivals = arrivalOrder(u.app.first_received_ids).slice(0, MAX_CHIPS);
    this.#chips.replaceChildren(...arrivals.map((a) => el('span', {
      role: 'listitem',
      class: a.again ? 'again' : a.late ? 'late' : undefined,
      title: a.again ? 'a second copy' : a.late ? 'after a later message' : undefined,
      text: String(a.id),
    })));
    const received = u.app.copies_received;
    this.#chipsNote.textContent = received > arrivals.length
      ? `The first ${formatCount(arrivals.length)} of ${formatCount(received)} datagrams received.` : '';
  }

  #strip(node, label, n, state, title, marked = () => false) {
    const cells = Math.min(n, MAX_CELLS);
    const rows = Math.max(1, Math.ceil(cells / COLUMNS));
    node.setAttribute('viewBox', `0 0 ${COLUMNS} ${rows}`);
    const children = [];
    for (let i = 0; i < cells; i += 1) {
      const x = i % COLUMNS;
      const y = Math.floor(i / COLUMNS);
      children.push(svg('rect', { class: state(i), x, y, width: 1, height: 1 }, svg('title', { text: title(i) })));
      if (marked(i)) children.push(svg('circle', { class: 'mark', cx: x + 0.5, cy: y + 0.5, r: 0.18 }));
    }
    node.replaceChildren(...children);
    const more = n > cells ? ` (the first ${formatCount(cells)} of ${formatCount(n)})` : '';
    node.setAttribute('aria-label', `${label}${more}`);
  }
}
