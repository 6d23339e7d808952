import { readdir, readFile, stat } from 'node:fs/promises';
import type { URI } from 'vscode-uri';
import { FileType, type FileStat, type FileSystem } from '../service/host';

/** The engine's file system on Node: `file:` URIs on the local disk; other schemes do not exist here. */
export const nodeFileSystem: FileSystem = {
  async stat(uri: URI): Promise<FileStat | undefined> {
    if (uri.scheme !== 'file') return undefined;
    try {
      const s = await stat(uri.fsPath);
      return { type: s.isFile() ? FileType.File : s.isDirectory() ? FileType.Directory : FileType.Unknown, mtime: s.mtimeMs, size: s.size };
    } catch {
      return undefined;
    }
  },
  async readFile(uri: URI): Promise<Uint8Array> {
    if (uri.scheme !== 'file') throw new Error(`Cannot read ${uri.toString()}: not a file on this machine.`);
    return readFile(uri.fsPath);
  },
  async readDirectory(uri: URI): Promise<[string, FileType][]> {
    if (uri.scheme !== 'file') throw new Error(`Cannot read ${uri.toString()}: not a folder on this machine.`);
    const entries = await readdir(uri.fsPath, { withFileTypes: true });
    return entries.map((e) => [e.name, e.isFile() ? FileType.File : e.isDirectory() ? FileType.Directory : FileType.Unknown]);
  },
};

/** Node's file system for `file:` URIs and `other` (the client's, reading virtual file systems) for the rest. */
export function nodeFileSystemOr(other: FileSystem): FileSystem {
  const pick = (uri: URI) => (uri.scheme === 'file' ? nodeFileSystem : other);
  return {
    stat: (uri) => pick(uri).stat(uri),
    readFile: (uri) => pick(uri).readFile(uri),
    readDirectory: (uri) => pick(uri).readDirectory(uri),
  };
}
