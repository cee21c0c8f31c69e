#!/usr/bin/env bash
# Runs every check Mu'een has and exits non-zero on the first failure: format, clippy (server
# and WASM), unit and integration tests on a real PostgreSQL, the WASM and CSS build, browser
# tests. With DATABASE_URL unset, the database tests run against a private embedded cluster.
#
# The host side is compiled once, by one `cargo test --no-run` over app and server with one
# feature set: it yields the test binaries and the `server` and `mueen-embedded-pg` binaries the
# browser tests run, so no later step compiles the app again with other features. Build caches
# live outside the clone (scripts/env.sh). The wall time of each step is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

names=()
secs=()
current=""
started=0
run_started=$(date +%s)
step() {
  finish_step
  current="$*"
  started=$(date +%s)
  printf '\n\033[1;35m==> %s\033[0m (%s)\n' "$current" "$(date +%T)"
}
finish_step() {
  if [ -n "$current" ]; then
    names+=("$current")
    secs+=($(($(date +%s) - started)))
    current=""
  fi
}
report() {
  finish_step
  printf '\n\033[1;35m==> step times\033[0m\n'
  for i in "${!names[@]}"; do printf '  %5ss  %s\n' "${secs[$i]}" "${names[$i]}"; done
  printf '  %5ss  total\n' "$(($(date +%s) - run_started))"
}

pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  report
  if [ "$status" -ne 0 ] && [ -f end2end/test-results.json ]; then
    printf '\n\033[1;31m==> failed browser tests\033[0m\n'
    node end2end/failures.mjs end2end/test-results.json || true
  fi
  exit "$status"
}
trap cleanup EXIT

step "tools"
scripts/install-tools.sh --test
source scripts/env.sh
BIN="$CARGO_TARGET_DIR/release"
# One package set and one feature set for every host-side cargo command.
HOST=(--release --locked -p app -p server --features app/ssr)

# Starts an embedded cluster in $1 on port $2; its URL lands in $1.url. Call it directly, not
# in $(...): a subshell would keep the pid from `pids`, and the cluster would outlive the run.
start_embedded_pg() {
  rm -rf "$1" "$1.url"; mkdir -p "$1"
  MUEEN_DATA_DIR="$1" MUEEN_EMBEDDED_PG_PORT="$2" "$BIN/mueen-embedded-pg" >"$1.url" 2>"$1.err" &
  pids+=($!)
  for _ in $(seq 1 150); do
    if [ -s "$1.url" ]; then return 0; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then cat "$1.err" >&2; return 1; fi
    sleep 0.2
  done
  echo "embedded PostgreSQL did not start" >&2; return 1
}

step "format"
cargo fmt --all -- --check

step "clippy: server side (app + server, all targets)"
cargo clippy "${HOST[@]}" --all-targets -- -D warnings

step "clippy: browser side (wasm32)"
cargo clippy --release --locked -p frontend --target wasm32-unknown-unknown -- -D warnings

step "build: tests and the server binaries"
cargo test "${HOST[@]}" --no-run
test -x "$BIN/server" && test -x "$BIN/mueen-embedded-pg"

step "build: WASM and CSS"
# Built as its own checked step: cargo-leptos exits 0 even when a build fails.
cargo leptos build --release --precompress --frontend-only
test -f target/site/pkg/mueen.wasm && test -f target/site/pkg/mueen.css

if [ -z "${DATABASE_URL:-}" ]; then
  step "starting an embedded PostgreSQL for the tests"
  start_embedded_pg target/test-pg 54330
  DATABASE_URL=$(cat target/test-pg.url)
  export DATABASE_URL
fi

step "unit and integration tests"
cargo test "${HOST[@]}"

step "browser tests (Playwright, Debian Chromium)"
E2E_PORT=${E2E_PORT:-3100}
# A real run generates the demo password; the browser tests need to know it.
export MUEEN_DEMO_PASSWORD=${MUEEN_DEMO_PASSWORD:-Mueen-demo-2026}
# Every browser test registers from the same address.
export MUEEN_REGISTRATIONS_PER_IP=1000
rm -rf target/e2e-data target/e2e-mail end2end/test-results.json
# The patients' mailbox: a real SMTP server the app sends to; the tests read what arrived.
E2E_MAIL_PORT=${E2E_MAIL_PORT:-2526}
export E2E_MAIL_DIR=$PWD/target/e2e-mail
MAIL_PORT=$E2E_MAIL_PORT MAIL_DIR=$E2E_MAIL_DIR node end2end/mail-sink.mjs >target/e2e-mail.log 2>&1 &
pids+=($!)
env -u DATABASE_URL MUEEN_DATA_DIR=target/e2e-data MUEEN_EMBEDDED_PG_PORT=54331 \
  MUEEN_SMTP_URL="smtp://127.0.0.1:$E2E_MAIL_PORT" MUEEN_MAIL_FROM="عيادات مُعين <clinic@mueen.test>" \
  MUEEN_PUBLIC_URL="http://127.0.0.1:$E2E_PORT" \
  LEPTOS_SITE_ADDR="127.0.0.1:$E2E_PORT" LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
  "$BIN/server" >target/e2e-server.log 2>&1 &
pids+=($!)
wait_for_server "$E2E_PORT" "${pids[-1]}" target/e2e-server.log
curl -fsS "http://127.0.0.1:$E2E_PORT/api/health"; echo
(cd end2end && PLAYWRIGHT_JSON_OUTPUT_NAME=test-results.json E2E_BASE_URL="http://127.0.0.1:$E2E_PORT" \
  npx playwright test --reporter=list,json)

finish_step
printf '\n\033[1;32mall checks passed\033[0m\n'
