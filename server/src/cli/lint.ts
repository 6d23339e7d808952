import { statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { URI } from 'vscode-uri';
import type { Analyser, LinkSource, RunbookService } from '../service/runbookService';
import type { RunbookSettings } from '../service/settings';
import type { AnalyseOptions, FileFailure, FileResult } from '../service/workspace/index';
import type { FileReport } from './report';
import type { LintCache } from './cache';

/** Environment variable to force the number of analyser threads (0: everything in the main thread). */
export const WORKERS_ENV = 'RUNBOOK_LINT_WORKERS';

/**
 * Below these, starting threads (each loads the bundle and compiles the template: about 0.2 s of CPU)
 * costs what it saves: on the 48 files of the corpus (791 KB) one thread took 2.3-2.5 s, two 2.4-2.6 s;
 * on 200 generated runbooks (4.8 MB) two threads took 0.8-0.9x the time of one.
 */
const MIN_FILES = 4;
const MIN_BYTES = 1024 * 1024;

/** How many analyser threads the files are worth: one per core (at most four), none for a few small files. */
export function threadsFor(files: string[]): number {
  const forced = process.env[WORKERS_ENV];
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), files.length);
  if (files.length < MIN_FILES) return 0;
  let bytes = 0;
  for (const f of files) bytes += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
  if (bytes < MIN_BYTES) return 0;
  // The main thread only hands out files and answers link requests. The load average is no guide: it
  // lags a minute behind, so a CI step that just ended (npm ci, a build, another linter) made the CLI
  // run on one thread on an idle machine (1,000 runbooks: 0.78x markdownlint-cli2 instead of 0.55x). On a
  // machine that is really busy, the threads get their share of it like any process.
  const threads = Math.min(availableParallelism(), files.length, 4);
  return threads >= 2 ? threads : 0;
}

/**
 * The CLI's analyser: decided once the files are known, either threads or the main thread. The
 * service is created before the inputs are walked, so the choice comes later than the service.
 */
export class ChosenAnalyser implements Analyser {
  private chosen: Analyser | undefined;

  choose(analyser: Analyser): void {
    this.chosen = analyser;
  }

  get concurrency(): number {
    return this.chosen?.concurrency ?? 1;
  }

  analyse(uri: string, text: string, editor: RunbookSettings, options: AnalyseOptions, links: LinkSource): Promise<FileResult> {
    if (!this.chosen) throw new Error('no analyser chosen');
    return this.chosen.analyse(uri, text, editor, options, links);
  }

  changed(): void {
    this.chosen?.changed?.();
  }
}

export class LintError extends Error {}

/**
 * Checks the files as the workspace index checks a folder (links between them resolved from it, each
 * file parsed once), writing fixed files with `fix`; with a cache, files whose results it holds are
 * not checked again. A failure of the first failing file in list order is thrown as a `LintError`, as
 * a sequential run would meet it.
 */
export async function lintAll(service: RunbookService, files: string[], asRunbook: (file: string) => boolean, fix: boolean, cache?: LintCache): Promise<{ reports: FileReport[]; fromCache: number }> {
  const uris = files.map((file) => URI.file(resolve(file)).toString());
  const cached = new Map<string, FileReport>();
  if (cache) {
    for (const [i, file] of files.entries()) {
      const report = await cache.lookup(service, file, uris[i], asRunbook(file));
      if (report) cached.set(uris[i], report);
    }
  }
  const outcomes = new Map<string, FileResult | FileFailure>();
  const todo = files.map((file, i) => ({ file, uri: uris[i] })).filter((f) => !cached.has(f.uri));
  await service.index.analyseFiles(
    todo.map(({ file, uri }) => ({ uri, options: { asRunbook: asRunbook(file), fix } })),
    (uri, outcome) => outcomes.set(uri, outcome),
  );
  const results = files.map((file, i): { report: FileReport; outcome?: FileResult } => {
    const done = cached.get(uris[i]);
    if (done) return { report: { ...done, file } };
    const outcome = outcomes.get(uris[i]);
    if (!outcome) throw new LintError(`${file} was not checked.`);
    if ('error' in outcome) throw new LintError(outcome.error === 'not UTF-8 text' ? `${file} is not UTF-8 text.` : `Cannot read ${file}: ${outcome.error}.`);
    if (outcome.fixedText !== undefined) {
      try {
        writeFileSync(file, outcome.fixedText);
      } catch (error) {
        throw new LintError(`Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    return { report: { file, uri: uris[i], isRunbook: outcome.isRunbook, diagnostics: outcome.diagnostics ?? [], summary: outcome.summary }, outcome };
  });
  // After every fixed file is written, so that the hashes of link targets are those of what is on disk.
  if (cache) for (const { report, outcome } of results) if (outcome) await cache.store(service, report, asRunbook(report.file), outcome.outline, outcome.analysis, outcome.template);
  return { reports: results.map((r) => r.report), fromCache: cached.size };
}
