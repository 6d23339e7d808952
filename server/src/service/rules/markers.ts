import { defaultSettings } from '../settings';
import type { RuleContext } from './types';

/** The draft markers a rule checks: the settings' list, or the default one. */
export function draftMarkersOf(ctx: Pick<RuleContext, 'draftMarkers'>): readonly string[] {
  return ctx.draftMarkers ?? defaultSettings.draftMarkers;
}

const WORD = '\\p{L}\\p{N}_';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A pattern finding the markers as whole words, in any case: no letter, digit or underscore on either
 * side (`TODO:` and `(TBD)` match, `TODOS` and `XXXL` do not). A marker of punctuation (`???`) is not
 * matched inside a longer run of its own character, nor right after a word (`What???` is a question).
 * Undefined when the list holds no marker.
 */
export function markerPattern(markers: readonly string[]): RegExp | undefined {
  const key = markers.join('\0');
  let known = patterns.get(key);
  if (!known) {
    known = compile(markers);
    // Lists come from settings: a handful in a session.
    if (patterns.size > 50) patterns.clear();
    patterns.set(key, known);
  }
  return known.pattern;
}

interface Compiled {
  pattern: RegExp | undefined;
  /** The markers as plain text (same case folding, no look-around): any match of `pattern` is a match of it. */
  literal: RegExp | undefined;
}

const patterns = new Map<string, Compiled>();
const literals = new WeakMap<RegExp, RegExp>();

function compile(markers: readonly string[]): Compiled {
  const list = [...new Set(markers.map((m) => m.trim()).filter((m) => m !== ''))].sort((a, b) => b.length - a.length);
  if (!list.length) return { pattern: undefined, literal: undefined };
  const parts = list.map((m) => {
    const chars = [...m];
    const first = chars[0];
    const last = chars[chars.length - 1];
    const isWord = (c: string) => /[\p{L}\p{N}_]/u.test(c);
    const before = isWord(first) ? `[${WORD}]` : `[${WORD}]|${escape(first)}`;
    const after = isWord(last) ? `[${WORD}]` : `[${WORD}]|${escape(last)}`;
    return `(?<!${before})${escape(m)}(?!${after})`;
  });
  const pattern = new RegExp(parts.join('|'), 'giu');
  const literal = new RegExp(list.map(escape).join('|'), 'giu');
  literals.set(pattern, literal);
  return { pattern, literal };
}

/**
 * Where the markers' text occurs in `text`, as [start, end) pairs in order: a superset of the places
 * `pattern` matches, found in one quick pass. Most of a document holds no marker at all.
 */
export function markerCandidates(text: string, pattern: RegExp): number[] {
  const literal = literals.get(pattern) ?? pattern;
  const out: number[] = [];
  for (const m of text.matchAll(literal)) out.push(m.index ?? 0, (m.index ?? 0) + m[0].length);
  return out;
}

/** The first marker of a value that holds nothing else (punctuation and spaces aside): `TBD`, `(TBC)`, `TODO:`. */
export function draftValue(value: string, pattern: RegExp | undefined): string | undefined {
  if (!pattern || value.trim() === '') return undefined;
  const literal = literals.get(pattern);
  if (literal) {
    literal.lastIndex = 0;
    if (!literal.test(value)) return undefined;
  }
  let first: string | undefined;
  const rest = value.replace(pattern, (m) => {
    first ??= m;
    return ' ';
  });
  return first !== undefined && /^[\s\p{P}\p{S}]*$/u.test(rest) ? first : undefined;
}
