#!/usr/bin/env node
// The "Results" section of docs/realtime.md, from runs of the sim: every
// technique at 1 and 100 events/s with 1000 clients for 60 simulated
// seconds (seed 1, the sim's default network: 50 ms +- 10 ms one way). The
// table and every number in the reading of it come from these runs.
//   node scripts/realtime_table.mjs            prints the generated section
//   node scripts/realtime_table.mjs --write    rewrites it in docs/realtime.md
// tests/js/realtime_table.test.mjs checks the doc still matches. Runs the
// wasm module of this tree (build/wasm), whose output is byte-identical to
// `build/native/sdp run`.
import { fileURLToPath } from 'node:url';
import { replaceSection, runSectionScript } from './generated-section.mjs';
import { comparisonColumns, ms, TECHNIQUES } from '../web/realtime-columns.mjs';

process.env.SDP_WASM_DIR ??= fileURLToPath(new URL('../build/wasm', import.meta.url));
const { runScenario } = await import('../wasm/sdp.mjs');

export const DOC = fileURLToPath(new URL('../docs/realtime.md', import.meta.url));
export const BEGIN = '<!-- generated results: node scripts/realtime_table.mjs --write -->';
export const END = '<!-- end of generated results -->';
const RATES = [1, 100];
const CLIENTS = 1000;
const SECONDS = 60;

async function run(technique, rate) {
  const scenario = {
    sim: 'realtime', seed: 1,
    config: { technique, clients: CLIENTS, rate, size: 100 },
    steps: [{ op: 'advance', ms: SECONDS * 1000 }],
  };
  const out = JSON.parse(await runScenario(scenario));
  if (out.results[0].error || out.results[0].stopped) throw new Error(`${technique} @ ${rate}: ${JSON.stringify(out.results[0])}`);
  return out.snapshot.metrics;
}

const round = (x) => Math.round(x).toLocaleString('en-US');

export async function generatedSection() {
  const m = {};
  const rows = [];
  const columns = comparisonColumns(SECONDS);
  for (const rate of RATES) {
    for (const technique of TECHNIQUES) {
      m[`${technique}@${rate}`] = await run(technique, rate);
      rows.push(`| ${rate} | ${technique} | ${columns.map((c) => c.cell(m[`${technique}@${rate}`])).join(' | ')} |`);
    }
  }
  const at = (technique, rate) => m[`${technique}@${rate}`];
  const perDelivery = (technique, rate) => at(technique, rate).bytes_per_delivery;
  return [BEGIN, '',
    `${CLIENTS} clients, 100-byte events, 50 ± 10 ms one way, seed 1, ${SECONDS} simulated`,
    'seconds, each technique\'s defaults (poll every 1 s, long-poll timeout 30 s);',
    'this section is written by `node scripts/realtime_table.mjs --write`, from the runs:',
    '',
    `| events/s | technique | ${columns.map((c) => c.head).join(' | ')} |`,
    `|---|---|${columns.map(() => '---|').join('')}`,
    ...rows,
    '',
    'How to read it:',
    '',
    `- **Latency.** Short polling's median (${ms(at('short_polling', 1).latency_p50_us)} ms, the lower edge of its`,
    '  histogram bucket) is half the 1 s interval plus the way back, its p99',
    `  (${ms(at('short_polling', 1).latency_p99_us)} ms) a whole interval: polling faster buys latency with requests.`,
    `  Long polling is one delay (p50 ${ms(at('long_polling', 1).latency_p50_us)} ms at 1 event/s) when the event finds a`,
    '  held GET; at 100 events/s the next event usually arrives while the',
    '  client\'s new GET is still on its way, so it waits for that round trip:',
    `  p50 ${ms(at('long_polling', 100).latency_p50_us)} ms. The pushing techniques are one delay whatever the rate`,
    `  (SSE: ${ms(at('sse', 1).latency_p50_us)} and ${ms(at('sse', 100).latency_p50_us)} ms).`,
    `- **Requests.** Polling costs a request per client per interval (short: ${round(at('short_polling', 1).requests_per_s)}/s)`,
    `  or per event (long: ${round(at('long_polling', 1).requests_per_s)}/s at 1 event/s, ${round(at('long_polling', 100).requests_per_s)}/s at 100), each`,
    '  with its request and response headers. SSE, WebSocket and WebRTC pay one',
    `  request per client to connect (the ${at('sse', 1).requests_per_s.toFixed(1)}/s is ${CLIENTS} connects spread over the`,
    `  ${SECONDS} s) and none after.`,
    `- **Bytes.** At 1 event/s polling spends ${perDelivery('short_polling', 1)} (short) and ${perDelivery('long_polling', 1)} (long) bytes per`,
    `  delivered 100-byte event, mostly headers; SSE ${perDelivery('sse', 1)}, WebSocket ${perDelivery('websocket', 1)} (a 2-byte`,
    `  frame header plus the handshake amortised), WebRTC ${perDelivery('webrtc', 1)} (its framing and the`,
    '  signalling, amortised over the events). At 100 events/s short polling',
    `  batches many events per response and costs ${perDelivery('short_polling', 100)} bytes per event against SSE's ${perDelivery('sse', 100)};`,
    '  WebRTC\'s DTLS+SCTP framing costs more than a WebSocket frame',
    `  (${perDelivery('webrtc', 100)} vs ${perDelivery('websocket', 100)}).`,
    `- **Connections and memory.** SSE and WebSocket hold a connection per client`,
    `  for good (${at('sse', 1).peak_open_connections} at the assumed cost per connection); long polling holds`,
    `  one only while a GET waits (${at('long_polling', 1).peak_open_connections} at most at 1 event/s, ${at('long_polling', 100).peak_open_connections} at 100`,
    '  events/s); short polling holds none between polls; WebRTC holds none at',
    '  the server once signalling is done — the publisher holds them instead.',
    '', END].join('\n');
}

export const withSection = (doc, section) => replaceSection(doc, section, { begin: BEGIN, end: END, name: DOC });

await runSectionScript(import.meta.url, DOC, { begin: BEGIN, end: END }, generatedSection);
