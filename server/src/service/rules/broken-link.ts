import type { Finding, Rule } from './types';

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

export const brokenLink: Rule = {
  id: 'broken-link',
  defaultSeverity: 'error',
  description: 'An internal `#anchor` link matches no heading of the document (GitHub anchor rules).',
  check({ model }) {
    const findings: Finding[] = [];
    const lower = new Set([...model.anchors].map((a) => a.toLowerCase()));
    for (const link of model.links) {
      if (link.path !== '' || link.fragment === undefined || link.fragment === '') continue;
      if (lower.has(link.fragment.toLowerCase())) continue;
      const suggestions = closestAnchors(link.fragment, model.anchors);
      findings.push({
        rule: 'broken-link',
        start: link.targetStart,
        end: link.targetEnd,
        message: `Link target "#${link.fragment}" matches no heading in this document${suggestions.length ? `; did you mean "#${suggestions[0]}"?` : '.'}`,
        fixes: suggestions.map((s) => ({
          title: `Point the link at "#${s}"`,
          edits: [{ start: link.targetStart, end: link.targetEnd, newText: `#${s}` }],
          safe: false,
        })),
      });
    }
    return findings;
  },
};
