// Entry point of the extension-host tests: VS Code loads this file (extensionTestsPath) inside its
// extension host and awaits run(). The same file serves @vscode/test-electron (test/vscode/runTest.mjs)
// and code-server (test/e2e/run.mjs).
//
// Output: one line per test, each starting with "[vscode] " so that a runner can pick them out of the
// workbench log. When RUNBOOK_TEST_RESULTS names a file, the results are also written there as JSON.
// RUNBOOK_TEST_GREP (a regular expression) runs only the matching tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Result {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

const say = (line: string) => console.log(`[vscode] ${line}`);

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: Mocha.reporters.Base });
  if (process.env.RUNBOOK_TEST_GREP) mocha.grep(new RegExp(process.env.RUNBOOK_TEST_GREP, 'i'));
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const results: Result[] = [];
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        const passed = results.filter((r) => r.state === 'passed').length;
        const failed = results.filter((r) => r.state === 'failed').length;
        const pending = results.filter((r) => r.state === 'pending').length;
        say(`extension host: ${passed} passed, ${failed} failed${pending ? `, ${pending} pending` : ''} in ${Date.now() - started} ms`);
        const out = process.env.RUNBOOK_TEST_RESULTS;
        if (out) {
          try {
            fs.mkdirSync(path.dirname(out), { recursive: true });
            fs.writeFileSync(out, JSON.stringify({ passed, failed, pending, results }, null, 2));
          } catch (e) {
            say(`cannot write ${out}: ${String(e)}`);
          }
        }
        if (failures > 0 || failed > 0) reject(new Error(`${Math.max(failures, failed)} extension-host test(s) failed`));
        else if (passed === 0) reject(new Error('no extension-host test ran'));
        else resolve();
      });
    } catch (e) {
      reject(e);
      return;
    }
    runner.on('suite', (s: Mocha.Suite) => {
      if (s.title) say(`${s.fullTitle()}`);
    });
    runner.on('pass', (t: Mocha.Test) => {
      results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
      say(`  ok   ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t: Mocha.Test | Mocha.Hook, err: Error) => {
      const message = (err && (err.stack || err.message)) || String(err);
      results.push({ title: t.fullTitle(), state: 'failed', error: err?.message ?? String(err) });
      say(`  FAIL ${t.title}`);
      for (const line of message.split('\n').slice(0, 12)) say(`         ${line}`);
    });
    runner.on('pending', (t: Mocha.Test) => {
      results.push({ title: t.fullTitle(), state: 'pending' });
      say(`  skip ${t.title}`);
    });
  });
}
