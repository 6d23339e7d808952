// Bundles the entry points with esbuild: for Node 20 (CommonJS) the desktop extension, the language
// server and the CLI; for the browser the web extension (CommonJS, as VS Code's web worker extension
// host loads it) and the language server that runs in a Web Worker (a classic worker script).
// unified/remark are ESM-only; esbuild folds them into bundles that VS Code, node and workers can load.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromMarkdownContext, micromarkMemo } from './micromark-memo.mjs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  loader: { '.md': 'text' },
};
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };
// VS Code for the web supports the last versions of Chrome, Edge, Firefox and Safari. Both bundles run
// in workers, which have no DOM: packages with a `worker` export (decode-named-character-reference under
// micromark decodes entities with a DOM element under `browser`) must give that one.
const browser = { ...common, platform: 'browser', target: ['es2022', 'chrome110', 'firefox110', 'safari16'], conditions: ['worker'] };

const shim = (name) => fileURLToPath(new URL(`../server/src/shims/${name}`, import.meta.url));

const PRESET = /[\\/]@secretlint[\\/]secretlint-rule-preset-recommend[\\/]/;

/**
 * secretlint's preset loads node-forge (about a third of the server bundle), node:fs and node:path on
 * demand, only to read a `.p12` key file from disk; the engine gives secretlint `.md` and `.json` text
 * only, so that code never runs. Those loads go to a module that fails, as they would where the files
 * are missing, and the rule ignores the failure. On Node, node:fs and node:path are left as they are.
 */
const withoutP12 = (browser) => ({
  name: 'secretlint-without-p12',
  setup(build) {
    build.onResolve({ filter: /./ }, (args) =>
      args.kind === 'dynamic-import' && PRESET.test(args.importer) && (browser || !args.path.startsWith('node:')) ? { path: shim('p12.ts') } : undefined,
    );
  },
});

/** secretlint's other Node imports in the browser: `node:path` (a file name in a message) and `util` (an error message). Any other Node module is an error. */
const browserShims = {
  name: 'browser-shims',
  setup(build) {
    build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: shim('path.ts') }));
    build.onResolve({ filter: /^(node:)?util$/ }, () => ({ path: shim('util.ts') }));
  },
};

await Promise.all([
  esbuild.build({ ...node, entryPoints: ['client/src/node/main.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  // Both are the npm package's commands (runbook-language-server, runbook-lint): executable scripts.
  esbuild.build({ ...node, entryPoints: ['server/src/node/main.ts'], outfile: 'server/out/server.js', plugins: [withoutP12(false), micromarkMemo, fromMarkdownContext], banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...node, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', plugins: [withoutP12(false), micromarkMemo, fromMarkdownContext], banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...browser, format: 'cjs', entryPoints: ['client/src/browser/main.ts'], outfile: 'client/out/browser.js', external: ['vscode'] }),
  esbuild.build({
    ...browser,
    format: 'iife',
    entryPoints: ['server/src/browser/main.ts'],
    outfile: 'server/out/browser.js',
    plugins: [withoutP12(true), browserShims, micromarkMemo, fromMarkdownContext],
    // picomatch (under secretlint's pattern rule) asks Node's process whether it runs on Windows and
    // whether RegExp lookbehind works; in a browser it is not Windows, and lookbehind works.
    define: { 'process.platform': '"browser"', 'process.version': '"v20.0.0"' },
  }),
]);

// Runbook: Open Example Runbook reads the draft from the extension's files (on the desktop and the web).
mkdirSync('client/out', { recursive: true });
copyFileSync('examples/runbooks/checkout-worker.md', 'client/out/example-runbook.md');
