import { statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { URI } from 'vscode-uri';
import type { Analyser, LinkSource, RunbookService } from '../service/runbookService';
import type { RunbookSettings } from '../service/settings';
import type { AnalyseOptions, FileFailure, FileResult } from '../service/workspace/index';
import type { FileReport } from './report';

/** Environment variable to force the number of analyser threads (0: everything in the main thread). */
export const WORKERS_ENV = 'RUNBOOK_LINT_WORKERS';

/**
 * Below these, starting threads (each loads the bundle and compiles the template: about 0.2 s of CPU)
 * costs more than it saves: measured with `npm run bench` on the corpus.
 */
const MIN_FILES = 4;
const MIN_BYTES = 192 * 1024;

/** How many analyser threads the files are worth: one per idle core, none for a few small files. */
export function threadsFor(files: string[]): number {
  const forced = process.env[WORKERS_ENV];
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), files.length);
  if (files.length < MIN_FILES) return 0;
  let bytes = 0;
  for (const f of files) bytes += statSync(f, { throwIfNoEntry: false })?.size ?? 0;
  if (bytes < MIN_BYTES) return 0;
  // The main thread only hands out files and answers link requests. On a machine busy with other work
  // (load average near the core count) threads only add their start-up cost.
  const idle = Math.floor(availableParallelism() - loadavg()[0] + 0.5);
  const threads = Math.min(idle, files.length, 4);
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
 * file parsed once), writing fixed files with `fix`. A failure of the first failing file in list order
 * is thrown as a `LintError`, as a sequential run would meet it.
 */
export async function lintAll(service: RunbookService, files: string[], asRunbook: (file: string) => boolean, fix: boolean): Promise<FileReport[]> {
  const uris = files.map((file) => URI.file(resolve(file)).toString());
  const outcomes = new Map<string, FileResult | FileFailure>();
  await service.index.analyseFiles(
    files.map((file, i) => ({ uri: uris[i], options: { asRunbook: asRunbook(file), fix } })),
    (uri, outcome) => outcomes.set(uri, outcome),
  );
  return files.map((file, i) => {
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
    return { file, uri: uris[i], isRunbook: outcome.isRunbook, diagnostics: outcome.diagnostics ?? [], summary: outcome.summary };
  });
}
