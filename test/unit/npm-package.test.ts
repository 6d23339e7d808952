import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';
import { ROOT } from '../support/cli';
import { TODAY } from '../support/lint';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'runbook-npm-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);

/**
 * npm (or npx) with an empty cache of its own and --offline: whatever it would have to download
 * fails, so a passing install shows the package needs no network. `node` stays on the PATH for the
 * bins' shebang.
 */
function npm(command: 'npm' | 'npx', args: string[], options: { cwd?: string; status?: number } = {}): string {
  const env = {
    ...process.env,
    npm_config_cache: join(scratch, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    RUNBOOK_TODAY: TODAY,
    NO_COLOR: '1',
    PATH,
  };
  const r = spawnSync(command, args, { encoding: 'utf8', env, cwd: options.cwd ?? scratch });
  assert.equal(r.status, options.status ?? 0, `${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const EXPECTED = ['CHANGELOG.md', 'LICENSE', 'README.md', 'client/out/extension.js', 'package.json', 'runbookrc.schema.json', 'server/out/cli.js', 'server/out/server.js', 'templates/system-runbook.md'];

let tarball: string | undefined;
/** `npm pack` of the working tree as `npm test` built it. */
function pack(): string {
  if (tarball) return tarball;
  const [info] = JSON.parse(npm('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT }));
  assert.deepEqual(info.files.map((f: { path: string }) => f.path).sort(), EXPECTED);
  tarball = join(scratch, info.filename);
  return tarball;
}

test('the npm package is public and holds the bundles, the template, the schema, README, LICENSE and CHANGELOG only', () => {
  assert.equal(manifest.private, undefined);
  assert.equal(manifest.name, 'runbook-tools');
  assert.equal(pack(), join(scratch, `runbook-tools-${manifest.version}.tgz`));
  // pre-commit installs a hook repository with `npm install` then `npm pack`, and takes pack's standard
  // output as the tarball's name: a pack script's banner there breaks it. The bundles are built on
  // install instead (when missing) and by `npm run package:npm`.
  for (const script of ['prepack', 'prepare', 'postpack']) assert.equal(manifest.scripts[script], undefined, script);
  assert.match(manifest.scripts.postinstall, /existsSync\('server\/out\/cli\.js'\) \|\| .*scripts\/build\.mjs/);
  assert.equal(manifest.scripts['package:npm'], 'node scripts/build.mjs --production && npm pack');
  for (const bin of Object.values<string>(manifest.bin)) assert.match(readFileSync(join(ROOT, bin), 'utf8').split('\n')[0], /^#!\/usr\/bin\/env node$/, bin);
});

const workspace = join(scratch, 'work');
mkdirSync(join(workspace, 'runbooks'), { recursive: true });
copyFileSync(join(ROOT, 'examples/runbooks/checkout-worker.md'), join(workspace, 'runbooks/checkout-worker.md'));

test('npm install -g of the tarball into an empty prefix, offline: runbook-lint and runbook-language-server run from there', async () => {
  const prefix = join(scratch, 'prefix');
  npm('npm', ['install', '--global', '--prefix', prefix, pack()]);
  const lint = join(prefix, 'bin', 'runbook-lint');
  const server = join(prefix, 'bin', 'runbook-language-server');
  assert.ok(existsSync(lint) && existsSync(server));
  const env = { ...process.env, RUNBOOK_TODAY: TODAY, NO_COLOR: '1', PATH };

  assert.equal(spawnSync(lint, ['--version'], { encoding: 'utf8', env }).stdout, `runbook-lint ${manifest.version}\n`);
  const r = spawnSync(lint, ['.'], { cwd: workspace, encoding: 'utf8', env });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^runbooks\/checkout-worker\.md\n/);
  assert.match(r.stdout, /missing-section/);
  assert.match(r.stdout, /1 file checked: \d+ errors, \d+ warnings, 0 info\.\n$/);

  // The language server as an editor starts it: initialize, open a runbook, get its diagnostics.
  const child = spawn(server, ['--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Promise<Diagnostic[]>((resolve) => connection.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: Diagnostic[] }) => resolve(p.diagnostics)));
  connection.listen();
  try {
    const init = await connection.sendRequest<{ serverInfo: { name: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo.name, 'runbook-language-server');
    await connection.sendNotification('initialized', {});
    const uri = pathToFileURL(join(workspace, 'runbooks/checkout-worker.md')).toString();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: readFileSync(join(workspace, 'runbooks/checkout-worker.md'), 'utf8') } });
    const diagnostics = await published;
    assert.ok(diagnostics.some((d) => d.code === 'missing-section'));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    child.kill();
  }
});

test('npx runs runbook-lint and runbook-language-server from the tarball, offline', () => {
  const out = npm('npx', ['--yes', `--package=${pack()}`, '--', 'runbook-lint', '--format', 'json', 'runbooks/checkout-worker.md'], { cwd: workspace, status: 1 });
  const [report] = JSON.parse(out);
  assert.equal(report.file, 'runbooks/checkout-worker.md');
  assert.ok(report.diagnostics.length > 10);
  assert.equal(npm('npx', ['--yes', `--package=${pack()}`, '--', 'runbook-language-server', '--version']), `runbook-language-server ${manifest.version}\n`);
});
