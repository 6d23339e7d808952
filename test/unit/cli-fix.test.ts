import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TODAY, edit, example, keepsEveryLine } from '../support/lint';
import { runCli } from '../support/cli';

// runbook-lint --fix end to end, on the bytes of a file saved by an editor on Windows: a UTF-8
// byte-order mark and CRLF line endings, both kept; a second --fix leaves the file as it is.

const root = mkdtempSync(join(tmpdir(), 'runbook-cli-fix-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('--fix on a file with a UTF-8 BOM and CRLF line endings keeps both, and a second --fix changes nothing', () => {
  const rollback = example.slice(example.indexOf('## Section 8: Rollback Procedures'), example.indexOf('## Section 9: Troubleshooting Guide'));
  const lf = edit(edit(example, rollback, ''), '| **Last Updated** | 2026-11-20 |', '| **Last Updated** | [DATE] |');
  const file = join(root, 'payments-runbook.md');
  const original = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lf.replace(/\n/g, '\r\n'), 'utf8')]);
  writeFileSync(file, original);

  const first = runCli(['--fix', file], root);
  assert.equal(first.status, 0, first.stdout + first.stderr);
  const once = readFileSync(file);
  assert.deepEqual([...once.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the byte-order mark is kept');
  const text = once.subarray(3).toString('utf8');
  assert.ok(!text.startsWith('\ufeff'), 'and not doubled');
  assert.ok(text.endsWith('\r\n'), 'the last line ends CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  assert.deepEqual(lines.filter((l) => /[\r\n]/.test(l)), [], 'every line ends CRLF');
  // What the fix did: the missing section inserted once, the date placeholder set to today, every other line as it was.
  assert.equal(lines.filter((l) => l === '## Section 8: Rollback Procedures').length, 1);
  assert.ok(lines.includes(`| **Last Updated** | ${TODAY} |`));
  assert.ok(keepsEveryLine(lf.replace('| **Last Updated** | [DATE] |\n', ''), text.replace(/\r\n/g, '\n')));
  assert.ok(once.length > original.length);

  const second = runCli(['--fix', file], root);
  assert.equal(second.status, 0, second.stdout + second.stderr);
  assert.ok(readFileSync(file).equals(once), 'a second --fix leaves the bytes as they were');
});
