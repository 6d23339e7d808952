import type { Connection } from 'vscode-languageserver';
import type { URI } from 'vscode-uri';
import type { FileStat, FileSystem, FileType } from './service/host';
import {
  FS_READ_DIRECTORY_REQUEST,
  FS_READ_FILE_REQUEST,
  FS_STAT_REQUEST,
  decodeBase64,
  type FsParams,
  type FsReadDirectoryResult,
  type FsReadFileResult,
  type FsStatResult,
} from './protocol';

/**
 * The engine's file system read through the client (`runbook/fs/*`, answered with VS Code's
 * `workspace.fs`): the browser server's only file system, and the desktop server's for URIs that are
 * not on its disk. A failed stat is "nothing there", as on disk; failed reads reject.
 */
export function clientFileSystem(connection: Connection): FileSystem {
  return {
    async stat(uri: URI): Promise<FileStat | undefined> {
      try {
        const result = await connection.sendRequest<FsStatResult>(FS_STAT_REQUEST, { uri: uri.toString() } satisfies FsParams);
        return result ? { type: result.type as number as FileType, mtime: result.mtime, size: result.size } : undefined;
      } catch {
        return undefined;
      }
    },
    async readFile(uri: URI): Promise<Uint8Array> {
      const { base64 } = await connection.sendRequest<FsReadFileResult>(FS_READ_FILE_REQUEST, { uri: uri.toString() } satisfies FsParams);
      return decodeBase64(base64);
    },
    async readDirectory(uri: URI): Promise<[string, FileType][]> {
      const entries = await connection.sendRequest<FsReadDirectoryResult>(FS_READ_DIRECTORY_REQUEST, { uri: uri.toString() } satisfies FsParams);
      return entries.map(([name, type]) => [name, type as number as FileType]);
    },
  };
}
