import { availableParallelism, loadavg } from 'node:os';
import { statSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FileReport } from './report';

/**
 * The CLI checks many files on several cores: the same cli.js runs in worker threads (`workerData`
 * says so), parses the same arguments and lints the files the main thread hands it, one at a time.
 * Results come back in any order and are put in the order of the file list, and what a file wrote to
 * stderr (configuration problems) is printed in that order too, so the output is the sequential one.
 */

/** Environment variable to force the number of worker threads (0: lint in the main thread only). */
export const WORKERS_ENV = 'RUNBOOK_LINT_WORKERS';

/**
 * Below these, starting workers (each loads the bundle and compiles the template: about 0.2 s of CPU)
 * costs more than it saves: measured with `npm run bench` on the corpus.
 */
const MIN_FILES = 4;
const MIN_BYTES = 192 * 1024;

interface Options {
  /** Errors the CLI reports as usage or I/O errors (exit code 2) rather than as internal errors. */
  isUsageError(error: unknown): boolean;
  usageError(message: string): Error;
}

type FromWorker = { index: number; report: FileReport; stderr: string[] } | { index: number; error: string; usage: boolean; stderr: string[] };

interface ToWorker {
  index: number;
  file: string;
}

const WORKER_FLAG = 'runbook-lint-worker';

/** True in a worker thread started by `lintFiles`. */
export function isLintWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | undefined)?.role === WORKER_FLAG;
}

/**
 * Lints the files in order with `lintFile`, on several threads when there are enough of them.
 * In a worker thread it serves the main thread instead and resolves to undefined when told to stop.
 */
export async function lintFiles(files: string[], lintFile: (file: string) => Promise<FileReport>, options: Options): Promise<FileReport[] | undefined> {
  if (isLintWorker()) return serve(lintFile, options);
  const workers = workerCount(files);
  if (!workers) {
    const results: FileReport[] = [];
    for (const file of files) results.push(await lintFile(file));
    return results;
  }
  return inParallel(files, lintFile, options, workers);
}

function workerCount(files: string[]): number {
  const forced = process.env[WORKERS_ENV];
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), Math.max(0, files.length - 1));
  if (files.length < MIN_FILES) return 0;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      // reported when the file is read
    }
  }
  if (bytes < MIN_BYTES) return 0;
  // The main thread lints too: one worker per other idle core. On a machine busy with other work
  // (load average near the core count) workers only add their start-up cost.
  const idle = Math.floor(availableParallelism() - loadavg()[0] + 0.5);
  return Math.max(0, Math.min(idle - 1, files.length - 1, 7));
}

/** Main thread: hands out files biggest first, lints some itself, and puts the results in order. */
async function inParallel(files: string[], lintFile: (file: string) => Promise<FileReport>, options: Options, count: number): Promise<FileReport[]> {
  const size = (f: string) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  const queue = files.map((file, index) => ({ file, index, size: size(file) })).sort((a, b) => b.size - a.size || a.index - b.index);
  const results: (FileReport | undefined)[] = new Array(files.length);
  const errors: ({ error: unknown } | undefined)[] = new Array(files.length);
  const stderr: string[][] = files.map(() => []);
  let failed = false;
  const next = () => (failed ? undefined : queue.shift());

  // What the main thread's own files write to stderr is held back like the workers' is.
  const write = process.stderr.write;
  let current: number | undefined;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (current === undefined) return (write as (...a: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
    stderr[current].push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof process.stderr.write;

  const mainLane = async () => {
    for (let job = next(); job; job = next()) {
      current = job.index;
      try {
        results[job.index] = await lintFile(job.file);
      } catch (error) {
        errors[job.index] = { error };
        failed = true;
      } finally {
        current = undefined;
      }
      // Let the workers' replies in: linting a file only awaits microtasks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const workerLane = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const send = () => {
        const job = next();
        if (job) {
          inFlight++;
          worker.postMessage({ index: job.index, file: job.file } satisfies ToWorker);
        } else if (!inFlight) {
          resolve();
        }
      };
      worker.on('message', (m: FromWorker) => {
        inFlight--;
        stderr[m.index].push(...m.stderr);
        if ('error' in m) {
          errors[m.index] = { error: m.usage ? options.usageError(m.error) : new Error(m.error) };
          failed = true;
        } else {
          results[m.index] = m.report;
        }
        send();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`a lint worker stopped (exit code ${code})`)));
      // Two files queued per worker, so that it never waits for the main thread to hand out the next.
      send();
      send();
    });

  const workers = Array.from({ length: count }, () => new Worker(process.argv[1], { workerData: { role: WORKER_FLAG }, argv: process.argv.slice(2) }));
  try {
    await Promise.all([mainLane(), ...workers.map(workerLane)]);
  } finally {
    process.stderr.write = write;
    for (const w of workers) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
  // As the sequential loop would have: messages up to the first failing file, then its error.
  const printed = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    for (const message of stderr[i]) {
      if (printed.has(message)) continue;
      printed.add(message);
      process.stderr.write(message);
    }
    const failure = errors[i];
    if (failure) throw failure.error;
  }
  return results as FileReport[];
}

/** Worker thread: lints the files it is sent, one at a time, until the main thread stops it. */
function serve(lintFile: (file: string) => Promise<FileReport>, options: Options): Promise<undefined> {
  const port = parentPort!;
  let captured: string[] = [];
  process.stderr.write = ((chunk: string | Uint8Array) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof process.stderr.write;
  const handle = async ({ index, file }: ToWorker) => {
    captured = [];
    let reply: FromWorker;
    try {
      reply = { index, report: await lintFile(file), stderr: captured };
    } catch (error) {
      const usage = options.isUsageError(error);
      reply = { index, error: usage ? (error as Error).message : ((error as Error).stack ?? String(error)), usage, stderr: captured };
    }
    port.postMessage(reply);
  };
  // One file at a time, in the order sent: what it writes to stderr is its own.
  let queue = Promise.resolve();
  port.on('message', (job: ToWorker) => {
    queue = queue.then(() => handle(job));
  });
  // Never resolves: the main thread terminates the worker when every file is done.
  return new Promise<undefined>(() => undefined);
}
