import picomatch from 'picomatch';
import type { DocumentModel } from '../model/document';
import type { TemplateSchema } from '../template/schema';

/** Path part of a document URI, decoded, with forward slashes. */
export function uriPath(uri: string): string {
  const m = /^[a-z][a-z0-9+.-]*:(?:\/\/[^/]*)?(.*)$/i.exec(uri);
  let path = m ? m[1] : uri;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw path
  }
  return path.replace(/\\/g, '/');
}

/** Tests paths against lists of globs (case-insensitive), compiling each list once. */
export class GlobMatcher {
  private compiled = new Map<string, (path: string) => boolean>();

  /** True when the path matches one of the globs; a leading `/` is optional. */
  matches(path: string, globs: readonly string[]): boolean {
    const key = globs.join('\u0000');
    let isMatch = this.compiled.get(key);
    if (!isMatch) {
      isMatch = picomatch([...globs], { nocase: true, dot: true });
      this.compiled.set(key, isMatch);
    }
    return isMatch(path) || isMatch(path.replace(/^\/+/, ''));
  }
}

/**
 * Whether the editor should treat a document as a runbook: its path matches the `files` globs, its
 * first heading starts like the template's title ("System Runbook"), or its front matter says
 * `runbook: true` (or names a template). `path` is what the globs match: the document's path, or its path
 * relative to the configuration file whose globs these are.
 */
export function isRunbook(model: DocumentModel, schema: TemplateSchema, globs: string[], path = uriPath(model.uri), matcher = new GlobMatcher()): boolean {
  const fm = model.frontMatter;
  if (fm && (/^(true|yes)$/i.test(fm['runbook'] ?? '') || fm['runbook-template'])) return true;
  if (fm && /^(false|no)$/i.test(fm['runbook'] ?? '')) return false;
  const first = model.headings[0];
  const prefix = schema.titlePrefix?.toLowerCase();
  if (first && prefix && first.text.toLowerCase().startsWith(prefix)) return true;
  return matcher.matches(path, globs);
}
