// The built-in corpus of <sdp-search-index>: product titles made up from
// word lists written for this project (no downloaded data). Product i is a
// pure function of i (an integer hash picks its words), so the corpus costs
// a few hundred bytes of words and every browser builds the same documents.
// Titles vary in length (2 to 7 words), so BM25's length normalisation
// shows; some carry a hyphen ("heavy-duty": two terms) or an apostrophe
// ("kid's": one term) for the analyzer to show.
// Plain JS (no DOM): node tests import it.

export const CORPUS_SIZE = 240;

const COLOURS = ['Red', 'Blue', 'Black', 'White', 'Green', 'Grey', 'Navy', 'Orange', 'Yellow', 'Pink'];
const ADJECTIVES = ['Wireless', 'Waterproof', 'Classic', 'Compact', 'Slim', 'Vintage', 'Heavy-duty', 'Organic',
  'Lightweight', 'Premium', 'Foldable', 'Quick-dry'];
const MATERIALS = ['leather', 'cotton', 'wool', 'steel', 'bamboo', 'ceramic', 'canvas', 'glass', 'oak', 'linen'];
const EXTRAS = ['for kids', "kid's size", '2-pack', 'with case', 'gift set', 'XL'];
// tag (a keyword) -> [product nouns, lowest price, price spread] (whole units)
const CATEGORIES = [
  ['shoes', ['running shoes', 'hiking boots', 'sandals', 'sneakers'], 25, 120],
  ['audio', ['headphones', 'speaker', 'earbuds'], 15, 200],
  ['kitchen', ['coffee mug', 'frying pan', 'kettle', 'knife set', 'teapot'], 8, 90],
  ['home', ['lamp', 'cushion', 'rug', 'blanket'], 12, 150],
  ['outdoor', ['backpack', 'tent', 'water bottle', 'rain jacket'], 10, 250],
  ['office', ['notebook', 'desk chair', 'pen', 'desk lamp'], 3, 180],
];

// A 32-bit integer mix (Murmur3's finaliser): the same words everywhere,
// no Math.random.
function mix(x) {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function pick(list, h) {
  return list[h % list.length];
}

export function productId(i) {
  return `p${String((i % CORPUS_SIZE) + 1).padStart(3, '0')}`;
}

// Product i (any i >= 0): {id, doc}. From CORPUS_SIZE on the ids come round
// again with a new price: indexing them again is an update (a tombstone in
// the old copy's segment).
export function product(i) {
  return { id: productId(i), doc: JSON.stringify(productDoc(i % CORPUS_SIZE, Math.floor(i / CORPUS_SIZE))) };
}

// The document of title number n (any n >= 0: bench/search.mjs draws
// 100,000 of them) in price round `round`.
export function productDoc(n, round = 0) {
  const h = mix(n + 1);
  const [tag, nouns, low, spread] = pick(CATEGORIES, h);
  const words = [pick(COLOURS, mix(h)), pick(nouns, mix(h + 1))];
  const shape = mix(h + 2) % 8;
  if (shape >= 2) words.unshift(pick(ADJECTIVES, mix(h + 3)));
  if (shape >= 4) words.splice(words.length - 1, 0, pick(MATERIALS, mix(h + 4)));
  if (shape >= 7) words.push(pick(EXTRAS, mix(h + 5)));
  const price = low + ((mix(h + 6 + round) % spread) | 0);
  return { title: words.join(' '), tag, price };
}

// The index steps for products [from, from + count).
export function productSteps(from, count) {
  const steps = [];
  for (let i = from; i < from + count; i++) steps.push({ op: 'index', ...product(i) });
  return steps;
}

// Whether `step` indexes product `cursor`, the next one the corpus buttons
// would send (the widget counts them, replays included, to know where the
// corpus stands).
export function isProduct(step, cursor) {
  if (step.op !== 'index' || step.id !== productId(cursor)) return false;
  return step.doc === product(cursor).doc;
}
