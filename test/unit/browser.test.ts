import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { webcrypto } from 'node:crypto';
import { FS_READ_DIRECTORY_REQUEST, FS_READ_FILE_REQUEST, FS_STAT_REQUEST, decodeBase64, encodeBase64, type FsParams } from '../../server/src/protocol';
import { LspClient } from '../support/lsp';
import { MemoryWorkspace } from '../support/webClient';
import { FILES, ROOT, RUNBOOK, RUNBOOK_TEXT, runWebScenario } from '../support/webScenario';
import { checkWebObservations, cliSecretLines, positivesText } from '../support/webChecks';

const BUNDLE = new URL('../../server/out/browser.js', import.meta.url);

test('base64 of file bytes round-trips and agrees with Node', () => {
  const samples = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(255, 254), Uint8Array.of(1, 2, 3), new TextEncoder().encode('\uFEFF# Runbook 🚀\r\n| a | b |\n')];
  for (let n = 0; n < 64; n++) samples.push(Uint8Array.from({ length: n * 7 + (n % 3) }, (_, i) => (i * 37 + n * 11) & 255));
  for (const bytes of samples) {
    const text = encodeBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'));
    assert.deepEqual(decodeBase64(text), bytes);
  }
  assert.throws(() => decodeBase64('ab$d'), /Not base64/);
});

/**
 * The browser bundle in a context with a worker's globals only (no process, require, Buffer, setImmediate
 * or DOM), started as the web extension starts it where no Worker can be made: evaluated with one end of
 * a MessageChannel as `runbookServerPort`. The Chromium e2e test runs the same scenario in a real Worker.
 */
test('the browser server, in a worker-like context, reads the workspace through the client and checks as on Node', async () => {
  const source = readFileSync(BUNDLE, 'utf8');
  const context = vm.createContext({
    console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, structuredClone,
    MessageChannel, MessagePort, TextEncoder, TextDecoder, URL, URLSearchParams, atob, btoa, performance, PerformanceObserver,
    crypto: webcrypto, navigator: { userAgent: 'worker', hardwareConcurrency: 2 },
  });
  vm.runInContext('self = globalThis', context);
  const start = vm.runInContext(`(function (runbookServerPort) {\n${source}\n})`, context, { filename: BUNDLE.pathname }) as (port: unknown) => void;
  const { port1, port2 } = new MessageChannel();
  start(port2);
  try {
    checkWebObservations(await runWebScenario(port1 as never, positivesText()), cliSecretLines());
  } finally {
    port1.close();
  }
  for (const name of ['process', 'require', 'Buffer', 'setImmediate', 'document']) assert.equal(vm.runInContext(`typeof ${name}`, context), 'undefined', `${name} leaked into the worker context`);
});

test('the desktop server reads a virtual workspace (vscode-vfs:) through the client', async () => {
  const workspace = new MemoryWorkspace(ROOT, FILES);
  const client = new LspClient();
  const asked: string[] = [];
  const answer = (method: string, run: (uri: string) => unknown) =>
    client.connection.onRequest(method, ({ uri }: FsParams) => {
      asked.push(`${method} ${uri.slice(ROOT.length)}`);
      return run(uri);
    });
  answer(FS_STAT_REQUEST, (uri) => workspace.stat(uri));
  answer(FS_READ_DIRECTORY_REQUEST, (uri) => workspace.readDirectory(uri));
  answer(FS_READ_FILE_REQUEST, (uri) => {
    const bytes = workspace.files.get(uri);
    if (!bytes) throw new Error(`No file ${uri}`);
    return { base64: encodeBase64(bytes) };
  });
  try {
    await client.initialize(ROOT);
    await client.open(RUNBOOK, RUNBOOK_TEXT);
    // Checked at once, and again when the index has read the linked guide.
    const diagnostics = await client.diagnosticsOf(RUNBOOK, 1, (ds) => ds.some((d) => d.code === 'broken-link'));
    // The configuration makes placeholders errors; the linked guide's heading is suggested.
    assert.deepEqual(diagnostics.filter((d) => d.code === 'placeholder').map((d) => d.severity), [1]);
    assert.match(diagnostics.find((d) => d.code === 'broken-link')!.message, /did you mean "#deploying"/);
    assert.ok(asked.includes(`${FS_READ_FILE_REQUEST} /.runbookrc.json`), asked.join('\n'));
    assert.ok(asked.includes(`${FS_READ_FILE_REQUEST} /docs/guide.md`), asked.join('\n'));
  } finally {
    await client.stop();
  }
});
