"""Scoring rules of the brief against a plain reference computation and hand-worked cases."""

import numpy as np
import pandas as pd
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.scoring.scores import (
    answer_counts,
    distribution,
    level_of,
    lowest_statements,
    statement_table,
    strongest_statements,
    summarize_codes,
    theme_table,
    weak_statements,
)
from tests.conftest import reference_summary


@pytest.mark.parametrize("score, label", [
    (1.0, "Inactief"), (1.49, "Inactief"), (1.5, "Startend"), (2.4999, "Startend"), (2.5, "Goed op weg"),
    (3.49, "Goed op weg"), (3.5, "Gevorderd"), (4.5, "Vergevorderd"), (5.0, "Vergevorderd"), (None, None)])
def test_level_bands(score, label, instrument):
    assert level_of(score, instrument) == label


def test_hand_worked_statement(instrument):
    # answers 2, 4, 5, unknown, missing -> mean of known (2+4+5)/3 = 3.667, Gevorderd
    codes = np.full((5, 24), -1, dtype=np.int8)
    codes[:, 0] = [2, 4, 5, 0, -1]
    row = statement_table(answer_counts(codes), instrument).iloc[0]
    assert (row.n_known, row.n_unknown, row.n_missing) == (3, 1, 1)
    assert row.score == pytest.approx(11 / 3) and row.level == "Gevorderd"
    assert (row.n_2, row.n_4, row.n_5, row.n_1) == (1, 1, 1, 0)


def test_theme_is_unweighted_mean_of_scored_statements(instrument):
    codes = np.full((4, 24), -1, dtype=np.int8)
    codes[:, 9] = [1, 1, 1, 1]      # statement 10: 1.0 from four answers
    codes[:1, 10] = [5]             # statement 11: 5.0 from one answer
    themes = theme_table(statement_table(answer_counts(codes), instrument), instrument).set_index("theme")
    assert themes.loc["Methodiek", "score"] == pytest.approx(3.0)  # not (4*1+5)/5 = 1.8
    assert np.isnan(themes.loc["Proces", "score"]) and themes.loc["Proces", "level"] is None


def test_weak_statements_lowest_first_ties_by_number():
    frame = pd.DataFrame({"id": [1, 2, 3, 4, 5], "score": [2.5, 3.0, 2.0, 2.5, np.nan]})
    assert weak_statements(frame, 3.0) == [3, 1, 4]
    assert weak_statements(frame, 3.01) == [3, 1, 4, 2]
    assert lowest_statements(frame, 2) == [3, 1]
    assert strongest_statements(frame, 2) == [2, 1]


def test_matches_reference_on_the_canonical_matrix(instrument):
    summary = summarize_codes(np.array(CANONICAL, dtype=np.int8), instrument)
    expected = reference_summary(CANONICAL)
    got = summary.statements.to_dict("records")
    for mine, ref in zip(got, expected["statements"]):
        for key in ("id", "theme", "n_known", "n_unknown", "n_missing", "level"):
            assert mine[key] == ref[key], (key, ref["id"])
        assert (ref["score"] is None and np.isnan(mine["score"])) or mine["score"] == pytest.approx(ref["score"])
    assert summary.weak == expected["weak_statements"]


@pytest.mark.parametrize("sizes, minimum, hidden", [
    ({"A": 10, "B": 8, "C": 2}, 5, {"C", "B"}),           # one small -> smallest other too
    ({"A": 10, "B": 8, "C": 8, "D": 2}, 5, {"D", "B"}),   # tie on size -> by name
    ({"A": 10, "B": 3, "C": 2}, 5, {"B", "C"}),           # two small that together reach the minimum
    ({"A": 1, "B": 2, "C": 10, "D": 10}, 5, {"A", "B", "C"}),  # two small below it together -> one more
    ({"A": 10, "B": 9}, 5, set()),
    ({"A": 4}, 5, {"A"}),                                  # nothing else to hide
    ({"A": 5, "B": 6}, 5, set()),                          # exactly the minimum is shown
])
def test_suppression(sizes, minimum, hidden, instrument):
    names = [name for name, n in sizes.items() for _ in range(n)]
    codes = np.full((len(names), 24), 3, dtype=np.int8)
    summary = summarize_codes(codes, instrument, pd.Series(names), "Team", min_group_size=minimum)
    assert {g.name for g in summary.groups if g.suppressed} == hidden
    reasons = {g.name: g.reason for g in summary.groups if g.suppressed}
    assert all((reasons[n] == "too_small") == (sizes[n] < minimum) for n in hidden)


def test_groups_show_counts_but_no_scores_when_suppressed(instrument):
    codes = np.array(CANONICAL, dtype=np.int8)
    summary = summarize_codes(codes, instrument, pd.Series(TEAMS), "Team", min_group_size=5)
    by_name = {g.name: g for g in summary.groups}
    assert {n: g.respondents for n, g in by_name.items()} == {"Cliëntenraad": 1, "Team Noord": 6, "Team Zuid": 5}
    assert by_name["Cliëntenraad"].suppressed and by_name["Team Zuid"].suppressed
    assert by_name["Cliëntenraad"].statements is None
    noord_rows = [row for row, team in zip(CANONICAL, TEAMS) if team == "Team Noord"]
    expected = reference_summary(noord_rows)
    got = by_name["Team Noord"].statements
    for ref in expected["statements"]:
        mine = got[got["id"] == ref["id"]].iloc[0]
        assert mine["n_known"] == ref["n_known"]
        if ref["score"] is not None:
            assert mine["score"] == pytest.approx(ref["score"])


def test_empty_group_values_form_their_own_group(instrument):
    codes = np.full((6, 24), 3, dtype=np.int8)
    summary = summarize_codes(codes, instrument, pd.Series(["A"] * 5 + [""]), "Team", min_group_size=1)
    assert [g.name for g in summary.groups] == ["(niet ingevuld)", "A"]


def test_distribution_shares_use_answered_respondents(instrument):
    codes = np.full((4, 24), -1, dtype=np.int8)
    codes[:, 0] = [3, 3, 0, -1]
    dist = distribution(statement_table(answer_counts(codes), instrument), instrument)
    first = dist[dist["id"] == 1].set_index("answer")
    assert first.loc["Goed op weg", "count"] == 2 and first.loc["Goed op weg", "share"] == pytest.approx(2 / 3)
    assert first.loc["Onbekend/n.v.t.", "count"] == 1
