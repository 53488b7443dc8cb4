"""Shared test helpers: paths and the independent reference computation of the brief's rules."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "sample_data"
sys.path.insert(0, str(FIXTURES))

BANDS = [(1.5, "Inactief"), (2.5, "Startend"), (3.5, "Goed op weg"), (4.5, "Gevorderd"), (99, "Vergevorderd")]
THEME_OF = {**{i: "Competenties" for i in range(1, 10)}, **{i: "Methodiek" for i in range(10, 13)},
            **{i: "Randvoorwaarden" for i in range(13, 20)}, **{i: "Proces" for i in range(20, 25)}}


def reference_level(score):
    if score is None:
        return None
    return next(label for bound, label in BANDS if score < bound)


def reference_summary(matrix: list[list[int]], threshold: float = 3.0) -> dict:
    """The brief's rules written out plainly on a list-of-lists answer matrix."""
    statements = []
    for j, statement_id in enumerate(range(1, 25)):
        column = [row[j] for row in matrix]
        known = [c for c in column if c > 0]
        score = sum(known) / len(known) if known else None
        statements.append({"id": statement_id, "theme": THEME_OF[statement_id], "n_known": len(known),
                           "n_unknown": column.count(0), "n_missing": column.count(-1),
                           "score": score, "level": reference_level(score)})
    themes = []
    for theme in ["Competenties", "Methodiek", "Randvoorwaarden", "Proces"]:
        scores = [s["score"] for s in statements if s["theme"] == theme and s["score"] is not None]
        score = sum(scores) / len(scores) if scores else None
        themes.append({"theme": theme, "score": score, "level": reference_level(score)})
    weak = sorted((s for s in statements if s["score"] is not None and s["score"] < threshold),
                  key=lambda s: (s["score"], s["id"]))
    return {"instrument": "quickscan-dsb", "respondents": len(matrix), "statements": statements, "themes": themes,
            "weak_statements": [s["id"] for s in weak]}


def rounded(summary: dict) -> dict:
    """Scores rounded to two decimals, as the command line prints them."""
    def fix(items):
        return [{**item, "score": None if item["score"] is None else round(item["score"], 2)} for item in items]
    return {**summary, "statements": fix(summary["statements"]), "themes": fix(summary["themes"])}


@pytest.fixture(scope="session")
def instrument():
    from analysis.instrument import get_instrument

    return get_instrument()


@pytest.fixture(autouse=True)
def isolated_round_store(tmp_path, monkeypatch):
    """No test reads or writes the rounds of the person running the tests."""
    from analysis.store.database import forget_open_databases

    directory = tmp_path / "meetrondes"
    monkeypatch.setenv("QUICKSCAN_DATA_DIR", str(directory))
    monkeypatch.delenv("QUICKSCAN_DATABASE_URL", raising=False)
    yield directory
    forget_open_databases()  # no pooled connection outlives its test's folder


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for this test session (Debian's binaries); skipped only outside CI."""
    from tests.pg_server import start_server

    server = start_server()
    if server is None:
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is vereist (REQUIRE_POSTGRES) maar niet geïnstalleerd: "
                        "scripts/install_postgresql.sh")
        pytest.skip("Debian's postgresql is niet geïnstalleerd (scripts/install_postgresql.sh)")
    yield server
    server.stop()


def pytest_configure(config):
    """The instrument cache (analysis.instrument.cache_dir) of this test run in a folder of its own, also for the
    servers the browser tests start: a test run leaves nothing in the cache of the person running it."""
    config.quickscan_cache = tempfile.mkdtemp(prefix="quickscan-test-cache-")
    os.environ["XDG_CACHE_HOME"] = config.quickscan_cache


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "quickscan_cache", ""), ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """test.sh runs the suite on two pytest-xdist workers (--dist loadgroup); the browser tests stay together on
    one of them, one after another: each drives a dashboard server and Chromium, and two such flows at once on a
    2-core machine time each other out. First among the hooks (tryfirst), so that pytest-xdist's own hook, which
    reads the xdist_group marker, sees it. pytest is pinned below 9: pytest 9.2 no longer reads the node id that
    xdist renames to group a test, and the browser tests ran on both workers (tests/browser/test_grouping.py)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
