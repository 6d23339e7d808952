import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { LinkResolver, LinkTarget } from './service/rules/types';
import type { RunbookSummary, WorkspaceRunbook } from './service/features/summary';
import type { OutlineHeading, SymbolSource } from './service/features/workspaceSymbols';

/** Headings and anchors of a Markdown document: what links to it and workspace symbols need. */
export interface Outline {
  headings: OutlineHeading[];
  anchors: Set<string>;
}

/** What checking a runbook found; kept per file so nothing needs the document again. */
export interface Analysis {
  title: string;
  sectionDepth: number;
  diagnostics: Diagnostic[];
  summary: RunbookSummary;
  /** Publish the diagnostics while the file is closed (`runbook.diagnostics.workspace`). */
  publish: boolean;
  /** Absolute paths of the Markdown files its links point at, so a change there checks it again. */
  linkTargets: Set<string>;
  /** Absolute path of the template file it follows ('' for the built-in template). */
  template: string;
}

/** One document as the index knows it: a file on disk, or the open version that takes precedence. */
export interface IndexedDocument {
  uri: string;
  outline: Outline;
  /** Set for runbooks only. */
  analysis?: Analysis;
  /** The version of an open document (undefined for the file on disk). */
  version?: number;
}

/** What the server does for the index: analyse text as it would an open document, and talk to the client. */
export interface IndexHost {
  /** Outline and, for a runbook, analysis of a file that is not open; `links` resolves its links. */
  analyse(uri: string, text: string, links: LinkResolver): Promise<{ outline: Outline; analysis?: Omit<Analysis, 'linkTargets'> }>;
  /** Outline only, for a file that a link points at before the scan reached it. */
  outline(uri: string, text: string): Outline;
  /** Diagnostics for a closed file (an empty list clears them). */
  publish(uri: string, diagnostics: Diagnostic[]): void;
  /** Summaries changed: of these documents, or of any when `uris` is undefined. */
  changed(uris?: string[]): void;
  /** Open documents whose links point at a file that changed, appeared or went away: check them again. */
  recheckOpen(uris: string[]): void;
  log(message: string): void;
}

interface FileEntry extends IndexedDocument {
  path: string;
  /** Read only because a link points at it: outline, no analysis yet. */
  linkOnly: boolean;
  /** The client shows diagnostics for this file that a new analysis must replace or clear. */
  published: boolean;
}

const MARKDOWN = /\.(md|markdown)$/i;

/** Folders never indexed: dependencies, Git's own files and every dot-folder (.vscode, .github, ...). */
function skippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

function outlineKey(outline: Outline | undefined): string {
  return outline ? [...outline.anchors].sort().join('\n') : '';
}

