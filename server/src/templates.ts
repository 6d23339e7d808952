import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { compileTemplate } from './service/template/compile';
import { builtinTemplate } from './service/template/builtin';
import type { TemplateSchema } from './service/template/schema';

/** Reads and compiles template files, once per path and modification time; falls back to the built-in one (and reports why). */
export class TemplateStore {
  private cache = new Map<string, { mtime: number; schema: TemplateSchema }>();
  private reported = new Set<string>();

  constructor(private readonly report: (message: string) => void) {}

  /** The schema for a template setting, resolved against `baseDir` when relative. */
  get(template: string, baseDir: string | undefined): TemplateSchema {
    if (!template) return builtinTemplate();
    const path = isAbsolute(template) ? template : resolve(baseDir ?? process.cwd(), template);
    try {
      const mtime = statSync(path).mtimeMs;
      const hit = this.cache.get(path);
      if (hit && hit.mtime === mtime) return hit.schema;
      const schema = compileTemplate(readFileSync(path, 'utf8'), path);
      this.cache.set(path, { mtime, schema });
      this.reported.delete(path);
      return schema;
    } catch (error) {
      if (!this.reported.has(path)) {
        this.reported.add(path);
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
        this.report(`Template "${path}" cannot be read (${reason})`);
      }
      return builtinTemplate();
    }
  }

  /** Forgets cached templates so the next use reads them again (after a file change). */
  clear(): void {
    this.cache.clear();
    this.reported.clear();
  }
}
