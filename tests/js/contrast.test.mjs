// Colours chosen by computation, not by eye: text on a key's or a node's
// colour, and the theme's focus ring, meet WCAG's contrast ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { contrastRatio, luminance, parseColour, slotColour, textOn } from '../../web/palette.mjs';

test('WCAG contrast: the published extremes and a known pair', () => {
  assert.equal(contrastRatio('#000', '#fff'), 21);
  assert.equal(contrastRatio('#777', '#777'), 1);
  assert.equal(luminance('#ffffff'), 1);
  // WebAIM's checker: #767676 on white is 4.54:1.
  assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54');
  assert.deepEqual(parseColour('hsl(120 100% 25%)'), [0, 128, 0]);
  assert.throws(() => parseColour('rebeccapurple'), /unsupported colour/);
});

test('text on every palette colour reaches 4.5:1 (small text, WCAG 1.4.3)', () => {
  for (let slot = 0; slot < 60; slot++) {
    const bg = slotColour(slot);
    const ratio = contrastRatio(bg, textOn(bg));
    assert.ok(ratio >= 4.5, `slot ${slot} ${bg}: ${textOn(bg)} at ${ratio.toFixed(2)}:1`);
  }
});

// Text in the SVG diagrams is coloured with these tokens on these
// backgrounds; axe cannot check SVG text, so this does (tests/e2e/a11y).
test('the text tokens are at least 4.5:1 on the backgrounds, light and dark', () => {
  const css = readFileSync(new URL('../../web/theme.mjs', import.meta.url), 'utf8');
  const [light, dark] = css.split('@media (prefers-color-scheme: dark)');
  const token = (block, name) => new RegExp(`--sdp-${name}: (#[0-9a-f]{6})`, 'i').exec(block)[1];
  for (const block of [light, dark]) {
    for (const bg of ['bg', 'panel']) {
      for (const fg of ['fg', 'muted', 'accent', 'error', 'ok']) {
        const ratio = contrastRatio(token(block, fg), token(block, bg));
        assert.ok(ratio >= 4.5, `--sdp-${fg} on --sdp-${bg}: ${ratio.toFixed(2)}:1`);
      }
    }
    assert.ok(contrastRatio(token(block, 'accent-fg'), token(block, 'accent')) >= 4.5, 'button text on the accent');
  }
});

test('the focus ring is at least 3:1 on the widget and panel backgrounds, light and dark', () => {
  const css = readFileSync(new URL('../../web/theme.mjs', import.meta.url), 'utf8');
  const [light, dark] = css.split('@media (prefers-color-scheme: dark)');
  const token = (block, name) => new RegExp(`--sdp-${name}: (#[0-9a-f]{6})`, 'i').exec(block)[1];
  for (const block of [light, dark]) {
    for (const bg of ['bg', 'panel']) {
      for (const fg of ['focus', 'warn']) {
        const ratio = contrastRatio(token(block, fg), token(block, bg));
        assert.ok(ratio >= 3, `--sdp-${fg} on --sdp-${bg}: ${ratio.toFixed(2)}:1`);
      }
    }
  }
});
