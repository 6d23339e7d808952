import type { Location, Position } from 'vscode-languageserver-types';
import type { DocumentModel } from '../model/document';
import { markdownLinkPath } from '../rules/broken-link';
import type { LinkResolver } from '../rules/types';
import { headingRange } from './workspaceSymbols';

/**
 * From a link to the heading it names: an internal `#anchor` in this document, or, with a resolver,
 * a heading of another Markdown file (its start when the link has no anchor or the anchor is not a heading).
 */
export function definition(model: DocumentModel, position: Position, links?: LinkResolver): Location | undefined {
  const offset = model.lines.offsetAt(position);
  const link = model.links.find((l) => l.start <= offset && offset <= l.end);
  if (!link) return undefined;
  const wanted = link.fragment?.toLowerCase();
  if (link.path === '') {
    const heading = wanted ? model.headings.find((h) => h.slug.toLowerCase() === wanted) : undefined;
    return heading ? { uri: model.uri, range: model.lines.range(heading.start, heading.end) } : undefined;
  }
  const path = markdownLinkPath(link);
  const target = path !== undefined ? links?.resolve(path) : undefined;
  if (!target || target === 'missing') return undefined;
  const heading = wanted ? target.headings.find((h) => h.slug.toLowerCase() === wanted) : undefined;
  return { uri: target.uri, range: heading ? headingRange(heading) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}
