// What the three Redis widgets share: a redis-cli style console (a command
// line, a Run button, and the transcript of commands with their replies,
// formatted exactly as redis-cli prints them) and its styles.
//
// The transcript is drawn at most once per task: a replay of 20,000 commands
// records 20,000 replies and lays the transcript out once, at the end.

import { el, formatCount, scrollRegion, scrollToEnd } from './dom.mjs';
import { sheetFrom } from './theme.mjs';

const TRANSCRIPT_LINES = 12;

export const consoleSheet = sheetFrom(`
.console { display: flex; flex-direction: column; gap: 4px; }
.console input.line { font-family: var(--sdp-mono, ui-monospace, monospace); width: 100%; box-sizing: border-box; }
.transcript { font-family: var(--sdp-mono, ui-monospace, monospace); font-size: 0.8rem; background: var(--sdp-panel);
  border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 6px 8px; margin: 0; min-height: 6em;
  max-height: 16em; overflow: auto; white-space: pre-wrap; word-break: break-all; }
.transcript .prompt { color: var(--sdp-muted); }
.transcript .error { color: var(--sdp-error); }
.transcript .truncated { color: var(--sdp-muted); font-style: italic; word-break: normal; overflow-wrap: anywhere; }
.examples { display: flex; flex-wrap: wrap; gap: 4px; }
.examples button { font-family: var(--sdp-mono, ui-monospace, monospace); font-size: 0.78rem; }
`);

// A reply (Reply::ToJson: {type, value}) as redis-cli prints it.
export function formatReply(reply, indent = '') {
  switch (reply.type) {
    case 'status': return reply.value;
    case 'error': return `(error) ${reply.value}`;
    case 'integer': return `(integer) ${reply.value}`;
    case 'bulk': return JSON.stringify(reply.value);
    case 'nil': return '(nil)';
    case 'nil_array': return '(nil)';
    case 'array': {
      if (reply.value.length === 0) return '(empty array)';
      const width = String(reply.value.length).length;
      return reply.value.map((item, i) => {
        const head = `${String(i + 1).padStart(width)}) `;
        const body = formatReply(item, `${indent}${' '.repeat(head.length)}`);
        return `${i ? indent : ''}${head}${body}`;
      }).join('\n');
    }
    default: return JSON.stringify(reply);
  }
}

// The line under a reply the sim cut short ({reply_truncated, reply_elements}
// in the step's result, e.g. a ZRANGE of more than 2,000 elements), or ''.
export function truncationNote(result) {
  if (!result?.reply_truncated) return '';
  const shown = Array.isArray(result.reply?.value) ? result.reply.value.length : 0;
  const total = Number(result.reply_elements);
  return `(reply truncated: the first ${formatCount(shown)} of ${formatCount(total)} elements are shown)`;
}

// The console: `run(line, source)` applies the line (the widget's act), and
// returns the step result or null; examples are lines offered as buttons.
export class RedisConsole {
  #entries = [];
  #transcript;
  #drawPending = false;
  input;

  constructor(widget, { run, examples = [], placeholder = 'a Redis command' }) {
    this.input = el('input', { type: 'text', class: 'line', 'aria-label': 'Redis command', placeholder, spellcheck: 'false', autocomplete: 'off' });
    const submit = (source) => {
      const line = this.input.value.trim();
      if (line && run(line, source)) this.input.value = '';
    };
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') submit(this.input); });
    this.#transcript = scrollRegion('pre', 'Commands and replies', { class: 'transcript', role: 'log' });
    this.element = el('div', { class: 'console' },
      widget.controlGroup(this.input, el('button', { type: 'button', class: 'primary', text: 'Run', onclick: (e) => submit(e.currentTarget) })),
      el('div', { class: 'examples' }, ...examples.map((line) => el('button', { type: 'button', text: line, title: 'Run this command',
        onclick: (e) => run(line, e.currentTarget) }))),
      this.#transcript);
  }

  // `result` is the command step's result: {reply, reply_truncated?, reply_elements?}.
  record(line, result) {
    this.#entries.push({ line, reply: result.reply, note: truncationNote(result) });
    if (this.#entries.length > TRANSCRIPT_LINES) this.#entries.shift();
    this.#scheduleDraw();
  }

  clear() {
    this.#entries = [];
    this.#scheduleDraw();
  }

  // Many records in one task (a replay) cost one draw and one layout.
  #scheduleDraw() {
    if (this.#drawPending) return;
    this.#drawPending = true;
    queueMicrotask(() => {
      this.#drawPending = false;
      this.#draw();
    });
  }

  #draw() {
    this.#transcript.replaceChildren(...this.#entries.flatMap(({ line, reply, note }) => [
      el('span', { class: 'prompt', text: '127.0.0.1:6379> ' }), `${line}\n`,
      el('span', { class: reply.type === 'error' ? 'error' : '', text: `${formatReply(reply)}\n` }),
      ...(note ? [el('span', { class: 'truncated', text: `${note}\n` })] : [])]));
    scrollToEnd(this.#transcript);
  }
}
