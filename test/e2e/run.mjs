#!/usr/bin/env node
// Editor tests of Runbook Tools in a real VS Code (code-server 4.100.3) driven by headless Chromium:
//   1. the extension-host mocha suites (test/vscode/suite), run inside code-server's extension host
//      through the workbench test payload, against the extension installed from the .vsix;
//   2. the UI tests (test/e2e/ui/*.mjs): what a person sees and does, with a screenshot per step;
//   3. the web extension: the browser server bundle in a real Web Worker of a page in Chromium
//      (test/e2e/web), then the UI tests again in a second code-server whose user settings force the
//      extension into the web worker extension host (`remote.extensionKind`), where /proc must show no
//      Node language server of the extension (in step 2 it must show one: the check is checked).
// Prints a final line "N passed, N failed" and exits non-zero on any failure or timeout.
//
//   node test/e2e/run.mjs [--vsix FILE] [--only host|ui|desktop|web] [--grep REGEX] [--keep]
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
  languageServerProcesses,
  makeSandbox,
  repoRoot,
  sandboxEnv,
  startCodeServer,
  workbenchUrl,
  writeUserSettings,
} from './lib/codeserver.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { waitForWorkbench } from './lib/workbench.mjs';
import { runWorkerTest } from './web/worker.mjs';

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    only: { type: 'string' },
    grep: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const TOTAL_TIMEOUT_MS = Number(process.env.RUNBOOK_E2E_TIMEOUT_S ?? 900) * 1000;
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
const sandboxes = [];
let finished = false;

async function stopServer() {
  await server?.stop().catch(() => {});
  server = undefined;
}

