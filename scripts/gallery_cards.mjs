// Writes the index page's topic cards: dist/index.html is index.html with
// one card per topic of topic.html (its heading, its data-summary, the
// titles of its widgets), so the topics are written once, in topic.html.
// Each card lists the topic's widgets with their attributes there; the
// first that draws something draws the card's picture: web/card-pictures.mjs draws them in the
// page (docs/gallery.md says why not here).
//   node scripts/gallery_cards.mjs index.html topic.html OUT.html
import { readFileSync, writeFileSync } from 'node:fs';
import { widgetClasses } from './node_widgets.mjs';

const MARKER = /<!-- topic cards:[^>]*-->/;

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const unescapeHtml = (text) => text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<')
  .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const plainText = (html) => unescapeHtml(html.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();

// [{id, title, summary, widgets: [{tag, attrs}]}] in page order; throws,
// naming the topic, when one lacks a heading, a summary or a widget.
export function readTopics(topicHtml) {
  const topics = [];
  for (const [, open, body] of topicHtml.matchAll(/<section\b([^>]*)>([\s\S]*?)<\/section>/g)) {
    const id = open.match(/aria-labelledby="([^"]+)"/)?.[1];
    const summary = open.match(/data-summary="([^"]*)"/)?.[1];
    const heading = body.match(/<h2 id="([^"]+)">([\s\S]*?)<\/h2>/);
    if (!id || !heading || heading[1] !== id) throw new Error(`topic.html: a section without an <h2 id> matching its aria-labelledby (${id})`);
    if (!summary) throw new Error(`topic.html: section "${id}" has no data-summary (the card's one line)`);
    const widgets = [...body.matchAll(/<(sdp-[a-z0-9-]+)\b([^>]*)>/g)].map(([, tag, attrText]) => {
      const attrs = {};
      for (const [, name, , value] of attrText.matchAll(/([a-z-]+)(="([^"]*)")?/g)) {
        if (name !== 'id' && name !== 'sync-url') attrs[name] = unescapeHtml(value ?? '');
      }
      return { tag, attrs };
    });
    if (!widgets.length) throw new Error(`topic.html: section "${id}" has no widget`);
    // data-card-tour="N": the picture shows the end of the first widget's
    // N-th tour instead of its first (whose start may draw nothing yet).
    const cardTour = open.match(/data-card-tour="(\d+)"/)?.[1];
    if (cardTour) widgets[0].tour = Number(cardTour) - 1;
    topics.push({ id, title: plainText(heading[2]), summary: unescapeHtml(summary), widgets });
  }
  return topics;
}

export function cardsHtml(topics, titleOf) {
  const cards = topics.map(({ id, title, summary, widgets }) => {
    const names = widgets.map((w) => titleOf(w.tag) ?? w.tag).join(' · ');
    return `      <li class="topic-card">
        <div class="card-picture" data-widgets="${escapeHtml(JSON.stringify(widgets))}"></div>
        <h3><a href="topic.html?t=${encodeURIComponent(id)}">${escapeHtml(title)}</a></h3>
        <p>${escapeHtml(summary)}</p>
        <p class="card-widgets">${escapeHtml(names)}</p>
      </li>`;
  });
  return `<ul class="topic-cards">\n${cards.join('\n')}\n    </ul>`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [indexPath, topicPath, outPath] = process.argv.slice(2);
  const index = readFileSync(indexPath, 'utf8');
  if (!MARKER.test(index)) throw new Error(`${indexPath}: no <!-- topic cards: ... --> marker`);
  const titles = new Map((await widgetClasses()).map(({ tag, widget }) => [tag, widget.title]));
  const topics = readTopics(readFileSync(topicPath, 'utf8'));
  writeFileSync(outPath, index.replace(MARKER, cardsHtml(topics, (tag) => titles.get(tag))));
  console.log(`${outPath}: ${topics.length} topic cards`);
}
