// A docs page section that a script writes from a run (numbers in docs come
// from the run, never typed): the text between a BEGIN and an END marker.
// Used by embedding_doc.mjs and realtime_table.mjs; their tests fail when
// the page's section differs from a fresh run.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `doc` with its section from `begin` to `end` (markers included) replaced.
export function replaceSection(doc, section, { begin, end, name }) {
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${name} has no generated section (${begin} ... ${end})`);
  return doc.slice(0, from) + section + doc.slice(to + end.length);
}

// The script's command line: prints the section, or with --write puts it
// into the page. `moduleUrl` is the script's import.meta.url.
export async function runSectionScript(moduleUrl, doc, markers, generate) {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  const section = await generate();
  if (process.argv.includes('--write')) writeFileSync(doc, replaceSection(readFileSync(doc, 'utf8'), section, { ...markers, name: doc }));
  else console.log(section);
}
