import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import type { RunbookService } from '../service/runbookService';
import type { Analysis, Outline } from '../service/workspace/index';
import type { FileReport } from './report';

/**
 * `--cache`, as ESLint's: a file that remembers what each checked file gave, keyed by the file's
 * content hash, the hashes of the configuration and template it was checked with and of the files its
 * links point at, under a key of the tool's version, the command line's options and today's date (the
 * review rules depend on it). An unchanged file is not read again beyond its hash; a changed one is
 * checked, and so is every file linking to it. A cache file that is not ours or cannot be read is
 * ignored with a message and written anew; nothing in it is trusted without its hashes matching.
 */

const TOOL = 'runbook-lint';
/** 2: outline headings carry line and character numbers, not LSP ranges. */
const FORMAT = 2;
export const DEFAULT_CACHE_NAME = '.runbooklintcache';

interface Entry {
  hash: string;
  /** Checked whatever the policy says (named on the command line, --all-markdown). */
  asRunbook: boolean;
  /** URI and content hash of the configuration file that applied ('' for none). */
  config: [string, string];
  /** URI and content hash of the template file ('' for the built-in template). */
  template: [string, string];
  /** Keys of the files its links point at, with their content hashes ('missing' for none). */
  links: [string, string][];
  report: Pick<FileReport, 'isRunbook' | 'diagnostics' | 'summary'>;
  outline: { headings: Outline['headings']; anchors: string[] };
  analysis?: Omit<Analysis, 'linkTargets'> & { linkTargets: string[] };
}

interface CacheFile {
  tool: typeof TOOL;
  format: typeof FORMAT;
  key: string;
  files: Record<string, Entry>;
}

const sha1 = (bytes: Uint8Array | string) => createHash('sha1').update(bytes).digest('base64url');

/** Where `--cache-location` puts the cache: a file, or `.runbooklintcache` in a folder (one that exists, or a path ending in `/`). */
export function cachePath(location: string | undefined): string {
  if (!location) return resolve(DEFAULT_CACHE_NAME);
  const isDir = /[\\/]$/.test(location) || statSync(location, { throwIfNoEntry: false })?.isDirectory();
  return resolve(isDir ? join(location, DEFAULT_CACHE_NAME) : location);
}

export class LintCache {
  private file: CacheFile;
  private hashes = new Map<string, string>();
  private changed = false;

  /** Reads the cache at `path` for a run whose options make `key`; `warn` hears why a file was not used. */
  constructor(
    private readonly path: string,
    key: string,
    warn: (message: string) => void,
  ) {
    this.file = { tool: TOOL, format: FORMAT, key, files: {} };
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return; // no cache yet
    }
    let parsed: Partial<CacheFile> | undefined;
    try {
      parsed = JSON.parse(text) as Partial<CacheFile>;
    } catch {
      parsed = undefined;
    }
    if (parsed?.tool === TOOL && typeof parsed.format === 'number' && parsed.format !== FORMAT && typeof parsed.files === 'object') {
      warn(`ignoring ${path}: another version of runbook-lint wrote it (cache format ${parsed.format}, this one reads ${FORMAT}); it is written anew.`);
      this.changed = true;
      return;
    }
    if (!parsed || parsed.tool !== TOOL || parsed.format !== FORMAT || typeof parsed.files !== 'object' || parsed.files === null) {
      warn(`ignoring ${path}: it is not a runbook-lint cache (or it is damaged); it is written anew.`);
      this.changed = true;
      return;
    }
    // Another version, other options or another day: nothing in it applies.
    if (parsed.key === key) this.file.files = parsed.files;
    else this.changed = true;
  }

  /** The content hash of a file (URI key), or 'missing'; each file is hashed once per run. */
  hashOf(uri: string): string {
    let hash = this.hashes.get(uri);
    if (hash === undefined) {
      const parsed = URI.parse(uri);
      try {
        hash = parsed.scheme === 'file' ? sha1(readFileSync(parsed.fsPath)) : 'missing';
      } catch {
        hash = 'missing';
      }
      this.hashes.set(uri, hash);
    }
    return hash;
  }

  /**
   * The cached report of a file when nothing it depends on changed; its outline and analysis go into
   * the index, so files linking to it resolve their links without reading it.
   */
  async lookup(service: RunbookService, file: string, uri: string, asRunbook: boolean): Promise<FileReport | undefined> {
    const entry = this.file.files[uri];
    if (!entry || entry.asRunbook !== asRunbook || entry.hash !== this.hashOf(uri)) return undefined;
    const config = await service.policy.configFor(URI.parse(uri));
    if (entry.config[0] !== (config?.uri ?? '') || entry.config[1] !== (config ? sha1(config.text) : '')) return undefined;
    if (entry.template[0] && entry.template[1] !== this.hashOf(entry.template[0])) return undefined;
    if (entry.links.some(([target, hash]) => this.hashOf(target) !== hash)) return undefined;
    const outline: Outline = { headings: entry.outline.headings, anchors: new Set(entry.outline.anchors) };
    const analysis = entry.analysis && { ...entry.analysis, linkTargets: new Set(entry.analysis.linkTargets) };
    service.index.addKnown(uri, outline, analysis);
    return { file, uri, ...entry.report };
  }

  /** Remembers what a file gave, with the hashes of what it was checked with. */
  async store(service: RunbookService, report: FileReport, asRunbook: boolean, outline: Outline, analysis: Analysis | undefined, template: string | undefined): Promise<void> {
    this.hashes.delete(report.uri); // --fix may have written it
    const config = await service.policy.configFor(URI.parse(report.uri));
    this.file.files[report.uri] = {
      hash: this.hashOf(report.uri),
      asRunbook,
      config: [config?.uri ?? '', config ? sha1(config.text) : ''],
      template: [template ?? '', template ? this.hashOf(template) : ''],
      links: [...(analysis?.linkTargets ?? [])].map((target) => [target, this.hashOf(target)]),
      report: { isRunbook: report.isRunbook, diagnostics: report.diagnostics, summary: report.summary },
      outline: { headings: outline.headings, anchors: [...outline.anchors] },
      analysis: analysis && { ...analysis, linkTargets: [...analysis.linkTargets] },
    };
    this.changed = true;
  }

  /** Writes the cache when something changed, atomically (a run stopped halfway leaves the old one). */
  save(): void {
    if (!this.changed) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.file));
    renameSync(temporary, this.path);
  }
}

/** The part of the cache key that the command line decides. */
export function cacheKey(version: string, today: string, options: unknown): string {
  return sha1(JSON.stringify({ version, today, options }));
}
