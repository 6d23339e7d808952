import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  FS_READ_DIRECTORY_REQUEST,
  FS_READ_FILE_REQUEST,
  FS_STAT_REQUEST,
  encodeBase64,
  type FsParams,
  type FsReadDirectoryResult,
  type FsReadFileResult,
  type FsStatResult,
} from '../../server/src/protocol';

/** VS Code's file type (a bit set: 64 marks a symbolic link) as the protocol's 0, 1 or 2. */
const kind = (type: vscode.FileType): 0 | 1 | 2 => (type & vscode.FileType.File ? 1 : type & vscode.FileType.Directory ? 2 : 0);

/**
 * Answers the server's `runbook/fs/*` requests with `workspace.fs`, so that it reads configuration,
 * templates, the workspace's runbooks and linked files wherever VS Code can: the disk, a remote, or a
 * virtual file system such as github.dev's. The browser server has no other way to read a file.
 */
export function registerFileSystem(client: BaseLanguageClient): vscode.Disposable {
  const fs = vscode.workspace.fs;
  return vscode.Disposable.from(
    client.onRequest(FS_STAT_REQUEST, async ({ uri }: FsParams): Promise<FsStatResult> => {
      try {
        const s = await fs.stat(vscode.Uri.parse(uri));
        return { type: kind(s.type), mtime: s.mtime, size: s.size };
      } catch {
        return null;
      }
    }),
    client.onRequest(FS_READ_FILE_REQUEST, async ({ uri }: FsParams): Promise<FsReadFileResult> => ({ base64: encodeBase64(await fs.readFile(vscode.Uri.parse(uri))) })),
    // Walks do not follow links, as on disk: a link in a listing is neither a file nor a folder.
    client.onRequest(FS_READ_DIRECTORY_REQUEST, async ({ uri }: FsParams): Promise<FsReadDirectoryResult> =>
      (await fs.readDirectory(vscode.Uri.parse(uri))).map(([name, type]) => [name, type & vscode.FileType.SymbolicLink ? 0 : kind(type)]),
    ),
  );
}
