"""Printed documents on a 50,000-household encrypted demo store.

- the activity report (figures counted from the store, then the PDF) for the year ending at the
  store's latest finished interview: 5 runs after one warm-up, target <= 5 s;
- a dossier summary and a next-step sheet (data + PDF) for 20 households that had a finished
  interview (seeded pick), after 3 warm-ups: p50/p95, target <= 300 ms each.

Usage: python bench/bench_reports.py [--households 50000] [--store PATH] [--runs 20]
Final line: JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench_demo import demo_workspace, percentile
from mediadesk.domain.enums import InterviewStatus
from mediadesk.services.reports import ReportService, render_funder_data
from mediadesk.store.models import Interview

ACTIVITY_TARGET_S = 5.0
DOCUMENT_TARGET_MS = 300.0


def _ms(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(values, 0.5), 1),
            "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    workspace = demo_workspace(args.households, args.store)
    try:
        sessions = workspace.opened.sessions
        with sessions() as session:
            last = session.scalar(select(func.max(Interview.started_at))
                                  .where(Interview.status == InterviewStatus.DONE))
            households = sorted(set(session.scalars(
                select(Interview.household_id).where(Interview.status == InterviewStatus.DONE))))
        end = (last or datetime.now(UTC)).date()
        start = end - timedelta(days=364)
        reports = ReportService(sessions)

        reports.render_funder(start, end)  # warm-up
        activity: list[float] = []
        counted: list[float] = []
        for _run in range(5):
            began = time.perf_counter()
            data = reports.funder_data(start, end)
            counted.append(time.perf_counter() - began)
            render_funder_data(data)
            activity.append(time.perf_counter() - began)
        interviews = next(f.total for f in data.figures if f.code == "interviews")

        picks = random.Random(2026).sample(households, min(args.runs + 3, len(households)))
        timings: dict[str, list[float]] = {"dossier": [], "sheet": []}
        for index, household in enumerate(picks):
            for kind, render in (("dossier", reports.render_dossier),
                                 ("sheet", reports.render_sheet)):
                began = time.perf_counter()
                render(household)
                if index >= 3:
                    timings[kind].append((time.perf_counter() - began) * 1000)
    finally:
        workspace.close()

    result = {
        "bench": "reports", "households": args.households,
        "period": [start.isoformat(), end.isoformat()], "interviews_in_period": interviews,
        "activity_s": {"p50": round(percentile(activity, 0.5), 2),
                       "max": round(max(activity), 2),
                       "counting_p50": round(percentile(counted, 0.5), 2)},
        "activity_target_s": ACTIVITY_TARGET_S,
        "dossier": _ms(timings["dossier"]), "sheet": _ms(timings["sheet"]),
        "document_target_ms": DOCUMENT_TARGET_MS,
    }
    result["met"] = (result["activity_s"]["max"] <= ACTIVITY_TARGET_S
                     and all(result[k]["p95_ms"] <= DOCUMENT_TARGET_MS
                             for k in ("dossier", "sheet")))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
