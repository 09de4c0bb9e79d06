// Entry point of dist/sdp-embed.js: one file a blog post includes with
//   <script type="module" src="sdp-embed.js"></script>
// to get every <sdp-*> element. The wasm is inside (single-file build), so
// there is nothing else to host.
import createSdpModule from '../wasm/sdp-single.js';
import { useModuleFactory } from '../wasm/sdp.mjs';
import { defineWidgets } from './widgets.mjs';

useModuleFactory(createSdpModule);
defineWidgets();
