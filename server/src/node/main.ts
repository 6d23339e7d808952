import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { nodeClock } from './clock';
import { clientFileSystem } from '../clientFs';
import { nodeFileSystemOr } from './fs';

// The only place that knows the transport: --stdio (any editor), --node-ipc (VS Code) or --socket=N.
const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write('runbook-language-server 0.1.0\n');
  process.exit(0);
}
if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.stderr.write('Usage: runbook-language-server --stdio | --node-ipc | --socket=<port>\nStarts the Runbook Tools language server; editors start it for you.\n');
  process.exit(2);
}
startServer(createConnection(ProposedFeatures.all), {
  // A workspace on a virtual file system (vscode-vfs: in a desktop VS Code) is read through the client.
  fs: (connection) => nodeFileSystemOr(clientFileSystem(connection)),
  clock: nodeClock,
  yieldNow: () => new Promise((resolve) => setImmediate(resolve)),
  indexLimit: Number(process.env.RUNBOOK_INDEX_LIMIT) || undefined,
});
