import { URI, Utils } from 'vscode-uri';
import { FileType, readText, utf8Length, type FileSystem } from '../host';
import { GlobMatcher, isRunbook, uriPath } from '../features/detect';
import type { DocumentModel } from '../model/document';
import type { RuleId, Severity } from '../rules/types';
import type { RunbookSettings } from '../settings';
import type { TemplateSchema } from '../template/schema';
import { CONFIG_NAME, configLayer, parseConfig, unreadableConfig, type RunbookConfig } from './config';
import { dirnameOf, innermostFolder, isInside, isSkippedFolder, MARKDOWN_FILE, relativePath, resolvePath } from './paths';
import { TemplateStore } from './templates';

/** Settings a host puts on top of the configuration files: the CLI's `--config`, `--template` and `--rule`. */
export interface Layers {
  /** URI of the configuration file to use instead of the nearest `.runbookrc.json`. */
  config?: string;
  /** URI of the template to use instead of the configuration's (a document's front matter still chooses its own). */
  template?: string;
  rules?: Partial<Record<RuleId, Severity>>;
}

/** What applies to one document. */
export interface Resolution {
  /** The effective settings: editor settings, the configuration and its overrides, the host's layers. */
  settings: RunbookSettings;
  schema: TemplateSchema;
  /** URI of the template file, '' for the built-in template. */
  template: string;
  isRunbook: boolean;
  config: RunbookConfig | undefined;
}

export interface PolicyOptions {
  fs: FileSystem;
  layers?: Layers;
  /** A template cannot be read: the host tells the person (the built-in template is used meanwhile). */
  onTemplateProblem?(message: string): void;
  /** A configuration file was read (again): the host shows its problems. */
  onConfig?(config: RunbookConfig): void;
}

/**
 * The one policy for "what applies to this file", asked by the server, the CLI and the browser server
 * alike. Layers, lowest first: built-in defaults, editor settings, the nearest `.runbookrc.json` (or
 * the host's `--config`), its overrides whose globs match, the host's layers (`--template`, `--rule`),
 * and the document's front matter (`runbook-template`, `runbook: true|false`).
 *
 * Paths: an editor setting's template path is relative to the workspace folder, a configuration's to
 * its folder, front matter's to the document's folder. Links starting with `/` start at the workspace
 * folder, as on GitHub they start at the repository's top. Walks skip node_modules and dot-folders.
 */
export class Policy {
  private folders: URI[] = [];
  /** Folder URI -> the configuration file that applies there (null: none). */
  private discovered = new Map<string, string | null>();
  private configs = new Map<string, { mtime: number; config: RunbookConfig }>();
  private readonly templates: TemplateStore;
  private readonly globs = new GlobMatcher();
  /** Template files some document follows: a change to one re-checks everything. */
  readonly templatesInUse = new Set<string>();
  /** Bumped whenever a configuration or template may have changed, so resolutions cached by callers expire. */
  generation = 0;

  constructor(private readonly options: PolicyOptions) {
    this.templates = new TemplateStore(options.fs, (m) => options.onTemplateProblem?.(m));
  }

  get workspaceFolders(): readonly URI[] {
    return this.folders;
  }

  setWorkspaceFolders(folders: readonly string[]): void {
    this.folders = folders.map((f) => URI.parse(f));
    this.changed();
  }

  /** The innermost workspace folder holding the document. */
  folderOf(uri: URI): URI | undefined {
    return innermostFolder(this.folders, uri);
  }

  /** Where links starting with `/` start: the workspace folder, else the document's folder. */
  rootOf(uri: URI): URI {
    return this.folderOf(uri) ?? dirnameOf(uri);
  }

  /** The file a link's path (decoded, as written) points at from a document. */
  linkTarget(from: URI, path: string): URI {
    return path.startsWith('/') ? Utils.joinPath(this.rootOf(from), path) : Utils.joinPath(dirnameOf(from), path);
  }

  /** A Markdown file inside a workspace folder and outside skipped folders: the index keeps it. */
  isIndexable(uri: URI): boolean {
    const folder = MARKDOWN_FILE.test(uri.path) ? this.folderOf(uri) : undefined;
    const rel = folder && relativePath(folder, uri);
    return !!rel && !rel.split('/').slice(0, -1).some(isSkippedFolder);
  }

