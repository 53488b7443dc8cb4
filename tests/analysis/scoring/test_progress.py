"""Progress between rounds, against differences of the independent reference computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.scoring.progress import (
    TOTAL,
    change_interval,
    comparison_to_dict,
    comparison_to_table,
    earlier_rounds,
    group_trend_table,
    group_trends,
    largest_changes,
    round_labels,
    score_interval,
    statement_change,
    statement_progress,
    target_gaps,
    theme_progress,
    verdict,
)
from analysis.scoring.scores import summarize_codes
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


def test_twelve_spread_out_answers_show_no_clear_change(rounds):
    """Changed for issue 11: with 9 known answers a round and a spread of about 1.2, a change of 0.9 is within
    chance, so nothing is headlined as progress or decline."""
    change = statement_change(rounds["Voorjaar"], rounds["Najaar"])
    assert not change["significant"].any()
    improvements, declines = largest_changes(change)
    assert improvements.empty and declines.empty


@pytest.fixture(scope="module")
def big_rounds(instrument):
    """The same answers ten times over: the same changes, a spread known ten times as well."""
    a = summarize_codes(np.array(CANONICAL * 10, dtype=np.int8), instrument)
    b = summarize_codes(np.array(MATRIX_B * 10, dtype=np.int8), instrument)
    return {"Voorjaar": a, "Najaar": b}


def test_largest_improvements_and_declines(big_rounds):
    rounds = big_rounds
    change = statement_change(rounds["Voorjaar"], rounds["Najaar"])
    assert change.dropna(subset=["change"])["significant"].all()
    improvements, declines = largest_changes(change, n=3)
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


def test_comparison_json(rounds, big_rounds):
    data = comparison_to_dict("Voorjaar", rounds["Voorjaar"], "Najaar", rounds["Najaar"])
    expected = reference_changes()
    assert [s["id"] for s in data["statements"]] == list(range(1, 25))
    for item in data["statements"]:
        want = expected[item["id"]]
        assert item["change"] == (None if want is None else pytest.approx(want, abs=0.006))
        assert set(item) == {"id", "theme", "score_a", "score_b", "change", "change_low", "change_high", "significant"}
    assert data["largest_declines"] == [] and data["largest_improvements"] == []
    assert data["respondents"] == [12, 12]
    big = comparison_to_dict("Voorjaar", big_rounds["Voorjaar"], "Najaar", big_rounds["Najaar"])
    assert set(big["largest_declines"]) == {3, 7}
    assert all(s["significant"] for s in big["statements"] if s["change"] is not None)
    [three] = [s for s in big["statements"] if s["id"] == 3]
    assert three["change_low"] < three["change"] < three["change_high"] < 0


def hand_interval(first: list[int], last: list[int]) -> tuple[float, float, float]:
    """The brief's formula written out on plain lists: diff ± 1.96·sqrt(s1²/n1 + s2²/n2), s with n − 1."""
    def mean(xs):
        return sum(xs) / len(xs)

    def var(xs):
        return sum((x - mean(xs)) ** 2 for x in xs) / (len(xs) - 1)
    diff = mean(last) - mean(first)
    half = 1.96 * math.sqrt(var(first) / len(first) + var(last) / len(last))
    return diff, diff - half, diff + half


def counts_of(answers: list[int]) -> list[int]:
    return [answers.count(level) for level in range(1, 6)]


@pytest.mark.parametrize("first,last", [
    ([3, 3, 3, 3, 4], [3, 3, 3, 4, 4]),          # near-identical rounds: +0.2, no clear change
    ([1, 2, 2, 3, 2, 1], [4, 4, 5, 3, 4, 5, 4]),  # a clear rise
    ([5, 4, 5, 4], [2, 1, 2, 3]),                  # a clear fall
])
def test_change_interval_matches_the_formula_by_hand(first, last):
    change, low, high = change_interval(counts_of(first), counts_of(last))
    want = hand_interval(first, last)
    assert (change, low, high) == pytest.approx(want, abs=1e-3)


def test_change_interval_by_hand_numbers():
    # [3, 3, 3, 3, 4]: mean 3.2, s² = 0.2; [3, 3, 3, 4, 4]: mean 3.4, s² = 0.3; se = sqrt(0.04 + 0.06) = 0.3162
    change, low, high = change_interval(counts_of([3, 3, 3, 3, 4]), counts_of([3, 3, 3, 4, 4]))
    assert change == pytest.approx(0.2)
    assert (low, high) == pytest.approx((0.2 - 1.96 * 0.316228, 0.2 + 1.96 * 0.316228), abs=1e-3)
    assert low < 0 < high  # not a change to headline


