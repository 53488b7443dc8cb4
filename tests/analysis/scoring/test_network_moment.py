"""Which round counts for each organisation at a moment, against choices worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analysis.rounds import RoundInfo
from analysis.scoring.network_moment import (
    NO_ROUND_AT_ALL,
    NO_ROUND_CHOSEN,
    choose_rounds,
    left_out_text,
    network_at_moment,
    organisation_rows,
)
from analysis.scoring.scores import summarize_codes

QS, CHECK = "quickscan-dsb", "diversiteitskader-wijkteams"


def r(round_id, organisation, date, instrument=QS, saved_at="2025-12-01T10:00:00", name=None, respondents=10):
    return RoundInfo(round_id=round_id, organisation=organisation, name=name or f"Ronde {round_id}", date=date,
                     instrument_id=instrument, respondents=respondents, saved_at=saved_at)


# By hand:
#   Amstel:  a1 2025-03-10, a2 2025-09-15, a3 2025-10-01 (checklist: never counts for the QuickScan)
#   Berkel:  b1 2025-04-01, b2 2025-04-01 saved later (same date: b2 wins), b3 2026-01-20
#   Cadzand: c1 2025-10-20 only
#   Dokkum:  no round at all
#   Emmen:   not a member (its rounds never count)
ROUNDS = [
    r("a1", "Gemeente Amstel", "2025-03-10"), r("a2", "gemeente  amstel", "2025-09-15"),
    r("a3", "Gemeente Amstel", "2025-10-01", instrument=CHECK),
    r("b1", "Gemeente Berkel", "2025-04-01", saved_at="2025-04-02T09:00:00"),
    r("b2", "Gemeente Berkel", "2025-04-01", saved_at="2025-04-03T09:00:00"),
    r("b3", "Gemeente Berkel", "2026-01-20"),
    r("c1", "Gemeente Cadzand", "2025-10-20"),
    r("e1", "Gemeente Emmen", "2025-05-05"),
]
MEMBERS = ("Gemeente Amstel", "Gemeente Berkel", "Gemeente Cadzand", "Gemeente Dokkum")


def ids(moment):
    return [info.round_id for info in moment.rounds]


def reasons(moment):
    return {m.organisation: m.reason for m in moment.missing}


@pytest.mark.parametrize("until, chosen, missing", [
    # Before anyone measured: everybody missing; Dokkum never measured this instrument.
    ("2025-01-01", [], {"Gemeente Amstel": "geen meetronde tot en met 1 januari 2025",
                        "Gemeente Berkel": "geen meetronde tot en met 1 januari 2025",
                        "Gemeente Cadzand": "geen meetronde tot en met 1 januari 2025",
                        "Gemeente Dokkum": NO_ROUND_AT_ALL}),
    # The date itself counts ("tot en met"); of Berkel's two rounds of 1 April the one saved last.
    ("2025-04-01", ["a1", "b2"], {"Gemeente Cadzand": "geen meetronde tot en met 1 april 2025",
                                  "Gemeente Dokkum": NO_ROUND_AT_ALL}),
    # Amstel's checklist round of 1 October is no QuickScan round: a2 stays its latest.
    (dt.date(2025, 10, 19), ["a2", "b2"], {"Gemeente Cadzand": "geen meetronde tot en met 19 oktober 2025",
                                           "Gemeente Dokkum": NO_ROUND_AT_ALL}),
    ("2025-12-31", ["a2", "b2", "c1"], {"Gemeente Dokkum": NO_ROUND_AT_ALL}),
    (None, ["a2", "b3", "c1"], {"Gemeente Dokkum": NO_ROUND_AT_ALL}),
])
def test_latest_round_up_to_a_date(until, chosen, missing):
    moment = choose_rounds(ROUNDS, MEMBERS, QS, until=until)
    assert ids(moment) == chosen
    assert reasons(moment) == missing


def test_organisations_match_up_to_case_and_spacing():
    moment = choose_rounds(ROUNDS, ["GEMEENTE   Amstel"], QS, until="2025-12-31")
    assert ids(moment) == ["a2"]


def test_chosen_rounds_one_per_organisation():
    moment = choose_rounds(ROUNDS, MEMBERS, QS, round_ids=["b1", "a1"])
    assert ids(moment) == ["a1", "b1"]  # in the network's order, not the order chosen
    assert reasons(moment) == {"Gemeente Cadzand": NO_ROUND_CHOSEN, "Gemeente Dokkum": NO_ROUND_AT_ALL}


@pytest.mark.parametrize("round_ids, message", [
    (["a1", "a2"], "één meetronde per organisatie"),
    (["a3"], "ander instrument"),
    (["e1"], "niet in het leernetwerk"),
    (["zz"], "bestaat niet"),
])
def test_chosen_rounds_refused(round_ids, message):
    with pytest.raises(ValueError, match=message):
        choose_rounds(ROUNDS, MEMBERS, QS, round_ids=round_ids)


# -- the network at a moment: letters stay put, the left-out are named as displayed ---------------------------

def summary(instrument, n, level):
    return summarize_codes(np.full((n, 24), level, dtype=np.int8), instrument)


@pytest.fixture
def summaries(instrument):
    # Amstel 6 x 2, Berkel 5 x 3, Cadzand 8 x 4, Berkel's later round 3 respondents (too small).
    return {"a1": summary(instrument, 6, 2), "a2": summary(instrument, 6, 2), "b1": summary(instrument, 5, 3),
            "b2": summary(instrument, 5, 3), "b3": summary(instrument, 3, 5), "c1": summary(instrument, 8, 4)}


def at_moment(instrument, summaries, **options):
    return network_at_moment(instrument, MEMBERS, ROUNDS, lambda info: summaries[info.round_id],
                             name_key="sleutel", **options)


def test_letters_do_not_shift_when_a_member_has_no_round(instrument, summaries):
    early = at_moment(instrument, summaries, until="2025-04-01")
    late = at_moment(instrument, summaries, until="2026-12-31")
    letters_early = {o.date: o.name for o in early.network.organisations}
    letters_late = {o.date: o.name for o in late.network.organisations}
    assert letters_early["2025-03-10"] == letters_late["2025-09-15"]  # Amstel
    assert len({*letters_early.values(), *early.missing_names}) == 4  # four different letters
    assert set(late.missing_names) < set(letters_early.values()) | set(early.missing_names)


def test_network_figures_need_three_included(instrument, summaries):
    two = at_moment(instrument, summaries, until="2025-04-01")  # Amstel and Berkel only
    assert not two.network.shown and two.network.note
    three = at_moment(instrument, summaries, until="2025-12-31")
    assert three.network.shown
    # Each organisation weighs the same: (2 + 3 + 4) / 3 for every theme.
    assert [round(f.mean, 6) for f in three.network.themes] == [3.0] * 4
    # Berkel's later round (3 respondents) is left out and says so; Dokkum has none.
    later = at_moment(instrument, summaries, until=None)
    assert not later.network.shown
    assert sorted(o.reason for o in later.left_out) == sorted([NO_ROUND_AT_ALL, "te weinig respondenten (n<5)"])


def test_looking_member_is_named_others_lettered(instrument, summaries):
    result = at_moment(instrument, summaries, until="2025-12-31", looking="Gemeente Berkel")
    rows = organisation_rows(result)
    names = [row["Organisatie"] for row in rows]
    assert names[0] == "Gemeente Berkel"
    assert all(name.startswith("Organisatie ") for name in names[1:])
    text = repr(rows) + (left_out_text(result) or "")
    for other in ("Amstel", "Cadzand", "Dokkum"):
        assert other not in text
    assert rows[-1]["Meegeteld"] == f"nee: {NO_ROUND_AT_ALL}"


def test_a_too_small_round_shows_its_size_as_below_the_minimum(instrument, summaries):
    rows = organisation_rows(at_moment(instrument, summaries, until=None, show_names=True))
    berkel = next(row for row in rows if row["Organisatie"] == "Gemeente Berkel")
    assert berkel["Respondenten"] == "<5" and berkel["Meegeteld"].startswith("nee: te weinig respondenten")
