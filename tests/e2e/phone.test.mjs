// Phones (issue #22 point 7): blog readers open the widgets on a 390 px wide
// screen. On topic.html (every topic on one page) at that size, every widget (found on the page,
// so a new one is checked without touching this file) must fit: nothing
// wider than the widget except inside a named scroll region (the region
// scrolls, the page never does), every touch target at least 40 px, no SVG
// label drawn under 10 px. The other pages must not scroll sideways either.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cardPicturesDrawn, createAllWidgets, launch, openPage, shootBothThemes, twoFrames } from './browser.mjs';
import { phoneFindings } from './phone-layout.mjs';

const PHONE = { width: 390, height: 844 };
const MIN_TARGET_PX = 40;
const MIN_LABEL_PX = 10;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const pageWidth = (page) => page.evaluate(() => ({
  content: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth,
}));

test('every widget fits a 390 px phone: no sideways page, 40 px targets, 10 px labels', async () => {
  const { page, context, problems } = await openPage(browser, '/topic.html', { viewport: PHONE });
  try {
    const tags = await createAllWidgets(page);
    assert.ok(tags.length >= 17, `found only ${tags.length} widgets`);
    const failures = [];
    for (const tag of tags) {
      const findings = await page.evaluate(phoneFindings, { tag, minTarget: MIN_TARGET_PX, minText: MIN_LABEL_PX });
      if (findings.length) failures.push(`${tag}:\n    ${findings.slice(0, 8).join('\n    ')}${findings.length > 8 ? `\n    … ${findings.length - 8} more` : ''}`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    const { content, screen } = await pageWidth(page);
    assert.ok(content <= screen, `the gallery is ${content} px wide on a ${screen} px screen`);
    // What a reader sees: three widgets of different shapes.
    for (const tag of ['sdp-kafka', 'sdp-circuit-breaker', 'sdp-search-index']) {
      const widget = page.locator(tag);
      await widget.scrollIntoViewIfNeeded();
      await shootBothThemes(page, widget, `phone-${tag.slice(4)}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the index, the exercises page and docs pages do not scroll sideways on a phone', async () => {
  for (const path of ['/', '/exercises.html', '/docs/kafka.html', '/docs/search_index.html', '/docs/rest.html']) {
    const { page, context, problems } = await openPage(browser, path, { viewport: PHONE });
    try {
      await page.waitForLoadState('load');
      if (path === '/') await cardPicturesDrawn(page, 'light'); // leaving earlier aborts their loads
      await twoFrames(page);
      const { content, screen } = await pageWidth(page);
      assert.ok(content <= screen, `${path} is ${content} px wide on a ${screen} px screen`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});
