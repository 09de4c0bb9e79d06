// index.html?topic=ID: one topic or one widget of the gallery, the others
// never created; an unknown id says which ones exist.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widgetsOnPage = (page) => page.evaluate(() => [...document.querySelectorAll('*')]
  .filter((e) => e.localName.startsWith('sdp-')).map((e) => ({ tag: e.localName, created: Boolean(e.session || e.shadowRoot) })));

test('?topic= shows one topic or one widget, links back, and names the choices when unknown', async () => {
  const all = await openPage(browser, '/');
  const everything = await widgetsOnPage(all.page);
  await all.context.close();

  const topic = await openPage(browser, '/?topic=redis');
  await topic.page.waitForFunction(() => document.querySelector('sdp-redis-geo')?.session);
  assert.deepEqual((await widgetsOnPage(topic.page)).map((w) => w.tag), ['sdp-redis-zset', 'sdp-redis-geo', 'sdp-redis-persistence']);
  assert.match(await topic.page.title(), /^Redis: sorted sets, geohash and persistence — /);
  const back = topic.page.getByRole('link', { name: 'All topics' });
  await back.click();
  await topic.page.waitForURL((url) => url.search === '');
  assert.equal((await widgetsOnPage(topic.page)).length, everything.length);
  assert.deepEqual(topic.problems, []);
  await topic.context.close();

  const one = await openPage(browser, '/?topic=kafka');
  await one.page.waitForFunction(() => document.querySelector('sdp-kafka')?.session);
  assert.deepEqual((await widgetsOnPage(one.page)).map((w) => w.tag), ['sdp-kafka']);
  assert.deepEqual(await one.page.locator('main > p, main > section > p').evaluateAll((ps) => ps.map((p) => p.className)), ['topic-back', 'docs-link'],
    'the "All topics" line and the widget\'s docs link, no paragraph about other widgets');
  assert.deepEqual(one.problems, []);
  await one.context.close();

  const unknown = await openPage(browser, '/?topic=%3Cb%3Enope');
  const banner = unknown.page.locator('#load-error');
  await banner.waitFor();
  assert.match(await banner.textContent(), /^No topic or widget "<b>nope"\. Topics: partitioning, balancing, .*Widgets: hash-ring, hash-lab, /);
  assert.equal(await unknown.page.locator('#load-error b').count(), 0, 'the id is shown as text');
  assert.equal((await widgetsOnPage(unknown.page)).length, everything.length, 'an unknown id shows the whole gallery');
  await unknown.context.close();
});
