#!/usr/bin/env bash
# Set up a virtual environment with MediaDesk and open the desktop app on the embedded default
# store (created on first start under your data directory; choose "démonstration" to fill it with
# fake households). Extra arguments go to `mediadesk` (e.g. --store PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MEDIADESK_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e .
exec "$VENV/bin/mediadesk" "$@"
