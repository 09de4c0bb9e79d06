// <sdp-http-vs-https> in a real browser, on one page load: the eavesdropper
// reads the HTTP body but over HTTPS sees only record sizes and the SNI; a
// tamperer's change reaches the server unseen over HTTP and ends in
// bad_record_mac over HTTPS; an impersonator is refused with unknown_ca;
// refused input is said next to its control and changes nothing; the share
// link restores the state; a tour fills its numbers from the run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectRefused, launch, openPage, reopenFromShareLink, shoot, shootBothThemes } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAG = 'sdp-http-vs-https';
const widget = (page) => page.locator(TAG);
const button = (page, name) => widget(page).getByRole('button', { name, exact: true });
const last = (page) => page.evaluate((t) => document.querySelector(t).session.snapshot().last, TAG);
const pane = (page, n) => widget(page).locator('.pane').nth(n);

async function ready(page) {
  await page.waitForFunction((t) => document.querySelector(t)?.session, TAG);
  await widget(page).scrollIntoViewIfNeeded();
}

async function putOnPath(page, mode, fields = {}) {
  await widget(page).getByLabel('Who is on the path').selectOption(mode);
  for (const [label, value] of Object.entries(fields)) {
    const control = widget(page).getByLabel(label, { exact: true });
    if (await control.evaluate((e) => e.tagName === 'SELECT')) await control.selectOption(value);
    else await control.fill(value);
  }
  await button(page, 'Put on the path').click();
}

test('HTTP vs HTTPS with an eavesdropper, a tamperer and an impersonator; bad input; the share link', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=http-vs-https');
  await ready(page);

  // The widget starts with an eavesdropper and the transfer over HTTP: it reads the body.
  let x = await last(page);
  assert.equal(x.scheme, 'http');
  assert.match(await pane(page, 1).locator('pre').first().textContent(), /POST \/transfer HTTP\/1\.1[\s\S]*to=bob&amount=100/);
  assert.match(await widget(page).locator('.verdict').textContent(), /Read: yes/);
  await shootBothThemes(page, widget(page), 'https-http-eavesdrop');

  // Over HTTPS: the handshake on the diagram, only record headers and the SNI in the attacker's pane.
  await button(page, 'HTTPS').click();
  await button(page, 'Send').click();
  x = await last(page);
  assert.equal(x.scheme, 'https');
  assert.equal(x.read, false);
  const attacker = await pane(page, 1).textContent();
  assert.doesNotMatch(attacker, /amount|\/transfer|POST/);
  assert.match(attacker, /SNI bank\.example/);
  const lengths = await pane(page, 1).locator('tbody tr td:nth-child(5)').allTextContents();
  assert.deepEqual(lengths, x.messages.map((m) => String(m.length)));
  assert.equal(x.sizes.request_wire_bytes, x.sizes.request_text_bytes + 1 + 16 + 5);
  assert.match(await pane(page, 2).locator('pre').first().textContent(), /to=bob&amount=100/);
  const arrows = await widget(page).locator('.diagram text').allTextContents();
  for (const label of ['ClientHello', 'ServerHello', '{EncryptedExtensions, Certificate, CertificateVerify, Finished}', '{Finished}', '[HTTP request]']) {
    assert.ok(arrows.some((t) => t.startsWith(label)), `${label} on the diagram: ${arrows.join(' | ')}`);
  }
  await shootBothThemes(page, widget(page), 'https-https-eavesdrop');

  // A tamperer: over HTTP the server reads to=mallory and cannot tell; over HTTPS bad_record_mac.
  await putOnPath(page, 'tamper', { Find: 'to=bob', 'Replace with': 'to=mallory' });
  await button(page, 'HTTP').click();
  await button(page, 'Send').click();
  x = await last(page);
  assert.equal(x.altered, true);
  assert.equal(x.detected, false);
  assert.match(await pane(page, 2).textContent(), /≠ what was sent[\s\S]*to=mallory&amount=100/);
  assert.equal(await widget(page).locator('.diagram text.altered').count(), 1);
  await button(page, 'HTTPS').click();
  await button(page, 'Send').click();
  x = await last(page);
  assert.equal(x.alert.name, 'bad_record_mac');
  assert.match(await widget(page).locator('.verdict').textContent(), /Detected: yes \(alert bad_record_mac, 20\)/);
  assert.match(await pane(page, 2).textContent(), /failed its check/);
  await shootBothThemes(page, widget(page), 'https-tamper-detected');

  // An impersonator with a certificate from its own CA: unknown_ca, the request never sent.
  await putOnPath(page, 'impersonate', { Certificate: 'own_ca' });
  await button(page, 'Send').click();
  x = await last(page);
  assert.equal(x.alert.name, 'unknown_ca');
  assert.equal(x.client_sent, null);
  assert.match(await pane(page, 0).textContent(), /refused the handshake \(unknown_ca\)/);
  await shootBothThemes(page, widget(page), 'https-impersonation-refused');

  // Bad input: said next to the control, nothing changes.
  const refused = (name, pattern) => expectRefused(page, TAG, button(page, name), () => button(page, name).click(), pattern, name);
  await widget(page).getByLabel('Path', { exact: true }).fill('transfer');
  await refused('Send', /"path".*start with \//);
  await widget(page).getByLabel('Path', { exact: true }).fill('/transfer');
  await widget(page).getByLabel('Padding (bytes)').fill('-1');
  await refused('Send', /"padding".*\[0, 1000\]/);
  await widget(page).getByLabel('Padding (bytes)').fill('0');
  await putOnPath(page, 'tamper', { Find: '' });
  assert.match(await widget(page).locator('.field-error').filter({ hasText: 'find' }).first().textContent(), /"find"/);
  await shoot(widget(page), 'https-refused-light');

  await reopenFromShareLink(page, context, TAG, ready);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tours run from the scenarios, their numbers from the run', async () => {
  const { page, problems, context } = await openPage(browser, '/topic.html?t=http-vs-https');
  await ready(page);
  const tours = widget(page).getByLabel('Guided tour');
  const options = await tours.locator('option').allTextContents();
  const index = options.findIndex((t) => /three certificates, three alerts/.test(t));
  assert.ok(index >= 0, options.join(' | '));
  await tours.selectOption(String(index));
  const text = await widget(page).locator('.tour-text').textContent();
  assert.doesNotMatch(text, /\{\{/);
  assert.match(text, /unknown_ca \(48\)[\s\S]*bad_certificate \(42\)[\s\S]*decrypt_error \(51\)/);
  for (;;) {
    const position = await widget(page).locator('.tour-text').textContent();
    if (/step (\d+) of \1\)/.test(position)) break;
    await button(page, 'Step').click();
  }
  assert.equal((await last(page)).alert.name, 'decrypt_error');
  await shoot(widget(page), 'https-tour-impersonate-light');
  assert.deepEqual(problems, []);
  await context.close();
});
