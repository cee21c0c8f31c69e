#!/usr/bin/env bash
# Scheduling benchmark (not part of `make test`): seeds 500 doctors and 1,000,000 appointments
# in a throw-away database and prints latency and throughput against baselines measured in the
# same run. Uses an embedded PostgreSQL unless DATABASE_URL points at a server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
source scripts/env.sh
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null || true' EXIT
if [ -z "${DATABASE_URL:-}" ]; then
  cargo build --release -p server --bin mueen-embedded-pg
  rm -rf target/bench-pg && mkdir -p target/bench-pg
  MUEEN_DATA_DIR=target/bench-pg MUEEN_EMBEDDED_PG_PORT=54333 "$CARGO_TARGET_DIR/release/mueen-embedded-pg" >target/bench-pg.url &
  pid=$!
  for _ in $(seq 1 150); do [ -s target/bench-pg.url ] && break; sleep 0.2; done
  DATABASE_URL=$(cat target/bench-pg.url)
  export DATABASE_URL
fi
cargo bench -p server --bench scheduling
