import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import { remarkAutolinkGuard } from '../../server/src/service/model/autolinkGuard';
import { parseMarkdown } from '../../server/src/service/model/parse';
import { example } from '../support/lint';

// The autolink guard (server/src/service/model/autolinkGuard.ts) makes GFM autolink literals linear after
// an unbalanced `[`; it must never change a tree. Trees (with positions) from remark-gfm alone and with the
// guard are compared on generated text dense in brackets, links and autolink candidates, and on real files.

const plain = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']);
const guarded = unified().use(remarkParse).use(remarkGfm).use(remarkAutolinkGuard).use(remarkFrontmatter, ['yaml', 'toml']);
const tree = (processor: typeof plain, text: string) => JSON.stringify(processor.parse(text));

const PIECES = [
  '[', ']', '![', '](', ')', '(', '[x]', '[a]: https://a.io', '[^1]', '](https://b.io/p)', '][ref]', '\\[', '`', '``',
  'https://example.com/a?b#c', 'http://x.io.', 'www.example.org', 'www.a', 'ops@example.com', 'a.b@c.d', 'mailto:x@y.z', 'xmpp:u@h.io/r',
  '<https://c.io>', '<', '>', '*', '_', '~~', ' ', '  ', '\n', '\n\n', '| a | b |\n|---|---|\n', '"', ':', '{', '}', ',', '.', '-', 'a', 'ts', '@', '/',
];

test('the guard leaves every tree as remark-gfm builds it: generated text dense in brackets and autolink candidates', () => {
  const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(text, (t) => tree(guarded, t) === tree(plain, t)),
    { seed: 20261127, numRuns: 3000 },
  );
});

test('the guard leaves every tree as remark-gfm builds it: a JSON log line, the example and the real corpus', () => {
  const json = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ ts: `2026-11-27T10:00:${String(i % 60).padStart(2, '0')}Z`, url: 'https://pay.example.com/v1', mail: 'oncall@example.com', tags: ['a', 'b'], n: i })));
  const texts = [json, `see [the log ${json}`, example];
  const corpus = new URL('../../../shared/corpus/real/', import.meta.url);
  if (existsSync(corpus)) for (const name of readdirSync(corpus).filter((n) => n.endsWith('.md'))) texts.push(readFileSync(new URL(name, corpus), 'utf8'));
  assert.ok(texts.length > 3 || !existsSync(corpus), 'the corpus was read');
  for (const [i, t] of texts.entries()) assert.ok(tree(guarded, t) === tree(plain, t), `text #${i} parses differently with the guard`);
});

test('URLs and addresses stay links with the guard, after an unmatched "[" too (the mdast transform finds those micromark skips)', () => {
  const links = (t: string) => JSON.stringify(guarded.parse(t)).match(/"type":"link"/g)?.length ?? 0;
  assert.equal(links('[ unmatched, see https://example.com'), 1);
  assert.equal(links('[matched] see https://example.com'), 1);
  assert.equal(links('[a](https://a.io) see https://example.com and ops@example.com'), 3);
});

test('every node the model parses has a position, on generated text and on the example', () => {
  type Node = { type: string; position?: unknown; children?: Node[] };
  const unpositioned = (n: Node): string[] => [...(n.position ? [] : [n.type]), ...(n.children ?? []).flatMap(unpositioned)];
  const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));
  fc.assert(fc.property(text, (t) => unpositioned(parseMarkdown(t) as Node).length === 0), { seed: 20261128, numRuns: 2000 });
  assert.deepEqual(unpositioned(parseMarkdown(example) as Node), []);
});
