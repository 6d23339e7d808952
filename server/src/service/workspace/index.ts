import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { FileType, readText, type FileSystem, type Logger } from '../host';
import type { LinkResolver, LinkTarget } from '../rules/types';
import type { RunbookSummary, WorkspaceRunbook } from '../features/summary';
import { StringPool } from './strings';
import type { OutlineHeading, SymbolSource } from '../features/workspaceSymbols';
import type { Policy } from './policy';
import type { HealthReportProblem } from '../features/healthReport';
import { parseUri } from './paths';

/** Headings and anchors of a Markdown document: what links to it and workspace symbols need. */
export interface Outline {
  headings: OutlineHeading[];
  anchors: ReadonlySet<string>;
}

/**
 * What checking a runbook found, as the index keeps it for every file: what the features need (the
 * summary, its findings in brief), not the diagnostics with their fixes, which are published once and dropped.
 */
export interface Analysis {
  title: string;
  sectionDepth: number;
  summary: RunbookSummary;
  /** Its findings without their fixes, for the health report. */
  problems: HealthReportProblem[];
  /** Publish the diagnostics while the file is closed (`runbook.diagnostics.workspace`). */
  publish: boolean;
  /** Keys of the Markdown files its links point at, so a change there checks it again. */
  linkTargets: ReadonlySet<string>;
  /** URI of the template file it follows ('' for the built-in template). */
  template: string;
}

/** One document as the index knows it: a file, or the open version that takes precedence. */
export interface IndexedDocument {
  uri: string;
  outline: Outline;
  /** Set for runbooks only. */
  analysis?: Analysis;
  /** The version of an open document (undefined for the file). */
  version?: number;
}

/** What the service does for the index: analyse text as it would an open document, and tell the host. */
export interface IndexHost {
  /**
   * Outline and, for a runbook, analysis and diagnostics of a file that is not open. An analysis that
   * resolves links announces the file's outline first (`resolveLinks`), so that files linking back can
   * go on: analyses may wait on each other's outlines, never on each other's results.
   */
  analyse(uri: string, text: string, options: AnalyseOptions): Promise<FileResult>;
  /** How many files are analysed at once (worker threads). */
  readonly concurrency: number;
  /** Outline only, for a file that a link points at before the scan reached it. */
  outline(uri: string, text: string): Promise<Outline>;
  /** Diagnostics for a closed file (an empty list clears them). */
  publish(uri: string, diagnostics: Diagnostic[]): void;
  /** Summaries changed: of these documents, or of any when `uris` is undefined. */
  changed(uris?: string[]): void;
  /** Open documents whose links point at a file that changed, appeared or went away: check them again. */
  recheckOpen(uris: string[]): void;
  /** Lets the host's event loop run between files. */
  pause(): Promise<void>;
}

/** What analysing a closed file answers: the diagnostics go to the client, the rest stays in the index. */
export interface FileAnalysis {
  outline: Outline;
  analysis?: Analysis;
  diagnostics?: Diagnostic[];
}

/** How a file is analysed: the CLI checks files named on the command line as runbooks, and fixes them with --fix. */
export interface AnalyseOptions {
  asRunbook?: boolean;
  fix?: boolean;
}

/** An analysis as the host answers it. */
export interface FileResult extends FileAnalysis {
  isRunbook: boolean;
  summary?: RunbookSummary;
  /** With `fix`: the text after every safe fix, when it changed. */
  fixedText?: string;
  /** URI of the template the file was checked against ('' for the built-in one), when it was read. */
  template?: string;
}

/** A file a batch could not analyse. */
export interface FileFailure {
  error: string;
}

interface Pending {
  outline?: Outline;
  announced: Promise<Outline | undefined>;
  announce(outline: Outline | undefined): void;
}

interface FileEntry extends IndexedDocument {
  /** Read only because a link points at it: outline, no analysis yet. */
  linkOnly: boolean;
  /** The client shows diagnostics for this file that a new analysis must replace or clear. */
  published: boolean;
}

