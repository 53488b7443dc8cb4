"""Progress between rounds, against differences of the independent reference computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.progress import (
    TOTAL,
    comparison_to_dict,
    group_trend_table,
    group_trends,
    largest_changes,
    statement_change,
    statement_progress,
    target_gaps,
    theme_progress,
)
from analysis.scoring import summarize_codes
from tests.conftest import reference_summary


def later(code: int, statement: int) -> int:
    """Round B: every known answer a level higher, except statements 3 and 7, which fall back."""
    if code <= 0:
        return code
    return max(1, code - 1) if statement in (3, 7) else min(5, code + 1)


MATRIX_B = [[later(c, s) for s, c in enumerate(row, start=1)] for row in CANONICAL]
TEAMS_B = ["Team Noord"] * 6 + ["Team Zuid"] * 6


@pytest.fixture(scope="module")
def rounds(instrument):
    a = summarize_codes(np.array(CANONICAL, dtype=np.int8), instrument, pd.Series(TEAMS), "Team")
    b = summarize_codes(np.array(MATRIX_B, dtype=np.int8), instrument, pd.Series(TEAMS_B), "Team")
    return {"Voorjaar": a, "Najaar": b}


def reference_changes():
    before, after = reference_summary(CANONICAL), reference_summary(MATRIX_B)
    return {s["id"]: (None if s["score"] is None else t["score"] - s["score"])
            for s, t in zip(before["statements"], after["statements"])}


def test_statement_change_matches_the_reference(rounds):
    change = statement_change(rounds["Voorjaar"], rounds["Najaar"])
    expected = reference_changes()
    for row in change.itertuples():
        if expected[row.id] is None:
            assert math.isnan(row.change)
        else:
            assert row.change == pytest.approx(expected[row.id])
    scored = [c for c in change["change"] if not math.isnan(c)]
    assert scored == sorted(scored, reverse=True)
    assert change["id"].iloc[-1] == 24  # geen oordeel in both rounds: no change, listed last


def test_largest_improvements_and_declines(rounds):
    improvements, declines = largest_changes(statement_change(rounds["Voorjaar"], rounds["Najaar"]), n=3)
    expected = {k: v for k, v in reference_changes().items() if v is not None}
    rising = sorted((i for i in expected if expected[i] > 0), key=lambda i: (-expected[i], i))[:3]
    assert improvements["id"].tolist() == rising
    assert declines["id"].tolist() == sorted((i for i in expected if expected[i] < 0), key=lambda i: (expected[i], i))
    assert set(declines["id"]) == {3, 7}


def test_theme_progress_is_tidy_per_round(rounds):
    themes = theme_progress(rounds)
    assert themes["round"].tolist() == ["Voorjaar"] * 4 + ["Najaar"] * 4
    reference = reference_summary(MATRIX_B)["themes"]
    najaar = themes[themes["round"] == "Najaar"]
    assert najaar["score"].tolist() == pytest.approx([t["score"] for t in reference])
    assert len(statement_progress(rounds)) == 48


def test_group_trends_apply_the_minimum_size_per_round(rounds):
    trends = group_trends(rounds)
    total = trends[trends["theme"] == TOTAL].set_index(["group", "round"])
    # Voorjaar: Cliëntenraad (1) is too small, so the smallest other group (Zuid, 5) is hidden too.
    zuid_before = total.loc[("Team Zuid", "Voorjaar")]
    assert zuid_before["suppressed"] and math.isnan(zuid_before["score"])
    assert total.loc[("Cliëntenraad", "Voorjaar"), "suppressed"]
    # Najaar: Zuid has 6 respondents and is shown.
    zuid_rows = [r for r, t in zip(MATRIX_B, TEAMS_B) if t == "Team Zuid"]
    themes = [t["score"] for t in reference_summary(zuid_rows)["themes"] if t["score"] is not None]
    assert total.loc[("Team Zuid", "Najaar"), "score"] == pytest.approx(sum(themes) / len(themes))
    table = group_trend_table(trends)
    # Zuid (5) is hidden in the spring only to protect the Cliëntenraad (1): the label says so, not "te weinig".
    assert table.loc["Team Zuid", "Voorjaar"] == "verborgen om een kleine groep te beschermen"
    shown = table.loc["Team Zuid", "Najaar"]
    assert shown.endswith("(n=6)") and "verborgen" not in shown and "te weinig" not in shown
    assert table.loc["Cliëntenraad", "Najaar"] == "niet in deze ronde"
    assert list(table.columns) == ["Voorjaar", "Najaar"]


def test_target_gaps(rounds):
    latest = rounds["Najaar"]
    scores = dict(zip(latest.themes["theme"], latest.themes["score"]))
    gaps = target_gaps(latest, {"Competenties": 4.0, "Proces": 1.0}).set_index("theme")
    assert gaps.loc["Competenties", "gap"] == pytest.approx(max(0.0, 4.0 - scores["Competenties"]))
    assert gaps.loc["Proces", "gap"] == 0 and gaps.loc["Proces", "reached"]
    assert math.isnan(gaps.loc["Methodiek", "target"]) and not gaps.loc["Methodiek", "reached"]


def test_comparison_json(rounds):
    data = comparison_to_dict("Voorjaar", rounds["Voorjaar"], "Najaar", rounds["Najaar"])
    expected = reference_changes()
    assert [s["id"] for s in data["statements"]] == list(range(1, 25))
    for item in data["statements"]:
        want = expected[item["id"]]
        assert item["change"] == (None if want is None else pytest.approx(want, abs=0.006))
    assert set(data["largest_declines"]) == {3, 7}
    assert data["respondents"] == [12, 12]


def test_rounds_of_different_instruments_are_refused(rounds):
    from dataclasses import replace
    other = replace(rounds["Najaar"], instrument=replace(rounds["Najaar"].instrument, id="wijkteams"))
    with pytest.raises(ValueError, match="verschillende instrumenten"):
        theme_progress({"a": rounds["Voorjaar"], "b": other})
