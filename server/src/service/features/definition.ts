import type { Location, Position } from 'vscode-languageserver-types';
import type { DocumentModel } from '../model/document';

/** From an internal `#anchor` link to the heading it names. */
export function definition(model: DocumentModel, position: Position): Location | undefined {
  const offset = model.lines.offsetAt(position);
  const link = model.links.find((l) => l.start <= offset && offset <= l.end);
  if (!link || link.path !== '' || !link.fragment) return undefined;
  const wanted = link.fragment.toLowerCase();
  const heading = model.headings.find((h) => h.slug.toLowerCase() === wanted);
  if (!heading) return undefined;
  return { uri: model.uri, range: model.lines.range(heading.start, heading.end) };
}
