import { readdirSync } from 'node:fs';
import { availableParallelism, getPriority, setPriority } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LinkResolver, LinkTarget } from '../service/rules/types';
import { createRunbookService, type Analyser, type LinkSource } from '../service/runbookService';
import type { RunbookSettings } from '../service/settings';
import type { RunbookConfig } from '../service/workspace/config';
import type { AnalyseOptions, FileResult, Outline } from '../service/workspace/index';
import type { Layers } from '../service/workspace/policy';
import { nodeClock } from './clock';
import { nodeFileSystemOr } from './fs';
import { URI } from 'vscode-uri';
import type { FileSystem } from '../service/host';
import type { AnalyserEvents } from '../server';

/**
 * Closed files analysed in worker threads, so that the thread that answers the editor (or, in the
 * CLI, the one that hands out files) only coordinates. The workers run the same bundle as the main
 * thread; `workerData.role` tells them apart. Each worker has its own engine and policy over the disk;
 * link targets come from the main thread's index, which each analysis first tells its own outline.
 */

const ROLE = 'runbook-analyser';

type ToWorker =
  | { type: 'analyse'; job: number; uri: string; text: string; editor: RunbookSettings; options: AnalyseOptions }
  | { type: 'links'; request: number; found: [string, LinkTarget | 'missing'][]; targets: string[] }
  | { type: 'changed' }
  | { type: 'fs'; request: number; value?: unknown; error?: string };

type FromWorker =
  | { type: 'links'; job: number; request: number; uri: string; paths: string[]; outline: Outline }
  | { type: 'result'; job: number; result: FileResult }
  | { type: 'failed'; job: number; message: string }
  | { type: 'problem'; message: string }
  | { type: 'config'; config: RunbookConfig }
  | { type: 'fs'; request: number; op: 'stat' | 'readFile' | 'readDirectory'; uri: string };

interface WorkerData {
  role: typeof ROLE;
  layers?: Layers;
  /** Niceness of the worker's thread (Linux): the editor's requests come first. */
  nice?: number;
}


export interface PoolOptions {
  size: number;
  layers?: Layers;
  nice?: number;
  /** Workers stop after this long without work, giving their memory back; they start again on demand. */
  idleMs?: number;
  events: AnalyserEvents;
  /** The main thread's file system: workers read `file:` URIs themselves and ask for the others (a virtual workspace). */
  fs?: FileSystem;
}

interface Job {
  resolve(result: FileResult): void;
  reject(error: Error): void;
  links: LinkSource;
  worker: Lane;
}

interface Lane {
  worker: Worker;
  jobs: number;
}

/** True in a worker thread started by a `WorkerAnalyser`. */
export function isAnalyserWorker(): boolean {
  return !isMainThread && (workerData as WorkerData | undefined)?.role === ROLE;
}

/** How many analyser threads are worth starting: one per core, at most four; none on one core. */
export function analyserThreads(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(cores, 4);
}

/**
 * Lowers the priority of every thread of the process but the main one (Linux; elsewhere nothing).
 * Besides the analyser threads, which lower their own, the process has V8's helper threads, which do
 * the analysers' concurrent garbage collection and compilation, and libuv's pool, which reads their
 * files. At the normal priority the helpers took more CPU than the main thread while the index ran,
 * and competed with it for the cores (bench f3, the slowest diagnostics after a keystroke while 1,000
 * runbooks were indexed: 53-58 ms without this, 38-47 ms with it).
 */
export function niceHelperThreads(nice: number): void {
  if (process.platform !== 'linux') return;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const task of tasks) {
    const tid = Number(task);
    // The main thread's id is the process id.
    if (!tid || tid === process.pid) continue;
    try {
      if (getPriority(tid) < nice) setPriority(tid, nice);
    } catch {
      // the thread ended meanwhile, or lowering is not permitted: it keeps its priority
    }
  }
}

