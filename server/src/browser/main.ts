import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { startServer } from '../server';
import { clientFileSystem } from '../clientFs';
import { systemClock } from '../service/host';

/**
 * The browser host: the same server over postMessage, reading files through the client. It runs as a
 * Web Worker's script (the worker's scope is the port), or, where the extension host cannot start a
 * Worker (code-server, microsoft/vscode#144235), evaluated by the client in its own worker with one end
 * of a MessageChannel as `runbookServerPort`.
 */
declare const runbookServerPort: MessagePort | undefined;

const port: MessagePort | DedicatedWorkerGlobalScope = typeof runbookServerPort === 'undefined' ? (self as DedicatedWorkerGlobalScope) : runbookServerPort;
const connection = createConnection(new BrowserMessageReader(port), new BrowserMessageWriter(port));

// A worker has no setImmediate, and nested setTimeout(0) is clamped to 4 ms: a message on a channel of
// our own comes back after the messages already queued (the client's edits and requests).
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

// Sharing the client's worker, a stopped server must let go of its port (a Worker is terminated instead).
if (port !== self) connection.onExit(() => {
  channel.port1.close();
  (port as MessagePort).close();
});

startServer(connection, { fs: clientFileSystem, clock: systemClock, yieldNow });
