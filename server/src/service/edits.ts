import type { OffsetEdit } from './rules/types';

/**
 * Applies edits given in offsets of `text`. Edits at the same offset apply by `order`, then as given;
 * an edit overlapping an earlier one is dropped (the earlier one wins).
 */
export function applyEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || (a.e.order ?? 0) - (b.e.order ?? 0) || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos) continue;
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/**
 * Inserted text whose line breaks cannot run into the document's own: a lone CR just before it and an
 * LF starting it, or a CR ending it and an LF just after, would read as one CRLF break, so a blank line
 * between blocks or the end of an inserted row would vanish (documents with mixed line breaks). Such a
 * break is written CRLF instead; every line break is kept.
 */
export function keepBreaksApart(text: string, start: number, end: number, newText: string): string {
  let out = newText;
  if (out.startsWith('\n') && text.charCodeAt(start - 1) === 13) out = '\r' + out;
  if (out.endsWith('\r') && text.charCodeAt(end) === 10) out += '\n';
  return out;
}

/** True when the text ends with a line break: LF, CRLF or a lone CR. */
export function endsWithBreak(text: string): boolean {
  return /[\r\n]$/.test(text);
}

/** Edits that are exactly alike (several findings sharing one fix) kept once, in order. */
export function uniqueEdits(edits: OffsetEdit[]): OffsetEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.start}:${e.end}:${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The smallest line-level edits that turn `before` into `after` (Myers' diff over lines), so that a
 * fix computed on a whole text still reaches the editor as minimal edits.
 */
export function diffEdits(before: string, after: string): OffsetEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const aMid = a.slice(prefix, a.length - suffix);
  const bMid = b.slice(prefix, b.length - suffix);
  const ops = myers(aMid, bMid);
  const offsets = [0];
  for (const line of a) offsets.push(offsets[offsets.length - 1] + line.length);
  const edits: OffsetEdit[] = [];
  let ai = 0;
  let bi = 0;
  let pending: OffsetEdit | undefined;
  const flush = () => {
    if (pending) edits.push(pending);
    pending = undefined;
  };
  for (const op of ops) {
    if (op === '=') {
      flush();
      ai++;
      bi++;
      continue;
    }
    const at = offsets[prefix + ai];
    if (!pending) pending = { start: at, end: at, newText: '' };
    if (op === '-') {
      pending.end = offsets[prefix + ai + 1];
      ai++;
    } else {
      pending.newText += bMid[bi];
      bi++;
    }
  }
  flush();
  return edits;
}

/** Lines with their line breaks kept, so joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

function myers(a: string[], b: string[]): ('=' | '-' | '+')[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: ('=' | '-' | '+')[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1)) ? k + 1 : k - 1;
    const prevX = vd.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('=');
      x--;
      y--;
    }
    if (d > 0) ops.push(x === prevX ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}
