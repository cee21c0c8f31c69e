#!/usr/bin/env bash
# Builds Mu'een in release mode and runs it on http://127.0.0.1:3000. With DATABASE_URL unset it
# runs its own PostgreSQL under ./data (MUEEN_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
source scripts/env.sh
cargo leptos build --release --precompress
exec env LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD "$CARGO_TARGET_DIR/release/server"