  /**
   * Markdown files under a folder, sorted by path, skipping the folders no walk enters; stops after
   * `limit` files and answers whether it did. `wanted` filters the files.
   */
  async walk(folder: URI, out: URI[], limit = Infinity, wanted: (uri: URI) => boolean = () => true): Promise<boolean> {
    let entries: [string, FileType][];
    try {
      entries = await this.options.fs.readDirectory(folder);
    } catch {
      return false;
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, type] of entries) {
      const uri = Utils.joinPath(folder, name);
      if (type === FileType.Directory) {
        if (!isSkippedFolder(name) && (await this.walk(uri, out, limit, wanted))) return true;
      } else if (type === FileType.File && MARKDOWN_FILE.test(name) && wanted(uri)) {
        if (out.length >= limit) return true;
        out.push(uri);
      }
    }
    return false;
  }

  /** Whether a text is over the size limit, counted in UTF-8 bytes as the setting says. */
  tooLarge(text: string, settings: RunbookSettings): boolean {
    if (text.length * 3 <= settings.maxFileSize) return false;
    return text.length > settings.maxFileSize || utf8Length(text) > settings.maxFileSize;
  }

  /** The configuration that applies to a document: the host's `--config`, else the nearest `.runbookrc.json` above it. */
  async configFor(uri: URI): Promise<RunbookConfig | undefined> {
    const explicit = this.options.layers?.config;
    if (explicit) return this.load(URI.parse(explicit));
    if (uri.scheme === 'untitled') return undefined;
    const found = await this.discover(dirnameOf(uri));
    if (!found) return undefined;
    const config = await this.load(URI.parse(found));
    if (config) return config;
    // Deleted without a file event reaching us: look again.
    this.discovered.clear();
    const again = await this.discover(dirnameOf(uri));
    return again ? this.load(URI.parse(again)) : undefined;
  }

  private async discover(dir: URI): Promise<string | null> {
    const key = dir.toString();
    const known = this.discovered.get(key);
    if (known !== undefined) return known;
    const candidate = Utils.joinPath(dir, CONFIG_NAME);
    let found: string | null;
    if ((await this.options.fs.stat(candidate))?.type === FileType.File) found = candidate.toString();
    else {
      const parent = dirnameOf(dir);
      found = parent.path === dir.path ? null : await this.discover(parent);
    }
    this.discovered.set(key, found);
    return found;
  }

  /**
   * A configuration file, read again when its modification time changed. A discovered file that is
   * gone answers undefined; the host's `--config` that cannot be read is a configuration with a fatal problem.
   */
  private async load(uri: URI): Promise<RunbookConfig | undefined> {
    const key = uri.toString();
    const stat = await this.options.fs.stat(uri);
    const hit = this.configs.get(key);
    if (hit && stat && hit.mtime === stat.mtime) return hit.config;
    if (!stat && key !== this.options.layers?.config) {
      this.configs.delete(key);
      return undefined;
    }
    const text = stat?.type === FileType.File ? await readText(this.options.fs, uri) : undefined;
    const config = text === undefined ? unreadableConfig(uri, !stat ? 'the file does not exist' : 'it is not a UTF-8 text file') : await parseConfig(this.options.fs, uri, text);
    if (stat) this.configs.set(key, { mtime: stat.mtime, config });
    if (!hit || hit.config.text !== config.text || JSON.stringify(hit.config.problems) !== JSON.stringify(config.problems)) this.options.onConfig?.(config);
    return config;
  }

  /** The template an editor setting names, resolved against the document's workspace folder. */
  private editorTemplate(uri: URI, template: string): string {
    if (!template) return '';
    return resolvePath(this.folderOf(uri) ?? dirnameOf(uri), template).toString();
  }

  /** What applies to a document, given the editor settings for it and its parsed model. */
  async resolve(uri: string, model: DocumentModel, editor: RunbookSettings): Promise<Resolution> {
    const doc = URI.parse(uri);
    const config = await this.configFor(doc);
    const settings: RunbookSettings = { ...editor, rules: { ...editor.rules } };
    let template = this.editorTemplate(doc, editor.template);
    let matchPath: string | undefined;
    /** Templates the settings name: a template file is never checked as a runbook. */
    const declared = new Set([template, this.options.layers?.template ?? '', config?.template ?? '', ...(config?.overrides.map((o) => o.template ?? '') ?? [])]);
    if (config) {
      const layer = configLayer(config, doc, this.globs);
      if (layer.files) settings.files = layer.files;
      if (layer.draftMarkers) settings.draftMarkers = layer.draftMarkers;
      if (layer.template) template = layer.template;
      Object.assign(settings.rules, layer.rules);
      matchPath = layer.matchPath;
    }
    const layers = this.options.layers;
    if (layers?.template) template = layers.template;
    if (layers?.rules) Object.assign(settings.rules, layers.rules);
    const own = model.frontMatter?.['runbook-template'];
    if (own && doc.scheme !== 'untitled') template = resolvePath(dirnameOf(doc), own).toString();
    settings.template = template;
    if (template) this.templatesInUse.add(template);
    const schema = await this.templates.get(template);
    const folder = this.folderOf(doc);
    matchPath ??= (folder && relativePath(folder, doc)) ?? uriPath(uri);
    const runbook = !declared.has(doc.toString()) && isRunbook(model, schema, settings.files, matchPath, this.globs);
    return { settings, schema, template, isRunbook: runbook, config };
  }

  /** The template a new runbook in a folder starts from: as for a runbook created at the folder's top. */
  async templateForNew(folder: string | undefined, editor: RunbookSettings): Promise<TemplateSchema> {
    const probe = folder ? Utils.joinPath(URI.parse(folder), 'runbook.md') : undefined;
    let template = probe ? this.editorTemplate(probe, editor.template) : '';
    const config = probe && (await this.configFor(probe));
    if (config && probe) template = configLayer(config, probe, this.globs).template ?? template;
    if (this.options.layers?.template) template = this.options.layers.template;
    return this.templates.get(template);
  }

  /**
   * Files changed on disk: what the policy read may be stale. Answers whether every document must be
   * checked again (a configuration or a template in use changed).
   */
  filesChanged(uris: readonly string[]): boolean {
    let everything = false;
    for (const uri of uris) {
      if (uri.endsWith('/' + CONFIG_NAME) || this.templatesInUse.has(uri)) everything = true;
    }
    if (everything) this.changed();
    return everything;
  }

  /** Forgets what it read (settings changed, files changed). */
  changed(): void {
    this.discovered.clear();
    this.configs.clear();
    this.templates.clear();
    this.generation++;
  }

  /** Whether the document lies in a workspace folder. */
  inWorkspace(uri: URI): boolean {
    return this.folders.some((f) => isInside(f, uri));
  }
}