def test_too_few_answers_have_no_interval():
    assert change_interval(counts_of([3]), counts_of([4, 5, 4])) is None
    assert score_interval(counts_of([4])) is None
    assert score_interval([0, 0, 0, 0, 0]) is None


def test_score_interval_by_hand():
    # [2, 3, 4, 3]: mean 3, s² = 2/3, se = sqrt(2/3 / 4) = 0.4082
    low, high = score_interval(counts_of([2, 3, 4, 3]))
    assert (low, high) == pytest.approx((3 - 1.96 * 0.408248, 3 + 1.96 * 0.408248), abs=1e-3)
    # A score from 40 answers is narrower than the same spread from 4.
    wide = score_interval(counts_of([2, 3, 4, 3]))
    narrow = score_interval(counts_of([2, 3, 4, 3] * 10))
    assert narrow[1] - narrow[0] < (wide[1] - wide[0]) / 2
    # Kept within the scale.
    assert score_interval(counts_of([5, 5, 5, 4]))[1] <= 5.0


def test_score_interval_of_a_checklist_item():
    # Nee = 0, Ja = 1: [0, 1, 1, 1]: mean 0.75, s² = 0.25, se = 0.25
    low, high = score_interval([1, 3], values=(0.0, 1.0))
    assert (low, high) == pytest.approx((max(0.0, 0.75 - 1.96 * 0.25), min(1.0, 0.75 + 1.96 * 0.25)), abs=1e-3)


def test_near_identical_rounds_headline_nothing(instrument):
    """The issue's case: +0.05 between two near-identical rounds is no 'Grootste vooruitgang'."""
    rng = np.random.default_rng(7)
    base = rng.integers(1, 6, size=(40, 24)).astype(np.int8)
    later_round = base.copy()
    later_round[0, :] = np.minimum(5, later_round[0, :] + 2)  # one respondent a little more positive
    change = statement_change(summarize_codes(base, instrument), summarize_codes(later_round, instrument))
    assert change["change"].max() == pytest.approx(0.05)
    improvements, declines = largest_changes(change)
    assert improvements.empty and declines.empty
    assert {verdict(row) for _, row in change.iterrows()} == {"geen duidelijke verandering"}
    assert "Grootste vooruitgang: geen duidelijke verandering" in comparison_to_table(
        comparison_to_dict("A", summarize_codes(base, instrument), "B", summarize_codes(later_round, instrument)))


def test_earlier_rounds_offers_only_rounds_measured_before(instrument):
    from analysis.rounds import RoundInfo

    def info(rid, org, date, instrument_id="quickscan-dsb"):
        return RoundInfo(round_id=rid * 32, organisation=org, name=f"R{rid}", date=date, instrument_id=instrument_id,
                         respondents=10)
    current = info("c", "Gemeente A", "2025-06-01")
    rounds = [info("a", "Gemeente A", "2025-01-01"), info("b", "Gemeente B", "2025-02-01"),
              info("d", "Gemeente A", "2025-09-01"), info("e", "Gemeente A", "2025-03-01", "wijkteams"),
              info("f", "Gemeente A", "2025-05-01"), current]
    earlier = earlier_rounds(rounds, current)
    # Same organisation first (latest first), then other organisations; never later, never itself,
    # never another instrument.
    assert [r.round_id[0] for r in earlier] == ["f", "a", "b"]


def test_round_labels_use_dutch_dates():
    from analysis.rounds import RoundInfo
    infos = [RoundInfo(round_id="a" * 32, organisation="O", name="Voorjaar 2025", date="2025-04-07",
                       instrument_id="quickscan-dsb", respondents=40)]
    assert round_labels(infos) == ["Voorjaar 2025 (7 april 2025)"]


def test_rounds_of_different_instruments_are_refused(rounds):
    from dataclasses import replace
    other = replace(rounds["Najaar"], instrument=replace(rounds["Najaar"].instrument, id="wijkteams"))
    with pytest.raises(ValueError, match="verschillende instrumenten"):
        theme_progress({"a": rounds["Voorjaar"], "b": other})