/** A key for a document: its file path, or its URI when it is not a file (untitled). */
export function documentKey(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/**
 * Every Markdown file of the workspace folders: runbooks are checked in the background, one file at a
 * time with a yield in between, and kept current on file events. Open documents are overlaid on the
 * files and take precedence in everything the index answers.
 */
export class WorkspaceIndex {
  private files = new Map<string, FileEntry>();
  private open = new Map<string, IndexedDocument>();
  private urgent = new Set<string>();
  private background = new Set<string>();
  private working = false;
  private scans = 0;
  private folders: string[] = [];
  /** Bumped when a file is removed, so an analysis that was running then is dropped. */
  private removals = new Map<string, number>();

  constructor(
    private readonly host: IndexHost,
    private readonly limit = 5000,
  ) {}

  /** The first scan (or a rescan) is still running. */
  get indexing(): boolean {
    return this.scans > 0 || this.working;
  }

  /** Markdown files of the workspace folders that the index has read. */
  get markdownFiles(): number {
    let n = 0;
    for (const f of this.files.values()) if (!f.linkOnly) n++;
    return n;
  }

  /** Indexes the Markdown files of these folders (absolute paths), added to those already indexed. */
  async addFolders(folders: string[]): Promise<void> {
    this.folders.push(...folders.filter((f) => !this.folders.includes(f)));
    this.scans++;
    try {
      const started = Date.now();
      const found: string[] = [];
      const room = this.limit - this.markdownFiles - this.background.size;
      let capped = false;
      for (const folder of folders) if (!capped) capped = await this.walk(folder, found, room);
      if (capped) this.host.log(`Workspace index: stopped at ${this.limit} Markdown files; runbooks beyond them are checked only when opened.`);
      for (const path of found) this.background.add(path);
      this.host.log(`Workspace index: ${found.length} Markdown files found in ${Date.now() - started} ms; checking runbooks in the background.`);
    } finally {
      this.scans--;
    }
    this.host.changed();
    await this.work();
  }

  /** Forgets the files of removed folders and clears their diagnostics. */
  removeFolders(folders: string[]): void {
    this.folders = this.folders.filter((f) => !folders.includes(f));
    for (const [path, entry] of [...this.files]) if (!entry.linkOnly && !this.folderOf(path)) this.remove(path);
  }

  /** Collects Markdown files below `dir` into `out`; true when it stopped because `room` files were found. */
  private async walk(dir: string, out: string[], room: number): Promise<boolean> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolder(entry.name) && (await this.walk(path, out, room))) return true;
      } else if (entry.isFile() && MARKDOWN.test(entry.name) && (!this.files.has(path) || this.files.get(path)!.linkOnly)) {
        if (out.length >= room) return true;
        out.push(path);
      }
    }
    return false;
  }

  /** The innermost workspace folder holding the path. */
  private folderOf(path: string): string | undefined {
    return this.folders
      .filter((folder) => {
        const rel = relative(folder, path);
        return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
      })
      .sort((a, b) => b.length - a.length)[0];
  }

  /** A Markdown file inside a workspace folder and outside skipped folders. */
  indexable(path: string): boolean {
    const folder = MARKDOWN.test(path) ? this.folderOf(path) : undefined;
    return !!folder && !relative(folder, dirname(path)).split(sep).some((part) => part !== '' && skippedFolder(part));
  }

  /** A file was created, changed (1, 2) or deleted (3) on disk. */
  fileChanged(path: string, type: 1 | 2 | 3): void {
    if (type === 3) {
      // A deleted folder arrives as one event for the folder.
      const under = path + sep;
      for (const known of [...this.files.keys()]) if (known === path || known.startsWith(under)) this.remove(known);
      return;
    }
    if (!this.indexable(path)) return;
    if (!this.files.has(path) && this.markdownFiles >= this.limit) return;
    this.urgent.add(path);
    void this.work();
  }

  /** Checks every indexed file again (settings, a config file or a template changed). */
  reanalyseAll(): void {
    for (const [path, entry] of this.files) if (!entry.linkOnly) this.background.add(path);
    this.host.changed();
    void this.work();
  }

  /** The open version of a document, which takes precedence over its file until it closes. */
  setOpen(uri: string, document: IndexedDocument): void {
    const key = documentKey(uri);
    const before = this.open.get(key) ?? this.files.get(key);
    this.open.set(key, document);
    if (outlineKey(before?.outline) !== outlineKey(document.outline)) this.targetChanged(key);
    const wasRunbook = !!before?.analysis;
    if (wasRunbook !== !!document.analysis || (document.analysis && JSON.stringify(before?.analysis?.summary) !== JSON.stringify(document.analysis.summary))) {
      this.host.changed([uri]);
    }
  }

  /** The document closed: its file's analysis applies again (or its diagnostics are cleared). */
  close(uri: string): void {
    const key = documentKey(uri);
    const document = this.open.get(key);
    this.open.delete(key);
    const file = this.files.get(key);
    if (file && !file.linkOnly) {
      // The client shows the open version's diagnostics: the file's analysis must replace them.
      file.published = true;
      this.urgent.add(key);
      void this.work();
    } else {
      this.host.publish(uri, []);
      if (document?.analysis) this.host.changed([uri]);
    }
    if (outlineKey(document?.outline) !== outlineKey(file?.outline)) this.targetChanged(key);
  }

  /** The open document as last checked. */
  openDocument(uri: string): IndexedDocument | undefined {
    return this.open.get(documentKey(uri));
  }

  /** Resolves links of the document at `fromUri`; every file it resolves is added to `targets`. */
  resolver(fromUri: string, targets: Set<string>): LinkResolver {
    return {
      resolve: (link) => {
        if (!fromUri.startsWith('file:')) return undefined;
        const from = documentKey(fromUri);
        // A path from `/` is from the top of the repository, as on GitHub: the workspace folder here.
        const path = link.startsWith('/') ? join(this.folderOf(from) ?? dirname(from), link) : resolve(dirname(from), link);
        targets.add(path);
        return this.target(path);
      },
    };
  }

  private target(path: string): LinkTarget | 'missing' {
    const current = this.open.get(path) ?? this.files.get(path);
    if (current) return { uri: current.uri, anchors: current.outline.anchors, headings: current.outline.headings };
    let text: string;
    try {
      if (!statSync(path).isFile()) return 'missing';
      text = readFileSync(path, 'utf8');
    } catch {
      return 'missing';
    }
    const uri = pathToFileURL(path).href;
    const entry: FileEntry = { path, uri, outline: this.host.outline(uri, text), linkOnly: true, published: false };
    this.files.set(path, entry);
    return { uri, anchors: entry.outline.anchors, headings: entry.outline.headings };
  }

  /** Every runbook: the open version where there is one, else the file's. */
  runbooks(): (IndexedDocument & { analysis: Analysis })[] {
    const out: (IndexedDocument & { analysis: Analysis })[] = [];
    for (const doc of this.open.values()) if (doc.analysis) out.push(doc as IndexedDocument & { analysis: Analysis });
    for (const [key, file] of this.files) if (file.analysis && !this.open.has(key)) out.push(file as IndexedDocument & { analysis: Analysis });
    return out;
  }

  /** Summaries of every runbook (or of the given documents), sorted by path. */
  summaries(uris?: string[]): WorkspaceRunbook[] {
    const wanted = uris && new Set(uris.map(documentKey));
    return this.runbooks()
      .filter((d) => !wanted || wanted.has(documentKey(d.uri)))
      .map((d) => ({ uri: d.uri, summary: d.analysis.summary, path: documentKey(d.uri) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map(({ uri, summary }) => ({ uri, summary }));
  }

  /** Runbooks as sources of workspace symbols. */
  symbolSources(): SymbolSource[] {
    return this.runbooks().map((d) => ({ uri: d.uri, title: d.analysis.title, sectionDepth: d.analysis.sectionDepth, headings: d.outline.headings }));
  }

  private remove(path: string): void {
    this.removals.set(path, (this.removals.get(path) ?? 0) + 1);
    const entry = this.files.get(path);
    if (!entry) return;
    this.files.delete(path);
    this.urgent.delete(path);
    this.background.delete(path);
    if (entry.published && !this.open.has(path)) this.host.publish(entry.uri, []);
    this.targetChanged(path);
    if (entry.analysis && !this.open.has(path)) this.host.changed([entry.uri]);
  }

  /** Documents linking to `path` are checked again: files here, open documents by the host. */
  private targetChanged(path: string): void {
    for (const [other, entry] of this.files) {
      if (other !== path && entry.analysis?.linkTargets.has(path)) this.urgent.add(other);
    }
    const open = [...this.open].filter(([key, d]) => key !== path && d.analysis?.linkTargets.has(path)).map(([, d]) => d.uri);
    if (open.length) this.host.recheckOpen(open);
    void this.work();
  }

  /** Works through the queue, urgent files first, yielding to the event loop between files. */
  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    let checked = 0;
    const started = Date.now();
    try {
      for (;;) {
        const next = this.urgent.values().next();
        const path = next.done ? this.background.values().next().value : next.value;
        if (path === undefined) break;
        this.urgent.delete(path);
        this.background.delete(path);
        await new Promise((r) => setImmediate(r));
        try {
          await this.analyse(path);
          checked++;
        } catch (error) {
          this.host.log(`Workspace index: checking ${path} failed: ${(error as Error).stack ?? error}`);
        }
      }
    } finally {
      this.working = false;
    }
    if (checked > 1) {
      this.host.log(`Workspace index: checked ${checked} files in ${Date.now() - started} ms; ${this.runbooks().length} runbooks.`);
      this.host.changed();
    }
  }

  private async analyse(path: string): Promise<void> {
    const removals = this.removals.get(path);
    let text: string;
    try {
      if (!(await stat(path)).isFile()) throw new Error('not a file');
      text = await readFile(path, 'utf8');
    } catch {
      this.remove(path);
      return;
    }
    const before = this.files.get(path);
    const uri = before?.uri ?? pathToFileURL(path).href;
    const targets = new Set<string>();
    const result = await this.host.analyse(uri, text, this.resolver(uri, targets));
    if (this.removals.get(path) !== removals) return;
    const outline = result.outline;
    const analysis = result.analysis && { ...result.analysis, linkTargets: targets };
    const entry: FileEntry = { path, uri, outline, analysis, linkOnly: false, published: before?.published ?? false };
    this.files.set(path, entry);
    if (!this.open.has(path)) {
      if (analysis?.publish) {
        this.host.publish(uri, analysis.diagnostics);
        entry.published = true;
      } else if (entry.published) {
        this.host.publish(uri, []);
        entry.published = false;
      }
      if (!!before?.analysis !== !!analysis || JSON.stringify(before?.analysis?.summary) !== JSON.stringify(analysis?.summary)) this.host.changed([uri]);
    }
    if (!before || outlineKey(before.outline) !== outlineKey(outline)) this.targetChanged(path);
  }
}
