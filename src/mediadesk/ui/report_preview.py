"""In-app preview and printing of a PDF held in memory (PySide6-Essentials has no QtPdf).

Pages are rasterised by PDFium (pypdfium2) straight from the bytes — never from a temporary
file, the document holds personal data — into `QImage`s on the task runner's parallel lane, then
shown one under the other in a scroll area, with the page count and a zoom. "Imprimer…" opens
Qt's print dialog; the pages are then rendered at the printer's resolution (at most
`PRINT_DPI_MAX`: a 1200 dpi A4 page would need half a gigabyte) and painted onto the `QPrinter`,
off the GUI thread too (Qt supports painting on a QPrinter from a worker thread).

PDFium is not thread-safe: every call into it holds `_PDFIUM`.
Thread: the dialog is GUI only; `page_count`, `render_pages` and `print_pdf` run anywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pypdfium2  # type: ignore[import-untyped]
import shiboken6
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _, ngettext
from mediadesk.ui.dialogs import ModalDialog
from mediadesk.ui.errors import log_unexpected
from mediadesk.ui.tasks import Lane, TaskRunner, TaskState

PRINT_DPI_MAX = 300
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # 200 %: about 14 MB a page already
_PDFIUM = threading.Lock()


class PrintCancelled(Exception):
    """Printing stopped before the last page (the job was aborted)."""


@contextmanager
def _document(pdf: bytes) -> Iterator[pypdfium2.PdfDocument]:
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            yield document
        finally:
            document.close()


def page_count(pdf: bytes) -> int:
    """The number of pages of ``pdf``. Raises pypdfium2.PdfiumError (not a PDF)."""
    with _document(pdf) as document:
        return len(document)


def _image(page: pypdfium2.PdfPage, scale: float) -> QImage:
    # RGB, 3 bytes a pixel: Qt's PDF and print engines embed it a third faster than RGBX.
    bitmap = page.render(scale=scale, rev_byteorder=True)
    try:
        # A view on PDFium's buffer (no copy), then one copy the image owns: the buffer goes
        # away with the bitmap.
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_RGB888)
        return image.copy()
    finally:
        bitmap.close()


def render_pages(pdf: bytes, scale: float, state: TaskState | None = None,
                 pages: range | None = None) -> list[QImage]:
    """The pages of ``pdf`` (all, or ``pages``: 0-based) as images, ``scale`` pixels per PDF
    point (72 per inch). Stops early, returning what was rendered, when ``state`` is
    cancelled."""
    images: list[QImage] = []
    with _document(pdf) as document:
        wanted = pages if pages is not None else range(len(document))
        for done, index in enumerate(wanted, start=1):
            if state is not None and state.cancelled():
                break
            page = document[index]
            try:
                images.append(_image(page, scale))
            finally:
                page.close()
            if state is not None:
                state.progress(done, len(wanted))
    return images


def print_pdf(pdf: bytes, printer: QPrinter, state: TaskState | None = None) -> int:
    """Paint the pages of ``pdf`` (the range chosen in the print dialog, else all) onto
    ``printer``, each fitted to the paper keeping its proportions. Returns the number of pages
    printed. Raises PrintCancelled (the job is aborted), OSError (the printer or file could
    not be opened)."""
    total = page_count(pdf)
    first, last = 0, total - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(0, printer.fromPage() - 1)
        last = min(total - 1, printer.toPage() - 1 if printer.toPage() > 0 else total - 1)
    wanted = range(first, last + 1)
    printer.setFullPage(True)  # the documents carry their own margins
    dpi = min(printer.resolution(), PRINT_DPI_MAX)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("L'imprimante n'a pas pu être ouverte."))
    printed = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        for index in wanted:
            if state is not None and state.cancelled():
                printer.abort()
                raise PrintCancelled()
            if printed and not printer.newPage():
                raise OSError(_("L'imprimante a refusé une nouvelle page."))
            image = render_pages(pdf, dpi / 72, pages=range(index, index + 1))[0]
            fitted = QSize(image.width(), image.height()).scaled(
                paper.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(paper.x() + (paper.width() - fitted.width()) / 2,
                            paper.y() + (paper.height() - fitted.height()) / 2,
                            fitted.width(), fitted.height())
            painter.drawImage(target, image)
            printed += 1
            if state is not None:
                state.progress(printed, len(wanted))
    finally:
        painter.end()
    return printed


class ReportPreview(ModalDialog):
    """A document's pages, scrollable, with zoom, "Imprimer…" and "Enregistrer en PDF…".

    ``on_save`` is called when "Enregistrer en PDF…" is clicked (the caller asks where and
    with which password). Signals: ``rendered(pages)`` once the pages are shown,
    ``printed(pages)`` once a print job is done."""

    rendered = Signal(int)
    printed = Signal(int)

    def __init__(self, pdf: bytes, title: str, runner: TaskRunner, parent: QWidget | None = None,
                 on_save: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Aperçu : {title}").format(title=title))
        self._pdf = pdf
        self._title = title
        self._runner = runner
        self._key = f"preview-{id(self)}"
        self.zoom = ZOOMS.index(1.0)
        self.page_total = 0
        self.images: list[QImage] = []

        self.zoom_out = QPushButton(_("Zoom arrière"), self)
        self.zoom_in = QPushButton(_("Zoom avant"), self)
        self.zoom_label = QLabel(self)
        self.pages_label = QLabel(_("Préparation de l'aperçu…"), self)
        self.print_button = QPushButton(_("Imprimer…"), self)
        self.save_button = QPushButton(_("Enregistrer en PDF…"), self)
        self.close_button = QPushButton(_("Fermer"), self)
        self.zoom_out.clicked.connect(lambda: self.set_zoom(self.zoom - 1))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(self.zoom + 1))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.setVisible(on_save is not None)
        if on_save is not None:
            self.save_button.clicked.connect(on_save)
        self.close_button.clicked.connect(self.reject)
        for keys, slot in ((QKeySequence.StandardKey.ZoomIn, self.zoom_in.click),
                           (QKeySequence.StandardKey.ZoomOut, self.zoom_out.click),
                           (QKeySequence.StandardKey.Print, self.print_button.click)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

        self.pages = QWidget(self)
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setSpacing(12)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setStyleSheet("QScrollArea { background: #808080; }")

        bar = QHBoxLayout()
        for widget in (self.zoom_out, self.zoom_label, self.zoom_in):
            bar.addWidget(widget)
        bar.addSpacing(16)
        bar.addWidget(self.pages_label, 1)
        for widget in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        self.resize(900, 860)
        self.set_zoom(self.zoom)

    # --- pages ------------------------------------------------------------------------

    def _scale(self) -> float:
        return ZOOMS[self.zoom] * self.logicalDpiX() / 72 * self.devicePixelRatioF()

    def set_zoom(self, index: int) -> None:
        """Zoom to ``ZOOMS[index]`` (clamped) and render the pages again, off the GUI thread."""
        self.zoom = max(0, min(len(ZOOMS) - 1, index))
        self.zoom_label.setText(f"{round(ZOOMS[self.zoom] * 100)} %")
        self.zoom_out.setEnabled(self.zoom > 0)
        self.zoom_in.setEnabled(self.zoom < len(ZOOMS) - 1)
        pdf, scale = self._pdf, self._scale()
        self._runner.submit(self._key, lambda state: render_pages(pdf, scale, state),
                            lane=Lane.PARALLEL, on_done=self._show_pages,
                            on_error=self._render_failed)

    def _show_pages(self, images: list[QImage]) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        ratio = self.devicePixelRatioF()
        for number, image in enumerate(images, start=1):
            image.setDevicePixelRatio(ratio)
            page = QLabel(self.pages)
            page.setPixmap(QPixmap.fromImage(image))
            page.setAccessibleName(_("Page {number}").format(number=number))
            page.setStyleSheet("background: white;")
            self.pages_layout.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
        self.images = images
        self.page_total = len(images)
        self.pages_label.setText(ngettext("{count} page", "{count} pages",
                                          self.page_total).format(count=self.page_total))
        self.rendered.emit(self.page_total)

    def _render_failed(self, error: BaseException) -> None:
        log_unexpected(error, "preview rendering failed")
        self.pages_label.setText(_("L'aperçu n'a pas pu être affiché."))

    def shown_pages(self) -> int:
        """How many page images the dialog shows."""
        return sum(1 for label in self.pages.findChildren(QLabel)
                   if label.pixmap() is not None and not label.pixmap().isNull())

    # --- printing ---------------------------------------------------------------------

    @classmethod
    def choose_printer(cls, parent: QWidget, title: str, pages: int) -> QPrinter | None:
        """Qt's print dialog; the printer chosen, or None when cancelled (tests replace it)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setFromTo(1, max(1, pages))
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(_("Imprimer : {title}").format(title=title))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, max(1, pages))
        accepted = dialog.exec() == QPrintDialog.DialogCode.Accepted.value
        dialog.deleteLater()
        return printer if accepted else None

    def print_document(self) -> None:
        """Ask for a printer, then print the pages off the GUI thread."""
        start_printing(self, self._runner, self._pdf, self._title, self.page_total,
                       status=self.pages_label.setText,
                       done=lambda pages: self.printed.emit(pages),
                       buttons=(self.print_button,))

    # --- closing ----------------------------------------------------------------------

    def done(self, result: int) -> None:
        self._runner.cancel(self._key)  # a print job under way goes on to its end
        self.images = []
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._runner.cancel(self._key)
        super().closeEvent(event)


