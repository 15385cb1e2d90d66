"""Fixtures for the client tests.

The tests against the servers need GOVREPORT_QUERY_ADDR (host:port of a query
server that has the development document ingested) and the gold file
(GOVREPORT_GOLD, default ../shared/data/reports/000_seed.jsonl beside the
repository); clients/run_client_tests sets both. Without them those tests
skip; the unit tests (test_client_unit.py) run anyway.
"""

from __future__ import annotations

import json
import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
DEFAULT_GOLD = REPO.parent / "shared" / "data" / "reports" / "000_seed.jsonl"

# The gold file's kinds: a plan (工作安排) figure is a target.
GOLD_KINDS = {"target": "TARGET", "plan": "TARGET", "achieved": "ACHIEVED"}


class Gold:
    """The hand-made answers for the development document (one JSON a line)."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path
        with path.open(encoding="utf-8") as f:
            self.rows = [json.loads(line) for line in f if line.strip()]

    def values(self, region_display_name, year, kind, subjects):
        """Gold values of one region, year and kind ("TARGET"/"ACHIEVED")
        whose subject is one of `subjects` (an indicator's names)."""
        return [
            row["value"]
            for row in self.rows
            if row["region"] == region_display_name
            and row["year"] == year
            and GOLD_KINDS.get(row["kind"]) == kind
            and row["subject"] in subjects
        ]

    def value(self, region_display_name, year, kind, subjects):
        """The one gold value; fails the test unless there is exactly one."""
        found = self.values(region_display_name, year, kind, subjects)
        assert len(found) == 1, (
            f"gold {self.path.name}: expected one {kind} value for "
            f"{region_display_name} {year} {sorted(subjects)}, found {found}"
        )
        return found[0]


@pytest.fixture(scope="session")
def query_addr() -> str:
    addr = os.environ.get("GOVREPORT_QUERY_ADDR")
    if not addr:
        pytest.skip("GOVREPORT_QUERY_ADDR is not set (clients/run_client_tests sets it)")
    return addr


@pytest.fixture(scope="session")
def client(query_addr):
    from govreport_client import Client

    with Client(query_addr, timeout=10.0) as c:
        yield c


@pytest.fixture(scope="session")
def gold() -> Gold:
    path = pathlib.Path(os.environ.get("GOVREPORT_GOLD", DEFAULT_GOLD))
    if not path.is_file():
        pytest.skip(f"gold file {path} is absent")
    return Gold(path)
