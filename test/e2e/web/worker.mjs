// The browser language server in a real Web Worker in headless Chromium: a page served from 127.0.0.1
// starts server/out/browser.js as a Worker and runs test/support/webScenario.ts against it over
// postMessage (the page is the editor: it answers the server's runbook/fs/* requests from an in-memory
// repository); test/support/webChecks.ts then judges what it saw, in Node.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { repoRoot } from '../lib/codeserver.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);

/** Serves the page, its script and the server bundle; nothing else. */
function serve(files) {
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs the scenario; resolves when every check passed, rejects with the first failed one. */
export async function runWorkerTest({ browser, outDir, say }) {
  const bundle = await esbuild.build({ entryPoints: [path.join(here, 'page.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  const serverBundle = path.join(repoRoot, 'server', 'out', 'browser.js');
  if (!fs.existsSync(serverBundle)) throw new Error(`no ${path.relative(repoRoot, serverBundle)}: run npm run build`);
  const server = await serve({
    '/': { type: 'text/html', body: '<!doctype html><title>Runbook Tools: browser server</title><script src="/page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents },
    '/favicon.ico': { type: 'image/x-icon', body: '' },
    '/server/out/browser.js': { type: 'text/javascript', body: fs.readFileSync(serverBundle) },
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = fs.createWriteStream(path.join(outDir, 'web-worker.log'));
  page.on('console', (m) => log.write(`[console.${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => log.write(`[pageerror] ${e.stack ?? e}\n`));
  const workers = [];
  page.on('worker', (w) => {
    workers.push(w.url());
    w.on('console', (m) => log.write(`[worker.${m.type()}] ${m.text()}\n`));
  });
  try {
    await page.goto(origin);
    const positives = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'secrets', 'positives.md'), 'utf8');
    const started = Date.now();
    const seen = await page.evaluate((text) => window.runWebScenario(text), positives);
    say(`web worker: scenario done in ${((Date.now() - started) / 1000).toFixed(1)} s (${seen.fsRequests.length} file system requests, ${seen.diagnostics.length} diagnostics)`);
    fs.writeFileSync(path.join(outDir, 'web-worker-observations.json'), JSON.stringify(seen, null, 2));
    if (!workers.includes(`${origin}/server/out/browser.js`)) throw new Error(`the server did not run in a Worker of the page (workers: ${workers.join(', ') || 'none'})`);
    // The same checks as the unit test's, in TypeScript: tsx loads them.
    const { tsImport } = await import('tsx/esm/api');
    const { checkWebObservations, cliSecretLines } = await tsImport(pathToFileURL(path.join(repoRoot, 'test', 'support', 'webChecks.ts')).href, import.meta.url);
    checkWebObservations(seen, cliSecretLines());
  } finally {
    await context.close().catch(() => {});
    await new Promise((r) => server.close(r));
    await new Promise((r) => log.end(r));
  }
}
