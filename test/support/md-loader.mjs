// Loads `.md` imports as text under node's test runner, as esbuild's text loader does in the bundles.
import { createRequire, register } from 'node:module';
import { readFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (url.endsWith('.md')) {
    const text = readFileSync(new URL(url), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  return nextLoad(url, context);
}

if (!globalThis.__runbookMdLoader) {
  globalThis.__runbookMdLoader = true;
  register(import.meta.url);
  // tsx runs our TypeScript as CommonJS, which goes through require.extensions rather than the hook above.
  const Module = createRequire(import.meta.url)('node:module');
  Module._extensions['.md'] = (module, filename) => {
    module.exports = { __esModule: true, default: readFileSync(filename, 'utf8') };
  };
}
