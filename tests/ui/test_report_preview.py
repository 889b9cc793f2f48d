"""The in-app preview and printing of a PDF held in memory (PDFium, no temporary file)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mediadesk.services.reports import ReportService
from mediadesk.services.workspace import Workspace
from mediadesk.ui.report_preview import ZOOMS, ReportPreview, page_count, print_pdf, render_pages
from mediadesk.ui.tasks import TaskRunner

NOW = datetime(2027, 1, 10, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real activity report (several pages: figures, charts, annex)."""
    from mediadesk.services.workspace import create_workspace
    from mediadesk.store.keyslots import TEST_KDF

    path = tmp_path_factory.mktemp("preview") / "store.mdk"
    workspace: Workspace = create_workspace(path, "phrase de passe du test", user_name="Awa",
                                            kdf=TEST_KDF)
    try:
        return ReportService(workspace.opened.sessions, clock=lambda: NOW).render_funder(
            date(2027, 1, 1), date(2027, 1, 31))
    finally:
        workspace.close()


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def _printer(out: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return printer


def test_pages_are_rendered_from_memory_at_the_asked_scale(pdf: bytes) -> None:
    pages = page_count(pdf)
    assert pages == len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    small, large = render_pages(pdf, 1.0), render_pages(pdf, 2.0)
    assert len(small) == len(large) == pages
    assert abs(small[0].width() - 595) <= 1  # A4: 595 points wide
    assert abs(large[0].width() - 2 * small[0].width()) <= 2
    # not a blank page: the report's text darkens some pixels
    assert any(small[0].pixelColor(x, y).lightness() < 128
               for x in range(0, small[0].width(), 3) for y in range(0, 200, 3))


def test_the_preview_shows_every_page_and_zooms(qtbot: QtBot, runner: TaskRunner,
                                               pdf: bytes) -> None:
    preview = ReportPreview(pdf, "Rapport d'activité", runner, on_save=lambda: None)
    qtbot.addWidget(preview)
    preview.show_modal()
    qtbot.waitUntil(lambda: preview.page_total > 0, timeout=10_000)
    assert preview.page_total == preview.shown_pages() == page_count(pdf)
    assert preview.pages_label.text() == f"{page_count(pdf)} pages"
    assert preview.zoom_label.text() == "100 %"
    width = preview.images[0].width()
    with qtbot.waitSignal(preview.rendered, timeout=10_000):
        preview.zoom_in.click()
    assert preview.zoom_label.text() == "125 %"
    assert preview.images[0].width() > width
    for _step in ZOOMS:
        preview.zoom_out.click()
    assert preview.zoom_label.text() == "50 %" and not preview.zoom_out.isEnabled()


def test_the_save_button_is_only_there_when_saving_is_offered(
        qtbot: QtBot, runner: TaskRunner, pdf: bytes) -> None:
    clicked: list[bool] = []
    offered = ReportPreview(pdf, "R", runner, on_save=lambda: clicked.append(True))
    bare = ReportPreview(pdf, "R", runner)
    for dialog in (offered, bare):
        qtbot.addWidget(dialog)
        dialog.show_modal()
    assert offered.save_button.isVisible() and not bare.save_button.isVisible()
    offered.save_button.click()
    assert clicked == [True]


def test_printing_paints_every_page_on_the_printer(qtbot: QtBot, runner: TaskRunner,
                                                  pdf: bytes, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "imprime.pdf"
    monkeypatch.setattr(ReportPreview, "choose_printer",
                        staticmethod(lambda _p, _t, _n: _printer(out)))
    preview = ReportPreview(pdf, "Rapport", runner)
    qtbot.addWidget(preview)
    preview.show_modal()
    qtbot.waitUntil(lambda: preview.page_total > 0, timeout=10_000)
    with qtbot.waitSignal(preview.printed, timeout=20_000) as printed:
        preview.print_button.click()
    assert printed.args == [page_count(pdf)]
    assert len(PdfReader(out).pages) == page_count(pdf)
    assert "envoyées à l'imprimante" in preview.pages_label.text()


def test_a_page_range_prints_only_those_pages(pdf: bytes, tmp_path: Path,
                                             qtbot: QtBot) -> None:
    out = tmp_path / "page2.pdf"
    printer = _printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert print_pdf(pdf, printer) == 1
    assert len(PdfReader(out).pages) == 1


def test_a_cancelled_print_dialog_prints_nothing(qtbot: QtBot, runner: TaskRunner, pdf: bytes,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def cancelled(_parent: QWidget, _title: str, pages: int) -> None:
        asked.append(pages)

    monkeypatch.setattr(ReportPreview, "choose_printer", staticmethod(cancelled))
    preview = ReportPreview(pdf, "Rapport", runner)
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.page_total > 0, timeout=10_000)
    preview.print_button.click()
    assert asked == [page_count(pdf)]
    assert preview.print_button.isEnabled() and not runner.busy()
