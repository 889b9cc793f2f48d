"""Keep copied dossier text out of clipboard histories and off the clipboard after use.

Anything a mediator copies from MediaDesk (a phone number, a name, a paragraph of a note) is
personal data. The guard watches the system clipboard; whenever this application owns it, it:

- marks the content as sensitive for clipboard managers that honour a hint (KDE Klipper and
  most Linux managers: ``x-kde-passwordManagerHint: secret``; Windows clipboard history and
  cloud clipboard: ``ExcludeClipboardContentFromMonitorProcessing``,
  ``CanIncludeInClipboardHistory = 0``, ``CanUploadToCloudClipboard = 0``);
- clears it after ``lifetime_ms`` (default two minutes) if it still holds what was copied;
- clears it at once on :meth:`clear` (the lock screen and quitting call it).

Content copied by another application is never touched. GUI thread only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

log = logging.getLogger(__name__)

DEFAULT_LIFETIME_MS = 120_000
SENSITIVE_HINTS: dict[str, bytes] = {
    "x-kde-passwordManagerHint": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"1",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
    "CanUploadToCloudClipboard": b"\x00\x00\x00\x00",
}
"""Formats that clipboard histories read as "do not record" (Klipper, Windows 10+)."""

_MARK = "x-mediadesk-guarded"
_IN_PROCESS_PLATFORMS = frozenset({"offscreen", "minimal"})


class ClipboardGuard(QObject):
    """Marks what this application copies as sensitive and removes it after use."""

    def __init__(self, parent: QObject | None = None,
                 lifetime_ms: int = DEFAULT_LIFETIME_MS) -> None:
        super().__init__(parent)
        self._clipboard: QClipboard = QGuiApplication.clipboard()
        self._text: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(lifetime_ms)
        self._timer.timeout.connect(self.clear)
        self._clipboard.dataChanged.connect(self._on_changed)

    @property
    def lifetime_ms(self) -> int:
        return self._timer.interval()

    def is_armed(self) -> bool:
        """True while a copy of ours waits to be cleared."""
        return self._timer.isActive()

    def clear(self) -> None:
        """Empty the clipboard if it still holds what this application copied."""
        self._timer.stop()
        if self._text is not None and self._owned_text() == self._text:
            self._clipboard.clear(QClipboard.Mode.Clipboard)
            log.info("clipboard cleared")
        self._text = None

    def stop(self) -> None:
        """Clear what is ours and stop watching the clipboard (the window that owns this guard
        is closing: the process-wide clipboard outlives it)."""
        self.clear()
        self._clipboard.dataChanged.disconnect(self._on_changed)

    def _owns(self) -> bool:
        # Platforms with an in-process clipboard only (offscreen, minimal) never report
        # ownership: whatever is on them was put there by this process.
        return (self._clipboard.ownsClipboard()
                or QGuiApplication.platformName() in _IN_PROCESS_PLATFORMS)

    def _owned_text(self) -> str | None:
        data = self._clipboard.mimeData(QClipboard.Mode.Clipboard)
        if data is None or not self._owns():
            return None
        return data.text()

    def _on_changed(self) -> None:
        data = self._clipboard.mimeData(QClipboard.Mode.Clipboard)
        if data is None or not self._owns():
            self._text = None  # another application's content: not ours to manage
            self._timer.stop()
            return
        if data.hasFormat(_MARK):
            return  # our own re-marking below
        text = data.text()
        if not text:
            return
        marked = QMimeData()
        for fmt in data.formats():
            marked.setData(fmt, data.data(fmt))
        marked.setText(text)
        for fmt, value in SENSITIVE_HINTS.items():
            marked.setData(fmt, value)
        marked.setData(_MARK, b"1")
        self._text = text
        self._clipboard.setMimeData(marked, QClipboard.Mode.Clipboard)
        self._timer.start()
