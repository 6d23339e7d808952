// The scale part of `npm run bench` (f): a generated workspace of many runbooks, checked by
// markdownlint-cli2, by runbook-lint (cold, and with --cache unchanged and after one change) and
// indexed by the language server, alone and while a person works on an open runbook. Every figure is a ratio
// against another measured in the same run, or a count; the request latencies and memory are absolute
// figures of this machine, printed with the load average.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateWorkspace } from './workspace.mjs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs a command to its end; answers its wall time and what it wrote on stderr. */
function run(command, argv, { cwd, env = {} }) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - t0, code, stderr }));
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN) / 1024;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every file of the workspace that links to `path` (the files to re-check when it changes). */
function linkersOf(dir, paths, path) {
  return paths.filter((p) => p !== path && readFileSync(join(dir, p), 'utf8').includes(`(/${path}#`)).length;
}

/**
 * markdownlint-cli2 and runbook-lint over the workspace: cold, and with a cache unchanged and after one
 * file changed.
 */
async function measureLinters({ dir, paths, cli, cli2, cacheFile, today, runs, log }) {
  const env = { RUNBOOK_TODAY: today };
  const theirs = [];
  const ours = [];
  for (let i = 0; i < runs; i++) {
    log(`  markdownlint-cli2 over the workspace (${i + 1}/${runs})`);
    theirs.push((await run(process.execPath, [cli2, '**/*.md'], { cwd: dir })).ms);
    log(`  runbook-lint over the workspace (${i + 1}/${runs})`);
    ours.push((await run(process.execPath, [cli, '--format', 'json', '.'], { cwd: dir, env })).ms);
  }
  rmSync(cacheFile, { force: true });
  const args = ['--format', 'json', '--cache-location', cacheFile, '.'];
  log('  runbook-lint --cache: writing the cache, unchanged, one file changed');
  const written = await run(process.execPath, [cli, ...args], { cwd: dir, env });
  const unchanged = [];
  let unchangedChecked;
  for (let i = 0; i < Math.max(3, runs); i++) {
    const r = await run(process.execPath, [cli, ...args], { cwd: dir, env });
    unchanged.push(r.ms);
    unchangedChecked = checkedOf(r.stderr);
  }
  // One runbook gets a new line; it and the runbooks that link to it are checked again.
  const changed = paths[0];
  const before = readFileSync(join(dir, changed));
  appendFileSync(join(dir, changed), '\nOne more line from the on-call engineer.\n');
  const after = await run(process.execPath, [cli, ...args], { cwd: dir, env });
  writeFileSync(join(dir, changed), before);
  rmSync(cacheFile, { force: true });
  return {
    markdownlintCli2Ms: median(theirs),
    cliMs: median(ours),
    cacheWriteMs: written.ms,
    cacheUnchangedMs: median(unchanged),
    cacheUnchangedChecked: unchangedChecked,
    cacheOneChangeMs: after.ms,
    cacheOneChangeChecked: checkedOf(after.stderr),
    cacheOneChangeExpected: 1 + linkersOf(dir, paths, changed),
  };
}

