// Bundle entry of the fuzz workers (scripts/fuzz.mjs bundles it with esbuild and forks it): generates the
// document of each seed it is sent and answers with what broke on it. A process per worker, so that its CPU
// time, by which hangs are judged, is its own.
import fc from 'fast-check';
import example from '../examples/payments-api-runbook.md';
import { builtinTemplate } from '../server/src/service/template/builtin';
import { defaultSettings } from '../server/src/service/settings';
import { documents, Harness } from '../test/support/generate';

const TODAY = '2026-11-27';
const schema = builtinTemplate();
const arbitrary = documents({ schema, example });
const harness = new Harness(schema, defaultSettings, TODAY);

/** The document a seed stands for: the same on every run and machine. */
export function documentOf(seed: number) {
  return fc.sample(arbitrary, { seed, numRuns: 1 })[0];
}

if (process.send && process.env.RUNBOOK_FUZZ_WORKER) {
  process.on('message', async ({ seed, hangMs }: { seed: number; hangMs: number }) => {
    const before = process.cpuUsage();
    const doc = documentOf(seed);
    const report = await harness.check(doc, hangMs);
    const used = process.cpuUsage(before);
    process.send!({ seed, kind: doc.kind, report, cpuMs: (used.user + used.system) / 1000 });
  });
  // The runner went away (killed, interrupted): do not linger.
  process.on('disconnect', () => process.exit(0));
  // Warm up (module initialisation, JIT) before the first timed document.
  void harness.analyse(example).then(() => process.send!({ ready: true }));
}
