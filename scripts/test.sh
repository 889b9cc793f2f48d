#!/usr/bin/env bash
# Set up a virtual environment with MediaDesk and its test tools, then run the whole suite:
# lint (ruff), types (mypy), translations, and pytest (Qt offscreen), spread over one worker per
# CPU (pytest-xdist; MEDIADESK_TEST_WORKERS=0 runs in one process). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MEDIADESK_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[test]"
export QT_QPA_PLATFORM=offscreen
"$VENV/bin/ruff" check src tests bench
"$VENV/bin/mypy"
exec "$VENV/bin/python" -m pytest -n "${MEDIADESK_TEST_WORKERS:-auto}" "$@"
