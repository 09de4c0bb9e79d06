// One Chromium for the whole browser suite: scripts/e2e.sh starts this,
// reads the endpoint it prints, and every test file connects to it instead
// of launching a browser of its own (a launch and its teardown cost about
// 2.5 CPU seconds, paid 24 times). Each test still gets its own context
// (its own storage, cache and renderer process), as it did with a browser
// of its own. Stops when its stdin closes (e2e.sh exits or is killed).
import { chromium } from 'playwright-core';
import { launchOptions } from './browser.mjs';

const server = await chromium.launchServer({ ...launchOptions(), host: '127.0.0.1' });
process.stdout.write(`${server.wsEndpoint()}\n`);
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