const EMPTY_OUTLINE: Outline = { headings: [], anchors: new Set() };

const asTarget = (uri: string, outline: Outline): LinkTarget => ({ uri, anchors: outline.anchors, headings: outline.headings });

const anchorKeys = new WeakMap<ReadonlySet<string>, string>();

/** What links to a file can find in it, as one string: its anchors (computed once per set of anchors). */
function anchorsKey(anchors: ReadonlySet<string>): string {
  let key = anchorKeys.get(anchors);
  if (key === undefined) anchorKeys.set(anchors, (key = [...anchors].sort().join('\n')));
  return key;
}

function outlineKey(outline: Outline | undefined): string {
  return outline ? anchorsKey(outline.anchors) : '';
}

/** What a linking file was told of a target that was not known yet (see WorkspaceIndex.told). */
const TOLD_MISSING = '\0missing';
const TOLD_UNKNOWN = '\0unknown';
const TOLD_MIXED = '\0mixed';

/** The key of a document: its URI in one spelling, so the client's and the file system's compare equal. */
export function documentKey(uri: string): string {
  return parseUri(uri)?.toString() ?? uri;
}

/**
 * Every Markdown file of the workspace folders: runbooks are checked in the background, one file at a
 * time with a pause in between, and kept current on file events. Open documents are overlaid on the
 * files and take precedence in everything the index answers.
 */
export class WorkspaceIndex {
  private files = new Map<string, FileEntry>();
  /** What the entries keep shares one copy of each string (`StringPool`). */
  private readonly strings = new StringPool();
  private open = new Map<string, IndexedDocument>();
  private urgent = new Set<string>();
  private background = new Set<string>();
  /** Analyses running now, at most the host's concurrency from the queue (link targets may add more). */
  private lanes = 0;
  private drained: (() => void)[] = [];
  private busy = { since: 0, checked: 0 };
  private scans = 0;
  /** Outlines of files being analysed, announced before their links are resolved. */
  private pending = new Map<string, Pending>();
  /**
   * For a file not in the index yet: what the files linking to it were told of it meanwhile, as an
   * outline key (TOLD_MIXED when they were told different things). When its first analysis ends with
   * the outline they were all told, or none asked, they are not checked again: without this, each file
   * a link reached before its target's analysis ended was checked twice (403 analyses for 225 files).
   */
  private told = new Map<string, string>();
  /** The CLI's files: their options, and where their results go. */
  private batch: { options: Map<string, AnalyseOptions>; result(key: string, result: FileResult | FileFailure): void } | undefined;
  /** Bumped when a file is removed, so an analysis that was running then is dropped. */
  private removals = new Map<string, number>();

  constructor(
    private readonly fs: FileSystem,
    private readonly policy: Policy,
    private readonly host: IndexHost,
    private readonly logger: Logger,
    private readonly limit = 5000,
  ) {}

  /** The first scan (or a rescan) is still running. */
  get indexing(): boolean {
    return this.scans > 0 || this.lanes > 0 || this.pending.size > 0;
  }

  /** Markdown files of the workspace folders that the index has read. */
  get markdownFiles(): number {
    let n = 0;
    for (const f of this.files.values()) if (!f.linkOnly) n++;
    return n;
  }

  /** Indexes the Markdown files of these workspace folders, added to those already indexed. */
  async addFolders(folders: readonly string[]): Promise<void> {
    this.scans++;
    try {
      const started = Date.now();
      const found: URI[] = [];
      const room = this.limit - this.markdownFiles - this.background.size;
      const unknown = (uri: URI) => !this.files.get(uri.toString()) || this.files.get(uri.toString())!.linkOnly;
      let capped = false;
      for (const folder of folders) if (!capped) capped = await this.policy.walk(URI.parse(folder), found, room, unknown);
      if (capped) this.logger.info(`Workspace index: stopped at ${this.limit} Markdown files; runbooks beyond them are checked only when opened.`);
      for (const uri of found) this.background.add(uri.toString());
      this.logger.info(`Workspace index: ${found.length} Markdown files found in ${Date.now() - started} ms; checking runbooks in the background.`);
    } finally {
      this.scans--;
    }
    this.host.changed();
    await this.work();
  }

