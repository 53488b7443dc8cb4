"""Sidebar filters: the selected respondents' numbers, and no back door to small groups."""

from __future__ import annotations

import numpy as np
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.filters import (
    apply_filters,
    describe_filters,
    filter_columns,
    groups_revealed_by_filter,
    selection_mask,
    selection_problem,
)
from analysis.ingest import ingest_bytes, ingest_file
from analysis.summary import summarize, summary_to_dict
from tests.conftest import SAMPLES, reference_summary, rounded

# Team Noord: 5 klantmanagers and 1 teamleider; Team Zuid: 5 werkcoaches; Cliëntenraad: 1 lid.
FUNCTIONS = ["Klantmanager"] * 5 + ["Teamleider"] + ["Werkcoach"] * 5 + ["Lid"]


def export(matrix=CANONICAL, teams=TEAMS, functions=FUNCTIONS) -> bytes:
    header = "Id,Team,Functie," + ",".join(f"Stelling {i}" for i in range(1, 25))
    rows = [header]
    for number, (codes, team, function) in enumerate(zip(matrix, teams, functions), start=1):
        cells = ["" if c == -1 else ("Onbekend" if c == 0 else str(c)) for c in codes]
        rows.append(f"R{number},{team},{function}," + ",".join(cells))
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture(scope="module")
def dataset():
    return ingest_bytes(export(), "export.csv")


def test_filter_columns_skip_ids_and_constant_columns():
    sample = ingest_file(SAMPLES / "quickscan_voorbeeld.xlsx")
    columns = filter_columns(sample)
    assert set(columns) == {"In welk team werkt u?", "Wat is uw functie?"}
    assert columns["In welk team werkt u?"] == ["Team Centrum", "Team Noord", "Team Oost", "Team West", "Team Zuid"]


def test_filtered_numbers_are_those_of_the_selected_rows(dataset):
    mask = selection_mask(dataset, {"Team": ["Team Noord"], "Functie": []})
    assert mask.sum() == 6
    filtered = summarize(apply_filters(dataset, mask))
    expected = rounded(reference_summary([row for row, team in zip(CANONICAL, TEAMS) if team == "Team Noord"]))
    data = summary_to_dict(filtered)
    assert {k: data[k] for k in expected} == expected


def test_two_filters_combine_with_and(dataset):
    mask = selection_mask(dataset, {"Team": ["Team Noord", "Team Zuid"], "Functie": ["Werkcoach", "Teamleider"]})
    assert mask.tolist() == [f in ("Werkcoach", "Teamleider") for f in FUNCTIONS]


@pytest.mark.parametrize("selected,minimum,allowed", [
    (12, 5, True),   # everyone: nothing left out
    (6, 5, True),    # 6 in, 6 out
    (4, 5, False),   # too few in
    (9, 5, False),   # 3 left out could be worked out from the whole
    (0, 1, False),
])
def test_selection_problem(selected, minimum, allowed):
    mask = np.array([True] * selected + [False] * (12 - selected))
    assert (selection_problem(mask, minimum) is None) == allowed


def test_a_group_is_hidden_when_the_filter_leaves_a_few_of_its_members_out(dataset):
    mask = selection_mask(dataset, {"Functie": ["Klantmanager", "Werkcoach"]})  # leaves out teamleider and lid
    assert groups_revealed_by_filter(dataset, "Team", mask, 5) == {"Team Noord"}
    # 10 selected, 2 left out: the selection itself is refused, so lower the minimum to see the group rule.
    summary = summarize(apply_filters(dataset, mask), "Team", min_group_size=1,
                        also_hidden=groups_revealed_by_filter(dataset, "Team", mask, 2))
    hidden = {g.name for g in summary.groups if g.suppressed}
    # Noord's left-out part (1) is below 2, so Noord is hidden; as the only hidden group it takes Zuid along.
    assert hidden == {"Team Noord", "Team Zuid"}
    assert all(g.statements is None for g in summary.groups if g.suppressed)


def test_describe_filters():
    assert describe_filters({"Team": ["A", "B"], "Functie": []}) == "Team: A, B"
