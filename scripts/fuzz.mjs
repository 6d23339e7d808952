// The long fuzz run (`npm run fuzz`, outside `npm test`): generated runbooks through the language service,
// checking on each what the property tests check (test/support/generate.ts): analysis never throws and
// takes under 5 s, ranges lie inside the document, re-analysis is identical, safe quick fixes and fix-all
// keep the original text, take effect and are idempotent, navigation requests never throw.
//
//   node scripts/fuzz.mjs [--count 10000] [--seed 1] [--workers <cores>] [--hang-ms 5000] [--out <dir>]
//
// Document n is generated from seed (--seed + n), so any failure is replayed with
// `node scripts/fuzz.mjs --seed <its seed> --count 1`; failing documents are also written to --out.
// Prints the counts and exits 1 when anything failed.
import * as esbuild from 'esbuild';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'Usage: node scripts/fuzz.mjs [--count N] [--seed S] [--workers W] [--hang-ms MS] [--out DIR]';

function parseArgs(argv) {
  const options = { count: 10_000, seed: 1, workers: availableParallelism(), hangMs: 5000, out: join(tmpdir(), 'runbook-fuzz-failures') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--count') options.count = Number(value());
    else if (flag === '--seed') options.seed = Number(value());
    else if (flag === '--workers') options.workers = Number(value());
    else if (flag === '--hang-ms') options.hangMs = Number(value());
    else if (flag === '--out') options.out = value();
    else {
      process.stderr.write(`fuzz: unknown option ${argv[i]}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  for (const key of ['count', 'seed', 'workers', 'hangMs']) {
    if (!Number.isInteger(options[key]) || options[key] < (key === 'seed' ? 0 : 1)) {
      process.stderr.write(`fuzz: --${key.replace('M', '-m')} must be a positive integer\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const started = performance.now();

// The worker bundles the service from its TypeScript sources, as the server bundle does (.md as text).
const buildDir = mkdtempSync(join(tmpdir(), 'runbook-fuzz-'));
const bundle = join(buildDir, 'fuzz-worker.cjs');
await esbuild.build({
  entryPoints: [fileURLToPath(new URL('./fuzz-worker.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: bundle,
  loader: { '.md': 'text' },
  logLevel: 'warning',
});
const { documentOf } = createRequire(import.meta.url)(bundle);

/** Wall time after which a worker that has not answered is killed; long, as the machine may be loaded. */
const KILL_AFTER_MS = Math.max(120_000, options.hangMs * 24);

const KINDS = ['crashes', 'hangs', 'fixes', 'ranges', 'determinism'];
const totals = { documents: 0, crashes: 0, hangs: 0, fixes: 0, ranges: 0, determinism: 0 };
const byKind = { template: 0, example: 0, junk: 0 };
const failures = [];
let slowest = { ms: 0, seed: -1 };

mkdirSync(options.out, { recursive: true });

let cpuTotal = 0;
/** The documents whose whole check took the most CPU time. */
const costliest = [];

/** Records one document's report; a failing document is written out for replay. */
function record(seed, kind, report, cpuMs = 0) {
  totals.documents++;
  if (kind) byKind[kind]++;
  if (report.ms > slowest.ms) slowest = { ms: report.ms, seed };
  cpuTotal += cpuMs;
  costliest.push({ seed, cpuMs });
  costliest.sort((a, b) => b.cpuMs - a.cpuMs).splice(5);
  // A document counts once per kind of failure.
  const failed = KINDS.filter((k) => report[k].length > 0);
  for (const k of failed) totals[k]++;
  if (!failed.length) return;
  const file = join(options.out, `seed-${seed}.md`);
  writeFileSync(file, documentOf(seed).text);
  writeFileSync(join(options.out, `seed-${seed}.json`), JSON.stringify(report, null, 2));
  failures.push({ seed, file, report });
}

const emptyReport = () => ({ crashes: [], hangs: [], ranges: [], determinism: [], fixes: [], diagnostics: 0, ms: 0 });

const seeds = Array.from({ length: options.count }, (_, i) => options.seed + i);
let next = 0;
let lastProgress = 0;

function progress() {
  if (totals.documents - lastProgress < 500 && totals.documents !== options.count) return;
  lastProgress = totals.documents;
  const s = ((performance.now() - started) / 1000).toFixed(0);
  const top = costliest[0] ? `, costliest so far seed ${costliest[0].seed} (${(costliest[0].cpuMs / 1000).toFixed(1)} s)` : '';
  process.stderr.write(`  ${totals.documents}/${options.count} documents, ${failures.length} failing, ${s} s, ${Math.round(cpuTotal / totals.documents)} ms CPU per document${top}\n`);
}

/** One worker process: takes seeds until none is left; a worker that stops answering is replaced. */
function runWorker() {
  return new Promise((resolve) => {
    const worker = fork(bundle, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, RUNBOOK_FUZZ_WORKER: '1' } });
    let current;
    let timer;
    let done = false;
    const finish = (replace) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.removeAllListeners();
      worker.kill();
      if (replace) runWorker().then(resolve);
      else resolve();
    };
    const dispatch = () => {
      if (next >= seeds.length) return finish(false);
      current = seeds[next++];
      timer = setTimeout(() => {
        // Stuck in synchronous code: count a hang, replace the worker.
        const report = emptyReport();
        report.hangs.push(`no answer within ${KILL_AFTER_MS / 1000} s; worker killed`);
        record(current, undefined, report);
        finish(true);
      }, KILL_AFTER_MS);
      worker.send({ seed: current, hangMs: options.hangMs });
    };
    worker.on('message', (message) => {
      if (message.ready) return dispatch();
      clearTimeout(timer);
      record(message.seed, message.kind, message.report, message.cpuMs);
      current = undefined;
      progress();
      dispatch();
    });
    worker.on('exit', (code, signal) => {
      // Died outside the checks' own try/catch (out of memory, a stack overflow in a callback, ...).
      if (done) return;
      if (current !== undefined) {
        const report = emptyReport();
        report.crashes.push(`worker exited (${signal ?? code})`);
        record(current, undefined, report);
      }
      finish(next < seeds.length);
    });
  });
}

process.stderr.write(`Fuzzing ${options.count} documents (seeds ${seeds[0]}..${seeds[seeds.length - 1]}) with ${options.workers} workers\n`);
await Promise.all(Array.from({ length: Math.min(options.workers, options.count) }, runWorker));
rmSync(buildDir, { recursive: true, force: true });

const elapsed = (performance.now() - started) / 1000;
const pad = (label) => label.padEnd(24);
const lines = [
  `Runbook Tools fuzz run, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${options.workers} workers`,
  `${pad('documents')}${totals.documents} (${byKind.template} from the template model, ${byKind.example} mutated examples, ${byKind.junk} junk; seeds ${seeds[0]}..${seeds[seeds.length - 1]})`,
  `${pad('crashes')}${totals.crashes}`,
  `${pad(`hangs (> ${options.hangMs / 1000} s)`)}${totals.hangs}`,
  `${pad('fix violations')}${totals.fixes}`,
  `${pad('range violations')}${totals.ranges}`,
  `${pad('nondeterministic')}${totals.determinism}`,
  `${pad('slowest analysis')}${Math.round(slowest.ms)} ms of CPU (seed ${slowest.seed})`,
  `${pad('CPU per document')}${Math.round(cpuTotal / Math.max(1, totals.documents))} ms on average for all checks; costliest seeds ${costliest.map((c) => `${c.seed} (${(c.cpuMs / 1000).toFixed(1)} s)`).join(', ')}`,
  `${pad('elapsed')}${elapsed.toFixed(1)} s`,
];
process.stdout.write(lines.join('\n') + '\n');
if (failures.length) {
  process.stdout.write(`\nFailing documents (replay one with: node scripts/fuzz.mjs --seed <seed> --count 1):\n`);
  for (const f of failures.slice(0, 20)) {
    const first = KINDS.flatMap((k) => f.report[k].map((p) => `${k}: ${p}`))[0] ?? '';
    process.stdout.write(`  seed ${f.seed}  ${f.file}\n    ${first.split('\n')[0].slice(0, 300)}\n`);
  }
  if (failures.length > 20) process.stdout.write(`  ... and ${failures.length - 20} more in ${options.out}\n`);
}
process.exit(failures.length ? 1 : 0);
