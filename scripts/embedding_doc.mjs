// The attribute tables of docs/embedding.md, generated from the widgets' own
// declarations (static attributes) and the sims' field specs (listSims):
//   node scripts/embedding_doc.mjs          prints the generated section
//   node scripts/embedding_doc.mjs --write  rewrites it in docs/embedding.md
// tests/js/embedding_doc.test.mjs checks the doc still matches.
import { fileURLToPath } from 'node:url';
import { replaceSection, runSectionScript } from './generated-section.mjs';
import { widgetClasses } from './node_widgets.mjs';
import { listSims } from '../wasm/sdp.mjs';
import { attributeSpec } from '../web/attributes.mjs';

// The engine of this tree's build unless told otherwise.
process.env.SDP_WASM_DIR ??= fileURLToPath(new URL('../build/wasm', import.meta.url));

export const DOC = fileURLToPath(new URL('../docs/embedding.md', import.meta.url));
export const BEGIN = '<!-- generated attributes: node scripts/embedding_doc.mjs --write -->';
export const END = '<!-- end of generated attributes -->';

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function where(declaration) {
  if (declaration.config) return `config \`${declaration.config}\``;
  if (declaration.op) return `\`${declaration.field}\` of the starting \`${declaration.op}\` step`;
  return 'the widget\'s own';
}

function defaultOf(widget, declaration) {
  if (declaration.default !== undefined) return String(declaration.default);
  const base = widget.prototype.baseConfig.call(null);
  return declaration.config && base[declaration.config] !== undefined ? String(base[declaration.config]) : 'the sim\'s default';
}

export async function generatedSection() {
  const infos = new Map((await listSims()).sims.map((info) => [info.sim, info]));
  const parts = [BEGIN, ''];
  for (const { tag, widget } of await widgetClasses()) {
    parts.push(`### \`<${tag}>\` — ${widget.title}`, '');
    const entries = Object.entries(widget.attributes);
    if (entries.length === 0) {
      parts.push('No attributes of its own: only the common ones above.', '');
      continue;
    }
    parts.push('| attribute | sets | allowed | default |', '|---|---|---|---|');
    for (const [name, declaration] of entries) {
      const spec = attributeSpec(name, declaration, infos.get(widget.sim));
      parts.push(`| \`${name}\` | ${cell(where(declaration))} | ${cell(spec.allowed)} | ${cell(defaultOf(widget, declaration))} |`);
    }
    parts.push('');
  }
  parts.push(END);
  return parts.join('\n');
}

export const withSection = (doc, section) => replaceSection(doc, section, { begin: BEGIN, end: END, name: DOC });

await runSectionScript(import.meta.url, DOC, { begin: BEGIN, end: END }, generatedSection);
