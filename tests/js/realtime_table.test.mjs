// docs/realtime.md's results (the table and the numbers in its reading) are
// generated from runs of the sim: this fails when the sim's numbers change
// and the doc was not regenerated (node scripts/realtime_table.mjs --write).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOC, generatedSection, withSection } from '../../scripts/realtime_table.mjs';

test('docs/realtime.md\'s results are the runs\' own numbers', async () => {
  const doc = readFileSync(DOC, 'utf8');
  const section = await generatedSection();
  assert.match(section, /\| 100 \| long_polling \| \d/, 'the table has its rows');
  assert.equal(doc, withSection(doc, section), 'docs/realtime.md is out of date: run node scripts/realtime_table.mjs --write');
});
