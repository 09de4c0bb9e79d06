// The three Redis widgets in a real browser: the sorted set turns into a skip
// list past 128 entries, GEO answers with Redis's numbers, and a power cut
// under everysec loses acknowledged writes that appendfsync always keeps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, shoot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widget = (page, tag) => page.locator(tag);
const button = (page, tag, name) => widget(page, tag).getByRole('button', { name, exact: true });
const snapshot = (page, tag) => page.evaluate((t) => document.querySelector(t).session.snapshot(), tag);

async function ready(page, tag, selector) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, tag);
  await widget(page, tag).locator(selector).first().waitFor();
  await widget(page, tag).scrollIntoViewIfNeeded();
}

async function run(page, tag, line) {
  await widget(page, tag).getByLabel('Redis command', { exact: true }).fill(line);
  await widget(page, tag).getByLabel('Redis command', { exact: true }).press('Enter');
}

test('sorted set: a listpack until 128 entries, then a skip list with the insert path drawn', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=redis-zset', { colorScheme });
    const tag = 'sdp-redis-zset';
    await ready(page, tag, '.listpack');
    assert.equal((await snapshot(page, tag)).view.encoding, 'listpack');
    await button(page, tag, 'Fill past 128 entries').click();
    await widget(page, tag).locator('svg.skiplist').waitFor();
    await run(page, tag, 'ZADD jobs 500 zzz-new-job');
    const snap = await snapshot(page, tag);
    assert.equal(snap.view.encoding, 'skiplist');
    assert.equal(snap.view.size, 134);
    await widget(page, tag).locator('.transcript').getByText('(integer) 1').waitFor();
    await run(page, tag, 'ZADD jobs NX GT 1 x');
    await widget(page, tag).locator('.transcript').getByText('GT, LT, and/or NX options at the same time are not compatible').waitFor();
    await shoot(widget(page, tag), `redis-zset-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('geo: Palermo and Catania have Redis\'s scores, hashes and distance', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=redis-geo', { colorScheme });
    const tag = 'sdp-redis-geo';
    await ready(page, tag, 'svg.plane circle');
    await run(page, tag, 'GEODIST sicily Palermo Catania');
    await widget(page, tag).locator('.transcript').getByText('"166274.1516"').waitFor();
    await run(page, tag, 'GEOHASH sicily Palermo Catania');
    await widget(page, tag).locator('.transcript').getByText('sqc8b49rny0').waitFor();
    await run(page, tag, 'GEOADD sicily 13.361389 38.115556 Palermo2');
    await widget(page, tag).getByText('3479099956230698').first().waitFor();
    assert.ok(await widget(page, tag).locator('rect.cell').count() >= 1, 'the search cells are drawn');
    await shoot(widget(page, tag), `redis-geo-${colorScheme}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('persistence: a power cut under everysec loses acked writes; always loses none', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await openPage(browser, '/topic.html?t=redis-persistence', { colorScheme });
    const tag = 'sdp-redis-persistence';
    await ready(page, tag, '.records span');
    await button(page, tag, 'Power cut').click();
    await button(page, tag, 'Restart').click();
    let snap = await snapshot(page, tag);
    assert.equal(snap.last_restart.started, true);
    assert.ok(snap.last_restart.lost.acked_lost > 0, 'everysec: the last second is gone');
    await widget(page, tag).getByText(/acknowledged writes? lost/).first().waitFor();
    await shoot(widget(page, tag), `redis-persistence-${colorScheme}`);
    await widget(page, tag).getByLabel('appendfsync').selectOption('always');
    await button(page, tag, '+1 s').click();
    await button(page, tag, 'Power cut').click();
    await button(page, tag, 'Restart').click();
    snap = await snapshot(page, tag);
    assert.equal(snap.last_restart.lost?.acked_lost ?? 0, 0, 'always: nothing acknowledged is lost');
    assert.deepEqual(problems, []);
    await context.close();
  }
});
