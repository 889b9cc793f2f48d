"""Getting, replacing and giving up the workspace behind the main window.

:class:`WorkspaceLifecycle` does the slow part off the GUI thread (the `TaskRunner`'s lanes) and
hands the result to the shell, which switches its screens: creating a store (with demo data if
asked), unlocking it (or, when locked, only verifying the passphrase), restoring a backup,
reopening after enrolment, closing after this device was revoked. The store and its libraries
(SQLAlchemy, Alembic, SQLCipher) load on first use, in a worker thread, so the window shows at
once; the shell warms them up (:func:`warm_up`) right after it is shown. Thread: GUI only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediadesk.i18n import _, format_moment, ngettext
from mediadesk.ui.errors import message_for
from mediadesk.ui.sync_dialogs import NoticeDialog
from mediadesk.ui.tasks import Lane, TaskState

if TYPE_CHECKING:
    from mediadesk.services.backups import RestoreResult
    from mediadesk.services.sync import Enrolment
    from mediadesk.services.workspace import Workspace
    from mediadesk.ui.shell import Shell

DEMO_HOUSEHOLDS = 200
Creator = Callable[..., "Workspace"]  # create_workspace(path, passphrase, user_name=...)
Unlocker = Callable[[Path, str], "Workspace"]
Verifier = Callable[[Path, str], None]


def _create_workspace(path: Path, passphrase: str, **options: Any) -> Workspace:
    from mediadesk.services.workspace import create_workspace

    return create_workspace(path, passphrase, **options)


def _unlock_workspace(path: Path, passphrase: str) -> Workspace:
    from mediadesk.services.workspace import unlock_workspace

    return unlock_workspace(path, passphrase)


def _verify_passphrase(path: Path, passphrase: str) -> None:
    from mediadesk.services.workspace import verify_passphrase

    verify_passphrase(path, passphrase)


def warm_up(_state: TaskState) -> None:
    """Load the store's and the interview's modules (a task, before they are first needed)."""
    import mediadesk.interview
    import mediadesk.services.workspace  # noqa: F401


@dataclass(frozen=True)
class Opened:
    """A workspace just unlocked, with its stored auto-lock delay (read off the GUI thread)."""

    workspace: Workspace
    auto_lock_minutes: int


class WorkspaceLifecycle:
    """The workspace of ``shell``: ``create``, ``unlock`` and ``verify`` default to the
    services' functions (tests pass cheap key derivation); ``demo_households`` is how many
    invented households a demo store gets."""

    def __init__(self, shell: Shell, *, create: Creator | None = None,
                 unlock: Unlocker | None = None, verify: Verifier | None = None,
                 demo_households: int = DEMO_HOUSEHOLDS) -> None:
        self.shell = shell
        self._create = create or _create_workspace
        self._unlock = unlock or _unlock_workspace
        self._verify = verify or _verify_passphrase
        self._demo_households = demo_households

    # --- start-up: create or unlock -------------------------------------------------------

    def create_store(self, user_name: str, passphrase: str, with_demo: bool) -> None:
        shell = self.shell
        path, create = shell.store_path, self._create
        shell.first_start.set_busy(_("Création du dossier chiffré… (quelques secondes)"))

        def work(_state: TaskState) -> Opened:
            workspace = create(path, passphrase, user_name=user_name)
            return Opened(workspace, workspace.settings.auto_lock_minutes())

        done = self._fill_with_demo if with_demo else shell.enter
        shell.runner.submit("open", work, lane=Lane.WRITER, on_done=done,
                            on_error=self._create_failed)

    def _create_failed(self, error: BaseException) -> None:
        self.shell.first_start.show_error(message_for(error))

    def _fill_with_demo(self, opened: Opened) -> None:
        shell = self.shell
        count = self._demo_households
        shell.hold_workspace(opened.workspace)
        shell.first_start.set_progress(_("Création des foyers de démonstration…"), 0, count)

        def work(state: TaskState) -> int:
            from mediadesk.services.demo import populate_demo  # optional feature: lazy

            return populate_demo(opened.workspace, count, progress=state.progress,
                                 cancel=state.cancelled).households

        def progress(done: int, total: int) -> None:
            shell.first_start.set_progress(
                _("Création des foyers de démonstration : {done} sur {total}").format(
                    done=done, total=total), done, total)

        def failed(error: BaseException) -> None:
            shell.enter(opened)
            shell.show_status(_("Les données de démonstration n'ont pas pu être créées : "
                                "{reason}").format(reason=message_for(error)))

        def done(households: int) -> None:
            shell.enter(opened)
            shell.show_status(ngettext("{count} foyer de démonstration créé.",
                                       "{count} foyers de démonstration créés.",
                                       households).format(count=households))

        shell.runner.submit("demo", work, lane=Lane.WRITER, on_done=done,
                            on_progress=progress, on_error=failed)

    def unlock_requested(self, passphrase: str) -> None:
        """Unlock the store, or when only locked, verify the passphrase and show it again."""
        shell = self.shell
        path = shell.store_path
        shell.unlock_page.set_busy(True)
        if shell.is_locked():
            verify = self._verify
            shell.runner.submit("unlock", lambda _s: verify(path, passphrase),
                                on_done=lambda _r: shell.screen_lock.resume(),
                                on_error=self._unlock_failed)
            return
        unlock = self._unlock

        def work(_state: TaskState) -> Opened:
            workspace = unlock(path, passphrase)
            return Opened(workspace, workspace.settings.auto_lock_minutes())

        shell.runner.submit("unlock", work, on_done=shell.enter, on_error=self._unlock_failed)

    def _unlock_failed(self, error: BaseException) -> None:
        self.shell.unlock_page.show_error(message_for(error))

    # --- replacing the workspace ----------------------------------------------------------

    def _release_workspace(self) -> Workspace | None:
        """The workspace shown, once the answers being typed are flushed and every screen has
        let go of it (before it is replaced); None, and nothing done, when none is shown."""
        shell = self.shell
        workspace = shell.workspace()
        if not shell.is_open() or workspace is None:
            return None
        shell.workspace_page.flush_interview()
        shell.let_go_of_workspace()
        return workspace

    def restore_backup(self, backup: Path, passphrase: str) -> None:
        """Replace the store by ``backup`` and open the restored one, with the passphrase that
        opens it. Every screen lets go of the workspace first (secondary windows close, the
        dossier and search are cleared); the service backs up the current state, closes the
        workspace and restores, on the writer lane after the answers still being saved. If the
        backup cannot be opened, nothing changed and the workspace comes back as it was."""
        shell = self.shell
        workspace = self._release_workspace()
        if workspace is None:
            return
        shell.show_unlock_page()
        shell.unlock_page.set_busy(True)
        shell.unlock_page.status.setText(_("Restauration de la sauvegarde…"))
        path, unlock, minutes = shell.store_path, self._unlock, shell.auto_lock_minutes
        closed: list[bool] = []

        def close() -> None:
            closed.append(True)
            workspace.close()

        def work(_state: TaskState) -> tuple[RestoreResult, Opened]:
            result = workspace.backups.restore(backup, passphrase, close)
            reopened = unlock(path, passphrase)
            return result, Opened(reopened, reopened.settings.auto_lock_minutes())

        def done(outcome: tuple[RestoreResult, Opened]) -> None:
            result, opened = outcome
            shell.unlock_page.set_busy(False)
            shell.enter(opened)
            shell.show_status(_("Sauvegarde du {moment} restaurée ; l'état d'avant a été "
                                "sauvegardé (« avant restauration »).").format(
                moment=format_moment(result.restored.created_at)))

        def failed(error: BaseException) -> None:
            shell.unlock_page.set_busy(False)
            if not closed:  # the backup did not open: nothing changed
                shell.enter(Opened(workspace, minutes))
                shell.show_status(_("Rien n'a été restauré : {reason}").format(
                    reason=message_for(error)))
                return
            shell.unlock_page.show_error(message_for(error))
            shell.unlock_page.focus_passphrase()

        shell.runner.submit("restore", work, lane=Lane.WRITER, on_done=done, on_error=failed)

    def device_revoked(self, explanation: str) -> None:
        """The service has wiped this revoked device: back to the first start, saying why."""
        shell = self.shell
        workspace = shell.workspace()
        shell.let_go_of_workspace()
        if workspace is not None:
            workspace.close()
        shell.use_store(shell.store_path)
        NoticeDialog.notify(shell, _("Poste retiré"), explanation)

    def reopen_after_enrolment(self, enrolment: Enrolment) -> None:
        """Enrolled: the dossiers now belong to the server's user and team, so the workspace
        is closed (after the writes still queued) and unlocked again with the passphrase."""
        shell = self.shell
        workspace = self._release_workspace()
        if workspace is None:
            return
        shell.runner.submit("close-for-enrolment", lambda _s: workspace.close(),
                            lane=Lane.WRITER)
        shell.show_unlock_page()
        shell.unlock_page.explanation.setText(_(
            "Ce poste est inscrit ({email}, équipe {teams}). Saisissez à nouveau votre phrase "
            "de passe pour ouvrir le dossier chiffré avec ce compte ; la synchronisation "
            "démarrera ensuite d'elle-même.").format(email=enrolment.user_email,
                                                     teams=", ".join(enrolment.teams)))
        shell.unlock_page.focus_passphrase()
