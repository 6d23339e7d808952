#!/usr/bin/env node
// Editor tests of Runbook Tools in a real VS Code (code-server 4.100.3) driven by headless Chromium:
//   1. the extension-host mocha suites (test/vscode/suite), run inside code-server's extension host
//      through the workbench test payload, against the extension installed from the .vsix;
//   2. the UI tests (test/e2e/ui/*.mjs): what a person sees and does, with a screenshot per step.
// Prints a final line "N passed, N failed" and exits non-zero on any failure or timeout.
//
//   node test/e2e/run.mjs [--vsix FILE] [--only host|ui] [--grep REGEX] [--keep]
//
// Needs test/e2e/setup.sh to have run (run.mjs runs it when code-server is missing). The .vsix is
// runbook-tools-<version>.vsix at the repository root (`npm run package`) unless --vsix says otherwise.
// Screenshots and logs: .test-output/e2e/.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  EXTENSION_ID,
  copyDir,
  e2eDir,
  findVsix,
  installVsix,
  isInstalled,
  makeSandbox,
  repoRoot,
  sandboxEnv,
  startCodeServer,
  workbenchUrl,
  writeUserSettings,
} from './lib/codeserver.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { waitForWorkbench } from './lib/workbench.mjs';

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    only: { type: 'string' },
    grep: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const TOTAL_TIMEOUT_MS = Number(process.env.RUNBOOK_E2E_TIMEOUT_S ?? 300) * 1000;
const HOST_TIMEOUT_MS = 180_000;
const UI_TEST_TIMEOUT_MS = 90_000;
const outDir = path.join(repoRoot, '.test-output', 'e2e');
const workspaceFixture = path.join(e2eDir, 'workspace');

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

let passed = 0;
let failed = 0;
const failures = [];
let server;
let browser;
let sandbox;
let finished = false;

async function cleanup() {
  await browser?.close().catch(() => {});
  browser = undefined;
  await server?.stop().catch(() => {});
  server = undefined;
  if (sandbox && !opts.keep) fs.rmSync(sandbox.base, { recursive: true, force: true, maxRetries: 3 });
}

