#!/usr/bin/env bash
# Installs the pinned build tools Mu'een needs. Idempotent: each step checks before it acts.
#   scripts/install-tools.sh          tools to build and run
#   scripts/install-tools.sh --test   also Chromium for the browser tests
#   scripts/install-tools.sh --bench  Chromium and wrk (HTTP load) for `make bench`
set -euo pipefail
cd "$(dirname "$0")/.."
# The npm cache (and cargo's target directory) live outside the clone: see env.sh.
source scripts/env.sh

CARGO_LEPTOS_VERSION=0.3.10
# wasm-bindgen-cli must equal the wasm-bindgen library version that Cargo.lock resolved.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
# Prebuilt tools on our own machines (checked against SHA256SUMS); absent elsewhere.
TOOLCACHE=${MUEEN_TOOLCACHE:-}
for candidate in "$(cd .. && pwd)/shared/toolcache/x86_64-linux-gnu" /work/shared/toolcache/x86_64-linux-gnu; do
  [ -z "$TOOLCACHE" ] && [ -d "$candidate" ] && TOOLCACHE=$candidate
done
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin

log() { printf '\033[1;36m[tools]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

# Copies a prebuilt binary from the machine's tool cache when its checksum matches; otherwise
# the caller builds from crates.io.
from_toolcache() { # name version target
  local file="$TOOLCACHE/$1-$2"
  [ -f "$file" ] && [ -f "$TOOLCACHE/../SHA256SUMS" ] || return 1
  local want
  want=$(awk -v f="x86_64-linux-gnu/$1-$2" '$2 == f {print $1}' "$TOOLCACHE/../SHA256SUMS")
  [ -n "$want" ] && [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$want" ] || return 1
  mkdir -p "$CARGO_BIN" && install -m 0755 "$file" "$CARGO_BIN/$3"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION"
  from_toolcache cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-leptos ||
    cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: that lock file pins a dependency version that is no longer published.
  from_toolcache wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen ||
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# Tailwind, wasm-opt (binaryen) and Playwright come pinned from package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.mueen-lock; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.mueen-lock
fi

if [ -z "${DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing PostgreSQL server binaries for the embedded database"
  apt_install postgresql || {
    echo "Install PostgreSQL (e.g. apt-get install postgresql) or set DATABASE_URL." >&2; exit 1; }
fi

if { [ "${1:-}" = "--test" ] || [ "${1:-}" = "--bench" ]; } && ! command -v chromium >/dev/null; then
  log "installing Debian's Chromium for the browser tests"
  apt_install chromium
fi
if [ "${1:-}" = "--bench" ] && ! command -v wrk >/dev/null; then
  log "installing wrk for the page benchmark"
  apt_install wrk
fi
log "tools ready"
