/**
 * Tolerant keys for matching headings, field names and column names against the template:
 * `Section 8: Rollback Procedures`, `8. Rollback Procedures` and `rollback procedure` share a key.
 */
export function headingKey(text: string): string {
  return remembered(headingKeys, text, computeHeadingKey);
}

/**
 * Keys are asked for the same few thousand texts (the template's headings and field names, a
 * document's headings and cells) on every check of every file: they are kept, up to a bound.
 */
const headingKeys = new Map<string, string>();
const nameKeys = new Map<string, string>();
const MAX_KEPT = 10_000;

function remembered(cache: Map<string, string>, text: string, compute: (text: string) => string): string {
  let key = cache.get(text);
  if (key === undefined) {
    key = compute(text);
    if (cache.size >= MAX_KEPT) cache.clear();
    // A copy: a text sliced from a document would keep that version's whole text alive.
    cache.set((' ' + text).slice(1), key);
  }
  return key;
}

function computeHeadingKey(text: string): string {
  const plain = words(text);
  const stripped = plain
    .replace(/^(?:section|part|chapter)\s+(?:\d+(?:\s+\d+)*|[a-z])(?=\s|$)\s*/, '')
    .replace(/^(?:\d+(?:\s+\d+)*|[a-z])\s+(?=\S)/, (m, offset, whole: string) => (isNumbering(text) ? '' : m));
  return singular(stripped || plain);
}

/** Key of a table column or field name: case, emphasis and punctuation do not matter. */
export function nameKey(text: string): string {
  return remembered(nameKeys, text, (t) => singular(words(t)));
}

function words(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** True when the heading starts with a numbering such as `8.`, `8.1`, `A.` or `Section 2:`. */
function isNumbering(text: string): boolean {
  return /^\s*(?:\d+(?:\.\d+)*\.?|[A-Za-z][.)])\s+\S/.test(text);
}

function singular(key: string): string {
  return key
    .split(' ')
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .join(' ');
}

/** Normalised text of a placeholder's inside, for comparing `[DATE]` with `[date]`. */
export function placeholderKey(inner: string): string {
  return inner.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Edit distance of two keys (insertions, deletions, substitutions and swaps of neighbours), or
 * `max + 1` as soon as it is sure to exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2] + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length];
}

/** The numbering a heading starts with, as numbers: `8.1 When to Rollback` gives [8, 1], `Section 7: ...` [7]. */
export function numberingOf(text: string): number[] | undefined {
  const m = /^\s*(?:(?:section|part|chapter)\s+)?(\d+(?:\.\d+)*)(?=[\s.:)\-–—]|$)/i.exec(text);
  return m ? m[1].split('.').map(Number) : undefined;
}
