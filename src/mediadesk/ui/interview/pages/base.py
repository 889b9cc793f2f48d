"""What every step page shares: its title and help line, a scrolling body, groups of fields.

A page builds its inputs and binds them to answer keys through the wizard's `Form`; it never
saves anything itself. ``refresh(state, today)`` updates what is derived from the answers
(the autonomy level, the suggestions, the consent gating...) and is called after every edit.
Thread: GUI only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediadesk.i18n import _
from mediadesk.interview import InterviewState, Step, step_title
from mediadesk.ui.interview.bindings import Form
from mediadesk.ui.widgets import heading, muted

INFO_STYLE = ("QLabel { background: #e8f0fe; border: 1px solid #aecbfa; border-radius: 4px;"
              " padding: 6px; }")
WARNING_STYLE = ("QLabel { background: #fef7e0; border: 1px solid #f9cc62; border-radius: 4px;"
                 " padding: 6px; }")


def form_group(title: str, parent: QWidget) -> tuple[QGroupBox, QFormLayout]:
    """A titled group holding a two-column form (captions right-aligned... left in French)."""
    box = QGroupBox(title, parent)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setVerticalSpacing(4)
    return box, form


def box_label(text: str, style: str, parent: QWidget) -> QLabel:
    """A framed, word-wrapped note (information or warning)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class StepPage(QWidget):
    """One step of the wizard. Signal: ``focus_requested(key, index)``: show the input of an
    answer key (row ``index`` of a list, or None), maybe on another step (a link such as "go to
    the consents")."""

    focus_requested = Signal(str, object)
    step: Step = Step.RECEPTION
    help_text = ""  # French source text, marked with N_

    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.title = heading(_("{number}. {title}").format(
            number=int(self.step), title=step_title(self.step)), scale=1.3, parent=self)
        self.help = muted(_(self.help_text) if self.help_text else "", self)
        self.help.setVisible(bool(self.help_text))
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its inputs take the focus
        self.body = QWidget(self.scroller)
        self.scroller.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.help)
        layout.addWidget(self.scroller, 1)
        self.build(self.body)

    def build(self, body: QWidget) -> None:
        """Create the inputs in ``body`` and bind them (subclasses)."""
        raise NotImplementedError

    def refresh(self, state: InterviewState, today: date) -> None:
        """Update what is derived from the answers (subclasses, when they show any)."""

    def first_input(self) -> QWidget | None:
        """Where the focus goes when the step is entered from the keyboard."""
        return None
