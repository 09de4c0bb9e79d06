// Renders docs/*.md into OUT_DIR/*.html pages (marked, at build time), so the
// static site carries the docs; the Markdown stays the one source.
import { marked } from 'marked';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// A code block wider than the column scrolls sideways: keyboard users must be
// able to focus it to scroll it (WCAG 2.1.1; axe's scrollable-region-focusable).
// A table too wide for a phone scrolls sideways in its own box, for the
// same reason focusable, so the page itself never scrolls sideways.
const focusableCode = (html) => html.replaceAll('<pre>', '<pre tabindex="0">')
  .replaceAll('<table>', '<div class="table-scroll" tabindex="0" role="group" aria-label="Table (scrolls sideways on a narrow screen)"><table>')
  .replaceAll('</table>', '</table></div>');

const [, , sourceDir, outDir] = process.argv;
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.md')).sort()) {
  const markdown = readFileSync(join(sourceDir, file), 'utf8');
  const title = (markdown.match(/^# (.*)$/m)?.[1] ?? file).replace(/`/g, '');
  const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} — System Design Playground</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="../web/page.css">
</head>
<body class="doc">
  <p><a href="../index.html">← System Design Playground</a></p>
  ${focusableCode(marked.parse(markdown))}
</body>
</html>
`;
  writeFileSync(join(outDir, `${basename(file, '.md')}.html`), page);
}