def start_printing(parent: QWidget, runner: TaskRunner, pdf: bytes, title: str, pages: int,
                   *, status: Callable[[str], None], done: Callable[[int], None] | None = None,
                   buttons: tuple[QPushButton, ...] = ()) -> None:
    """Ask for a printer with `ReportPreview.choose_printer` and print ``pdf`` on the parallel
    lane; ``status`` gets the French messages (progress, done, failed). Thread: GUI."""
    printer = ReportPreview.choose_printer(parent, title, pages)
    if printer is None:
        return
    for button in buttons:
        button.setEnabled(False)
    status(_("Impression en cours…"))

    def work(state: TaskState) -> int:
        return print_pdf(pdf, printer, state)

    def alive() -> bool:
        return shiboken6.isValid(parent)

    def finished(count: int) -> None:
        if not alive():
            return
        for button in buttons:
            button.setEnabled(True)
        status(ngettext("{count} page envoyée à l'imprimante.",
                        "{count} pages envoyées à l'imprimante.", count).format(count=count))
        if done is not None:
            done(count)

    def failed(error: BaseException) -> None:
        if not alive():
            return
        for button in buttons:
            button.setEnabled(True)
        if isinstance(error, PrintCancelled):
            status(_("Impression annulée."))
        elif isinstance(error, OSError):
            status(_("L'impression a échoué : {reason}").format(reason=error))
        else:
            log_unexpected(error, "printing failed")
            status(_("L'impression a échoué."))

    def progressed(count: int, total: int) -> None:
        if alive():
            status(_("Impression : page {done} sur {total}…").format(done=count, total=total))

    runner.submit(f"print-{id(printer)}", work, lane=Lane.PARALLEL, on_done=finished,
                  on_error=failed, on_progress=progressed)
