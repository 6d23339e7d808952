// Builds production bundles and packages the extension as runbook-tools-<version>.vsix with vsce,
// offline: the bundles hold all code, so no dependency goes into the package.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { version, name } = JSON.parse(readFileSync('package.json', 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : `${name}-${version}.vsix`;

const run = (args) => {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['scripts/build.mjs', '--production']);
run([require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--out', out]);
// Both builds (desktop and web) are inside; the package must stay under 1 MB (10^6 bytes).
const LIMIT = 1_000_000;
const { size } = statSync(out);
console.log(`${out}: ${(size / 1024).toFixed(0)} KiB`);
if (size >= LIMIT) {
  console.error(`${out} is ${size} bytes, over the budget of ${LIMIT} bytes.`);
  process.exit(1);
}
