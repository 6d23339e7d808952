// Starts code-server 4.100.3 (a real VS Code 1.100 served to a browser) in a sandbox of its own:
// its own TMPDIR, HOME, XDG_* folders, user data and extensions folders, bound to 127.0.0.1 on a free
// port. Used by run.mjs (tests) and try.mjs (a person trying the extension).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const e2eDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const repoRoot = path.resolve(e2eDir, '..', '..');
export const codeServerEntry = path.join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CODE_SERVER_VERSION = '4.100.3';
export const EXTENSION_ID = 'runbook-tools.runbook-tools';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether setup.sh has installed code-server and playwright-core. */
export function isInstalled() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(e2eDir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    return (
      pkg.version === CODE_SERVER_VERSION &&
      fs.existsSync(path.join(e2eDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules.asar')) &&
      fs.existsSync(path.join(e2eDir, 'node_modules', 'playwright-core', 'package.json'))
    );
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The .vsix to install: an explicit path, or runbook-tools-<version>.vsix at the repo root. */
export function findVsix(explicit) {
  if (explicit) {
    const p = path.resolve(explicit);
    if (!fs.existsSync(p)) throw new Error(`no .vsix at ${p}`);
    return p;
  }
  const { name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const p = path.join(repoRoot, `${name}-${version}.vsix`);
  if (!fs.existsSync(p)) {
    throw new Error(`no ${path.basename(p)} at the repository root: run \`npm run package\` first (or pass --vsix PATH)`);
  }
  return p;
}

/** Recursive copy (fs.cpSync with dot files). */
export function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true, dereference: true });
}

/**
 * A sandbox folder holding everything code-server and the browser write. The path is kept short and
 * free of "runbook" so that the runbook globs only see the workspace's own names.
 */
export function makeSandbox(prefix = 'rbe2e-') {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = {
    base,
    tmp: path.join(base, 'tmp'),
    home: path.join(base, 'home'),
    xdgData: path.join(base, 'xdg', 'data'),
    xdgConfig: path.join(base, 'xdg', 'config'),
    xdgCache: path.join(base, 'xdg', 'cache'),
    userData: path.join(base, 'user-data'),
    extensions: path.join(base, 'extensions'),
    browserHome: path.join(base, 'browser-home'),
    config: path.join(base, 'config.yaml'),
  };
  for (const d of Object.values(dirs)) if (d !== dirs.config) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return dirs;
}

/** User settings: no welcome page (it takes the keyboard focus), no network, nothing that moves. */
export const defaultUserSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'files.hotExit': 'off',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.cursorBlinking': 'solid',
  'window.restoreWindows': 'none',
};

export function writeUserSettings(sandbox, extra = {}) {
  const dir = path.join(sandbox.userData, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...defaultUserSettings, ...extra }, null, 2));
}

/** Environment of code-server and of everything it starts (extension host, language server). */
export function sandboxEnv(sandbox, extra = {}) {
  const env = { ...process.env };
  // Leave nothing of the caller's editor or npm run in the editor's environment.
  for (const k of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_|npm_|CODE_SERVER_)/i.test(k) || k === 'PORT' || k === 'PASSWORD' || k === 'HASHED_PASSWORD') delete env[k];
  }
  return {
    ...env,
    TMPDIR: sandbox.tmp,
    HOME: sandbox.home,
    XDG_DATA_HOME: sandbox.xdgData,
    XDG_CONFIG_HOME: sandbox.xdgConfig,
    XDG_CACHE_HOME: sandbox.xdgCache,
    // The marketplace is out of reach: point the gallery at a closed port on loopback so that the
    // workbench never looks up a host on the internet.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
    ...extra,
  };
}

function baseArgs(sandbox) {
  return [
    codeServerEntry,
    '--config', sandbox.config,
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

/** Runs a code-server CLI command (no server) and resolves with its output; rejects on failure. */
export function codeServerCli(sandbox, args, { timeoutMs = 60_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...baseArgs(sandbox), ...args], {
      env: env ?? sandboxEnv(sandbox),
      cwd: sandbox.base,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`code-server ${args.join(' ')} timed out after ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code ?? signal}\n${out}`));
    });
  });
}

/**
 * `code-server --install-extension FILE.vsix`, then checks that the extension landed in the
 * extensions folder. Resolves with the installed extension's folder.
 */
export async function installVsix(sandbox, vsix) {
  const out = await codeServerCli(sandbox, ['--force', '--install-extension', vsix], { timeoutMs: 90_000 });
  const { publisher, name, version } = await readVsixManifest(sandbox, vsix);
  const folder = path.join(sandbox.extensions, `${publisher}.${name}-${version}`.toLowerCase());
  const match = fs.readdirSync(sandbox.extensions).find((d) => d.toLowerCase() === path.basename(folder));
  if (!match) throw new Error(`--install-extension ${vsix} did not create ${folder}\n${out}`);
  const installed = path.join(sandbox.extensions, match);
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  if (manifest.main && !fs.existsSync(path.join(installed, manifest.main))) {
    throw new Error(`the installed extension lacks its main file ${manifest.main}`);
  }
  return { folder: installed, manifest, output: out.trim() };
}

/** publisher/name/version from the root package.json (the .vsix is built from it). */
async function readVsixManifest(_sandbox, _vsix) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return { publisher: pkg.publisher, name: pkg.name, version: pkg.version };
}

/**
 * Starts code-server on 127.0.0.1:PORT and waits for /healthz. `folder` (optional) is opened when the
 * browser comes without ?folder=. Returns { port, origin, child, stop() }; stop() kills the process
 * group and waits for it (also registered for process exit).
 */
export async function startCodeServer(sandbox, { folder, env, logFile, port, timeoutMs = 30_000 } = {}) {
  port ??= await freePort();
  const args = [
    ...baseArgs(sandbox),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (folder) args.push(folder);
  const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
  const child = spawn(process.execPath, args, {
    env: env ?? sandboxEnv(sandbox),
    cwd: sandbox.base,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() kills the extension host and language server too
  });
  let output = '';
  const onData = (d) => {
    if (output.length < 200_000) output += d;
    log?.write(d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onProcessExit = () => killGroup('SIGKILL');
  process.on('exit', onProcessExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      killGroup('SIGTERM');
      const t = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exitPromise;
      clearTimeout(t);
    }
    killGroup('SIGKILL'); // whatever of the group outlived its leader
    process.off('exit', onProcessExit);
    await new Promise((resolve) => (log ? log.end(resolve) : resolve()));
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(100);
  }
  return { port, origin, authority: `127.0.0.1:${port}`, child, stop, output: () => output };
}

/** Workbench URL opening `folder`, with an optional test payload. */
export function workbenchUrl(server, folder, payload) {
  let url = `${server.origin}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/**
 * Processes (from /proc) running the extension's Node language server out of `extensionsDir`: what
 * vscode-languageclient forks for the desktop extension (`node .../server/out/server.js --node-ipc`).
 */
export function languageServerProcesses(extensionsDir) {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd;
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      continue; // gone meanwhile
    }
    if (cmd.includes(extensionsDir) && /[\\/]server[\\/]out[\\/]server\.js\b/.test(cmd)) found.push({ pid: Number(pid), cmd });
  }
  return found;
}