/** The main thread's side: hands files to the workers and answers their link requests. */
export class WorkerAnalyser implements Analyser {
  private lanes: Lane[] = [];
  private jobs = new Map<number, Job>();
  private nextJob = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: PoolOptions) {}

  /** Two files per worker: one runs while the other waits for its link targets. */
  get concurrency(): number {
    return this.options.size * 2;
  }

  analyse(uri: string, text: string, editor: RunbookSettings, options: AnalyseOptions, links: LinkSource): Promise<FileResult> {
    clearTimeout(this.idleTimer);
    const lane = this.lane();
    const job = this.nextJob++;
    return new Promise<FileResult>((resolve, reject) => {
      this.jobs.set(job, { resolve, reject, links, worker: lane });
      // A worker with work keeps the process alive (the CLI has nothing else that would); an idle one does not.
      if (lane.jobs++ === 0) lane.worker.ref();
      lane.worker.postMessage({ type: 'analyse', job, uri, text, editor, options } satisfies ToWorker);
    });
  }

  changed(): void {
    for (const lane of this.lanes) lane.worker.postMessage({ type: 'changed' } satisfies ToWorker);
  }

  /** Stops every worker; jobs still running fail. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const lanes = this.lanes.splice(0);
    await Promise.all(lanes.map((l) => l.worker.terminate()));
  }

  /** The least busy worker, starting one while there are fewer than `size`. */
  private lane(): Lane {
    const free = this.lanes.find((l) => l.jobs === 0);
    if (free) return free;
    if (this.lanes.length < this.options.size) return this.start();
    return this.lanes.reduce((a, b) => (b.jobs < a.jobs ? b : a));
  }

  private start(): Lane {
    const data: WorkerData = { role: ROLE, layers: this.options.layers, nice: this.options.nice };
    // The thread lowers its priority before it reads and compiles the bundle (about 0.3 s of a core):
    // started at the normal priority, two threads starting took both cores from the editor's requests.
    const bootstrap = `${data.nice ? `try { require('node:os').setPriority(0, ${Number(data.nice)}); } catch {}\n` : ''}require(${JSON.stringify(__filename)});`;
    const worker = new Worker(bootstrap, { eval: true, workerData: data });
    const lane: Lane = { worker, jobs: 0 };
    this.lanes.push(lane);
    worker.on('message', (m: FromWorker) => this.receive(lane, m));
    const fail = (error: Error) => {
      this.lanes = this.lanes.filter((l) => l !== lane);
      for (const [id, job] of this.jobs) {
        if (job.worker !== lane) continue;
        this.jobs.delete(id);
        job.reject(error);
      }
    };
    if (this.options.nice) worker.once('online', () => niceHelperThreads(this.options.nice!));
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`an analyser thread stopped (exit code ${code})`)));
    worker.unref();
    return lane;
  }

  private receive(lane: Lane, m: FromWorker): void {
    switch (m.type) {
      case 'problem':
        return this.options.events.problem(m.message);
      case 'config':
        return this.options.events.config(m.config);
      case 'links': {
        const job = this.jobs.get(m.job);
        if (!job) return;
        job.links(m.uri, m.paths, m.outline).then(
          ({ resolver, targets }) => {
            const found = m.paths.map((p) => [p, resolver.resolve(p) ?? 'missing'] as [string, LinkTarget | 'missing']);
            lane.worker.postMessage({ type: 'links', request: m.request, found, targets: [...targets] } satisfies ToWorker);
          },
          (error: Error) => this.settle(lane, m.job, undefined, error),
        );
        return;
      }
      case 'fs': {
        const fs = this.options.fs;
        const uri = URI.parse(m.uri);
        const answer = (value?: unknown, error?: string) => lane.worker.postMessage({ type: 'fs', request: m.request, value, error } satisfies ToWorker);
        if (!fs) return answer(undefined, 'no file system');
        (m.op === 'stat' ? fs.stat(uri) : m.op === 'readFile' ? fs.readFile(uri) : fs.readDirectory(uri)).then(
          (value) => answer(value),
          (error: Error) => answer(undefined, error.message),
        );
        return;
      }
      case 'result':
        return this.settle(lane, m.job, m.result);
      case 'failed':
        return this.settle(lane, m.job, undefined, new Error(m.message));
    }
  }

  private settle(lane: Lane, id: number, result: FileResult | undefined, error?: Error): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    if (--lane.jobs === 0) lane.worker.unref();
    if (result) job.resolve(result);
    else job.reject(error ?? new Error('no result'));
    if (!this.jobs.size && this.options.idleMs !== undefined) {
      this.idleTimer = setTimeout(() => void this.close(), this.options.idleMs);
      this.idleTimer.unref?.();
    }
  }
}

/** The worker's side: analyses what it is sent with its own engine, asking the main thread for link targets. */
export function runAnalyserWorker(): void {
  const data = workerData as WorkerData;
  const port = parentPort!;
  if (data.nice) {
    try {
      // On Linux, priority 0 is the calling thread: only this worker yields to the main thread.
      setPriority(0, data.nice);
    } catch {
      // not permitted here: run at the normal priority
    }
  }
  const post = (m: FromWorker) => port.postMessage(m);
  const asked = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextAsk = 1;
  const ask = <T>(op: 'stat' | 'readFile' | 'readDirectory', uri: URI) =>
    new Promise<T>((resolve, reject) => {
      const request = nextAsk++;
      asked.set(request, { resolve: resolve as (value: unknown) => void, reject });
      post({ type: 'fs', request, op, uri: uri.toString() });
    });
  // Files on disk are read here; a virtual workspace's through the main thread, which reads them through the client.
  const mainThreadFs: FileSystem = {
    stat: (uri) => ask('stat', uri),
    readFile: (uri) => ask('readFile', uri),
    readDirectory: (uri) => ask('readDirectory', uri),
  };
  const service = createRunbookService({ fs: nodeFileSystemOr(mainThreadFs), clock: nodeClock, layers: data.layers });
  service.on({ problem: (message) => post({ type: 'problem', message }), config: (config) => post({ type: 'config', config }) });
  const waiting = new Map<number, (answer: { found: Map<string, LinkTarget | 'missing'>; targets: Set<string> }) => void>();
  let nextRequest = 1;

  port.on('message', (m: ToWorker) => {
    if (m.type === 'changed') {
      service.policy.changed();
      return;
    }
    if (m.type === 'fs') {
      const waiter = asked.get(m.request);
      asked.delete(m.request);
      if (m.error !== undefined) waiter?.reject(new Error(m.error));
      else waiter?.resolve(m.value);
      return;
    }
    if (m.type === 'links') {
      waiting.get(m.request)?.({ found: new Map(m.found), targets: new Set(m.targets) });
      waiting.delete(m.request);
      return;
    }
    const links: LinkSource = (uri, paths, outline) =>
      new Promise((resolve) => {
        const request = nextRequest++;
        waiting.set(request, ({ found, targets }) => resolve({ resolver: { resolve: (p) => found.get(p) } satisfies LinkResolver, targets }));
        post({ type: 'links', job: m.job, request, uri, paths, outline });
      });
    service.analyseFile(m.uri, m.text, m.editor, m.options, links).then(
      (result) => post({ type: 'result', job: m.job, result }),
      (error: Error) => post({ type: 'failed', job: m.job, message: error.stack ?? error.message }),
    );
  });
}
