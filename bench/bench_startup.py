"""App start to main window shown, side by side with a bare PySide6 window, in one run.

Each sample is a fresh Python process (offscreen Qt): the time from spawning it to the first
window shown and painted once. For MediaDesk that window is the shell on an existing store (the
unlock screen: nothing can be shown before the passphrase). Key derivation (Argon2id, the real
parameters) and unlock-to-workspace are measured separately, in the same child, after the window.

Usage: python bench/bench_startup.py [--runs 15]
Final line: JSON with medians and the ratio (target <= 1.5).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "ronces violettes sur le canal"

BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("MediaDesk")); w.resize(1180, 760); w.show()
app.processEvents(); w.grab()
print(time.time())
"""

MEDIADESK = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from mediadesk.ui.shell import Shell
app = QApplication([])
shell = Shell(Path(sys.argv[1])); shell.show()
app.processEvents(); shell.grab()
shown = time.time()
from mediadesk.services.workspace import unlock_workspace
t0 = time.perf_counter(); ws = unlock_workspace(Path(sys.argv[1]), sys.argv[2])
unlock = time.perf_counter() - t0
from mediadesk.store import files, keyslots
t0 = time.perf_counter()
keyslots.unlock(keyslots.read_slots(files.keys_path(Path(sys.argv[1]))), sys.argv[2])
kdf = time.perf_counter() - t0
ws.close(); shell.close()
print(shown, kdf, unlock)
"""


def _sample(code: str, *args: str) -> list[float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    values = [float(v) for v in out]
    return [values[0] - started, *values[1:]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from mediadesk.services.demo import populate_demo
    from mediadesk.services.workspace import create_workspace

    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "bench.mdk"
        workspace = create_workspace(store, PASSPHRASE)  # real Argon2id parameters
        populate_demo(workspace, 2000, seed=1)
        workspace.close()
        bare: list[float] = []
        app: list[float] = []
        kdf: list[float] = []
        unlock: list[float] = []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            bare.append(_sample(BARE)[0])
            shown, key, opened = _sample(MEDIADESK, str(store), PASSPHRASE)
            app.append(shown)
            kdf.append(key)
            unlock.append(opened)
    result = {
        "bench": "startup",
        "runs": args.runs,
        "bare_window_ms": round(statistics.median(bare) * 1000, 1),
        "mediadesk_window_ms": round(statistics.median(app) * 1000, 1),
        "ratio": round(statistics.median(app) / statistics.median(bare), 2),
        "key_derivation_ms": round(statistics.median(kdf) * 1000, 1),
        "unlock_total_ms": round(statistics.median(unlock) * 1000, 1),
        "target_ratio": 1.5,
    }
    print(f"bare PySide6 window: {result['bare_window_ms']} ms (median of {args.runs})")
    print(f"MediaDesk window:    {result['mediadesk_window_ms']} ms -> ratio {result['ratio']}")
    print(f"key derivation: {result['key_derivation_ms']} ms; full unlock "
          f"(derivation + open + migrations check): {result['unlock_total_ms']} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
