#!/usr/bin/env bash
# Writes app/data/icd10cm-2026.tsv.gz: every ICD-10-CM code of the April 2026 release (categories,
# subcategories and billable codes with their seventh characters; chapters and blocks left
# out) with its description and whether it is billable, one `code<TAB>billable<TAB>text` per
# line, in code order. ICD-10-CM is published by the US National Center for Health Statistics (CDC) and is in
# the public domain; the list is read with the PyPI package simple-icd-10-cm 1.5.0 (MIT), which
# ships the NCHS tabular XML and expands the seventh-character definitions into codes.
# Run after changing the release; the output is committed, so builds need no Python.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
venv="$MUEEN_CACHE_DIR/icd10-venv"
[ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import simple_icd_10_cm' 2>/dev/null ||
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q simple-icd-10-cm==1.5.0; }
"$venv/bin/python" - <<'PY' | gzip -9n > app/data/icd10cm-2026.tsv.gz
import simple_icd_10_cm as cm
# Sorted, so a category comes right before its subcodes and the server can binary-search.
for code in sorted(cm.get_all_codes(True)):
    if cm.is_chapter_or_block(code):
        continue
    text = " ".join(cm.get_description(code).split())
    print(f"{code}\t{1 if cm.is_leaf(code) else 0}\t{text}")
PY
echo "$(zcat app/data/icd10cm-2026.tsv.gz | wc -l) codes in app/data/icd10cm-2026.tsv.gz"
