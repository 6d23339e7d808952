#!/usr/bin/env node
// `npm run try`: Runbook Tools in a real VS Code for a person without one. Serves a copy of the example
// workspace examples/ in code-server on 127.0.0.1 with the packaged extension installed, prints the
// URL, and runs until Ctrl+C.
//
//   node test/e2e/try.mjs [--vsix FILE] [--port N] [--in-place] [--web]
//
// --in-place serves examples/ itself (saved edits change the repository's files); by default a
// temporary copy is served and removed on exit. --web runs the web extension (the language server in
// the browser, as on github.dev) instead of the desktop one.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  EXTENSION_ID,
  copyDir,
  e2eDir,
  findVsix,
  installVsix,
  isInstalled,
  makeSandbox,
  repoRoot,
  startCodeServer,
  workbenchUrl,
  writeUserSettings,
} from './lib/codeserver.mjs';

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    port: { type: 'string' },
    'in-place': { type: 'boolean', default: false },
    web: { type: 'boolean', default: false },
  },
});

if (!isInstalled()) {
  console.log('code-server is not installed under test/e2e: running test/e2e/setup.sh');
  const r = spawnSync('bash', [path.join(e2eDir, 'setup.sh')], { stdio: 'inherit' });
  if (r.status !== 0 || !isInstalled()) {
    console.error('test/e2e/setup.sh failed');
    process.exit(1);
  }
}

const examples = path.join(repoRoot, 'examples');
if (!fs.existsSync(examples)) {
  console.error(`no example workspace at ${examples}`);
  process.exit(1);
}

let vsix;
try {
  vsix = findVsix(opts.vsix ?? process.env.RUNBOOK_VSIX);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

const sandbox = makeSandbox('rbtry-');
let server;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await server?.stop().catch(() => {});
  fs.rmSync(sandbox.base, { recursive: true, force: true, maxRetries: 3 });
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(0));

try {
  let folder = examples;
  if (!opts['in-place']) {
    folder = path.join(sandbox.base, 'examples');
    copyDir(examples, folder);
  }
  writeUserSettings(sandbox, {
    'workbench.startupEditor': 'none',
    'files.hotExit': 'onExit',
    ...(opts.web ? { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } } : {}),
  });
  await installVsix(sandbox, vsix);
  server = await startCodeServer(sandbox, {
    folder,
    port: opts.port ? Number(opts.port) : undefined,
    logFile: path.join(sandbox.base, 'code-server.log'),
  });
  server.child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`code-server stopped (${code ?? signal}); log: ${path.join(sandbox.base, 'code-server.log')}`);
      stop(1);
    }
  });
  console.log(`Runbook Tools ${path.basename(vsix)} is installed in code-server (VS Code 1.100).`);
  console.log(`Serving ${opts['in-place'] ? folder : `a copy of examples/ (${folder})`}.`);
  console.log('');
  console.log(`  Open: ${workbenchUrl(server, folder)}`);
  console.log('');
  console.log('Open a *runbook*.md file to see its diagnostics. Press Ctrl+C to stop.');
} catch (e) {
  console.error(e?.message ?? e);
  await stop(1);
}