  /** Forgets the files outside the workspace folders (after folders were removed) and clears their diagnostics. */
  removeOutside(): void {
    for (const [key, entry] of [...this.files]) if (!entry.linkOnly && !this.policy.folderOf(URI.parse(key))) this.remove(key);
  }

  /** A file was created, changed (1, 2) or deleted (3). */
  fileChanged(uri: string, type: 1 | 2 | 3): void {
    const key = documentKey(uri);
    if (type === 3) {
      // A deleted folder arrives as one event for the folder.
      const under = key + '/';
      for (const known of [...this.files.keys()]) if (known === key || known.startsWith(under)) this.remove(known);
      return;
    }
    const parsed = parseUri(key);
    if (!parsed || !this.policy.isIndexable(parsed)) return;
    if (!this.files.has(key) && this.markdownFiles >= this.limit) return;
    this.urgent.add(key);
    void this.work();
  }

  /** Checks every indexed file again (settings, a configuration or a template changed). */
  reanalyseAll(): void {
    for (const [key, entry] of this.files) if (!entry.linkOnly) this.background.add(key);
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

  /**
   * Finds the documents that the given link paths of a document point at, and answers a resolver over
   * them for the rules; `targets` holds their keys. `outline` is the linking document's own, announced
   * to analyses that wait on it. A target the index still has to analyse is analysed now, once, rather
   * than read twice; one it does not keep (outside the workspace) is read for its headings.
   */
  async resolveLinks(fromUri: string, paths: Iterable<string>, outline?: Outline, wait = true): Promise<{ resolver: LinkResolver; targets: Set<string> }> {
    const fromKey = documentKey(fromUri);
    if (outline) this.pending.get(fromKey)?.announce(outline);
    const from = parseUri(fromUri);
    const found = new Map<string, LinkTarget | 'missing' | undefined>();
    const targets = new Set<string>();
    if (from && from.scheme !== 'untitled') {
      const keys = new Map<string, string>();
      for (const path of paths) if (!keys.has(path)) keys.set(path, this.policy.linkTarget(from, path).toString());
      const answers = await Promise.all([...keys].map(async ([path, key]) => [path, key === fromKey && outline ? asTarget(key, outline) : await this.target(key, wait, fromUri)] as const));
      for (const [path, answer] of answers) found.set(path, answer);
      for (const key of keys.values()) targets.add(key);
    }
    return { resolver: { resolve: (path) => found.get(path) }, targets };
  }

  /**
   * The target of links to `key`. Without `wait`, a target still being analysed answers what the index
   * knew of it before, or that it cannot tell yet: an open document is checked again when the target's
   * outline arrives (targetChanged), rather than waiting behind the index's queue.
   */
  private async target(key: string, wait: boolean, fromUri?: string): Promise<LinkTarget | 'missing' | undefined> {
    const answer = await this.answer(key, wait, fromUri);
    if (!this.files.has(key)) {
      const said = answer === undefined ? TOLD_UNKNOWN : answer === 'missing' ? TOLD_MISSING : anchorsKey(answer.anchors);
      const before = this.told.get(key);
      this.told.set(key, before === undefined || before === said ? said : TOLD_MIXED);
    }
    return answer;
  }

  private async answer(key: string, wait: boolean, fromUri?: string): Promise<LinkTarget | 'missing' | undefined> {
    if ((this.urgent.has(key) || this.background.has(key)) && !this.pending.has(key) && !this.open.has(key)) {
      this.urgent.delete(key);
      this.background.delete(key);
      this.analyse(key).catch((error: Error) => this.logger.error(`Workspace index: checking ${key} failed: ${error.stack ?? error}`));
    }
    const pending = this.pending.get(key);
    if (pending) {
      if (!wait && !pending.outline) {
        // The linking document is checked again when the outline arrives. targetChanged alone would miss
        // it when the analysis ends while this first check of the document still runs (it finds the
        // document's links only in the analysis that check records).
        const known = this.open.get(key) ?? this.files.get(key);
        if (fromUri) void pending.announced.then((o) => o && outlineKey(o) !== outlineKey(known?.outline) && this.host.recheckOpen([fromUri]));
        return known ? asTarget(known.uri, known.outline) : undefined;
      }
      const outline = pending.outline ?? (await pending.announced);
      if (outline) return asTarget(key, outline);
    }
    const known = this.open.get(key) ?? this.files.get(key);
    if (known) return asTarget(known.uri, known.outline);
    const uri = URI.parse(key);
    const text = (await this.fs.stat(uri))?.type === FileType.File ? await readText(this.fs, uri) : undefined;
    if (text === undefined) return 'missing';
    const outline = await this.host.outline(key, text);
    // A scan or an open document may have got there while the file was read.
    const now = this.open.get(key) ?? this.files.get(key);
    if (now) return asTarget(now.uri, now.outline);
    this.files.set(key, { uri: key, outline, linkOnly: true, published: false });
    return asTarget(key, outline);
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
      .map((d) => ({ d, key: documentKey(d.uri) }))
      .filter(({ key }) => !wanted || wanted.has(key))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ d }) => ({ uri: d.uri, summary: d.analysis.summary }));
  }

  /** Runbooks as sources of workspace symbols. */
  symbolSources(): SymbolSource[] {
    return this.runbooks().map((d) => ({ uri: d.uri, title: d.analysis.title, sectionDepth: d.analysis.sectionDepth, headings: d.outline.headings }));
  }

  private remove(key: string): void {
    this.removals.set(key, (this.removals.get(key) ?? 0) + 1);
    const entry = this.files.get(key);
    if (!entry) return;
    this.files.delete(key);
    this.urgent.delete(key);
    this.background.delete(key);
    if (entry.published && !this.open.has(key)) this.host.publish(entry.uri, []);
    this.targetChanged(key);
    if (entry.analysis && !this.open.has(key)) this.host.changed([entry.uri]);
  }

  /** Documents linking to `key` are checked again: files here, open documents by the host. */
  private targetChanged(key: string): void {
    for (const [other, entry] of this.files) {
      if (other !== key && entry.analysis?.linkTargets.has(key)) this.urgent.add(other);
    }
    const open = [...this.open].filter(([other, d]) => other !== key && d.analysis?.linkTargets.has(key)).map(([, d]) => d.uri);
    if (open.length) this.host.recheckOpen(open);
    void this.work();
  }

  /** A file whose analysis is known already (the CLI's cache): links to it are resolved without reading it. */
  addKnown(uri: string, outline: Outline, analysis: Analysis | undefined): void {
    const key = documentKey(uri);
    this.files.set(key, { uri: key, outline: this.strings.share(outline), analysis: analysis && this.strings.share(analysis), linkOnly: false, published: false });
  }

  /**
   * Analyses the given files (the CLI's) with their options; each result or failure goes to `result`.
   * They stay in the index, so links between them are resolved from it.
   */
  async analyseFiles(files: readonly { uri: string; options: AnalyseOptions }[], result: (uri: string, outcome: FileResult | FileFailure) => void): Promise<void> {
    this.batch = { options: new Map(files.map((f) => [documentKey(f.uri), f.options])), result };
    try {
      for (const f of files) this.background.add(documentKey(f.uri));
      await this.work();
    } finally {
      this.batch = undefined;
    }
  }

  /** Works through the queue, urgent files first, in as many lanes as the host analyses at once; resolves when it is empty. */
  private work(): Promise<void> {
    while (this.lanes < this.host.concurrency && (this.urgent.size || this.background.size)) {
      // A run goes on while a lane stops and another starts (a link's analysis was still pending): its count and time too.
      if (this.lanes++ === 0 && this.busy.checked === 0) this.busy = { since: Date.now(), checked: 0 };
      void this.lane();
    }
    return this.lanes || this.pending.size ? new Promise((resolve) => this.drained.push(resolve)) : Promise.resolve();
  }

  private async lane(): Promise<void> {
    try {
      for (;;) {
        const next = this.urgent.values().next();
        const key: string | undefined = next.done ? this.background.values().next().value : next.value;
        if (key === undefined) break;
        this.urgent.delete(key);
        this.background.delete(key);
        await this.host.pause();
        try {
          await this.analyse(key);
        } catch (error) {
          this.logger.error(`Workspace index: checking ${key} failed: ${(error as Error).stack ?? error}`);
        }
      }
    } finally {
      this.lanes--;
      this.settle();
    }
  }

  /** When no lane runs and no analysis a link started is left, the queue is done. */
  private settle(): void {
    if (this.lanes || this.pending.size) return;
    if (this.busy.checked > 1) {
      this.logger.info(`Workspace index: checked ${this.busy.checked} files in ${Date.now() - this.busy.since} ms; ${this.runbooks().length} runbooks.`);
      this.host.changed();
    }
    this.busy.checked = 0;
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private async analyse(key: string): Promise<void> {
    const removals = this.removals.get(key);
    // Registered at once: a file linking here waits for the outline rather than reading the file again.
    let announce!: (outline: Outline | undefined) => void;
    const pending: Pending = { announced: new Promise((resolve) => (announce = resolve)), announce: (o) => (pending.outline ??= o, announce(o)) };
    this.pending.set(key, pending);
    // The queue is done (settle) only once the result is recorded, so that the index's "checked"
    // message and its summaries count this file.
    try {
      let result: FileResult | undefined;
      try {
        const uri = URI.parse(key);
        const stat = await this.fs.stat(uri);
        const text = stat?.type === FileType.File ? await readText(this.fs, uri) : undefined;
        if (text === undefined) {
          if (this.batch?.options.has(key)) this.batch.result(key, { error: !stat ? 'not found' : stat.type !== FileType.File ? 'not a file' : 'not UTF-8 text' });
          this.remove(key);
          return;
        }
        result = await this.host.analyse(key, text, this.batch?.options.get(key) ?? {});
      } finally {
        pending.announce(result?.outline);
        this.pending.delete(key);
      }
      this.busy.checked++;
      this.record(key, removals, result);
    } finally {
      this.settle();
    }
  }

  /** What the index keeps of a file's analysis, and what follows from it (published diagnostics, files linking here). */
  private record(key: string, removals: number | undefined, result: FileResult): void {
    if (this.batch?.options.has(key)) this.batch.result(key, result);
    if (this.removals.get(key) !== removals) return;
    // Taken now: a link cycle may have read the file's headings meanwhile (an entry with the same outline).
    const before = this.files.get(key);
    const { outline, analysis, diagnostics } = result;
    const entry: FileEntry = { uri: key, outline: this.strings.share(outline), analysis: analysis && this.strings.share(analysis), linkOnly: false, published: before?.published ?? false };
    this.files.set(key, entry);
    if (!this.open.has(key)) {
      if (analysis?.publish && diagnostics) {
        this.host.publish(key, diagnostics);
        entry.published = true;
      } else if (entry.published) {
        this.host.publish(key, []);
        entry.published = false;
      }
      if (!!before?.analysis !== !!analysis || JSON.stringify(before?.analysis?.summary) !== JSON.stringify(analysis?.summary)) this.host.changed([key]);
    }
    const told = this.told.get(key);
    this.told.delete(key);
    if (before ? outlineKey(before.outline) !== outlineKey(outline) : told !== undefined && told !== outlineKey(outline)) this.targetChanged(key);
  }

  /** An outline for files that are not runbooks or too large to check. */
  static readonly emptyOutline = EMPTY_OUTLINE;
}
