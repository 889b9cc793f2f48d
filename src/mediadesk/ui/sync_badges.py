"""How a dossier's sync badge looks: a coloured dot for lists, a coloured label for headers.

The text is the badge's French label (`badge_text`), the hint its explanation; colour is never
the only carrier of meaning (the text is the tooltip and the accessible text of the dot).
Thread: GUI only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from mediadesk.i18n import _
from mediadesk.services.conflict_views import SyncBadge, badge_hint, badge_text
from mediadesk.ui.errors import log_unexpected
from mediadesk.ui.tasks import TaskRunner, TaskState

BadgeSource = Callable[[list[uuid.UUID]], Mapping[uuid.UUID, SyncBadge]]
"""``ConflictService.dossier_badges``: household ids -> badges (called on a worker)."""

COLOURS: dict[SyncBadge, str] = {
    SyncBadge.LOCAL_ONLY: "#6b7280",
    SyncBadge.PENDING: "#1d4ed8",
    SyncBadge.SYNCED: "#2e7d32",
    SyncBadge.CONFLICT: "#c2410c",
}
DOT_SIZE = 12


@cache
def badge_icon(badge: SyncBadge) -> QIcon:
    """A dot with a white rim (seen on a selected row too): a grey ring on white for "only on
    this laptop", filled with the badge's colour otherwise."""
    pixmap = QPixmap(DOT_SIZE, DOT_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(COLOURS[badge])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    painter.drawEllipse(0, 0, DOT_SIZE, DOT_SIZE)
    pen = QPen(colour)
    pen.setWidthF(2.0)
    painter.setPen(pen)
    painter.setBrush(QColor("white") if badge is SyncBadge.LOCAL_ONLY else colour)
    painter.drawEllipse(2, 2, DOT_SIZE - 4, DOT_SIZE - 4)
    painter.end()
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


class BadgeLabel(QLabel):
    """The badge of the dossier shown, as a small coloured label; hidden without a badge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._badge: SyncBadge | None = None
        self.hide()

    def badge(self) -> SyncBadge | None:
        return self._badge

    def set_badge(self, badge: SyncBadge | None) -> None:
        self._badge = badge
        if badge is None:
            self.clear()
            self.hide()
            return
        colour = COLOURS[badge]
        self.setText(badge_text(badge))
        self.setToolTip(badge_hint(badge))
        self.setAccessibleName(badge_text(badge))
        self.setStyleSheet(f"color: {colour}; border: 1px solid {colour}; border-radius: 8px; "
                           "padding: 1px 8px;")
        self.show()


class DossierBadge(QWidget):
    """The header badge of the dossier shown, read on the parallel lane (key
    ``"dossier-badge"``), and "Examiner les conflits…" while it has an open conflict.
    Signal: ``review_requested(household_id)``."""

    review_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source: BadgeSource | None = None
        self._runner: TaskRunner | None = None
        self._household: uuid.UUID | None = None
        self.label = BadgeLabel(self)
        self.review = QPushButton(_("Examiner les conflits…"), self)
        self.review.setToolTip(_("Choisir la valeur à garder quand deux personnes ont modifié "
                                 "la même information"))
        self.review.clicked.connect(self._request_review)
        self.review.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.review)

    def set_source(self, source: BadgeSource | None, runner: TaskRunner | None) -> None:
        self._source, self._runner = source, runner
        self.refresh()

    def show_for(self, household_id: uuid.UUID | None) -> None:
        """Show the badge of this dossier (None: nothing shown)."""
        if household_id != self._household:
            self._show(None)  # never another dossier's badge while this one's is read
        self._household = household_id
        self.refresh()

    def badge(self) -> SyncBadge | None:
        return self.label.badge()

    def refresh(self) -> None:
        source, runner, household = self._source, self._runner, self._household
        if source is None or runner is None or household is None:
            self._show(None)
            return

        def work(_state: TaskState) -> SyncBadge | None:
            return source([household]).get(household)

        def done(badge: SyncBadge | None) -> None:
            if self._household == household:
                self._show(badge)

        runner.submit("dossier-badge", work, on_done=done, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        log_unexpected(error, "dossier sync badge")  # the dossier stays usable without it
        self._show(None)

    def _show(self, badge: SyncBadge | None) -> None:
        self.label.set_badge(badge)
        self.review.setVisible(badge is SyncBadge.CONFLICT)

    def _request_review(self) -> None:
        if self._household is not None:
            self.review_requested.emit(self._household)
