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
  const list = [...new Set(markers.map((m) => m.trim()).filter((m) => m !== ''))].sort((a, b) => b.length - a.length);
  if (!list.length) return undefined;
  const parts = list.map((m) => {
    const chars = [...m];
    const first = chars[0];
    const last = chars[chars.length - 1];
    const isWord = (c: string) => /[\p{L}\p{N}_]/u.test(c);
    const before = isWord(first) ? `[${WORD}]` : `[${WORD}]|${escape(first)}`;
    const after = isWord(last) ? `[${WORD}]` : `[${WORD}]|${escape(last)}`;
    return `(?<!${before})${escape(m)}(?!${after})`;
  });
  return new RegExp(parts.join('|'), 'giu');
}

/** The first marker of a value that holds nothing else (punctuation and spaces aside): `TBD`, `(TBC)`, `TODO:`. */
export function draftValue(value: string, pattern: RegExp | undefined): string | undefined {
  if (!pattern || value.trim() === '') return undefined;
  let first: string | undefined;
  const rest = value.replace(pattern, (m) => {
    first ??= m;
    return ' ';
  });
  return first !== undefined && /^[\s\p{P}\p{S}]*$/u.test(rest) ? first : undefined;
}
