import { URI } from 'vscode-uri';

/**
 * What a host gives the engine: a file system, a logger and a clock. The desktop server passes Node's
 * file system, the browser server VS Code's `workspace.fs` over the connection, tests an in-memory one.
 * The engine itself never touches the platform.
 */

/** The kinds of directory entries, with VS Code's `FileType` values. */
export const enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
}

export interface FileStat {
  type: FileType;
  /** Modification time in milliseconds; changes when the content does. */
  mtime: number;
  /** Size in bytes. */
  size: number;
}

/** A small async file system over URIs (`file:`, `vscode-vfs:`, `memory:` ...). */
export interface FileSystem {
  /** Undefined when nothing is there. */
  stat(uri: URI): Promise<FileStat | undefined>;
  /** The file's bytes; rejects when it cannot be read. */
  readFile(uri: URI): Promise<Uint8Array>;
  /** Names and kinds of a directory's entries; rejects when it cannot be read. */
  readDirectory(uri: URI): Promise<[name: string, type: FileType][]>;
}

/** Where the engine writes what it does. It is never given document text. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Today's date, so that tests and CI runs can pin it. */
export interface Clock {
  /** YYYY-MM-DD in local time. */
  today(): string;
}

/** The part of LSP's CancellationToken the engine reads. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

/**
 * Called by long work between its steps (between rules, between pieces of a large scan). The host's
 * scheduler decides whether to let its event loop run there; the work itself never schedules.
 */
export type Checkpoint = () => Promise<void> | void;

export const NEVER_CANCELLED: CancellationToken = Object.freeze({ isCancellationRequested: false });

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The local date as YYYY-MM-DD. */
export function localDate(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const systemClock: Clock = { today: () => localDate() };

// A BOM stays in the text (as Node's readFile keeps it): documents are edited with their own bytes.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes a file's bytes as UTF-8; undefined when they are not UTF-8 text. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The text of a file, or undefined when it does not exist, cannot be read or is not UTF-8. */
export async function readText(fs: FileSystem, uri: URI): Promise<string | undefined> {
  try {
    return decodeUtf8(await fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** UTF-8 byte length of a text, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}
