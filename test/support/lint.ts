import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { RunbookLanguageService } from '../../server/src/service/languageService';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings, type RunbookSettings } from '../../server/src/service/settings';
import type { TemplateSchema } from '../../server/src/service/template/schema';
import { LineIndex } from '../../server/src/service/model/text';
import { applyEdits } from '../../server/src/service/edits';

/** The date every test runs on, so review dates do not expire. */
export const TODAY = '2026-11-27';

export const example = readFileSync(new URL('../../examples/payments-api-runbook.md', import.meta.url), 'utf8');

/**
 * Reads a document written with markers: `«...»` around an expected range, `‸` for an expected
 * position (a zero-width range). Returns the text without markers and the ranges in order.
 */
export function marked(source: string): { text: string; ranges: Range[] } {
  let text = '';
  const spans: [number, number][] = [];
  const open: number[] = [];
  for (const ch of source) {
    if (ch === '«') open.push(text.length);
    else if (ch === '»') spans.push([open.pop()!, text.length]);
    else if (ch === '‸') spans.push([text.length, text.length]);
    else text += ch;
  }
  const lines = new LineIndex(text);
  spans.sort((a, b) => a[0] - b[0]);
  return { text, ranges: spans.map(([s, e]) => lines.range(s, e)) };
}

/** The base text with one unique occurrence of `find` replaced. */
export function edit(base: string, find: string, replacement: string): string {
  const at = base.indexOf(find);
  assert.ok(at >= 0, `not in the document: ${find}`);
  assert.equal(base.indexOf(find, at + 1), -1, `more than once in the document: ${find}`);
  return base.slice(0, at) + replacement + base.slice(at + find.length);
}

let version = 0;

/** Diagnostics of a runbook, as the server would publish them. */
export async function lint(text: string, options: { schema?: TemplateSchema; settings?: Partial<RunbookSettings>; uri?: string } = {}): Promise<Diagnostic[]> {
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: options.uri ?? 'file:///work/runbooks/test-runbook.md', version: ++version, getText: () => text });
  return (await service.diagnostics(model, options.schema ?? builtinTemplate(), { ...defaultSettings, ...options.settings }, TODAY))!;
}

/** Diagnostics of one rule. */
export async function lintRule(text: string, rule: string, options?: Parameters<typeof lint>[1]): Promise<Diagnostic[]> {
  return (await lint(text, options)).filter((d) => d.code === rule);
}

/** Asserts that `rule` fires exactly at the marked ranges of `source` (and nowhere else). */
export async function expectAt(source: string, rule: string, message?: RegExp, options?: Parameters<typeof lint>[1]): Promise<Diagnostic[]> {
  const { text, ranges } = marked(source);
  const found = await lintRule(text, rule, options);
  assert.deepEqual(
    found.map((d) => d.range),
    ranges,
    `${rule} at ${JSON.stringify(found.map((d) => [d.range.start, d.message]))}`,
  );
  if (message) for (const d of found) assert.match(d.message, message);
  return found;
}

/** The text with a diagnostic's quick fix applied: the one whose title matches `title`, else the first. */
export function withFix(text: string, d: Diagnostic, title?: RegExp): string {
  const fixes = (d.data as { fixes: { title: string; edits: { range: Range; newText: string }[] }[] }).fixes;
  const fix = title ? fixes.find((f) => title.test(f.title)) : fixes[0];
  assert.ok(fix, `no fix ${title ?? ''} among ${fixes.map((f) => f.title).join(' | ')}`);
  const lines = new LineIndex(text);
  return applyEdits(text, fix.edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })));
}

/** The text after fix-all, as `runbook-lint --fix` and fix-all on save write it. */
export async function fixAll(text: string, options: { schema?: TemplateSchema; settings?: Partial<RunbookSettings> } = {}): Promise<string> {
  const service = new RunbookLanguageService();
  const model = service.getModel({ uri: 'file:///work/runbooks/test-runbook.md', version: 1, getText: () => text });
  return applyEdits(text, await service.fixAll(model, options.schema ?? builtinTemplate(), { ...defaultSettings, ...options.settings }, TODAY));
}

/** True when every line of `before` is still a line of `after`, in order (lines the edits inserted aside). */
export function keepsEveryLine(before: string, after: string): boolean {
  const b = before.split(/\r\n|\r|\n/);
  const a = after.split(/\r\n|\r|\n/);
  let j = 0;
  for (const line of b) {
    while (j < a.length && a[j] !== line) j++;
    if (j === a.length) return false;
    j++;
  }
  return true;
}
