"""Entry point of the `mediadesk` command: no sub-command opens the desktop app."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from mediadesk.cli import COMMANDS, run

    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        from mediadesk.app import main as app_main  # Qt is imported only for the desktop app

        return app_main(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
