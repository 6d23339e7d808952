/**
 * Tolerant keys for matching headings, field names and column names against the template:
 * `Section 8: Rollback Procedures`, `8. Rollback Procedures` and `rollback procedure` share a key.
 */
export function headingKey(text: string): string {
  const plain = words(text);
  const stripped = plain
    .replace(/^(?:section|part|chapter)\s+(?:\d+(?:\s+\d+)*|[a-z])(?=\s|$)\s*/, '')
    .replace(/^(?:\d+(?:\s+\d+)*|[a-z])\s+(?=\S)/, (m, offset, whole: string) => (isNumbering(text) ? '' : m));
  return singular(stripped || plain);
}

/** Key of a table column or field name: case, emphasis and punctuation do not matter. */
export function nameKey(text: string): string {
  return singular(words(text));
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
