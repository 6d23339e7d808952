// Bundles the extension-host suites test/vscode/suite/*.ts into test/vscode/out/*.js (CommonJS, for
// the extension host's require). `vscode` comes from the extension host; mocha is resolved at run time
// from the root node_modules (test/vscode/out lies inside the repository).
//
// test/vscode/out/package.json makes the folder a tiny "test harness" extension: code-server runs the
// suites with it as extensionDevelopmentPath, so that the extension under test is the installed .vsix.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const vscodeTestDir = path.dirname(fileURLToPath(import.meta.url));
export const outDir = path.join(vscodeTestDir, 'out');
export const suiteIndex = path.join(outDir, 'index.js');

export async function buildSuites() {
  const suiteDir = path.join(vscodeTestDir, 'suite');
  const entryPoints = fs
    .readdirSync(suiteDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(suiteDir, f));
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  fs.writeFileSync(
    path.join(outDir, 'package.json'),
    JSON.stringify(
      {
        name: 'runbook-tools-test-harness',
        displayName: 'Runbook Tools test harness',
        publisher: 'runbook-tools-tests',
        version: '0.0.0',
        private: true,
        engines: { vscode: '^1.100.0' },
      },
      null,
      2,
    ),
  );
  return { outDir, suiteIndex };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildSuites();
  console.log(`built ${path.relative(process.cwd(), outDir)}`);
}
