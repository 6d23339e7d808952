// The rule list is written once, in server/src/service/rules/index.ts. The lists users see elsewhere
// (the settings in package.json, the .runbookrc.json schema) are generated from it here, and
// test/unit/rule-list.test.ts fails when one of them, RULE_IDS or the README's rule table is out of step.
//
//   npm run rules          rewrites package.json and runbookrc.schema.json from the rules array
import { readFileSync, writeFileSync } from 'node:fs';
import { rules } from '../server/src/service/rules/index';

const SEVERITIES = ['off', 'info', 'warning', 'error'];

/** package.json with `runbook.rules` listing every rule with its description and default. */
export function packageJson(text: string): string {
  const manifest = JSON.parse(text);
  const setting = manifest.contributes.configuration.properties['runbook.rules'];
  setting.properties = Object.fromEntries(rules.map((r) => [r.id, { type: 'string', enum: SEVERITIES, markdownDescription: `${r.description} Default: \`${r.defaultSeverity}\`.` }]));
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** The .runbookrc.json schema with every rule id under `rules`, as one line each. */
export function configSchema(text: string): string {
  const start = text.indexOf('"properties": {', text.indexOf('"rules": {'));
  const end = text.indexOf('\n      }', start);
  if (start < 0 || end < 0) throw new Error('runbookrc.schema.json: no "rules" properties found');
  const body = rules.map((r) => `        ${JSON.stringify(r.id)}: { "$ref": "#/definitions/severity", "description": ${JSON.stringify(`${r.description} Default: ${r.defaultSeverity}.`)} }`).join(',\n');
  return text.slice(0, start) + '"properties": {\n' + body + text.slice(end);
}

export const GENERATED = [
  ['package.json', packageJson],
  ['runbookrc.schema.json', configSchema],
] as const;

if (process.argv.includes('--write')) {
  for (const [name, generate] of GENERATED) {
    const path = new URL(`../${name}`, import.meta.url);
    const text = readFileSync(path, 'utf8');
    const next = generate(text);
    if (next !== text) {
      writeFileSync(path, next);
      process.stdout.write(`wrote ${name}\n`);
    }
  }
}
