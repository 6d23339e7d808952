import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { clientFileSystem } from '../clientFs';
import { analyserThreads, isAnalyserWorker, runAnalyserWorker, WorkerAnalyser } from './analyser';
import { nodeClock } from './clock';
import { nodeFileSystemOr } from './fs';

// The same bundle runs the workspace index's analyser threads.
if (isAnalyserWorker()) runAnalyserWorker();
else main(process.argv.slice(2));

/** The only place that knows the transport: --stdio (any editor), --node-ipc (VS Code) or --socket=N. */
function main(args: string[]): void {
  if (args.includes('--version')) {
    process.stdout.write('runbook-language-server 0.1.0\n');
    process.exit(0);
  }
  if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
    process.stderr.write('Usage: runbook-language-server --stdio | --node-ipc | --socket=<port>\nStarts the Runbook Tools language server; editors start it for you.\n');
    process.exit(2);
  }
  // RUNBOOK_INDEX_THREADS=0 checks closed files in the main thread.
  const threads = process.env.RUNBOOK_INDEX_THREADS !== undefined ? Number(process.env.RUNBOOK_INDEX_THREADS) : analyserThreads();
  startServer(createConnection(ProposedFeatures.all), {
    // A workspace on a virtual file system (vscode-vfs: in a desktop VS Code) is read through the client.
    fs: (connection) => nodeFileSystemOr(clientFileSystem(connection)),
    clock: nodeClock,
    yieldNow: () => new Promise((resolve) => setImmediate(resolve)),
    indexLimit: Number(process.env.RUNBOOK_INDEX_LIMIT) || undefined,
    // The workspace index checks closed files in worker threads at the lowest priority (nice 19), so that the
    // editor's requests win a core at once;
    // they stop after half a minute without work and give their memory back.
    analyser: threads > 0 ? (events, fs) => new WorkerAnalyser({ size: threads, nice: 19, idleMs: 30_000, events, fs }) : undefined,
  });
}
