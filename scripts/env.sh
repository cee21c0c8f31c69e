# Sourced by the scripts: puts the pinned tools first on PATH and keeps build caches outside
# the clone, so a fresh clone (CI right after a session) reuses what was already compiled.
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export SQLX_OFFLINE=true
export MUEEN_CACHE_DIR=${MUEEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mueen}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$MUEEN_CACHE_DIR/target}
export npm_config_cache=${npm_config_cache:-$MUEEN_CACHE_DIR/npm}
mkdir -p "$CARGO_TARGET_DIR" "$npm_config_cache"
