// Headless Debian Chromium through playwright-core (never `npx playwright install`: no downloads here).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { e2eDir } from './codeserver.mjs';

const require = createRequire(path.join(e2eDir, 'package.json'));

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && fs.existsSync(p)) return p;
  }
  throw new Error('Chromium not found: install Debian `chromium` (bash test/e2e/setup.sh) or set CHROMIUM_PATH');
}

export async function launchBrowser(home) {
  const { chromium } = require('playwright-core');
  fs.mkdirSync(home, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    timeout: 30_000,
  });
}