async function finish(extraFailure) {
  if (finished) return;
  finished = true;
  if (extraFailure) {
    failed += 1;
    failures.push(extraFailure);
    console.error(`\n${extraFailure}`);
  }
  await cleanup();
  if (opts.keep && sandbox) say(`sandbox kept: ${sandbox.base}`);
  if (failures.length) {
    console.log('\nFailures:');
    for (const f of failures) console.log(`  - ${f.split('\n')[0]}`);
  }
  say(`done; screenshots and logs in ${path.relative(process.cwd(), outDir) || outDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

const watchdog = setTimeout(() => {
  finish(`TIMEOUT: the editor tests did not finish within ${TOTAL_TIMEOUT_MS / 1000} s`);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => finish(`interrupted by ${sig}`));
}
process.on('unhandledRejection', (e) => finish(`unhandled rejection: ${e?.stack ?? e}`));

/** Extension-host suites through the workbench payload; adds their results to the totals. */
async function runHostSuites(suiteDir) {
  const ws = path.join(sandbox.base, 'ws-host');
  copyDir(workspaceFixture, ws);
  const resultsFile = path.join(sandbox.base, 'host-results.json');
  const logFile = fs.createWriteStream(path.join(outDir, 'extension-host.log'));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    logFile.write(`[${type}] ${text}\n`);
    for (const line of text.split('\n')) {
      if (line.startsWith('[vscode] ')) console.log(line.slice(9));
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  page.on('pageerror', (e) => logFile.write(`[pageerror] ${e.stack ?? e}\n`));

  const auth = server.authority;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${auth}${suiteDir}`],
    ['extensionTestsPath', `vscode-remote://${auth}${path.join(suiteDir, 'index.js')}`],
    ['skipWelcome', 'true'],
  ];
  say('extension-host suites: opening the workbench with the test payload');
  const started = Date.now();
  await page.goto(workbenchUrl(server, ws, payload));
  let timer;
  const code = await Promise.race([
    exited,
    new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), HOST_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  await page.screenshot({ path: path.join(outDir, 'host-00-workbench-after-suites.png') }).catch(() => {});
  await context.close().catch(() => {});
  await new Promise((r) => logFile.end(r));

  let results;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    results = undefined;
  }
  if (results) {
    passed += results.passed;
    failed += results.failed;
    for (const r of results.results.filter((x) => x.state === 'failed')) failures.push(`[extension host] ${r.title}: ${r.error}`);
  }
  if (code === 'timeout') {
    failed += 1;
    failures.push(`[extension host] TIMEOUT: the suites did not finish within ${HOST_TIMEOUT_MS / 1000} s (see extension-host.log)`);
  } else if (!results) {
    failed += 1;
    failures.push(`[extension host] the suites ended with exit code ${code} and reported no results (see extension-host.log)`);
  } else if (code !== 0 && results.failed === 0) {
    failed += 1;
    failures.push(`[extension host] exit code ${code} although no test failed (see extension-host.log)`);
  }
  say(`extension-host suites: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** UI tests: each gets a fresh copy of the workspace and a fresh browser context. */
async function runUiTests() {
  const uiDir = path.join(e2eDir, 'ui');
  const files = fs.readdirSync(uiDir).filter((f) => f.endsWith('.mjs')).sort();
  const grep = opts.grep ? new RegExp(opts.grep, 'i') : undefined;
  let n = 0;
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(uiDir, file)).href);
    for (const test of mod.tests ?? []) {
      if (grep && !grep.test(test.name)) continue;
      n += 1;
      const id = `ui-${String(n).padStart(2, '0')}-${slug(test.name)}`;
      const ws = path.join(sandbox.base, `ws-${id.slice(0, 5)}`);
      copyDir(workspaceFixture, ws);
      const log = fs.createWriteStream(path.join(outDir, `${id}.log`));
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.on('console', (m) => log.write(`[console.${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => log.write(`[pageerror] ${e.stack ?? e}\n`));
      let stepNo = 0;
      let current = 'start';
      const step = async (name, fn) => {
        stepNo += 1;
        current = name;
        const s0 = Date.now();
        await fn();
        const shot = path.join(outDir, `${id}-${String(stepNo).padStart(2, '0')}-${slug(name)}.png`);
        await page.screenshot({ path: shot });
        console.log(`    step ${stepNo}: ${name} (${Date.now() - s0} ms)`);
      };
      const lineOf = (rel, text) => {
        const lines = fs.readFileSync(path.join(ws, rel), 'utf8').split('\n');
        const i = lines.findIndex((l) => l === text);
        if (i < 0) throw new Error(`no line ${JSON.stringify(text)} in ${rel}`);
        return i + 1;
      };
      const started = Date.now();
      console.log(`  ${test.name}`);
      let timer;
      try {
        await Promise.race([
          (async () => {
            await page.goto(workbenchUrl(server, ws));
            await step('workbench ready', () => waitForWorkbench(page));
            await test.run({ page, step, lineOf, workspace: ws });
          })(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`TIMEOUT after ${UI_TEST_TIMEOUT_MS / 1000} s`)), test.timeoutMs ?? UI_TEST_TIMEOUT_MS);
          }),
        ]);
        passed += 1;
        console.log(`  ok   ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed += 1;
        const shot = path.join(outDir, `${id}-FAILED-${slug(current)}.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        const msg = String(e?.message ?? e).split('\n').slice(0, 8).join('\n         ');
        failures.push(`[ui] ${test.name}: step "${current}": ${msg.split('\n')[0]}`);
        console.log(`  FAIL ${test.name}\n         step "${current}": ${msg}\n         screenshot: ${path.relative(repoRoot, shot)}`);
      } finally {
        clearTimeout(timer);
        await context.close().catch(() => {});
        await new Promise((r) => log.end(r));
      }
    }
  }
  if (n === 0) say('no UI test matched');
}

async function main() {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  if (!isInstalled()) {
    say('code-server is not installed under test/e2e: running test/e2e/setup.sh');
    const r = spawnSync('bash', [path.join(e2eDir, 'setup.sh')], { stdio: 'inherit' });
    if (r.status !== 0 || !isInstalled()) throw new Error('test/e2e/setup.sh failed');
  }
  const vsix = findVsix(opts.vsix ?? process.env.RUNBOOK_VSIX);

  let suiteDir;
  if (opts.only !== 'ui') {
    const { buildSuites } = await import(pathToFileURL(path.join(repoRoot, 'test', 'vscode', 'build.mjs')).href);
    ({ outDir: suiteDir } = await buildSuites());
    say(`built the extension-host suites into ${path.relative(repoRoot, suiteDir)}`);
  }

  sandbox = makeSandbox();
  writeUserSettings(sandbox);
  const installed = await installVsix(sandbox, vsix);
  say(`installed ${path.relative(repoRoot, vsix)} with --install-extension into ${path.basename(installed.folder)}`);

  const env = sandboxEnv(sandbox, {
    RUNBOOK_TEST_RESULTS: path.join(sandbox.base, 'host-results.json'),
    RUNBOOK_EXPECT_INSTALLED_IN: sandbox.extensions,
    ...(opts.grep ? { RUNBOOK_TEST_GREP: opts.grep } : {}),
  });
  server = await startCodeServer(sandbox, { env, logFile: path.join(outDir, 'code-server.log') });
  say(`code-server ${server.origin} is up (extension ${EXTENSION_ID})`);
  browser = await launchBrowser(sandbox.browserHome);

  if (opts.only !== 'ui') await runHostSuites(suiteDir);
  if (opts.only !== 'host') {
    say('UI tests');
    await runUiTests();
  }
  await finish();
}

main().catch((e) => finish(`ERROR: ${e?.stack ?? e}`));
