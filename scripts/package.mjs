// Builds production bundles and packages the extension as runbook-tools-<version>.vsix with vsce,
// offline: the bundles hold all code, so no dependency goes into the package.
//
// package.json's "files" is the npm package's list (the CLI and the server), and vsce refuses a
// manifest with "files" next to a .vscodeignore. So the .vsix is packed from a staging folder: the
// files .vscodeignore lets through (as `vsce ls` lists them) and the manifest without "files".
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const vsce = require.resolve('@vscode/vsce/vsce');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : `${manifest.name}-${manifest.version}.vsix`);

const run = (args, options = {}) => {
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8', cwd: options.cwd });
  if (r.status !== 0) process.exit(r.status ?? 1);
  return r.stdout;
};
run(['scripts/build.mjs', '--production']);

const files = run([vsce, 'ls', '--no-dependencies'], { capture: true }).trim().split('\n').filter(Boolean);
const stage = mkdtempSync(join(tmpdir(), 'runbook-vsix-'));
try {
  for (const file of files) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(file, join(stage, file));
  }
  copyFileSync('.vscodeignore', join(stage, '.vscodeignore'));
  const { files: _npmFiles, ...vsixManifest } = manifest;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(vsixManifest, null, 2) + '\n');
  run([vsce, 'package', '--no-dependencies', '--skip-license', '--out', out], { cwd: stage });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
// Both builds (desktop and web) are inside; the package must stay under 1 MB (10^6 bytes).
const LIMIT = 1_000_000;
const { size } = statSync(out);
console.log(`${out}: ${(size / 1024).toFixed(0)} KiB`);
if (size >= LIMIT) {
  console.error(`${out} is ${size} bytes, over the budget of ${LIMIT} bytes.`);
  process.exit(1);
}
