import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Regex-level checks: vscode-textmate and vscode-oniguruma are not dependencies, so the grammar keeps its
// regexes to what JavaScript and Oniguruma read alike and they are run here with RegExp.
const root = join(__dirname, '..', '..');
const grammarText = readFileSync(join(root, 'syntaxes', 'runbook.injection.tmLanguage.json'), 'utf8');
const templateText = readFileSync(join(root, 'templates', 'system-runbook.md'), 'utf8');

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
}
interface Grammar extends Rule {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, Rule>;
}
const grammar = JSON.parse(grammarText) as Grammar;

function rules(rule: Rule): Rule[] {
  const nested = [...(rule.patterns ?? []), ...Object.values(rule.captures ?? {})];
  return [rule, ...nested.flatMap(rules)];
}
const repositoryRules = Object.values(grammar.repository).flatMap(rules);
const allRules = [...rules(grammar), ...repositoryRules];

/** The repository rule whose scope starts with `scope`, as a global RegExp. */
function regexOf(scope: string): RegExp {
  const rule = Object.values(grammar.repository).find((r) => r.name?.startsWith(scope));
  assert.ok(rule?.match, `no rule for ${scope}`);
  return new RegExp(rule.match, 'gu');
}
const placeholder = regexOf('invalid.deprecated.placeholder');
const severity = regexOf('constant.language.severity');
const matches = (re: RegExp, line: string) => [...line.matchAll(re)].map((m) => m[0]);

/** The template's lines outside fenced code, where the injection applies. */
function proseLines(): string[] {
  let fenced = false;
  return templateText.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    return !fenced && !/^\s*(```|~~~)/.test(line);
  });
}

test('the grammar is a Markdown injection that leaves code alone and reaches table lines', () => {
  assert.equal(grammar.scopeName, 'markdown.runbook.injection');
  const selector = grammar.injectionSelector;
  assert.match(selector, /^L:text\.html\.markdown\b/);
  for (const excluded of ['markup.fenced_code', 'markup.inline.raw', 'markup.raw']) assert.ok(selector.split(/\s+/).includes(`-${excluded}`), excluded);
  assert.ok(!/-markup\.table|-meta\.table/.test(selector), 'table lines (markup.table.markdown) keep the injection');
  for (const rule of allRules) if (rule.include?.startsWith('#')) assert.ok(grammar.repository[rule.include.slice(1)], rule.include);
  for (const rule of repositoryRules) if (rule.name) assert.match(rule.name, /\.runbook$/, 'scopes end with .runbook');
});

test('every match/begin/end/while regex compiles as a JavaScript RegExp', () => {
  const sources = allRules.flatMap((r) => [r.match, r.begin, r.end, r.while].filter((s): s is string => typeof s === 'string'));
  assert.ok(sources.length >= 2);
  for (const source of sources) assert.doesNotThrow(() => new RegExp(source, 'u'), source);
});

test('placeholders and SEV levels are found in the template', () => {
  const found = proseLines().flatMap((line) => [...matches(placeholder, line), ...matches(severity, line)]);
  for (const expected of ['[SYSTEM NAME]', '[System Name]', '[DATE]', '[Name/Role]', '[CHANNEL]', 'SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']) {
    assert.ok(found.includes(expected), expected);
  }
  assert.ok(!found.some((m) => m.includes('](')), 'no Table of Contents link is taken for a placeholder');
  assert.deepEqual(matches(placeholder, '| **Owner** | [Name/Role] |'), ['[Name/Role]'], 'in table lines');
  assert.deepEqual(matches(placeholder, '*[Replace with actual diagram or link to diagram tool]*'), ['[Replace with actual diagram or link to diagram tool]']);
  assert.deepEqual(matches(placeholder, '[STATUS UPDATE - [SYSTEM NAME]]'), ['[SYSTEM NAME]']);
});

test('links, task boxes, footnotes and escaped brackets are no placeholders', () => {
  for (const line of ['[link](#x)', '1. [System Overview](#section-1-system-overview)', '- [ ] task', '- [x] done', '* [X] Done', '[text][ref]', '[ref]: https://example.com', 'a note[^1]', '\\[not a placeholder]', '![diagram](arch.png)', '[]']) {
    assert.deepEqual(matches(placeholder, line), [], line);
  }
});

test('SEV levels in their usual spellings, and nothing else', () => {
  assert.deepEqual(matches(severity, 'SEV-1 SEV2 Sev 3 sev-4 (SEV-1/2/3/4)'), ['SEV-1', 'SEV2', 'Sev 3', 'sev-4', 'SEV-1']);
  for (const line of ['SEV-5', 'SEV-12', 'SEVERE', 'xSEV-1', 'SEV--1', 'SEV_1']) assert.deepEqual(matches(severity, line), [], line);
});
