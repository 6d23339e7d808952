/**
 * The Runbook Tools protocol on top of LSP: request, notification and command names and their
 * payloads, shared by the client, the servers (Node and browser) and the tests. It imports nothing, so
 * the client can take it without taking the server.
 */

/** Where the runbook stands against its Next Review date. */
export interface ReviewStatus {
  status: 'overdue' | 'due-soon' | 'ok' | 'unknown';
  /** The Next Review date when it is a real date. */
  date?: string;
  /** Days until the date (negative when overdue). */
  days?: number;
}

/** A top-level section of the runbook, present or missing. */
export interface SectionStatus {
  /** The heading as the document writes it, or the template's heading when the section is missing. */
  heading: string;
  /** The template's title without numbering (`Rollback Procedures`); the heading for a section of the document's own. */
  title: string;
  present: boolean;
  /** Line of the heading (0-based) when present. */
  line?: number;
  /** The template has this section; false for a section the document adds. */
  template: boolean;
  optional: boolean;
}

/** What the Runbooks view, the code lens and the status bar show about one runbook. */
export interface RunbookSummary {
  title: string;
  sections: { present: number; expected: number };
  placeholders: number;
  errors: number;
  warnings: number;
  review: ReviewStatus;
  /** Top-level sections in document order, missing ones where the template puts them. */
  outline: SectionStatus[];
  /** `14/15 sections · 3 placeholders` */
  completeness: string;
  /** The completeness and the review status: `14/15 sections · 3 placeholders · review overdue` */
  text: string;
}

/** One runbook of the workspace. */
export interface WorkspaceRunbook {
  uri: string;
  summary: RunbookSummary;
}

/** Request `runbook/workspaceSummary`: every runbook of the workspace, or those whose URIs are given. */
export const WORKSPACE_SUMMARY_REQUEST = 'runbook/workspaceSummary';
export interface WorkspaceSummaryParams {
  uris?: string[];
}
export interface WorkspaceSummary {
  /** Every indexed or open runbook, sorted by path. */
  runbooks: WorkspaceRunbook[];
  /** Markdown files seen in the workspace folders (runbooks or not). */
  markdownFiles: number;
  /** The first scan of the workspace is still running. */
  indexing: boolean;
}

/**
 * Request `runbook/workspaceReport`: the workspace health report (every runbook with its
 * completeness, problems and review status) as one self-contained HTML page, for a webview.
 */
export const WORKSPACE_REPORT_REQUEST = 'runbook/workspaceReport';
export type WorkspaceReportParams = Record<string, never>;
export interface WorkspaceReport {
  /** The page: its style and script inline under a Content-Security-Policy that loads nothing. */
  html: string;
  /** How many runbooks it lists. */
  runbooks: number;
  /** The first scan of the workspace is still running: the list may grow. */
  indexing: boolean;
}

/** Notification `runbook/workspaceChanged`: these runbooks' summaries changed (any of them when `uris` is absent). */
export const WORKSPACE_CHANGED_NOTIFICATION = 'runbook/workspaceChanged';
export interface WorkspaceChangedParams {
  uris?: string[];
}

/** Notification `runbook/documentStatus`: whether an open document is a runbook, so the client can enable its commands. */
export const DOCUMENT_STATUS_NOTIFICATION = 'runbook/documentStatus';
export interface DocumentStatusParams {
  uri: string;
  isRunbook: boolean;
}

/** A range of a document, as LSP writes it (0-based lines, UTF-16 characters). */
export interface TextRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** What a command that edits a runbook answers. */
export interface CommandResult {
  applied: boolean;
  /** Why nothing was applied. */
  reason?: string;
  /** How many edits were applied. */
  edits?: number;
  /** What the command could not do, as the server also shows it (`window/showMessage`). */
  message?: string;
  /** Where the cursor was put after the edit (by `window/showDocument`, where the editor supports it). */
  selection?: TextRange;
}

/** Commands the server runs (`workspace/executeCommand`), with their arguments and results. */
export interface ServerCommands {
  'runbook.server.insertMissingSections': { args: [uri: string]; result: CommandResult };
  'runbook.server.insertSection': { args: [uri: string, title: string]; result: CommandResult };
  'runbook.server.updateToc': { args: [uri: string]; result: CommandResult };
  'runbook.server.markReviewed': { args: [uri: string]; result: CommandResult };
  /**
   * Shows the document with the range selected (`window/showDocument`); true when the editor did. The
   * quick fix that adds a table row runs it after its edit, to put the cursor into the new value cell.
   */
  'runbook.server.select': { args: [uri: string, range: TextRange]; result: boolean };
  /** The text of a new runbook for a system, from the template that applies in the folder. */
  'runbook.server.newRunbookText': { args: [systemName: string, folderUri?: string]; result: string };
}
export type ServerCommand = keyof ServerCommands;

export const SERVER_COMMANDS = {
  insertMissingSections: 'runbook.server.insertMissingSections',
  insertSection: 'runbook.server.insertSection',
  updateToc: 'runbook.server.updateToc',
  markReviewed: 'runbook.server.markReviewed',
  select: 'runbook.server.select',
  newRunbookText: 'runbook.server.newRunbookText',
} as const satisfies Record<string, ServerCommand>;

/** The client's palette commands that run a server command on the active runbook. */
export const PALETTE_COMMANDS = {
  'runbook.insertMissingSections': SERVER_COMMANDS.insertMissingSections,
  'runbook.updateToc': SERVER_COMMANDS.updateToc,
  'runbook.markReviewed': SERVER_COMMANDS.markReviewed,
} as const;

/**
 * Requests `runbook/fs/stat`, `runbook/fs/readFile` and `runbook/fs/readDirectory` (server to client):
 * the server reads files through the editor where it has no disk of its own (in a browser worker) or
 * for URIs its disk does not hold (`vscode-vfs:` on github.dev, other virtual file systems). The VS Code
 * client answers with `workspace.fs`. File types are those of the engine's `FileType` (0 unknown, 1
 * file, 2 directory); a symbolic link is reported as what it points to by `stat` and as unknown in a
 * directory listing, as Node's `stat` and `readdir` do, so walks do not follow links.
 */
export const FS_STAT_REQUEST = 'runbook/fs/stat';
export const FS_READ_FILE_REQUEST = 'runbook/fs/readFile';
export const FS_READ_DIRECTORY_REQUEST = 'runbook/fs/readDirectory';
export interface FsParams {
  uri: string;
}
/** `null` when nothing is at the URI (or it cannot be reached). */
export type FsStatResult = { type: 0 | 1 | 2; mtime: number; size: number } | null;
/** The file's bytes, base64: LSP messages are JSON on every transport. A file that cannot be read is an error response. */
export interface FsReadFileResult {
  base64: string;
}
/** Names and types of the entries; a folder that cannot be read is an error response. */
export type FsReadDirectoryResult = [name: string, type: 0 | 1 | 2][];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGITS[BASE64.charCodeAt(i)] = i;

/** Bytes as base64, the same on Node and in a browser (no Buffer, no btoa over binary strings). */
export function encodeBase64(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out.push(BASE64[n >> 18] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63]);
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    out.push(BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=') + '=');
  }
  return out.join('');
}

/** The bytes of a base64 text; throws on characters outside the alphabet. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let j = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const d = c < 128 ? DIGITS[c] : -1;
    if (d < 0) throw new Error('Not base64.');
    value = (value << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[j++] = (value >> bits) & 255;
    }
  }
  return bytes;
}
