import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rules } from '../../server/src/service/rules/index';
import { RULE_IDS } from '../../server/src/service/rules/types';
import { GENERATED } from '../../scripts/rule-lists';

// The rules array is the one list of rules; everything else that names them follows it.

const read = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');
const ids = rules.map((r) => r.id);

test('RULE_IDS, the type of rule ids, lists the rules array in its order', () => {
  assert.deepEqual([...RULE_IDS], ids);
  assert.equal(new Set(ids).size, ids.length, 'no id twice');
});

test('package.json settings and the .runbookrc.json schema are generated from the rules array (npm run rules)', () => {
  for (const [name, generate] of GENERATED) assert.equal(read(name), generate(read(name)), `${name} is out of step: run npm run rules`);
  const settings = JSON.parse(read('package.json')).contributes.configuration.properties['runbook.rules'].properties;
  assert.deepEqual(Object.keys(settings), ids);
  const schema = JSON.parse(read('runbookrc.schema.json')).definitions.rules.properties;
  assert.deepEqual(Object.keys(schema), ids);
});

test("the README's rule table lists every rule in order with its default, and every rule has its section", () => {
  const readme = read('README.md');
  const rows = [...readme.matchAll(/^\| \[([a-z-]+)\]\(#\1\) \| [^|]+ \| (error|warning|info) \|$/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(rows, rules.map((r) => [r.id, r.defaultSeverity]));
  for (const id of ids) assert.match(readme, new RegExp(`^### ${id}$`, 'm'), `README section "### ${id}"`);
});
