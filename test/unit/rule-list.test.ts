import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULE_IDS } from '../../server/src/service/rules/types';
import { rules } from '../../server/src/service/rules/index';
import { defaultSettings } from '../../server/src/service/settings';

// The rule list is written once (the rules array); every other list of rule ids is checked against it.

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const manifest = JSON.parse(read('package.json'));
const schema = JSON.parse(read('runbookrc.schema.json'));
const readme = read('README.md');

test('RULE_IDS, the settings, the configuration schema and the README list every rule, in the rules\' order', () => {
  const ids = rules.map((r) => r.id);
  assert.deepEqual([...RULE_IDS], ids);
  assert.deepEqual(Object.keys(manifest.contributes.configuration.properties['runbook.rules'].properties), ids);
  assert.deepEqual(Object.keys(schema.definitions.rules.properties), ids);
  const table = [...readme.matchAll(/^\| \[([a-z-]+)\]\(#([a-z-]+)\) \|[^|]+\| (error|warning|info) \|$/gm)];
  assert.deepEqual(table.map((m) => m[1]), ids);
  for (const m of table) {
    assert.equal(m[2], m[1]);
    assert.equal(m[3], rules.find((r) => r.id === m[1])!.defaultSeverity, `default severity of ${m[1]} in the README`);
    assert.match(readme, new RegExp(`^### ${m[1]}$`, 'm'), `README section for ${m[1]}`);
  }
});

test('the draft markers setting and configuration key default to the service\'s list', () => {
  assert.deepEqual(manifest.contributes.configuration.properties['runbook.draftMarkers'].default, defaultSettings.draftMarkers);
  assert.equal(schema.properties.draftMarkers.$ref, '#/definitions/draftMarkers');
  assert.equal(schema.definitions.draftMarkers.items.type, 'string');
});
