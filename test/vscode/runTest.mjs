#!/usr/bin/env node
// `npm run test:vscode`: the extension-host suites (test/vscode/suite) in a desktop VS Code through
// @vscode/test-electron, with this repository as the extension under development.
//
// VS Code comes from VSCODE_EXECUTABLE_PATH when set, otherwise @vscode/test-electron downloads
// VSCODE_TEST_VERSION (default 1.100.3, the version code-server 4.100.3 embeds) into
// .test-output/vscode-test. When neither works it says so and exits non-zero: it never passes without
// running the suites. On a machine without either, `npm run test:e2e` runs the same suites in code-server.
// Linux without a display: run it under `xvfb-run -a`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSuites } from './build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const workspaceFixture = path.join(repoRoot, 'test', 'e2e', 'workspace');

function fail(message) {
  console.error(`\ntest:vscode: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let testElectron;
try {
  testElectron = await import('@vscode/test-electron');
} catch (e) {
  fail(`cannot load @vscode/test-electron (run npm ci at the repository root): ${e.message}`);
}
const { runTests, downloadAndUnzipVSCode } = testElectron;

if (!fs.existsSync(path.join(repoRoot, 'client', 'out', 'extension.js'))) {
  fail('client/out/extension.js is missing: run `npm run build` first');
}

const { suiteIndex } = await buildSuites();

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
if (vscodeExecutablePath) {
  if (!fs.existsSync(vscodeExecutablePath)) fail(`VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath} does not exist`);
  console.log(`test:vscode: VS Code from VSCODE_EXECUTABLE_PATH=${vscodeExecutablePath}`);
} else {
  const version = process.env.VSCODE_TEST_VERSION || '1.100.3';
  console.log(`test:vscode: VSCODE_EXECUTABLE_PATH is not set; downloading VS Code ${version} with @vscode/test-electron`);
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version,
      cachePath: path.join(repoRoot, '.test-output', 'vscode-test'),
      timeout: 30_000,
    });
  } catch (e) {
    fail(
      `no VS Code to test in: VSCODE_EXECUTABLE_PATH is not set and the download failed (${String(e?.message ?? e).split('\n')[0]}).\n` +
        '  Set VSCODE_EXECUTABLE_PATH to a desktop VS Code (e.g. /usr/share/code/code), or allow the download.\n' +
        '  Without either, `npm run test:e2e` runs the same suites in code-server.',
    );
  }
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.warn('test:vscode: no DISPLAY; a desktop VS Code needs one here: run `xvfb-run -a npm run test:vscode`');
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rbvsc-'));
const workspace = path.join(base, 'workspace');
fs.cpSync(workspaceFixture, workspace, { recursive: true });
const resultsFile = path.join(base, 'results.json');

let exitCode;
try {
  exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteIndex,
    extensionTestsEnv: { RUNBOOK_TEST_RESULTS: resultsFile },
    launchArgs: [
      workspace,
      '--disable-extensions', // other installed extensions; the built-in Markdown extension stays
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-telemetry',
      `--user-data-dir=${path.join(base, 'user-data')}`,
      `--extensions-dir=${path.join(base, 'extensions')}`,
    ],
  });
} catch (e) {
  exitCode = typeof e?.code === 'number' ? e.code : 1;
  console.error(`test:vscode: VS Code ended with ${e?.message ?? e}`);
}

let results;
try {
  results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
} catch {
  results = undefined;
}
fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
if (!results) fail(`the suites reported no results (VS Code exit code ${exitCode})`);
const failed = results.failed + (exitCode !== 0 && results.failed === 0 ? 1 : 0);
console.log(`${results.passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.passed === 0 ? 1 : 0);
