// Tiny DOM/SVG builders. Text always goes through textContent, never
// innerHTML: user-entered ids and keys must render as text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyProps(node, props) {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    // Styles go through the CSSOM: a style *attribute* is inline style, which
    // the pages' Content-Security-Policy (style-src 'self') refuses.
    else if (name === 'style') for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, String(v));
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
}

// el('button', {class: 'primary', onclick: fn, text: 'Add'}, ...children)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  applyProps(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function svg(tag, props = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyProps(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function formatCount(n) {
  return Number(n).toLocaleString('en-US');
}

export function formatPercent(fraction, digits = 1) {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function plural(n, noun) {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}
