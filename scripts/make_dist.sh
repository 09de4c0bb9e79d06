#!/usr/bin/env bash
# Assembles dist/: the index of topics, the topic pages, the widgets, the wasm module, the scenarios
# (as tours) and the one-file embed script. Copy dist/ to any static host.
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist.tmp
rm -rf "$out"
mkdir -p "$out/wasm" "$out/web/vendor"
cp topic.html embed-demo.html exercises.html widget.html "$out/"
cp web/*.js "$out/web/"
# The index page's topic cards, from topic.html's sections (one source).
node scripts/gallery_cards.mjs index.html topic.html "$out/index.html"
mkdir -p "$out/examples"
cp examples/*.html "$out/examples/"
cp web/*.mjs web/*.css "$out/web/"
cp wasm/sdp.mjs build/wasm/sdp.js build/wasm/sdp.wasm "$out/wasm/"
cp node_modules/uplot/dist/uPlot.esm.js "$out/web/vendor/"
node -e 'const fs = require("fs");
  const css = fs.readFileSync("node_modules/uplot/dist/uPlot.min.css", "utf8");
  fs.writeFileSync(process.argv[1], "export default " + JSON.stringify(css) + ";\n");' \
  "$out/web/vendor/uplot-css.mjs"
# The canonical scenarios, keyed by path, for the widgets' guided tours; tour
# texts' {{...}} numbers are filled from each scenario's run in the wasm engine.
SDP_WASM_DIR="$PWD/build/wasm" node scripts/bundle_scenarios.mjs scenarios "$out/web/scenarios.mjs"

# The exercises (exercises.html reads them), and the list of their files
# that a static host cannot give: exercises/index.json.
cp -r exercises "$out/exercises"
(cd exercises && find . -name '*.json' | sed 's|^\./||' | LC_ALL=C sort) |
  node -e 'const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
    process.stdout.write(JSON.stringify(lines, null, 1) + "\n");' > "$out/exercises/index.json"

node scripts/render_docs.mjs docs "$out/docs"

# One file a blog post includes to get every <sdp-*> element: the widgets, the
# browser-only module and its wasm bytes (base64 inside) bundled together.
# sdp.js's node branch require()s fs and path: external, never reached in a page.
npx esbuild "$out/web/embed.mjs" --bundle --format=esm --minify --log-level=warning \
  --loader:.wasm=binary --external:node:* --external:fs --external:path \
  --outfile="$out/sdp-embed.js"

# The same bundle as a classic script, for pages opened from file:// (a
# classroom without network): browsers refuse module scripts from file://
# (their origin is null, so the CORS check fails), a classic <script src> loads.
npx esbuild "$out/web/embed.mjs" --bundle --format=iife --minify --log-level=error \
  --loader:.wasm=binary --external:node:* --external:fs --external:path \
  --outfile="$out/sdp-embed.classic.js"

# The offline kit: all of dist/ in one zip (without the zip itself).
(cd "$out" && zip -qrX sdp-offline.zip . -x sdp-offline.zip)

rm -rf dist
mv "$out" dist
echo "dist/: $(du -sh dist | cut -f1); sdp.wasm $(stat -c %s dist/wasm/sdp.wasm) bytes," \
  "$(gzip -9 -c dist/wasm/sdp.wasm | wc -c) gzipped; sdp-embed.js $(stat -c %s dist/sdp-embed.js) bytes," \
  "$(gzip -9 -c dist/sdp-embed.js | wc -c) gzipped; sdp-offline.zip $(stat -c %s dist/sdp-offline.zip) bytes"
