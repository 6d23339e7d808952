import { slug } from 'github-slugger';
import type { Link, DocumentModel } from '../model/document';
import type { Match, UnclosedBlock } from '../match';
import type { Finding, LinkResolver, Rule } from './types';
import { tocOf } from '../toc';
import { blockName, relatedToBlock } from './util';

/** Edit distance, for suggesting the closest existing anchors. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Existing anchors closest to `fragment`, best first. */
export function closestAnchors(fragment: string, anchors: Iterable<string>, count = 3): string[] {
  const wanted = fragment.toLowerCase();
  // An anchor that extends or shortens what was typed (a truncated heading) beats a merely similar one.
  const score = (anchor: string) => {
    const a = anchor.toLowerCase();
    return a.startsWith(wanted) || wanted.startsWith(a) ? Math.abs(a.length - wanted.length) / 100 : distance(wanted, a) + 1;
  };
  return [...anchors]
    .map((a) => ({ a, d: score(a) }))
    .sort((x, y) => x.d - y.d || x.a.localeCompare(y.a))
    .slice(0, count)
    .map((x) => x.a);
}

/** The file a link points at when it is another Markdown file (decoded); undefined for URLs, `#anchor` and other files. */
export function markdownLinkPath(link: Link): string | undefined {
  const path = link.path.replace(/\?.*$/, '');
  if (!path || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//') || !/\.(md|markdown)$/i.test(path)) return undefined;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Anchors of the heading lines inside unclosed blocks, with their block. */
function hiddenHeadings(match: Match): Map<string, UnclosedBlock> {
  const hidden = new Map<string, UnclosedBlock>();
  for (const u of match.unclosed) {
    for (const line of u.block.lines) {
      if (!line.heading) continue;
      const anchor = slug(line.heading.text);
      if (anchor && !hidden.has(anchor)) hidden.set(anchor, u);
    }
  }
  return hidden;
}

/** Links to other Markdown files whose file does not exist or has no heading with the link's anchor. */
export function crossFileLinkFindings(model: DocumentModel, links: LinkResolver): Finding[] {
  const findings: Finding[] = [];
  for (const link of model.links) {
    const path = markdownLinkPath(link);
    if (path === undefined) continue;
    const target = links.resolve(path);
    if (target === undefined) continue;
    if (target === 'missing') {
      findings.push({ rule: 'broken-link', start: link.targetStart, end: link.targetEnd, message: `Linked file "${path}" does not exist.` });
      continue;
    }
    if (!link.fragment) continue;
    const wanted = link.fragment.toLowerCase();
    if ([...target.anchors].some((a) => a.toLowerCase() === wanted)) continue;
    const suggestions = closestAnchors(link.fragment, target.anchors);
    // Only an inline destination can be rewritten in place; a reference link's target is its definition.
    const inline = model.text.slice(link.targetStart, link.targetEnd) === link.url;
    findings.push({
      rule: 'broken-link',
      start: link.targetStart,
      end: link.targetEnd,
      message: `Link target "#${link.fragment}" matches no heading in "${path}"${suggestions.length ? `; did you mean "#${suggestions[0]}"?` : '.'}`,
      fixes: inline
        ? suggestions.map((s) => ({
            title: `Point the link at "${link.path}#${s}"`,
            edits: [{ start: link.targetStart, end: link.targetEnd, newText: `${link.path}#${s}` }],
            safe: false,
          }))
        : undefined,
    });
  }
  return findings;
}

export const brokenLink: Rule = {
  id: 'broken-link',
  defaultSeverity: 'error',
  description: 'An internal `#anchor` link matches no heading of the document, or a link to another Markdown file names a file or heading that does not exist (GitHub anchor rules).',
  check({ model, schema, match, links, isEnabled }) {
    const findings: Finding[] = links ? crossFileLinkFindings(model, links) : [];
    const lower = new Set([...model.anchors].map((a) => a.toLowerCase()));
    // A contents entry for a section the runbook lacks is the toc rule's: "did you mean" another heading would mislead.
    const tocEntries = isEnabled?.('toc') === false ? undefined : tocOf(model, schema, match)?.entries;
    const leftToToc = new Set(tocEntries?.filter((e) => e.missing).map((e) => e.link));
    const hidden = hiddenHeadings(match);
    for (const link of model.links) {
      if (link.path !== '' || link.fragment === undefined || link.fragment === '') continue;
      if (lower.has(link.fragment.toLowerCase()) || leftToToc.has(link)) continue;
      const suggestions = closestAnchors(link.fragment, model.anchors);
      // The heading may be there, taken into a block that was left open: then the block is what to fix.
      const inside = hidden.get(link.fragment.toLowerCase());
      const line = inside && model.lines.positionAt(inside.block.start).line + 1;
      findings.push({
        rule: 'broken-link',
        start: link.targetStart,
        end: link.targetEnd,
        message: inside
          ? `Link target "#${link.fragment}" matches no heading in this document: its heading is inside the ${blockName(inside.block)} opened at line ${line}${inside.open ? ', which is never closed' : ''}.`
          : `Link target "#${link.fragment}" matches no heading in this document${suggestions.length ? `; did you mean "#${suggestions[0]}"?` : '.'}`,
        fixes: suggestions.map((s) => ({
          title: `Point the link at "#${s}"`,
          edits: [{ start: link.targetStart, end: link.targetEnd, newText: `#${s}` }],
          safe: false,
        })),
        related: inside ? [relatedToBlock(model, inside, `The heading of "#${link.fragment}" is inside this ${blockName(inside.block)}.`)] : undefined,
      });
    }
    return findings.sort((a, b) => a.start - b.start);
  },
};
