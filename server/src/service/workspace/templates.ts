import { URI } from 'vscode-uri';
import { FileType, readText, type FileSystem } from '../host';
import { compileTemplate } from '../template/compile';
import { builtinTemplate } from '../template/builtin';
import type { TemplateSchema } from '../template/schema';

/**
 * Reads and compiles template files, once per URI and modification time. A template that cannot be
 * read falls back to the built-in one; `report` hears why, once until it changes.
 */
export class TemplateStore {
  private cache = new Map<string, { mtime: number; schema: TemplateSchema }>();
  private reported = new Set<string>();

  constructor(
    private readonly fs: FileSystem,
    private readonly report: (message: string) => void,
  ) {}

  /** The schema of a template file ('' for the built-in template). */
  async get(template: string): Promise<TemplateSchema> {
    if (!template) return builtinTemplate();
    const uri = URI.parse(template);
    const shown = uri.scheme === 'file' ? uri.fsPath : template;
    const stat = await this.fs.stat(uri);
    const hit = this.cache.get(template);
    if (stat?.type === FileType.File && hit && hit.mtime === stat.mtime) return hit.schema;
    const text = stat?.type === FileType.File ? await readText(this.fs, uri) : undefined;
    if (text === undefined) {
      if (!this.reported.has(template)) {
        this.reported.add(template);
        this.report(`Template "${shown}" cannot be read (${!stat ? 'the file does not exist' : stat.type !== FileType.File ? 'it is not a file' : 'it is not UTF-8 text'})`);
      }
      return builtinTemplate();
    }
    const schema = compileTemplate(text, shown);
    this.cache.set(template, { mtime: stat!.mtime, schema });
    this.reported.delete(template);
    return schema;
  }

  /** Forgets what was read, so the next use reads the files again. */
  clear(): void {
    this.cache.clear();
    this.reported.clear();
  }
}