async function cleanup() {
  await browser?.close().catch(() => {});
  browser = undefined;
  await stopServer();
  if (!opts.keep) for (const s of sandboxes) fs.rmSync(s.base, { recursive: true, force: true, maxRetries: 3 });
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
  if (opts.keep) for (const s of sandboxes) say(`sandbox kept: ${s.base}`);
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

/**
 * UI tests: each gets a fresh copy of the workspace and a fresh browser context. `label` prefixes the
 * test names; `afterEach()` runs while the workbench of a passed test is still open and throws to fail it.
 */
async function runUiTests({ label = '', afterEach } = {}) {
  const uiDir = path.join(e2eDir, 'ui');
  const files = fs.readdirSync(uiDir).filter((f) => f.endsWith('.mjs')).sort();
  const grep = opts.grep ? new RegExp(opts.grep, 'i') : undefined;
  let n = 0;
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(uiDir, file)).href);
    for (const test of mod.tests ?? []) {
      if (grep && !grep.test(test.name)) continue;
      n += 1;
      const id = `ui${label ? `-${slug(label)}` : ''}-${String(n).padStart(2, '0')}-${slug(test.name)}`;
      const name = label ? `[${label}] ${test.name}` : test.name;
      const ws = path.join(sandbox.base, `ws-${String(n).padStart(2, '0')}`);
      copyDir(workspaceFixture, ws);
      const log = fs.createWriteStream(path.join(outDir, `${id}.log`));
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.on('console', (m) => log.write(`[console.${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => log.write(`[pageerror] ${e.stack ?? e}\n`));
      // What the workbench and its extension host workers fetch: the web extension loads its bundles so.
      const requests = [];
      context.on('request', (r) => requests.push(r.url()));
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
      console.log(`  ${name}`);
      let timer;
      try {
        await Promise.race([
          (async () => {
            await page.goto(workbenchUrl(server, ws));
            await step('workbench ready', () => waitForWorkbench(page));
            await test.run({ page, step, lineOf, workspace: ws });
            if (afterEach) await step('where the extension ran', () => afterEach({ requests }));
          })(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`TIMEOUT after ${UI_TEST_TIMEOUT_MS / 1000} s`)), test.timeoutMs ?? UI_TEST_TIMEOUT_MS);
          }),
        ]);
        passed += 1;
        console.log(`  ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed += 1;
        const shot = path.join(outDir, `${id}-FAILED-${slug(current)}.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        const msg = String(e?.message ?? e).split('\n').slice(0, 8).join('\n         ');
        failures.push(`[ui] ${name}: step "${current}": ${msg.split('\n')[0]}`);
        console.log(`  FAIL ${name}\n         step "${current}": ${msg}\n         screenshot: ${path.relative(repoRoot, shot)}`);
      } finally {
        clearTimeout(timer);
        await context.close().catch(() => {});
        await new Promise((r) => log.end(r));
      }
    }
  }
  if (n === 0) say('no UI test matched');
  return n;
}

/** Starts code-server in a fresh sandbox with the .vsix installed and `settings` added to the user settings. */
async function startEditor(vsix, name, settings = {}, extraEnv = () => ({})) {
  sandbox = makeSandbox();
  sandboxes.push(sandbox);
  writeUserSettings(sandbox, settings);
  const installed = await installVsix(sandbox, vsix);
  say(`${name}: installed ${path.relative(repoRoot, vsix)} with --install-extension into ${path.basename(installed.folder)}`);
  const env = sandboxEnv(sandbox, extraEnv(sandbox));
  server = await startCodeServer(sandbox, { env, logFile: path.join(outDir, `code-server-${name}.log`) });
  say(`${name}: code-server ${server.origin} is up (extension ${EXTENSION_ID})`);
}

/** Whether the workbench fetched one of the installed extension's files (code-server serves them as vscode-remote-resource?path=...). */
function fetchedBundle(requests, file) {
  const wanted = `${path.sep}${file.split('/').join(path.sep)}`;
  return requests.some((url) => {
    const p = new URL(url).searchParams.get('path') ?? decodeURIComponent(new URL(url).pathname);
    return p.startsWith(sandbox.extensions) && p.endsWith(wanted);
  });
}

/** The UI tests in the Node extension host: each must find the extension's Node language server in /proc. */
async function runDesktopUiTests() {
  let found = 0;
  let checked = 0;
  await runUiTests({
    afterEach: ({ requests }) => {
      checked += 1;
      if (fetchedBundle(requests, 'client/out/browser.js')) throw new Error('the workbench fetched the web extension: it should run in the Node extension host');
      if (languageServerProcesses(sandbox.extensions).length) found += 1;
    },
  });
  // A /proc check that sees no server where there is one would pass the web phase for nothing.
  if (checked > 0 && found === 0) {
    failed += 1;
    failures.push('[ui] the /proc check found no Node language server of the extension in the Node extension host');
  }
}

/** The web phase: the server in a real Web Worker, then the extension in the web worker extension host. */
async function runWeb(vsix) {
  say('web: the browser server in a Web Worker of a page');
  try {
    await runWorkerTest({ browser, outDir, say });
    passed += 1;
    console.log('  ok   [web] the browser server in a Web Worker answers a runbook like the desktop server');
  } catch (e) {
    failed += 1;
    failures.push(`[web] Web Worker: ${String(e?.message ?? e).split('\n')[0]}`);
    console.log(`  FAIL [web] the browser server in a Web Worker\n         ${String(e?.stack ?? e).split('\n').slice(0, 12).join('\n         ')}`);
  }

  await startEditor(vsix, 'web', { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } });
  say('web: UI tests with the extension in the web worker extension host');
  await runUiTests({
    label: 'web',
    afterEach: ({ requests }) => {
      const found = languageServerProcesses(sandbox.extensions);
      if (found.length) throw new Error(`a Node language server of the extension runs: ${found.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
      // The web worker extension host fetches the web entry, and the client fetches the server bundle
      // to run it in that worker (code-server cannot start a Worker for it).
      for (const bundle of ['client/out/browser.js', 'server/out/browser.js']) {
        if (!fetchedBundle(requests, bundle)) throw new Error(`the workbench never fetched the extension's ${bundle}`);
      }
    },
  });
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
  const desktop = opts.only !== 'web';
  const host = desktop && opts.only !== 'ui';
  const ui = desktop && opts.only !== 'host';
  const web = !opts.only || opts.only === 'web';

  let suiteDir;
  if (host) {
    const { buildSuites } = await import(pathToFileURL(path.join(repoRoot, 'test', 'vscode', 'build.mjs')).href);
    ({ outDir: suiteDir } = await buildSuites());
    say(`built the extension-host suites into ${path.relative(repoRoot, suiteDir)}`);
  }

  browser = await launchBrowser(makeSandboxFor().browserHome);
  if (desktop) {
    await startEditor(vsix, 'desktop', {}, (s) => ({
      RUNBOOK_TEST_RESULTS: path.join(s.base, 'host-results.json'),
      RUNBOOK_EXPECT_INSTALLED_IN: s.extensions,
      ...(opts.grep ? { RUNBOOK_TEST_GREP: opts.grep } : {}),
    }));
    if (host) await runHostSuites(suiteDir);
    if (ui) {
      say('UI tests');
      await runDesktopUiTests();
    }
    await stopServer();
  }
  if (web) await runWeb(vsix);
  await finish();
}

/** A sandbox that cleanup removes. */
function makeSandboxFor() {
  const s = makeSandbox();
  sandboxes.push(s);
  return s;
}

main().catch((e) => finish(`ERROR: ${e?.stack ?? e}`));
