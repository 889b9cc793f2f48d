"""The main window's actions, their shortcuts and its menu bar.

:func:`build_menus` creates every action as an attribute of the shell (``shell.new_action``...)
and the menus that show them; the shell enables them by its state (``Shell.update_actions``).
Secondary windows open through :mod:`mediadesk.ui.shell_windows`. Thread: GUI only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from mediadesk.i18n import _
from mediadesk.ui import shell_windows as windows

if TYPE_CHECKING:
    from mediadesk.ui.shell import Shell


def build_menus(shell: Shell) -> None:
    """Create the shell's actions (also reachable by their shortcuts when no menu is open) and
    its File, Synchronisation and Settings menus."""

    def action(text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        item = QAction(text, shell)
        item.setShortcut(QKeySequence(shortcut))
        item.triggered.connect(slot)
        shell.addAction(item)
        return item

    follow_up = shell.sync_follow_up
    shell.new_action = action(_("Nouveau foyer…"), "Ctrl+N", shell.households.new_household)
    shell.edit_action = action(_("Modifier le foyer…"), "Ctrl+E", shell.households.edit_household)
    shell.interview_action = action(_("Nouvel entretien"), "Ctrl+I", shell.households.new_interview)
    shell.find_action = action(_("Rechercher un foyer"), "Ctrl+F", shell.households.focus_search)
    shell.worklist_action = action(_("Suivis à faire…"), "Ctrl+T",
                                   lambda: windows.show_worklist(shell))
    shell.listing_action = action(_("Importer un listing…"), "",
                                  lambda: windows.import_listing(shell))
    shell.campaign_action = action(_("Campagne d'appels…"), "",
                                   lambda: windows.show_campaign(shell))
    shell.activity_action = action(_("Rapport d'activité…"), "",
                                   lambda: windows.show_activity_report(shell))
    shell.backups_action = action(_("Sauvegardes…"), "", lambda: windows.show_backups(shell))
    shell.sync_action = action(_("Synchroniser"), "Ctrl+Shift+S",
                               lambda: shell.sync_panel.sync_now())
    shell.enrol_action = action(_("Inscrire ce poste…"), "", shell.sync_panel.open_enrolment)
    shell.conflicts_action = action(_("Conflits à examiner…"), "",
                                    lambda: follow_up.show_conflicts(None))
    shell.rejected_action = action(_("Modifications refusées…"), "",
                                   lambda: follow_up.show_rejected())
    shell.deleted_elsewhere_action = action(
        _("Dossiers supprimés ailleurs pendant vos modifications…"), "",
        lambda: follow_up.show_rejected(deleted_elsewhere=True))
    shell.lock_action = action(_("Verrouiller"), "Ctrl+L", shell.lock)
    shell.quit_action = action(_("Quitter"), "Ctrl+Q", shell.close)
    shell.auto_lock_action = action(_("Verrouillage automatique…"), "",
                                    shell.screen_lock.choose_auto_lock)
    file_menu = shell.menuBar().addMenu(_("&Fichier"))
    file_menu.addAction(shell.new_action)
    file_menu.addAction(shell.edit_action)
    file_menu.addAction(shell.interview_action)
    file_menu.addAction(shell.find_action)
    file_menu.addAction(shell.worklist_action)
    file_menu.addAction(shell.listing_action)
    file_menu.addAction(shell.campaign_action)
    file_menu.addAction(shell.activity_action)
    file_menu.addAction(shell.backups_action)
    file_menu.addSeparator()
    file_menu.addAction(shell.lock_action)
    file_menu.addSeparator()
    file_menu.addAction(shell.quit_action)
    sync_menu = shell.menuBar().addMenu(_("&Synchronisation"))
    sync_menu.addAction(shell.sync_action)
    sync_menu.addAction(shell.enrol_action)
    sync_menu.addSeparator()
    sync_menu.addAction(shell.conflicts_action)
    sync_menu.addAction(shell.rejected_action)
    sync_menu.addAction(shell.deleted_elsewhere_action)
    settings_menu = shell.menuBar().addMenu(_("&Réglages"))
    settings_menu.addAction(shell.auto_lock_action)
