"""Overview data: focus statements, next steps and the group comparison tables."""

import numpy as np
import pandas as pd
import pytest

from analysis.scoring.overview import difference_table, group_scores, next_steps, statement_focus
from analysis.scoring.scores import summarize_codes


def _summary(instrument):
    # Group A (6 people) answers 4 on statement 1, group B (5) answers 2, group C (1) answers 5.
    codes = np.full((12, 24), 3, dtype=np.int8)
    codes[:6, 0], codes[6:11, 0], codes[11, 0] = 4, 2, 5
    groups = pd.Series(["A"] * 6 + ["B"] * 5 + ["C"])
    return summarize_codes(codes, instrument, groups, "team", min_group_size=5)


def test_differences_against_the_whole_organisation(instrument):
    summary = _summary(instrument)
    scores = group_scores(summary)
    overall_1 = (6 * 4 + 5 * 2 + 5) / 12
    a1 = scores[(scores["group"] == "A") & (scores["id"] == 1)].iloc[0]
    assert a1["difference"] == pytest.approx(4 - overall_1)
    hidden = scores[scores["suppressed"]]
    assert set(hidden["group"]) == {"B", "C"}  # C too small, B the smallest other: complementary
    assert hidden["score"].isna().all() and hidden["difference"].isna().all()
    table = difference_table(scores)
    assert table.loc["Stelling 1", "A"] == f"{4 - overall_1:+.2f}".replace(".", ",")
    assert set(table["C"]) == {"te weinig respondenten (n<5)"}
    assert set(table["B"]) == {"verborgen om een kleine groep te beschermen"}


def test_focus_gives_the_next_level_description(instrument):
    summary = _summary(instrument)
    focus = statement_focus(summary, 2)  # everyone answered 3
    assert focus["level"] == "Goed op weg" and focus["next_level"] == "Gevorderd"
    assert focus["next_description"] == instrument.statement(2).level_description(4)


def test_next_steps_fall_back_to_the_lowest_three(instrument):
    summary = _summary(instrument)
    items, weak = next_steps(summary)
    assert not weak and [i["id"] for i in items] == [2, 3, 4]  # all 3.0, ties by number; 1 scores higher
