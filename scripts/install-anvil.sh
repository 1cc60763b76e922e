#!/usr/bin/env bash
# Installs Foundry's anvil (a real EVM node) from the npm registry into .tools/anvil, for the
# end-to-end tests. Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
version="1.7.1"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.tools/anvil"
bin="$dir/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "Version: $version"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-anvil: npm is needed to install anvil (Node.js from your package manager)" >&2
  exit 1
fi
mkdir -p "$dir"
( cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error \
    "@foundry-rs/anvil-linux-amd64@$version" >/dev/null )
"$bin" --version | head -1
