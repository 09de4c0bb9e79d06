// Export (web/export.mjs): RFC 4180 CSV, and each widget's metrics table
// against the snapshot of the same run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvText, metricsTable, scalarMetrics } from '../../web/export.mjs';
import { widgetClasses } from '../../scripts/node_widgets.mjs';
import { SimSession } from '../../wasm/sdp.mjs';

process.env.SDP_WASM_DIR ??= new URL('../../build/wasm', import.meta.url).pathname;
const widgets = new Map((await widgetClasses()).map(({ tag, widget }) => [tag, widget]));

// Parses RFC 4180 text (the test's own reader, to check the writer).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i += 1;
    } else field += c;
  }
  assert.equal(field + row.length, '0', 'the text ends with CRLF');
  return rows;
}

test('CSV fields are quoted only when RFC 4180 requires it, with quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField(12.5), '12.5');
  assert.equal(csvField(null), '');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvText(['k', 'v'], [['x', 1], ['y,z', '"q"']]), 'k,v\r\nx,1\r\n"y,z","""q"""\r\n');
  const awkward = [['a,b', 'say "hi"', 'line\r\nbreak', '', 'plain']];
  assert.deepEqual(parseCsv(csvText(['1', '2', '3', '4', '5'], awkward)), [['1', '2', '3', '4', '5'], ...awkward]);
});

async function run(sim, steps, config = {}) {
  const session = await SimSession.create(sim, { seed: 7, config });
  for (const step of steps) session.apply(step);
  return session;
}

test('a widget without series exports every scalar metric of its snapshot', async () => {
  const session = await run('hash_ring', [{ op: 'add_node', id: 'A' }, { op: 'add_node', id: 'B, "quoted"' },
    { op: 'add_keys', count: 500, prefix: 'user:' }]);
  const widget = { session, constructor: widgets.get('sdp-hash-ring') };
  const snapshot = session.snapshot();
  const rows = parseCsv(csvText(...Object.values(metricsTable(widget))));
  assert.deepEqual(rows[0], ['metric', 'value']);
  const byName = new Map(rows.slice(1));
  assert.equal(byName.get('keys'), String(snapshot.keys));
  assert.equal(byName.get('ring_points'), String(snapshot.ring_points));
  assert.equal(byName.get('config.vnodes'), String(snapshot.config.vnodes));
  // Every row is a path into the snapshot, holding that value.
  for (const [name, value] of rows.slice(1)) {
    const actual = name.split('.').reduce((v, key) => v[key], snapshot);
    assert.equal(value, String(actual), name);
  }
  assert.equal(rows.length - 1, scalarMetrics(snapshot).length);
  session.delete();
});

test('gossip exports one row per round; the last row matches the snapshot', async () => {
  const session = await run('gossip', [{ op: 'inject' }, { op: 'run' }], { nodes: 200 });
  const snapshot = session.snapshot();
  const rows = parseCsv(csvText(...Object.values(metricsTable({ session, constructor: widgets.get('sdp-gossip') }))));
  assert.deepEqual(rows[0], ['round', 'round_informed', 'theory_ppm', 'round_messages']);
  const last = rows.at(-1);
  assert.equal(Number(last[0]), snapshot.round);
  assert.equal(Number(last[1]), snapshot.informed);
  const rounds = rows.slice(1).map((r) => Number(r[0]));
  assert.deepEqual(rounds, [...rounds].sort((a, b) => a - b), 'rounds ascend');
  session.delete();
});
