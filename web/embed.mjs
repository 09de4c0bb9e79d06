// Entry point of dist/sdp-embed.js: one file a blog post includes with
//   <script type="module" src="sdp-embed.js"></script>
// to get every <sdp-*> element. The wasm bytes are inside (esbuild's binary
// loader) and handed to the module directly, so nothing else is fetched and a
// CSP of connect-src 'self' is enough. sdp.js is the site's module; its
// node-only branch (require('fs')) is left external and never runs in a page.
import createSdpModule from '../wasm/sdp.js';
import wasmBinary from '../wasm/sdp.wasm';
import { useModuleFactory } from '../wasm/sdp.mjs';
import { defineWidgets } from './widgets.mjs';

useModuleFactory(createSdpModule, { wasmBinary });
defineWidgets();
