// `npm run bench`: how fast analysis is against the bare parser and markdownlint, in one run.
// Prints a table (or JSON with --json) of medians of repeated runs; every timing is a ratio against
// a baseline measured in the same run, since absolute times depend on the machine and its load.
//
// Options: --json, --sizes 1,10,50, --runs N (repeat count scale), --only a,b,c,d,e,f,
// --scale N (runbooks in the generated workspace of f, default 1000)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as esbuild from 'esbuild';
import { generateRunbook } from './generate.mjs';
import { measureScale } from './scale.mjs';
import { micromarkMemo } from '../scripts/micromark-memo.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench/out');
const CORPUS = join(ROOT, '../shared/corpus/real');
const CLI = join(ROOT, 'server/out/cli.js');
const SERVER = join(ROOT, 'server/out/server.js');
const CLI2 = join(ROOT, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs');
const TODAY = '2026-11-27';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const asJson = args.includes('--json');
const sizes = option('--sizes', '1,10,50').split(',').map(Number);
const runScale = Number(option('--runs', '1'));
const only = new Set(option('--only', 'a,b,c,d,e,f').split(','));
const scaleCount = Number(option('--scale', '1000'));
const log = (message) => process.stderr.write(message + '\n');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

// The service as the server and CLI bundle it, plus the bare parser, in one CommonJS bundle.
await esbuild.build({
  entryPoints: [join(ROOT, 'bench/entry.ts')],
  outfile: join(OUT, 'entry.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  loader: { '.md': 'text' },
  logLevel: 'warning',
  plugins: [micromarkMemo],
});
const lib = createRequire(import.meta.url)(join(OUT, 'entry.cjs'));
const { lint: markdownlint } = await import('markdownlint/promise');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median time (ms) of `runs` calls, each after a garbage collection; stops early past `budgetMs`. */
async function time(fn, runs, budgetMs = Infinity) {
  const times = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    gc();
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
    if (performance.now() - started > budgetMs && times.length >= 2) break;
  }
  return median(times);
}

const schema = lib.builtinTemplate();
const settings = lib.defaultSettings;
const uriOf = (n) => `file:///bench/payments-runbook-${n}x.md`;

/** Fresh diagnostics of one version; records the longest synchronous stretch between yields. */
async function analyse(service, doc, steps) {
  let last = performance.now();
  const mark = () => {
    const now = performance.now();
    steps.longest = Math.max(steps.longest, now - last);
    last = now;
  };
  const model = service.getModel(doc);
  service.isRunbook(model, schema, settings);
  mark();
  const diagnostics = await service.diagnostics(model, schema, settings, TODAY, () => {
    mark();
    return false;
  });
  mark();
  return diagnostics;
}

/** The end of the line at the middle of the text: where the one-character edits go. */
function middleOf(text) {
  const nl = text.indexOf('\n', text.length >> 1);
  return nl < 0 ? text.length : nl;
}

async function measureSize(n) {
  const text = generateRunbook(n);
  const lines = text.split('\n').length;
  const runs = Math.max(2, Math.round(runScale * (n >= 50 ? 2 : n >= 10 ? 3 : 7)));
  const budget = n >= 50 ? 20_000 : 10_000;
  log(`${n}x: ${lines} lines, ${(text.length / 1024).toFixed(0)} KB, ${runs} runs`);
  const row = { size: `${n}x`, lines, bytes: text.length };

  row.parseMs = await time(() => lib.bareParse(text), runs, budget);
  const coldSteps = { longest: 0 };
  let diagnosticsCount = 0;
  row.coldMs = await time(async () => {
    const d = await analyse(new lib.RunbookLanguageService(), { uri: uriOf(n), version: 1, getText: () => text }, coldSteps);
    diagnosticsCount = d.length;
  }, runs, budget);
  row.diagnostics = diagnosticsCount;
  if (only.has('c')) row.markdownlintMs = await time(() => markdownlint({ strings: { doc: text } }), runs, budget);

  // One character typed at the end of the middle line, a new character every time (no cache hit).
  const service = new lib.RunbookLanguageService();
  let current = text;
  const doc = { uri: uriOf(n), version: 1, getText: () => current };
  await analyse(service, doc, { longest: 0 });
  const at = middleOf(text);
  const editSteps = { longest: 0 };
  const editRuns = Math.max(5, Math.round(runScale * (n >= 50 ? 10 : 20)));
  // A warm-up edit: the first one after a cold analysis pays for compiling the incremental path.
  current = current.slice(0, at) + 'x' + current.slice(at);
  doc.version++;
  await analyse(service, doc, { longest: 0 });
  row.incrementalMs = await time(async (i) => {
    current = current.slice(0, at) + 'abcdefghij'[i % 10] + current.slice(at);
    doc.version++;
    await analyse(service, doc, editSteps);
  }, editRuns);
  // A cold analysis as the server could run it: chunks parsed ahead in slices of 20 ms with a yield
  // between them (ChunkParser.prepare), then the model from the parsed chunks, then the rules.
  const preparedSteps = { longest: 0 };
  {
    const parser = new lib.ChunkParser();
    let last = performance.now();
    const mark = () => {
      const now = performance.now();
      preparedSteps.longest = Math.max(preparedSteps.longest, now - last);
      last = now;
    };
    await parser.prepare(text, async () => {
      mark();
      await new Promise((r) => setImmediate(r));
      last = performance.now();
      return false;
    });
    mark();
    const model = lib.buildModel(uriOf(n), 1, text, parser);
    mark();
    await lib.findingsOf(model, schema, settings, TODAY, () => {
      mark();
      return false;
    });
    mark();
  }
  row.preparedLongestStepMs = preparedSteps.longest;
  row.incrementalLongestStepMs = editSteps.longest;
  row.coldLongestStepMs = coldSteps.longest;
  row.a = row.incrementalMs / row.parseMs;
  row.b = row.coldMs / row.parseMs;
  if (row.markdownlintMs) row.c = row.coldMs / row.markdownlintMs;
  return row;
}

function run(command, argv, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, RUNBOOK_TODAY: TODAY, ...env } });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - t0));
  });
}

