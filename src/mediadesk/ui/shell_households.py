"""The main window's household commands: create (Ctrl+N) or edit (Ctrl+E) a household in the
household editor, start an interview (Ctrl+I), go to the search field (Ctrl+F).

The editor module is loaded when first needed. A household saved is shown in the workspace page,
announced in the status bar and by the shell's ``household_saved`` signal. Thread: GUI only.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from mediadesk.i18n import _

if TYPE_CHECKING:
    from mediadesk.services.views import Dossier
    from mediadesk.ui.household_editor import HouseholdEditor
    from mediadesk.ui.shell import Shell


def _household_editor() -> type[HouseholdEditor]:
    from mediadesk.ui.household_editor import HouseholdEditor  # loaded when first needed

    return HouseholdEditor


class HouseholdCommands:
    """The household commands of ``shell`` (they do nothing unless its workspace is shown)."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    def focus_search(self) -> None:
        if self.shell.is_open():
            self.shell.workspace_page.focus_search()

    def new_household(self) -> None:
        shell, workspace = self.shell, self.shell.workspace()
        if shell.is_open() and workspace is not None:
            self._after_edit(_household_editor().ask(
                shell, shell.runner, workspace.dossiers.create_household), created=True)

    def new_interview(self) -> None:
        """Start an interview with the household shown (Ctrl+I)."""
        if self.shell.is_open():
            self.shell.workspace_page.start_interview()

    def edit_household(self) -> None:
        shell, workspace = self.shell, self.shell.workspace()
        dossier = shell.workspace_page.current_dossier()
        if not shell.is_open() or workspace is None:
            return
        if dossier is None:
            shell.show_status(_("Ouvrez d'abord un foyer pour le modifier."))
            return
        save = partial(workspace.dossiers.update_household, dossier.household.id)
        self._after_edit(_household_editor().ask(shell, shell.runner, save, dossier),
                         created=False)

    def _after_edit(self, saved: Dossier | None, *, created: bool) -> None:
        shell = self.shell
        if saved is None or shell.is_closing():
            return
        shell.workspace_page.household_saved(saved)
        shell.update_actions()
        name = saved.household.name
        shell.show_status(_("Foyer « {name} » créé.").format(name=name) if created
                          else _("Foyer « {name} » enregistré.").format(name=name))
        shell.household_saved.emit(saved)
