from __future__ import annotations

from sqlalchemy import text

from mediadesk.services.views import HouseholdDraft
from mediadesk.services.workspace import Workspace
from mediadesk.store.search import FTS_TABLE


def test_a_healthy_store_has_no_problem(workspace: Workspace) -> None:
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Petit"))
    assert workspace.check() == []


def test_a_search_index_out_of_step_is_found(workspace: Workspace) -> None:
    workspace.dossiers.create_household(HouseholdDraft(name="Famille Petit"))
    with workspace.opened.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {FTS_TABLE}"))
    problems = workspace.check()
    assert any("search index" in p for p in problems)