async function measureCli() {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.md'));
  const bytes = files.reduce((s, f) => s + statSync(join(CORPUS, f)).size, 0);
  const runs = Math.max(3, Math.round(runScale * 3));
  log(`CLI: ${files.length} files, ${(bytes / 1024).toFixed(0)} KB, ${runs} runs each`);
  const ours = [];
  const theirs = [];
  const sequential = [];
  const parallel = [];
  const workers = String(Math.max(1, cpus().length - 1));
  await run(process.execPath, [CLI, '--version']);
  for (let i = 0; i < runs; i++) {
    ours.push(await run(process.execPath, [CLI, '--format', 'json', '--all-markdown', CORPUS]));
    theirs.push(await run(process.execPath, [CLI2, join(CORPUS, '*.md')]));
    sequential.push(await run(process.execPath, [CLI, '--format', 'json', '--all-markdown', CORPUS], { RUNBOOK_LINT_WORKERS: '0' }));
    parallel.push(await run(process.execPath, [CLI, '--format', 'json', '--all-markdown', CORPUS], { RUNBOOK_LINT_WORKERS: workers }));
  }
  const row = { files: files.length, bytes, cliMs: median(ours), cliSequentialMs: median(sequential), cliParallelMs: median(parallel), workers: Number(workers), markdownlintCli2Ms: median(theirs) };
  row.d = row.cliMs / row.markdownlintCli2Ms;
  return row;
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function measureServer() {
  const rpc = createRequire(import.meta.url)('vscode-jsonrpc/node');
  const text = generateRunbook(10);
  const edits = Math.max(10, Math.round(runScale * 50));
  log(`server: 10x document open, ${edits} edits`);
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, RUNBOOK_TODAY: TODAY } });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const published = new Map();
  let wake = () => {};
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    published.set(p.version, p.diagnostics.length);
    wake();
  });
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  connection.onNotification('window/logMessage', () => {});
  connection.onNotification('runbook/documentStatus', () => {});
  connection.listen();
  const diagnosticsOf = async (version) => {
    const deadline = Date.now() + 120_000;
    while (!published.has(version)) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for version ${version}`);
      await new Promise((r) => {
        wake = r;
        setTimeout(r, 500);
      });
    }
  };
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await connection.sendNotification('initialized', {});
    await new Promise((r) => setTimeout(r, 500));
    const idle = rssOf(child.pid);
    // A first document (the 1x example) compiles the template and the parser's hot code: memory any
    // session has; what the 10x document adds is measured from there.
    const warmUri = uriOf(1);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: warmUri, languageId: 'markdown', version: 1000, text: generateRunbook(1) } });
    await diagnosticsOf(1000);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri: warmUri } });
    await new Promise((r) => setTimeout(r, 500));
    const before = rssOf(child.pid);
    const uri = uriOf(10);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    await diagnosticsOf(1);
    const opened = rssOf(child.pid);
    // Typing at the end of the middle line, waiting for each version's diagnostics.
    const lineCount = text.slice(0, middleOf(text)).split('\n').length - 1;
    const column = text.slice(0, middleOf(text)).length - text.lastIndexOf('\n', middleOf(text) - 1) - 1;
    const t0 = performance.now();
    for (let v = 2; v <= edits + 1; v++) {
      const position = { line: lineCount, character: column + (v - 2) };
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: position, end: position }, text: 'x' }] });
      await diagnosticsOf(v);
    }
    const perEdit = (performance.now() - t0) / edits;
    const after = rssOf(child.pid);
    return { edits, rssIdleMb: idle.rss, rssWarmMb: before.rss, rssOpenedMb: opened.rss, rssAfterMb: after.rss, peakMb: after.peak, e: after.rss - before.rss, fromIdleMb: after.rss - idle.rss, editRoundTripMs: perEdit };
  } finally {
    await Promise.race([connection.sendRequest('shutdown').then(() => connection.sendNotification('exit')), new Promise((r) => setTimeout(r, 2000))]).catch(() => {});
    connection.dispose();
    child.kill();
  }
}

const started = performance.now();
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage: loadavg()[0] };
log(`bench on ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load average ${machine.loadAverage.toFixed(1)}`);
// Warm up the parser and the rules once, so the first size does not pay for compiling them.
{
  const warm = generateRunbook(1);
  for (let i = 0; i < 3; i++) {
    lib.bareParse(warm);
    await analyse(new lib.RunbookLanguageService(), { uri: uriOf(0), version: 1, getText: () => warm }, { longest: 0 });
  }
}
const results = { machine, sizes: [], cli: undefined, server: undefined, scale: undefined };
if (only.has('a') || only.has('b') || only.has('c')) for (const n of sizes) results.sizes.push(await measureSize(n));
if (only.has('d')) results.cli = await measureCli();
if (only.has('e')) results.server = await measureServer();
if (only.has('f')) results.scale = await measureScale({ out: OUT, count: scaleCount, cli: CLI, cli2: CLI2, server: SERVER, today: TODAY, runs: Math.max(1, Math.round(runScale)), log });
results.seconds = (performance.now() - started) / 1000;
results.machine.loadAverageAfter = loadavg()[0];

const at10 = results.sizes.find((r) => r.size === '10x');
const targets = [
  { id: 'a', what: 'one-character edit to fresh diagnostics / full parse, at 10x', value: at10?.a, limit: 0.05 },
  { id: 'b', what: 'cold analysis / bare parse (worst size)', value: results.sizes.length ? Math.max(...results.sizes.map((r) => r.b)) : undefined, limit: 1.3 },
  { id: 'd', what: 'CLI over the corpus / markdownlint-cli2, wall', value: results.cli?.d, limit: 0.6 },
  { id: 'e', what: 'server RSS growth from warm, 10x open and edited (MB)', value: results.server?.e, limit: 60 },
  { id: 'f1', what: `server index of ${scaleCount} runbooks (alone) / markdownlint-cli2 over them`, value: results.scale?.indexVsCli2, limit: 0.6 },
  { id: 'f2', what: `server index of ${scaleCount} runbooks (alone) / runbook-lint over them`, value: results.scale?.indexVsCli, limit: 1.2 },
  { id: 'f3', what: 'slowest request on the open runbook while indexing (ms)', value: results.scale?.server.slowestRequestMs, limit: 100 },
  { id: 'f4', what: `server RSS over idle with ${scaleCount} runbooks indexed, analyser threads stopped (MB)`, value: results.scale?.rssOverIdleMb, limit: 100 },
  { id: 'f5', what: `runbook-lint over ${scaleCount} runbooks / markdownlint-cli2, wall`, value: results.scale?.cliVsCli2, limit: 0.6 },
  { id: 'f6', what: 'runbook-lint --cache unchanged / cold', value: results.scale?.cacheUnchangedVsCold, limit: 0.1 },
  { id: 'f7', what: 'files checked again after one changed (it and those linking to it)', value: results.scale?.cacheOneChangeChecked, limit: results.scale?.cacheOneChangeExpected },
].map((t) => ({ ...t, met: t.value === undefined ? undefined : t.value <= t.limit }));
results.targets = targets;

if (asJson) {
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
} else {
  const ms = (x) => (x === undefined ? '-' : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
  const r2 = (x) => (x === undefined ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(x < 0.1 ? 3 : 2));
  const table = [
    ['size', 'lines', 'KB', 'remark+gfm', '(a) edit', '(a) ratio', '(b) cold', '(b) ratio', 'markdownlint', '(c) cold/mdl', 'longest step: edit / cold / cold prepared'],
    ...results.sizes.map((r) => [r.size, String(r.lines), (r.bytes / 1024).toFixed(0), ms(r.parseMs), ms(r.incrementalMs), r2(r.a), ms(r.coldMs), r2(r.b), ms(r.markdownlintMs), r2(r.c), `${ms(r.incrementalLongestStepMs)} / ${ms(r.coldLongestStepMs)} / ${ms(r.preparedLongestStepMs)}`]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const out = [];
  out.push(`Runbook Tools benchmark: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, load average ${machine.loadAverage.toFixed(1)} -> ${machine.loadAverageAfter.toFixed(1)}`);
  out.push('');
  for (const row of table) out.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  if (results.cli) {
    const c = results.cli;
    out.push('');
    out.push(`(d) runbook-lint --format json over ${c.files} corpus files (${(c.bytes / 1024).toFixed(0)} KB): ${ms(c.cliMs)} as it chooses (forced: 1 thread ${ms(c.cliSequentialMs)}, ${c.workers + 1} threads ${ms(c.cliParallelMs)}); markdownlint-cli2: ${ms(c.markdownlintCli2Ms)}; ratio ${r2(c.d)}`);
  }
  if (results.server) {
    const s = results.server;
    out.push(`(e) server RSS: ${s.rssIdleMb.toFixed(0)} MB at start, ${s.rssWarmMb.toFixed(0)} MB after a 1x document (warm), ${s.rssOpenedMb.toFixed(0)} MB with the 10x document open, ${s.rssAfterMb.toFixed(0)} MB after ${s.edits} edits (peak ${s.peakMb.toFixed(0)} MB)`);
    out.push(`    growth from warm ${s.e.toFixed(0)} MB (from start ${s.fromIdleMb.toFixed(0)} MB); ${ms(s.editRoundTripMs)} per edit round trip (150 ms debounce included)`);
  }
  if (results.scale) {
    const f = results.scale;
    const v = f.server;
    out.push(`(f) ${f.runbooks} generated runbooks (${f.markdownFiles} Markdown files, ${(f.bytes / 2 ** 20).toFixed(1)} MB): markdownlint-cli2 ${ms(f.markdownlintCli2Ms)}, runbook-lint ${ms(f.cliMs)}`);
    out.push(`    runbook-lint --cache: writing ${ms(f.cacheWriteMs)}, unchanged ${ms(f.cacheUnchangedMs)} (${f.cacheUnchangedChecked} checked), one file changed ${ms(f.cacheOneChangeMs)} (${f.cacheOneChangeChecked} checked, ${f.cacheOneChangeExpected} expected)`);
    const a = f.alone;
    out.push(`    server index alone: ${a.runbooks} runbooks in ${ms(a.indexMs)} (${r2(f.indexVsCli)}x runbook-lint); RSS ${a.idleMb.toFixed(0)} MB idle, ${a.indexedMb.toFixed(0)} MB just after indexing, ${a.settledMb.toFixed(0)} MB once the analyser threads stopped`);
    out.push(`    server index while a person works on the open runbook: ${v.runbooks} runbooks in ${ms(v.indexMs)} (${r2(f.workedIndexVsCli)}x runbook-lint); open runbook's diagnostics ${ms(v.openDiagnosticsMs)} after start; ${v.requests} requests meanwhile, slowest: hover ${ms(v.slowestMs.hover)}, completion ${ms(v.slowestMs.completion)}, code action ${ms(v.slowestMs.codeAction)}, diagnostics after an edit ${ms(v.slowestMs.diagnostics)} (debounce not counted); medians ${ms(v.medianMs.hover)} / ${ms(v.medianMs.completion)} / ${ms(v.medianMs.codeAction)} / ${ms(v.medianMs.diagnostics)}`);
    out.push(`    server RSS: ${v.idleMb.toFixed(0)} MB idle, ${v.indexedMb.toFixed(0)} MB just after indexing (analyser threads running), ${v.settledMb.toFixed(0)} MB once they stopped`);
  }
  out.push('');
  out.push('Targets:');
  for (const t of targets) out.push(`  (${t.id}) ${t.what} <= ${t.limit}: ${t.value === undefined ? 'not measured' : `${r2(t.value)} ${t.met ? 'met' : 'NOT met'}`}`);
  out.push(`(${results.seconds.toFixed(0)} s)`);
  if (machine.loadAverage > machine.cores) out.push(`Note: the machine was busy (load average ${machine.loadAverage.toFixed(1)} on ${machine.cores} cores); absolute times are inflated, ratios less so.`);
  process.stdout.write(out.join('\n') + '\n');
}
