// An esbuild plugin for every bundle that parses Markdown: micromark combines its constructs with the
// syntax extensions (GFM, front matter) on every parse. The engine parses a document in pieces, one per
// heading, so that is done about a hundred times for one runbook; it took about 4% of a CLI run's CPU.
// The combined table depends only on the extension list, which remark keeps in one array for the life
// of the processor: it is made once per list. Tokenizing never writes to it.
import { readFile } from 'node:fs/promises';

const CALL = 'combineExtensions([defaultConstructs, ...(settings.extensions || [])])';

export const micromarkMemo = {
  name: 'micromark-memo',
  setup(build) {
    build.onLoad({ filter: /[\\/]micromark[\\/](dev[\\/])?lib[\\/]parse\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      // A micromark that reads differently is built as it is, loudly: the bundle stays correct.
      if (!text.includes(CALL)) throw new Error(`micromark-memo: ${args.path} no longer calls ${CALL}; update scripts/micromark-memo.mjs`);
      const memo = `
const combined = new WeakMap();
function combinedConstructs(extensions) {
  if (!extensions) return combineExtensions([defaultConstructs]);
  let constructs = combined.get(extensions);
  if (!constructs) combined.set(extensions, (constructs = combineExtensions([defaultConstructs, ...extensions])));
  return constructs;
}
`;
      return { contents: text.replace(CALL, 'combinedConstructs(settings.extensions)') + memo, loader: 'js' };
    });
  },
};

const SPREAD = /\{\s*\.\.\.context,\s*sliceSerialize: events\[index\]\[2\]\.sliceSerialize\s*\}/g;
const CONTEXT_END = '    /** @type {Array<number>} */\n    const listStack = [];';

/**
 * mdast-util-from-markdown calls a handler for each of micromark's events (tens of thousands in a
 * runbook) with `this` a new copy of its compile context that differs only in `sliceSerialize`: that
 * copy was the largest single cost of building the tree and a good part of the garbage collection.
 * The handlers only read `this` (stack, data, buffer, enter, exit, sliceSerialize) while they run, so
 * one context per compile, its `sliceSerialize` set before each call, gives the same tree.
 */
export const fromMarkdownContext = {
  name: 'from-markdown-context',
  setup(build) {
    build.onLoad({ filter: /[\\/]mdast-util-from-markdown[\\/](dev[\\/])?lib[\\/]index\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const spreads = text.match(SPREAD)?.length ?? 0;
      if (spreads !== 3 || !text.includes(CONTEXT_END)) throw new Error(`from-markdown-context: ${args.path} no longer builds its handler context as expected (${spreads} copies); update scripts/micromark-memo.mjs`);
      const contents = text
        .replace(CONTEXT_END, `${CONTEXT_END}\n    const shared = { ...context, sliceSerialize: undefined };`)
        .replace(SPREAD, '(shared.sliceSerialize = events[index][2].sliceSerialize, shared)');
      return { contents, loader: 'js' };
    });
  },
};
