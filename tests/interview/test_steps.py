"""The six steps, their titles, and the purity of the interview package."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mediadesk.interview
from mediadesk.interview import Step, step_title


def test_the_six_steps_come_in_the_order_of_seed_004() -> None:
    assert [s.name for s in Step] == [
        "RECEPTION", "SITUATION", "OPTIONS", "SUPPLIER_LIAISON", "NEXT_STEP", "FOLLOW_UP"]
    assert [int(s) for s in Step] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(("step", "title"), [
    (Step.RECEPTION, "Accueil et présentation"),
    (Step.SITUATION, "Analyse de la situation et de l'autonomie"),
    (Step.OPTIONS, "Informer sur les solutions possibles"),
    (Step.SUPPLIER_LIAISON, "Rétablir la relation avec le fournisseur"),
    (Step.NEXT_STEP, "Conclure : le prochain pas"),
    (Step.FOLLOW_UP, "Le suivi"),
])
def test_each_step_has_a_french_title(step: Step, title: str) -> None:
    assert step_title(step) == title


def test_the_public_api_lists_only_names_that_exist() -> None:
    assert all(hasattr(mediadesk.interview, name) for name in mediadesk.interview.__all__)
    assert mediadesk.interview.__doc__ is not None
    assert mediadesk.interview.__doc__.startswith("The six-step interview as pure Python")


def test_importing_the_interview_pulls_in_no_qt_no_sql_and_no_network() -> None:
    code = (
        "import sys, mediadesk.interview\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'sqlalchemy', 'sqlcipher3', 'sqlite3', 'httpx', 'reportlab'}]\n"
        "assert not bad, bad\n"
        "local = [m for m in sys.modules if m.startswith('mediadesk.') and m.split('.')[1] "
        "not in {'interview', 'domain', 'i18n'}]\n"
        "assert not local, local\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
