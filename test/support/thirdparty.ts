import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { builtinTemplate } from '../../server/src/service/template/builtin';
import { defaultSettings } from '../../server/src/service/settings';
import { TODAY } from './lint';
import { Harness } from './generate';

// Markdown nobody here wrote, for the fix-all tests of test/unit/thirdparty*.test.ts: every example of the
// CommonMark spec (the commonmark-spec package), the rule documentation markdownlint ships, and the real
// runbooks and playbooks of ../shared/corpus/real.

const require = createRequire(import.meta.url);
const schema = builtinTemplate();
export const harness = new Harness(schema, defaultSettings, TODAY);

export interface Source {
  name: string;
  text: string;
}

export function commonmarkExamples(): Source[] {
  const spec = require('commonmark-spec') as { tests: { markdown: string; section: string; number: number }[] };
  // The spec writes tabs as →, as its own test runner reads them.
  return spec.tests.map((t) => ({ name: `CommonMark example ${t.number} (${t.section})`, text: t.markdown.replace(/→/g, '\t') }));
}

export function markdownlintDocs(): Source[] {
  // The package exports no package.json: its documentation sits beside the folder of its entry point.
  let dir = dirname(require.resolve('markdownlint'));
  while (!existsSync(join(dir, 'doc')) && dirname(dir) !== dir) dir = dirname(dir);
  dir = join(dir, 'doc');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ name: `markdownlint doc/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

export function corpus(): Source[] {
  const dir = new URL('../../../shared/corpus/real/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => /\.(md|markdown)$/i.test(f))
    .sort()
    .map((f) => ({ name: `corpus ${f}`, text: new TextDecoder('utf-8').decode(readFileSync(new URL(f, dir))) }));
}

/** Problems of fix-all on each source, one line each. */
export async function judge(sources: Source[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { name, text } of sources) {
    try {
      const session = harness.session();
      const { diagnostics } = await session.analyse(text);
      const report = await harness.fixAllProblems(session, text, diagnostics);
      for (const p of report.problems) problems.push(`${name}: ${p}`);
    } catch (error) {
      problems.push(`${name}: threw ${(error as Error).stack ?? error}`);
    }
  }
  return problems;
}
