#!/usr/bin/env bash
# Installs what the editor tests need, offline (only the npm registry and Debian apt are reachable):
#   - Debian packages: chromium (UI tests, the HTML report test), ripgrep (seeds @vscode/ripgrep),
#     libkrb5-dev (kerberos builds from source), neovim (the Neovim test), libxml2-utils (xmllint
#     checks the JUnit output against its XSD), pre-commit (the pre-commit hook test); apt runs only
#     when one of them is missing;
#   - code-server 4.100.3 and playwright-core into test/e2e/node_modules (`npm ci`, its own lockfile).
# Idempotent: a second run with everything in place does nothing but check. Run as root.
# See ../../../shared/guide/E2E.md for why each step is needed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { printf 'e2e setup: %s\n' "$*"; }

# --- 1. Debian packages --------------------------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || need+=(libkrb5-dev)
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v pre-commit >/dev/null 2>&1 || need+=(pre-commit)
# node-pty, kerberos and argon2 may build from source.
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if ((${#need[@]})); then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${need[*]}; run this script as root (or install them) first" >&2
    exit 1
  fi
  log "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
else
  log "Debian packages present"
fi

# --- 2. node_modules up to date? -----------------------------------------------------------------
cs="$here/node_modules/code-server"
stamp="$here/node_modules/.runbook-e2e-lock"
installed_ok() {
  [ -f "$stamp" ] && cmp -s "$stamp" "$here/package-lock.json" &&
    [ -x "$cs/lib/vscode/bin/remote-cli/code-server" ] &&
    [ -e "$cs/lib/vscode/node_modules.asar" ] &&
    [ -x "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] &&
    [ -f "$here/node_modules/playwright-core/package.json" ]
}
if installed_ok; then
  log "code-server and playwright-core already installed"
  exit 0
fi

# --- 3. seed @vscode/ripgrep's download cache (its postinstall would download from GitHub) -------
# Must happen before npm ci. The cache folder lives in the TMPDIR the install sees.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
rg_tgz="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rg_tgz" ]; then
  log "seeding $rg_tgz from $(command -v rg)"
  mkdir -p "$rg_cache"
  tmp="$(mktemp -d)"
  cp "$(command -v rg)" "$tmp/rg"
  tar -czf "$rg_tgz.tmp" -C "$tmp" rg
  mv "$rg_tgz.tmp" "$rg_tgz"
  rm -rf "$tmp"
fi

# --- 4. npm ci -------------------------------------------------------------------------------------
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's install runs `npx node-gyp` (the user .npmrc may say yes=false).
# The install scripts of code-server and argon2 are approved in package.json (allowScripts).
export npm_config_unsafe_perm=true npm_config_yes=true
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
log "npm ci in $here (about a minute)"
start=$(date +%s)
npm ci --no-audit --no-fund 2>&1 | { grep -v 'Unknown env config "unsafe-perm"' || true; } || {
  log "npm ci failed" >&2
  exit 1
}
# npm may skip dependency install scripts (allowScripts); code-server is useless without its
# postinstall, so run it explicitly when it did not happen.
if [ ! -e "$cs/lib/vscode/node_modules.asar" ] || [ ! -x "$cs/lib/vscode/bin/remote-cli/code-server" ]; then
  log "code-server's postinstall did not run; running npm rebuild code-server"
  npm rebuild code-server --foreground-scripts
fi
if [ ! -x "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  log "code-server's ripgrep is missing; copying $(command -v rg)"
  mkdir -p "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin"
  cp "$(command -v rg)" "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
fi
for f in node-pty/build/Release/pty.node; do
  [ -f "$cs/lib/vscode/node_modules/$f" ] || { log "missing $f after install" >&2; exit 1; }
done
cp "$here/package-lock.json" "$stamp"
installed_ok || { log "install incomplete" >&2; exit 1; }
log "installed in $(($(date +%s) - start)) s: code-server $(node -p "require('./node_modules/code-server/package.json').version")"
