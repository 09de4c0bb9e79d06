// The index page (a card a topic, its picture drawn by the topic's widget)
// and topic.html?t=ID (one topic or one widget, with its tours and its
// exercises; widgets created when scrolled near), old gallery links
// redirected, and an unknown id that says which ones exist.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, cardPicturesDrawn, launch, openPage, shoot, twoFrames } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const widgetsOnPage = (page) => page.evaluate(() => [...document.querySelectorAll('*')]
  .filter((e) => e.localName.startsWith('sdp-')).map((e) => ({ tag: e.localName, created: Boolean(e.session || e.shadowRoot) })));

test('the index: a card per topic, a named link to its topic page, its picture drawn by the widget', async () => {
  const topicHtml = await (await fetch(`${baseUrl}/topic.html`)).text();
  const titles = [...topicHtml.matchAll(/<section\b[^>]*>\s*<h2 id="([^"]+)">([^<]+)<\/h2>/g)].map(([, id, title]) => ({ id, title }));
  assert.ok(titles.length >= 10, `topics in topic.html: ${titles.length}`);
  const { page, problems, context } = await openPage(browser, '/');
  await cardPicturesDrawn(page, 'light');
  const cards = await page.locator('.topic-card h3 a').evaluateAll((links) => links.map((a) => ({ name: a.textContent, href: a.getAttribute('href') })));
  assert.deepEqual(cards, titles.map(({ id, title }) => ({ name: title.replace(/&amp;/g, '&'), href: `topic.html?t=${id}` })));
  const pictures = await page.evaluate(() => [...document.querySelectorAll('.card-picture')].map((slot) => ({
    tag: slot.dataset.tag, scheme: slot.dataset.scheme ?? null, error: slot.dataset.error ?? null, state: slot.dataset.state,
    src: slot.querySelector('img')?.src.slice(0, 15) ?? null, width: slot.querySelector('img')?.naturalWidth ?? 0,
  })));
  const drawn = pictures.filter((p) => p.scheme);
  assert.ok(drawn.length >= 3, `pictures drawn on the first screen: ${JSON.stringify(pictures)}`);
  for (const p of drawn) assert.ok(p.src.startsWith('data:image/') && p.width > 0 && !p.error, JSON.stringify(p));
  assert.ok(pictures.some((p) => !p.scheme), 'cards far below the screen wait for their picture');
  // A tour whose end charts nothing gives way to the starting state: Kafka's
  // first tour ends before its lag chart has a point (it drew empty axes).
  const kafka = pictures.find((p) => p.tag === 'sdp-kafka');
  assert.equal(kafka?.state, 'start', `the Kafka card: ${JSON.stringify(kafka)}`);
  assert.deepEqual(await widgetsOnPage(page), [], 'each widget is removed once it has drawn its picture');
  await shoot(page, 'gallery-index-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await cardPicturesDrawn(page, 'dark');
  await shoot(page, 'gallery-index-dark');
  await page.setViewportSize({ width: 390, height: 844 });
  await twoFrames(page);
  await shoot(page, 'gallery-index-phone-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await cardPicturesDrawn(page, 'light');
  await shoot(page, 'gallery-index-phone-light');
  // The whole card is the link (its ::after covers the card, so a click on
  // the picture lands on the link): a click there opens the topic.
  await page.locator('.topic-card .card-picture').first().click({ force: true });
  await page.waitForURL((url) => url.pathname === '/topic.html' && url.search === `?t=${titles[0].id}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a topic page: its widgets created when scrolled near, its tours, its exercises, a link back', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=redis');
  await page.waitForFunction(() => document.querySelector('sdp-redis-zset')?.session);
  assert.match(await page.title(), /^Redis: sorted sets, geohash and persistence — /);
  const widgets = await widgetsOnPage(page);
  assert.deepEqual(widgets.map((w) => w.tag), ['sdp-redis-zset', 'sdp-redis-geo', 'sdp-redis-persistence']);
  assert.equal(widgets.at(-1).created, false, 'the widget far below the screen is not created yet');
  await page.locator('sdp-redis-persistence').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('sdp-redis-persistence')?.session);
  // Tours: one button a tour, from the bundled scenarios; one plays it.
  const tours = await page.evaluate(() => ['sdp-redis-zset', 'sdp-redis-geo', 'sdp-redis-persistence']
    .map((tag) => document.querySelector(tag).tours().map((t) => t.title)));
  const buttons = page.locator('.tour-list button');
  assert.deepEqual(await buttons.allTextContents(), tours.flat());
  await page.getByRole('button', { name: `Play the tour ${tours[2][0]} (Redis persistence: RDB and AOF)`, exact: true }).click();
  await page.waitForFunction(() => document.querySelector('sdp-redis-persistence').playing);
  await page.evaluate(() => document.querySelector('sdp-redis-persistence').pause());
  await shoot(page, 'topic-redis-light', { fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await twoFrames(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, 'topic-redis-dark');
  await page.setViewportSize({ width: 390, height: 844 });
  await twoFrames(page);
  await shoot(page, 'topic-redis-phone-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await twoFrames(page);
  await shoot(page, 'topic-redis-phone-light');
  // Exercises: the topic's, on exercises.html filtered to its widgets.
  const exercises = page.getByRole('link', { name: /graded exercises on this topic/ });
  assert.equal(await exercises.getAttribute('href'), 'exercises.html?widgets=redis-zset,redis-geo,redis-persistence');
  const count = Number((await exercises.textContent()).match(/^(\d+)/)[1]);
  await exercises.click();
  await page.locator('.exercise-list a').first().waitFor();
  assert.equal(await page.locator('.exercise-list a').count(), count);
  assert.match(await page.locator('.exercise-filter').textContent(), new RegExp(`^Showing the ${count} exercises`));
  await page.goBack();
  // Back on the topic page, the widgets near the restored scroll position
  // load the engine again: leaving before it has arrived aborts that load
  // (a failed request, not a fault of the page), so let the network settle.
  await page.waitForLoadState('networkidle');
  await page.getByRole('link', { name: 'All topics' }).click();
  await page.waitForURL((url) => url.pathname === '/index.html');
  await cardPicturesDrawn(page, 'light'); // leaving earlier aborts their loads
  assert.deepEqual(problems, []);
  await context.close();
});

test('one widget alone, an old gallery link redirected, an unknown id named with the choices', async () => {
  // index.html?topic=ID was the one-page gallery's link to a topic or widget.
  const one = await openPage(browser, '/?topic=kafka');
  await one.page.waitForFunction(() => document.querySelector('sdp-kafka')?.session);
  assert.equal(new URL(one.page.url()).search, '?t=kafka');
  assert.deepEqual((await widgetsOnPage(one.page)).map((w) => w.tag), ['sdp-kafka']);
  assert.deepEqual(await one.page.locator('main > p, main > section > p').evaluateAll((ps) => ps.map((p) => p.className)), ['topic-back', 'docs-link'],
    'the "All topics" line and the widget\'s docs link, no paragraph about other widgets');
  assert.deepEqual(one.problems, []);
  await one.context.close();

  const unknown = await openPage(browser, '/topic.html?t=%3Cb%3Enope');
  const banner = unknown.page.locator('#load-error');
  await banner.waitFor();
  assert.match(await banner.textContent(), /^No topic or widget "<b>nope"\. Topics: partitioning, balancing, .*Widgets: hash-ring, hash-lab, /);
  assert.equal(await unknown.page.locator('#load-error b').count(), 0, 'the id is shown as text');
  const all = await widgetsOnPage(unknown.page);
  assert.ok(all.length >= 17, 'an unknown id shows every topic');
  assert.ok(all.filter((w) => w.created).length < all.length, 'and creates only the widgets near the screen');
  await unknown.page.waitForFunction(() => [...document.querySelectorAll(':defined')].filter((e) => e.localName.startsWith('sdp-')).every((e) => e.session));
  await unknown.context.close();
});
