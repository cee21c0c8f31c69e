# Sourced by the scripts: puts the pinned tools first on PATH and keeps build caches outside
# the clone, so a fresh clone (CI right after a session) reuses what was already compiled.
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export SQLX_OFFLINE=true
export MUEEN_CACHE_DIR=${MUEEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mueen}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$MUEEN_CACHE_DIR/target}
export npm_config_cache=${npm_config_cache:-$MUEEN_CACHE_DIR/npm}
mkdir -p "$CARGO_TARGET_DIR" "$npm_config_cache"

# Waits until the server on port $1 (process $2, log file $3) answers its health check; prints
# the log and fails if the process ends first or it never answers.
wait_for_server() {
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$1/api/health" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3"; return 1; }
    sleep 0.2
  done
  echo "the server on port $1 did not answer" >&2; return 1
}
