#!/usr/bin/env bash
# Benchmarks (not part of `make test`); every figure comes with a baseline measured in the same
# run, on the same machine:
#  1. scheduling: 500 doctors and 1,000,000 appointments; availability and booking throughput
#     against SELECT 1 and pgbench;
#  2. server pages on the same data set: each page against a bare axum handler that runs the
#     same queries, at 50 connections (wrk);
#  3. the ICD-10 search over the whole ICD-10-CM list, against one plain scan of its text;
#     and notification delivery (1,000 bookings at once, 2 and 8 workers) against bare POSTs
#     to the same fake SMS gateway;
#  4. the phone front end: bytes and time to interactive of each patient page in Chromium under
#     a mobile profile (1.6 Mbps, 150 ms round trips, 4x slower CPU), against the release
#     server and build that `make run` uses.
# Uses an embedded PostgreSQL unless DATABASE_URL points at a server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh --bench
source scripts/env.sh
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
# The release build `make run` makes; a no-op when it is current.
cargo leptos build --release --precompress
cargo build --release -p server --bin mueen-embedded-pg
if [ -z "${DATABASE_URL:-}" ]; then
  rm -rf target/bench-pg && mkdir -p target/bench-pg
  MUEEN_DATA_DIR=target/bench-pg MUEEN_EMBEDDED_PG_PORT=54333 "$CARGO_TARGET_DIR/release/mueen-embedded-pg" >target/bench-pg.url &
  pids+=($!)
  for _ in $(seq 1 150); do [ -s target/bench-pg.url ] && break; sleep 0.2; done
  DATABASE_URL=$(cat target/bench-pg.url)
  export DATABASE_URL
fi
cargo bench -p server --bench scheduling
LEPTOS_SITE_ROOT=target/site cargo bench -p server --bench pages
cargo bench -p server --bench icd10
cargo bench -p server --bench notifications

printf '\n\033[1;35m==> phone front end (Chromium, mobile profile)\033[0m\n'
port=3190
rm -rf target/bench-site-data
env -u DATABASE_URL MUEEN_DATA_DIR=target/bench-site-data MUEEN_EMBEDDED_PG_PORT=54334 \
  MUEEN_DEMO_PASSWORD=Mueen-demo-2026 LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
  LEPTOS_ENV=PROD "$CARGO_TARGET_DIR/release/server" >target/bench-server.log 2>&1 &
pids+=($!)
wait_for_server "$port" "${pids[-1]}" target/bench-server.log
(cd end2end && MUEEN_DEMO_PASSWORD=Mueen-demo-2026 E2E_BASE_URL="http://127.0.0.1:$port" \
  npx playwright test --config bench.config.ts)
