import type { Processor } from 'unified';

// GFM autolink literals (micromark-extension-gfm-autolink-literal) are not recognised after an unbalanced
// `[`. To know, the extension walks the token stack back from its end at every place a literal could
// start; a walk that finds nothing marks where it ended, but a walk that does find an open `[` marks
// nothing, so in text after an unmatched `[` every candidate walks back to it. A pasted line of JSON
// (`[{"ts": "2026-...", "tags": [...]}, ...]`) has thousands of both: parsing became quadratic, minutes
// for a megabyte.
//
// The guard answers the same question first and remembers a positive answer on the token it reached,
// so the next walk stops there. Its answers equal the extension's own: labels only ever go from
// unbalanced to balanced, a remembered label is used only while it still sits at the same place in the
// stack, unbalanced, and a negative answer is marked exactly as the extension marks it.
// test/unit/parse.test.ts compares trees with and without the guard.

/** The names the autolink literal extension gives its three constructs. */
const GUARDED = new Set(['wwwAutolink', 'protocolAutolink', 'emailAutolink']);

interface Token {
  type: string;
  _balanced?: boolean;
  _gfmAutolinkLiteralWalkedInto?: boolean;
  _runbookOpenLabel?: { token: Token; index: number };
}
type Event = [string, Token, unknown];
type State = (code: number | null) => unknown;
interface Construct {
  name?: string;
  tokenize: (this: { events: Event[] }, effects: unknown, ok: State, nok: State) => State;
}

const isOpenLabel = (token: Token) => (token.type === 'labelLink' || token.type === 'labelImage') && !token._balanced;

/** True when an unbalanced `[` or `![` comes before the end of the token stack. */
export function unbalancedLabelBefore(events: Event[]): boolean {
  let index = events.length;
  const last = events.length ? events[events.length - 1][1] : undefined;
  const found = (token: Token, at: number) => {
    if (last) last._runbookOpenLabel = { token, index: at };
    return true;
  };
  while (index--) {
    const token = events[index][1];
    if (isOpenLabel(token)) return found(token, index);
    if (token._gfmAutolinkLiteralWalkedInto) break;
    const open = token._runbookOpenLabel;
    if (open && events[open.index]?.[1] === open.token && isOpenLabel(open.token)) return found(open.token, open.index);
  }
  if (last) last._gfmAutolinkLiteralWalkedInto = true;
  return false;
}

function guarded(construct: Construct): Construct {
  const tokenize = construct.tokenize;
  return {
    ...construct,
    tokenize(effects, ok, nok) {
      const self = this;
      const start = tokenize.call(self, effects, ok, nok);
      return (code) => (unbalancedLabelBefore(self.events) ? nok(code) : start(code));
    },
  };
}

/**
 * A unified plugin, used after remark-gfm: wraps the autolink literal constructs of the micromark
 * extensions registered so far with the guard.
 */
export function remarkAutolinkGuard(this: Processor): void {
  const extensions = (this.data('micromarkExtensions') ?? []) as { text?: Record<string, Construct | Construct[]> }[];
  for (const extension of extensions) {
    const text = extension.text;
    if (!text) continue;
    for (const code of Object.keys(text)) {
      const value = text[code];
      const list = Array.isArray(value) ? value : [value];
      if (!list.some((c) => c.name && GUARDED.has(c.name))) continue;
      const wrapped = list.map((c) => (c.name && GUARDED.has(c.name) ? guarded(c) : c));
      text[code] = Array.isArray(value) ? wrapped : wrapped[0];
    }
  }
}
