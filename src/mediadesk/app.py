"""The desktop application's entry point: builds the QApplication and shows the shell.

``mediadesk [--store PATH]``: the store defaults to `default_store_path()` (or $MEDIADESK_STORE).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from mediadesk.i18n import _
from mediadesk.services.locations import APP_NAME, default_store_path
from mediadesk.ui.crash_dialog import CrashHandler
from mediadesk.ui.shell import Shell

log = logging.getLogger(__name__)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediadesk", description=_(
        "MediaDesk : les dossiers des foyers accompagnés, chiffrés sur ce poste."))
    parser.add_argument("--store", type=Path, default=None, metavar=_("FICHIER"),
                        help=_("Dossier chiffré à ouvrir (par défaut : {path})").format(
                            path=default_store_path()))
    return parser.parse_args(argv)


def _install_qt_translations(app: QApplication) -> None:
    """Qt's own strings (standard buttons, file dialog) in French, when PySide6 ships them."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.French), "qtbase", "_", folder):
        app.installTranslator(translator)
    else:
        log.info("Qt's French translations not found in %s", folder)


def main(argv: list[str] | None = None) -> int:
    """Run the desktop app until its window closes; returns the exit code."""
    args = _parse(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                        "%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    _install_qt_translations(app)
    crashes = CrashHandler.for_app(app)  # from here on no error ends the app silently
    crashes.install()
    shell = Shell(args.store if args.store is not None else default_store_path())
    crashes.watch(shell.runner)
    shell.show()
    return int(app.exec())
