"""The main window's secondary windows: worklist, listing import, call campaign, activity
report and backups. Each is created once as a child of the shell (found again with
``findChild``), follows the lock through ``shell.locked_changed`` and works on the shell's task
lanes; none opens unless a workspace is open. Thread: GUI only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mediadesk.services.workspace import Workspace
    from mediadesk.ui.shell import Shell


def _open_workspace(shell: Shell) -> Workspace | None:
    """The workspace, when the shell shows it (not locked, not before unlocking)."""
    return shell.workspace() if shell.is_open() else None


def show_worklist(shell: Shell) -> None:
    """The team's follow-up worklist (Ctrl+T): a window of its own, read again when shown;
    a household opened from it is shown in the shell."""
    workspace = _open_workspace(shell)
    if workspace is None:
        return
    from mediadesk.ui.worklist import WorklistWindow  # loaded when first needed

    window = shell.findChild(WorklistWindow)
    if window is None:
        window = WorklistWindow(shell.runner, shell, today=shell.today)
        window.open_requested.connect(lambda household_id: open_household(shell, household_id))
        shell.locked_changed.connect(window.set_locked)
    window.show_worklist(workspace.worklist)


def import_listing(shell: Shell) -> None:
    """The supplier listing import dialog (its own window; work on the task lanes)."""
    workspace = _open_workspace(shell)
    if workspace is None:
        return
    from mediadesk.services.listing import listing_service
    from mediadesk.ui.listing_import import ListingImportDialog

    dialog = shell.findChild(ListingImportDialog)
    if dialog is None:
        dialog = ListingImportDialog(listing_service(workspace), shell.runner, shell)
        shell.locked_changed.connect(dialog.set_locked)
    dialog.show()


def show_campaign(shell: Shell) -> None:
    """The contact campaign window over the imported listings, read again when shown."""
    workspace = _open_workspace(shell)
    if workspace is None:
        return
    from mediadesk.services.campaign import campaign_service
    from mediadesk.ui.campaign import CampaignWindow

    window = shell.findChild(CampaignWindow)
    if window is None:
        window = CampaignWindow(campaign_service(workspace), shell.runner, shell)
        shell.locked_changed.connect(window.set_locked)
    window.show()
    window.reload()


def show_activity_report(shell: Shell) -> None:
    """The funder activity report window (period, partner profile, print, exports)."""
    workspace = _open_workspace(shell)
    if workspace is None:
        return
    from mediadesk.services.reports import ReportService
    from mediadesk.ui.activity_report import ActivityReportWindow

    window = shell.findChild(ActivityReportWindow)
    if window is None:
        window = ActivityReportWindow(ReportService(workspace.opened.sessions),
                                      shell.runner, shell)
        shell.locked_changed.connect(window.set_locked)
    window.show()
    window.raise_()


def show_backups(shell: Shell) -> None:
    """The backups window: the list, a backup now, restoring one (ui/backups.py)."""
    workspace = _open_workspace(shell)
    if workspace is None:
        return
    from mediadesk.ui.backups import BackupsWindow

    window = shell.findChild(BackupsWindow)
    if window is None:
        window = BackupsWindow(workspace.backups, shell.runner, shell)
        window.restore_requested.connect(shell.restore_backup)
        shell.locked_changed.connect(window.set_locked)
    window.show()
    window.raise_()
    window.reload()


def open_household(shell: Shell, household_id: Any) -> None:
    """Show a household asked for from a secondary window, and bring the shell forward."""
    page = shell.workspace_page
    if page.interview_shown():
        page.show_browse()  # the interview stays as it was, to resume
    page.open_household(household_id)
    shell.raise_()
    shell.activateWindow()
