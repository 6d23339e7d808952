// What bench/run.mjs measures, bundled by it into bench/out/entry.cjs as the server bundles it.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';

export { RunbookLanguageService } from '../server/src/service/languageService';
export { builtinTemplate } from '../server/src/service/template/builtin';
export { defaultSettings } from '../server/src/service/settings';
export { ChunkParser } from '../server/src/service/model/parse';
export { buildModel } from '../server/src/service/model/document';
export { findingsOf } from '../server/src/service/features/diagnostics';

const bare = unified().use(remarkParse).use(remarkGfm);

/** The baseline: a full remark-parse + remark-gfm parse of the text, as every keystroke would need without chunks. */
export function bareParse(text: string): unknown {
  return bare.parse(text);
}
