// Bundles the three CommonJS entry points (extension, server, CLI) for Node 20 with esbuild.
// unified/remark are ESM-only; esbuild folds them into CJS bundles that VS Code and node can require.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  loader: { '.md': 'text' },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  // Both are the npm package's commands (runbook-language-server, runbook-lint): executable scripts.
  esbuild.build({ ...common, entryPoints: ['server/src/node/main.ts'], outfile: 'server/out/server.js', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
