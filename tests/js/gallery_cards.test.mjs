// The index page's cards come from topic.html (scripts/gallery_cards.mjs):
// every widget is on exactly one topic, so every widget is one card away
// from the index; a topic without its card line is refused by name; text
// goes into the cards escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cardsHtml, readTopics } from '../../scripts/gallery_cards.mjs';
import { widgetClasses } from '../../scripts/node_widgets.mjs';

const topicHtml = readFileSync(new URL('../../topic.html', import.meta.url), 'utf8');

test('every widget is on exactly one topic of topic.html, and so on one card', async () => {
  const topics = readTopics(topicHtml);
  const placed = topics.flatMap((t) => t.widgets.map((w) => w.tag));
  const tags = (await widgetClasses()).map((w) => w.tag);
  assert.deepEqual([...placed].sort(), [...tags].sort());
  const ids = topics.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length, 'topic ids are unique');
  const widgetIds = [...topicHtml.matchAll(/<sdp-[a-z0-9-]+\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids.filter((id) => widgetIds.includes(id)), [], 'no topic shares its id with a widget');
  const cards = cardsHtml(topics, () => 'T');
  assert.equal(cards.match(/<li class="topic-card">/g).length, topics.length);
});

test('a topic without a card line is refused by name; card text is escaped', () => {
  const section = (summary) => `<section aria-labelledby="x"${summary}>\n<h2 id="x">A &amp; B</h2><sdp-kafka id="k" sync-url brokers="3"></sdp-kafka></section>`;
  assert.throws(() => readTopics(section('')), /section "x" has no data-summary/);
  const [topic] = readTopics(section(' data-summary="&lt;b&gt; x"'));
  assert.deepEqual(topic, { id: 'x', title: 'A & B', summary: '<b> x', widgets: [{ tag: 'sdp-kafka', attrs: { brokers: '3' } }] });
  const html = cardsHtml([topic], () => '<i>');
  assert.match(html, /A &amp; B<\/a>/);
  assert.match(html, /&lt;b&gt; x/);
  assert.match(html, /&lt;i&gt;/);
  assert.doesNotMatch(html, /<b>|<i>/);
});
