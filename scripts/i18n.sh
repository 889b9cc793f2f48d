#!/usr/bin/env bash
# Keep the catalogs in step with the code: extract French source strings, update every catalog
# under translations/, compile them into the package (src/mediadesk/locale, shipped in the wheel).
# Usage: bash scripts/i18n.sh            (extract + update + compile)
#        bash scripts/i18n.sh compile    (compile only)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
if [ "${1:-}" != "compile" ]; then
  "$PYBABEL" extract -F babel.cfg -k N_ -k ngettext:1,2 -k pgettext:1c,2 --no-location \
    --sort-output --project MediaDesk --copyright-holder MediaDesk -o translations/mediadesk.pot .
  "$PYBABEL" update -i translations/mediadesk.pot -d translations -D mediadesk --no-fuzzy-matching
fi
"$PYBABEL" compile -d translations -D mediadesk --statistics
for po in translations/*/LC_MESSAGES/mediadesk.mo; do
  lang=$(basename "$(dirname "$(dirname "$po")")")
  mkdir -p "src/mediadesk/locale/$lang/LC_MESSAGES"
  mv "$po" "src/mediadesk/locale/$lang/LC_MESSAGES/mediadesk.mo"
done
