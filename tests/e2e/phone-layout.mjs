// What a phone user meets in one widget, measured in the page (run by
// page.evaluate with the widget's tag; the first such element is measured): what sticks out sideways
// (past the widget's right edge, or a region that scrolls sideways), touch
// targets smaller than MIN_TARGET px, and text drawn smaller than
// MIN_TEXT px (an SVG scaled down to the phone's width shrinks its labels).
// Returns a list of findings, each naming the element; [] when it fits.
export function phoneFindings({ tag, minTarget, minText }) {
  const widget = document.querySelector(tag);
  const box = widget.getBoundingClientRect();
  const findings = [];
  const name = (el) => {
    const label = el.getAttribute?.('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
    return `<${el.localName}${cls}>${label ? ` "${label}"` : ''}`;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  // Every element of the widget, through its shadow root(s).
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(widget.shadowRoot ?? widget);
  // The nearest ancestor (inside the widget) that scrolls sideways.
  const scrollerOf = (el, stop) => {
    for (let n = el.parentElement ?? el.getRootNode().host; n && n !== stop; n = n.parentElement ?? n.getRootNode().host) {
      const s = getComputedStyle(n);
      if (/auto|scroll/.test(s.overflowX) && n.scrollWidth > n.clientWidth + 1) return n;
    }
    return null;
  };
  const namedRegion = (n) => n.getAttribute('tabindex') === '0' && Boolean(n.getAttribute('aria-label'));
  if (box.right > document.documentElement.clientWidth + 1) findings.push(`the widget is ${Math.round(box.width)} px wide on a ${document.documentElement.clientWidth} px screen`);
  for (const el of all) {
    if (!visible(el)) continue;
    // Inside a <details> that is closed: not on screen.
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    // Inside a named scroll region (dom.mjs scrollRegion: focusable, with a
    // name) content may be wider than the screen: the region scrolls it.
    const region = scrollerOf(el, widget);
    if (region && !namedRegion(region)) findings.push(`${name(region)} scrolls sideways without a name and focus (use scrollRegion)`);
    if (r.right > box.right + 1 && !region) {
      // Only the outermost offender: its children stick out with it.
      const parent = el.parentElement ?? el.getRootNode().host;
      const parentSticks = parent && parent !== widget && parent.getBoundingClientRect().right > box.right + 1;
      if (!parentSticks) findings.push(`${name(el)} ends at ${Math.round(r.right - box.left)} px of a ${Math.round(box.width)} px widget`);
    }

    const interactive = el.matches('button, select, input:not([type=hidden]), textarea, summary, a[href], [role=button], [tabindex="0"]');
    if (interactive && !el.disabled) {
      // A checkbox or radio is hit through its label.
      const target = el.matches('input[type=checkbox], input[type=radio]') && el.closest('label') ? el.closest('label') : el;
      const t = target.getBoundingClientRect();
      const scrollRegion = el.matches('[tabindex="0"]') && !el.matches('button, a');
      if (!scrollRegion && (t.height < minTarget - 0.5 || t.width < minTarget - 0.5)) {
        findings.push(`${name(el)} is a ${Math.round(t.width)}×${Math.round(t.height)} px target`);
      }
    }
    if (el.localName === 'text' || el.localName === 'tspan') {
      const h = parseFloat(getComputedStyle(el).fontSize) * (el.ownerSVGElement?.getScreenCTM()?.a ?? 1);
      if (h < minText - 0.05 && el.textContent.trim()) findings.push(`${name(el)} SVG text drawn at ${h.toFixed(1)} px`);
    }
  }
  return [...new Set(findings)];
}