/** "runbook-lint: 3 of 1000 files checked, 997 from the cache." */
function checkedOf(stderr) {
  const m = /(\d+) of (\d+) files? checked/.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/**
 * The language server indexes the workspace while a person works on one of its runbooks: hover,
 * completion, code actions and an edit (its diagnostics) in turn, one after the other, each timed.
 */
/**
 * The language server on the workspace: it starts, a runbook is opened, and the index runs. With
 * `work`, a person works on the open runbook all along (hover, completion, code action, a keystroke
 * each round) and each answer is timed; without it, the index runs alone, as when a workspace is opened.
 */
export async function measureServer({ dir, paths, server, today, log, work = true }) {
  const rpc = createRequire(import.meta.url)('vscode-jsonrpc/node');
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, RUNBOOK_TODAY: today } });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const published = new Map();
  let indexed;
  let wake = () => {};
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.version !== undefined) published.set(p.version, { at: performance.now(), diagnostics: p.diagnostics });
    wake();
  });
  connection.onNotification('window/logMessage', (p) => {
    if (process.env.BENCH_TRACE && p.message.startsWith('Checked ')) process.stderr.write(`server: ${p.message.replace(/^Checked \S+ /, 'checked ')}\n`);
    const m = /Workspace index: checked \d+ files in \d+ ms; (\d+) runbooks/.exec(p.message);
    if (m && !indexed) indexed = { at: performance.now(), runbooks: Number(m[1]) };
  });
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  connection.onNotification('runbook/documentStatus', () => {});
  connection.onNotification('runbook/workspaceChanged', () => {});
  connection.listen();
  const folder = pathToFileURL(dir).href;
  const waitFor = async (version) => {
    const deadline = Date.now() + 120_000;
    while (!published.has(version)) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for version ${version}`);
      await new Promise((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
    return published.get(version);
  };
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'bench' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await sleep(1000);
    const idleMb = rssMb(child.pid);
    // The longest runbook of the workspace is the one the person has open.
    const open = paths.reduce((a, b) => (statSync(join(dir, b)).size > statSync(join(dir, a)).size ? b : a));
    const uri = pathToFileURL(join(dir, open)).href;
    const text = readFileSync(join(dir, open), 'utf8');
    const lines = text.split('\n');
    const heading = lines.findIndex((l) => l.startsWith('## Section 7'));
    const cell = lines.findIndex((l) => l.startsWith("| **Classification** |"));
    const typeAt = lines.findIndex((l, i) => i > heading && l.trim() === '');
    const t0 = performance.now();
    await connection.sendNotification('initialized', {});
    let version = 1;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
    const first = await waitFor(version);
    const openDiagnosticsMs = first.at - t0;
    const times = { hover: [], completion: [], codeAction: [], diagnostics: [] };
    const timed = async (kind, fn) => {
      const s = performance.now();
      await fn();
      times[kind].push(performance.now() - s);
      if (process.env.BENCH_TRACE) process.stderr.write(`${kind} ${(performance.now() - s).toFixed(0)} ms at ${(s - t0).toFixed(0)}\n`);
    };
    let column = 0;
    if (!work) {
      for (const deadline = performance.now() + 20 * 60_000; !indexed; await sleep(100)) if (performance.now() > deadline) throw new Error('the index did not finish in 20 minutes');
      const indexMs = indexed.at - t0;
      await sleep(1000);
      const indexedMb = rssMb(child.pid);
      log('  waiting for the analyser threads to stop (30 s)');
      await sleep(33_000);
      return { runbooks: indexed.runbooks, indexMs, openDiagnosticsMs, idleMb, indexedMb, settledMb: rssMb(child.pid) };
    }
    // Requests go on until the index is done, and for at least a few rounds.
    for (let round = 0; !indexed || round < 3; round++) {
      if (performance.now() - t0 > 20 * 60_000) throw new Error('the index did not finish in 20 minutes');
      await timed('hover', () => connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: heading, character: 5 } }));
      await timed('completion', () => connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: cell, character: lines[cell].length - 2 } }));
      const diagnostics = published.get(version).diagnostics.slice(0, 5);
      const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      await timed('codeAction', () => connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }));
      // One character typed; the check starts after the 150 ms debounce, which is not counted.
      const position = { line: typeAt, character: column++ };
      const changedAt = performance.now();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: position, end: position }, text: 'x' }] });
      const after = await waitFor(version);
      times.diagnostics.push(after.at - changedAt - 150);
      if (process.env.BENCH_TRACE) process.stderr.write(`diagnostics ${(after.at - changedAt - 150).toFixed(0)} ms at ${(changedAt - t0).toFixed(0)}\n`);
      await sleep(50);
    }
    const indexMs = indexed.at - t0;
    await sleep(1000);
    const indexedMb = rssMb(child.pid);
    // The analyser threads stop after 30 s without work and give their memory back: what stays is the index.
    log('  waiting for the analyser threads to stop (30 s)');
    await sleep(33_000);
    const settledMb = rssMb(child.pid);
    const slowest = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.max(...v)]));
    return {
      runbooks: indexed.runbooks,
      indexMs,
      openDiagnosticsMs,
      requests: Object.values(times).reduce((n, v) => n + v.length, 0),
      slowestMs: slowest,
      slowestRequestMs: Math.max(...Object.values(slowest)),
      medianMs: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])),
      idleMb,
      indexedMb,
      settledMb,
    };
  } finally {
    await Promise.race([connection.sendRequest('shutdown').then(() => connection.sendNotification('exit')), sleep(2000)]).catch(() => {});
    connection.dispose();
    child.kill();
  }
}

export async function measureScale({ out, count, cli, cli2, server, today, runs, log }) {
  const dir = join(out, `workspace-${count}`);
  const { paths, bytes } = generateWorkspace(dir, count, 1);
  const markdown = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.md')).length;
  log(`scale: ${count} runbooks (${markdown} Markdown files), ${(bytes / 2 ** 20).toFixed(1)} MB`);
  const linters = await measureLinters({ dir, paths, cli, cli2, cacheFile: join(out, 'scale.runbooklintcache'), today, runs, log });
  log('  language server: the index alone, a runbook open');
  const alone = await measureServer({ dir, paths, server, today, log, work: false });
  log('  language server: the index while a person works on the open runbook');
  const index = await measureServer({ dir, paths, server, today, log });
  const row = { runbooks: count, markdownFiles: markdown, bytes, ...linters, server: index, alone };
  row.indexVsCli2 = alone.indexMs / linters.markdownlintCli2Ms;
  row.indexVsCli = alone.indexMs / linters.cliMs;
  row.workedIndexVsCli = index.indexMs / linters.cliMs;
  row.cliVsCli2 = linters.cliMs / linters.markdownlintCli2Ms;
  row.cacheUnchangedVsCold = linters.cacheUnchangedMs / linters.cliMs;
  row.rssOverIdleMb = alone.settledMb - alone.idleMb;
  row.workedRssOverIdleMb = index.settledMb - index.idleMb;
  return row;
}
