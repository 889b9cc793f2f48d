"""How the main window follows sync: badges, refreshes, conflicts and remote edits.

:class:`SyncFollowUp` holds the conflict service of the open workspace (it feeds the sync badges
of the search list and the dossier header), refreshes what a sync or a conflict resolution
changed, hands others' edits to the forms open here, and opens the conflict review
(ui/conflict_review.py) and the inbox of refused changes (ui/sync_inbox.py). Enrolment and
revocation change the workspace itself: see :mod:`mediadesk.ui.shell_lifecycle`.
Thread: GUI only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mediadesk.i18n import ngettext
from mediadesk.ui import shell_windows

if TYPE_CHECKING:
    from mediadesk.services.conflict_views import Resolution
    from mediadesk.services.conflicts import ConflictService
    from mediadesk.services.sync import SyncReport
    from mediadesk.services.workspace import Workspace
    from mediadesk.ui.shell import Shell


class SyncFollowUp:
    """The shell's side of sync, for ``shell`` (its pages, runner, state and lock signal)."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.conflicts: ConflictService | None = None

    def set_workspace(self, workspace: Workspace | None) -> None:
        """The conflict service of the open workspace feeds the badges (None: no badges)."""
        from mediadesk.services.conflicts import conflict_service

        self.conflicts = conflict_service(workspace) if workspace is not None else None
        source = self.conflicts.dossier_badges if self.conflicts is not None else None
        page = self.shell.workspace_page
        page.search.set_badge_source(source)
        page.dossier_view.set_badge_source(source, self.shell.runner if source else None)

    def after_sync(self, report: SyncReport) -> None:
        """Received changes: refresh the search and the dossier shown (not an open interview,
        which keeps what is being typed; going back to the dossier reads it again). Sent ones
        only: the sync badges are read again."""
        if not self.shell.is_open():
            return
        if report.conflicts:
            self._tell_deleted_elsewhere(set(report.conflicts))
        page = self.shell.workspace_page
        if not (report.received or report.teams_removed):
            page.search.refresh_badges()
            page.dossier_view.refresh_badge()
            return
        page.search.refresh()
        dossier = page.current_dossier()
        if dossier is not None and not page.interview_shown():
            page.open_household(dossier.household.id)

    def _tell_deleted_elsewhere(self, opened: set[str]) -> None:
        """Tell the user when this sync found dossiers they edited deleted elsewhere: they no
        longer show in search, so the status bar points to where they are."""
        conflicts = self.conflicts
        if conflicts is None:
            return

        def met(_state: object) -> list[str]:
            return [entry.dossier for entry in conflicts.deleted_while_editing()
                    if entry.conflict_id in opened]

        def tell(names: list[str]) -> None:
            if names and self.shell.is_open():
                self.shell.show_status(ngettext(
                    "« {name} » a été supprimé sur un autre poste pendant que vous le modifiiez "
                    ": voir Synchronisation > Dossiers supprimés ailleurs…",
                    "{n} dossiers que vous modifiiez ont été supprimés sur un autre poste : "
                    "voir Synchronisation > Dossiers supprimés ailleurs…",
                    len(names)).format(name=names[0], n=len(names)))

        self.shell.runner.submit("sync-deleted-elsewhere", met, on_done=tell)

    def show_conflicts(self, household_id: Any = None) -> None:
        """The conflict review: one dossier's (from its header) or the team's queue (menu)."""
        conflicts = self.conflicts
        if not self.shell.is_open() or conflicts is None:
            return
        from mediadesk.ui.conflict_review import ConflictReviewWindow

        shell = self.shell
        window = shell.findChild(ConflictReviewWindow)
        if window is None:
            window = ConflictReviewWindow(conflicts, shell.runner, shell)
            window.resolved.connect(self.after_resolution)
            window.open_requested.connect(
                lambda household: shell_windows.open_household(shell, household))
            shell.locked_changed.connect(window.set_locked)
        dossier = shell.workspace_page.current_dossier()
        name = dossier.household.name if dossier is not None and household_id is not None \
            and dossier.household.id == household_id else ""
        window.show_conflicts(household_id, name)

    def show_rejected(self, deleted_elsewhere: bool = False) -> None:
        """The sync inbox: the changes the server refused, or (``deleted_elsewhere``) the
        dossiers deleted on another laptop while the user edited them."""
        conflicts = self.conflicts
        if not self.shell.is_open() or conflicts is None:
            return
        from mediadesk.ui.sync_inbox import SyncInboxWindow

        shell = self.shell
        window = shell.findChild(SyncInboxWindow)
        if window is None:
            window = SyncInboxWindow(conflicts, shell.runner, shell)
            window.resolved.connect(self.after_resolution)
            window.open_requested.connect(
                lambda household: shell_windows.open_household(shell, household))
            shell.locked_changed.connect(window.set_locked)
        if deleted_elsewhere:
            window.show_deleted_elsewhere()
        else:
            window.show_inbox()

    def after_resolution(self, resolution: Resolution) -> None:
        """A resolution is a local edit: sync soon, show the values and badges it changed."""
        if not self.shell.is_open():
            return
        self.shell.sync_panel.note_edit()
        page = self.shell.workspace_page
        page.search.refresh()
        page.search.refresh_badges()
        dossier = page.current_dossier()
        if dossier is not None and dossier.household.id in resolution.household_ids \
                and not page.interview_shown():
            page.open_household(dossier.household.id)

    def remote_edits(self, edits: list[Any]) -> None:
        """Others changed answers or household fields: the interview shown and the open
        household editors show them, but flag a field being typed in rather than replace it."""
        if not self.shell.is_open():
            return
        page = self.shell.workspace_page
        if page.interview_shown():
            page.wizard.apply_remote_edits(edits)
        from mediadesk.ui.household_editor import HouseholdEditor  # loaded when first needed

        for editor in self.shell.findChildren(HouseholdEditor):
            editor.apply_remote_edits(edits)
