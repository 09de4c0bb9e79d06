// docs/embedding.md's attribute tables are generated from the widgets' own
// declarations: this fails when a widget's attributes change and the doc
// was not regenerated (node scripts/embedding_doc.mjs --write).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOC, generatedSection, withSection } from '../../scripts/embedding_doc.mjs';
import { widgetClasses } from '../../scripts/node_widgets.mjs';

test('docs/embedding.md lists every widget\'s attributes as the widgets declare them', async () => {
  const doc = readFileSync(DOC, 'utf8');
  assert.equal(doc, withSection(doc, await generatedSection()),
    'docs/embedding.md is out of date: run node scripts/embedding_doc.mjs --write');
  for (const { tag, widget } of await widgetClasses()) {
    assert.ok(doc.includes(`### \`<${tag}>\``), `${tag} has a section`);
    for (const name of Object.keys(widget.attributes)) assert.ok(doc.includes(`| \`${name}\` |`), `${tag} ${name}`);
  }
});
