"""Sidebar filters: the selected respondents' numbers, and no back door to small groups."""

from __future__ import annotations

import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.ingest.dataset import ingest_bytes
from analysis.scoring.filters import describe_filters, filter_columns, filter_notes, selection_mask
from analysis.scoring.summary import SelectionError, summarize, summary_to_dict
from tests.conftest import reference_summary, rounded

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


def rows_of(team=None, function=None):
    return [row for row, t, f in zip(CANONICAL, TEAMS, FUNCTIONS)
            if (team is None or t == team) and (function is None or f == function)]


def test_only_reporting_columns_filter(dataset):
    assert filter_columns(dataset, ["Team"]) == {"Team": ["Cliëntenraad", "Team Noord", "Team Zuid"]}
    assert set(filter_columns(dataset, ["Team", "Functie", "Bestaat niet"])) == {"Team", "Functie"}


def test_filtered_numbers_are_those_of_the_selected_cells(dataset):
    # Cells Team x Functie: Noord/KM 5, Noord/TL 1, Zuid/WC 5, Raad/Lid 1. At minimum 5 the two single
    # cells pool (2), so the smallest other cell joins them (Noord/KM before Zuid/WC by name): only Zuid/WC shows.
    filtered = summarize(dataset, min_group_size=5, reporting_columns=["Team", "Functie"],
                         filters={"Team": ["Team Zuid"]})
    expected = rounded(reference_summary(rows_of(team="Team Zuid")))
    data = summary_to_dict(filtered)
    assert {k: data[k] for k in expected} == expected


def test_a_selection_of_pooled_cells_only_is_refused(dataset):
    with pytest.raises(SelectionError, match="kleine groepen"):
        summarize(dataset, min_group_size=5, reporting_columns=["Team", "Functie"], filters={"Team": ["Team Noord"]})


def test_a_selection_of_cells_hidden_to_protect_says_so(dataset):
    # The five klantmanagers (Noord/KM) are hidden to protect the two single cells: not 'kleine groepen'.
    with pytest.raises(SelectionError) as refused:
        summarize(dataset, min_group_size=5, reporting_columns=["Team", "Functie"],
                  filters={"Functie": ["Klantmanager"]})
    assert "alleen respondenten in groepen die verborgen zijn om een kleine groep te beschermen" in str(refused.value)
    with pytest.raises(SelectionError, match="in kleine groepen of in groepen die verborgen zijn"):
        summarize(dataset, min_group_size=5, reporting_columns=["Team", "Functie"], filters={"Team": ["Team Noord"]})


def test_chosen_values_left_out_of_the_figures_are_named_with_why(dataset):
    chosen = {"Team": ["Team Zuid", "Team Noord", "Cliëntenraad"]}
    notes = filter_notes(dataset, chosen, ["Team", "Functie"], 5)
    assert notes == ["Team Noord niet meegeteld: verborgen om een kleine groep te beschermen.",
                     "Cliëntenraad niet meegeteld: te weinig respondenten."]
    assert filter_notes(dataset, {"Team": ["Team Zuid"]}, ["Team", "Functie"], 5) == []
    # By team alone the council's one member is too few, and Zuid (5, smaller than Noord's 6) is pooled with it.
    assert filter_notes(dataset, chosen, ["Team"], 5) == [
        "Team Zuid niet meegeteld: verborgen om een kleine groep te beschermen.",
        "Cliëntenraad niet meegeteld: te weinig respondenten."]


def test_selections_that_differ_by_a_small_cell_show_the_same_figures(dataset):
    # At minimum 2 the pool is Noord/TL + Raad/Lid; "Team Noord" and "Klantmanager" differ by the one
    # teamleider only, so both must be computed over the five klantmanagers.
    kwargs = dict(min_group_size=2, reporting_columns=["Team", "Functie"])
    by_team = summary_to_dict(summarize(dataset, filters={"Team": ["Team Noord"]}, **kwargs))
    by_function = summary_to_dict(summarize(dataset, filters={"Functie": ["Klantmanager"]}, **kwargs))
    assert by_team == by_function
    assert by_team == rounded(reference_summary(rows_of(function="Klantmanager")))


def test_two_filters_combine_with_and(dataset):
    mask = selection_mask(dataset, {"Team": ["Team Noord", "Team Zuid"], "Functie": ["Werkcoach", "Teamleider"]})
    assert mask.tolist() == [f in ("Werkcoach", "Teamleider") for f in FUNCTIONS]


def test_groups_inside_a_selection_use_shown_cells_only(dataset):
    summary = summarize(dataset, "Team", min_group_size=2, reporting_columns=["Team", "Functie"],
                        filters={"Functie": ["Klantmanager", "Teamleider", "Werkcoach"]})
    groups = {g.name: g for g in summary.groups}
    assert set(groups) == {"Team Noord", "Team Zuid"}
    assert groups["Team Noord"].respondents == 6 and groups["Team Noord"].shown_respondents == 5
    expected = reference_summary(rows_of(team="Team Noord", function="Klantmanager"))
    assert groups["Team Noord"].statements["n_known"].tolist() == [s["n_known"] for s in expected["statements"]]


def test_describe_filters():
    assert describe_filters({"Team": ["A", "B"], "Functie": []}) == "Team: A, B"
