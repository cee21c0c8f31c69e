#!/usr/bin/env bash
# Writes public/fonts/ from @fontsource/ibm-plex-sans-arabic (package.json; SIL OFL, licence in
# public/fonts/LICENSE-OFL.txt). The Arabic files keep the Arabic block only (letters, both
# digit sets, punctuation, the joiners and direction marks), which is what names, addresses and
# our messages use; the supplement, extended and presentation-form ranges of the package go,
# and with them a third of each file. Shaping features are kept (`--layout-features=*`).
# Run after changing the font package; the output is committed, so builds need no Python.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
venv="$MUEEN_CACHE_DIR/fonttools-venv"
[ -x "$venv/bin/pyftsubset" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q fonttools==4.60.1 brotli==1.1.0; }
src=node_modules/@fontsource/ibm-plex-sans-arabic/files
ARABIC="U+0600-06FF,U+200C-200F,U+2010-2011,U+FD3E-FD3F"
for weight in 400 600 700; do
  "$venv/bin/pyftsubset" "$src/ibm-plex-sans-arabic-arabic-$weight-normal.woff2" \
    --unicodes="$ARABIC" --layout-features='*' --flavor=woff2 \
    --output-file="public/fonts/ibm-plex-sans-arabic-arabic-$weight-normal.woff2"
  cp "$src/ibm-plex-sans-arabic-latin-$weight-normal.woff2" public/fonts/
done
ls -l public/fonts/*.woff2
