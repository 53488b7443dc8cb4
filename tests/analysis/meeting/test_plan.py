"""The verbeterplan model: its rules, its saved form and the rows every view shows, on both instrument kinds."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from analysis.instrument import get_instrument
from analysis.meeting.plan import (
    MAX_ACTIONS,
    MAX_FIELD,
    MAX_FOCUSES,
    MAX_NOTES,
    STATUSES,
    Action,
    Focus,
    Plan,
    PlanError,
    check_plan,
    empty_plan,
    item_score,
    plan_columns,
    plan_from_dict,
    plan_rows,
    plan_title,
    plan_to_dict,
    suggested_focuses,
    updated_text,
)
from analysis.scoring.scores import summarize_codes

SCALE, CHECKLIST = "quickscan-dsb", "diversiteitskader-wijkteams"


@pytest.fixture(scope="module")
def scale():
    return get_instrument(SCALE)


@pytest.fixture(scope="module")
def checklist():
    return get_instrument(CHECKLIST)


def scale_summary(instrument):
    """Ten respondents; statement 7 all Startend (2,0), statement 3 half Inactief half Goed op weg (2,0 as well,
    later in order), statement 5 only Onbekend (no score); every other statement Gevorderd (4)."""
    codes = np.full((10, 24), 4)
    codes[:, 6] = 2
    codes[:, 2] = [1] * 5 + [3] * 5
    codes[:, 4] = 0
    codes[:, 10] = [2] * 4 + [4] * 6  # statement 11: 3,2 (not weak)
    return summarize_codes(codes, instrument)


def checklist_summary(instrument):
    """Ten respondents; item 1.2 Ja for 3 of 10 (30%), 4.2 none known; every other item all Ja."""
    ids = [str(i) for i in instrument.statement_ids]
    codes = np.full((10, len(ids)), 2)
    codes[:, ids.index("1.2")] = [2] * 3 + [1] * 7
    codes[:, ids.index("4.2")] = -1
    codes[:, ids.index("3.1")] = [2] * 4 + [1] * 6
    return summarize_codes(codes, instrument, threshold=0.5)


def sample_plan(instrument, first, second) -> Plan:
    return Plan(round_id="ronde-1", instrument_id=instrument.id, notes="Eerste les.\nTweede regel.",
                focuses=(Focus(first, (Action("Intervisie over vertrouwen", "teamleider", dt.date(2026, 3, 1),
                                              "bezig"),
                                       Action("Training", "", None, "gepland"))),
                         Focus(second)),
                version=3, updated_at="2026-11-23T10:15:00+00:00", updated_by="m.jansen@example.org")


# -- rules ---------------------------------------------------------------------------------------------------

def test_a_valid_plan_passes_unchanged(scale, checklist):
    for instrument, ids in ((scale, (7, 3)), (checklist, ("1.2", "4.2"))):
        plan = sample_plan(instrument, *ids)
        assert check_plan(plan, instrument) == plan


def test_an_empty_plan_is_valid(scale):
    plan = empty_plan("ronde-1", SCALE)
    assert check_plan(plan, scale) == Plan("ronde-1", SCALE)
    assert plan.version == 0 and plan.focuses == () and plan.notes == ""


def test_texts_are_cleaned_of_controls_and_extra_space(scale):
    plan = Plan("ronde-1", SCALE, (Focus("7", (Action("  Intervisie\x1b[31m  met\n team\u202e ", " coach\x00 ",
                                                      "2026-03-01", " Bezig "),)),),
                notes="Les\r\nregel\x07 twee  \r\n\r\n")
    checked = check_plan(plan, scale)
    action = checked.focuses[0].actions[0]
    assert checked.focuses[0].item_id == 7  # the instrument's own id
    assert action == Action("Intervisie[31m met team", "coach", dt.date(2026, 3, 1), "bezig")
    assert checked.notes == "Les\nregel twee"


def test_checklist_ids_stay_text_and_are_told_apart(checklist):
    plan = check_plan(Plan("r", CHECKLIST, (Focus("1.1"), Focus("1.10"))), checklist)
    assert plan.item_ids == ["1.1", "1.10"]
    assert plan.focus("1.10") is plan.focuses[1] and plan.focus("9.9") is None


def _plan_with(**action_fields) -> Plan:
    return Plan("r", SCALE, (Focus(7, (Action(**{"what": "Iets doen", **action_fields}),)),))


@pytest.mark.parametrize("plan, message", [
    (Plan("r", SCALE, (Focus(25),)), "Focuspunt 1: stelling '25' bestaat niet"),
    (Plan("r", SCALE, (Focus("zeven"),)), "stelling 'zeven' bestaat niet"),
    (Plan("r", SCALE, (Focus(True),)), "stelling 'True' bestaat niet"),
    (Plan("r", SCALE, (Focus(7), Focus("7"))), "Stelling 7 staat twee keer in het plan"),
    (_plan_with(what="  \n "), "Focuspunt 1 (stelling 7), actie 1: vul in wat er gebeurt"),
    (_plan_with(what="x" * (MAX_FIELD + 1)), "actie 1, wat: de tekst is te lang (501 tekens, maximaal 500)"),
    (_plan_with(who="x" * (MAX_FIELD + 1)), "actie 1, wie: de tekst is te lang"),
    (_plan_with(what=12), "actie 1, wat: verwacht tekst"),
    (_plan_with(status="afgerond"), "status 'afgerond' is onbekend; kies uit gepland, bezig, klaar, gestopt"),
    (_plan_with(when="1-3-2026"), "actie 1, wanneer: '1-3-2026' is geen datum; gebruik JJJJ-MM-DD"),
    (_plan_with(when="2026-02-30"), "'2026-02-30' is geen datum"),
    (_plan_with(when="20260301"), "'20260301' is geen datum"),
    (Plan("r", SCALE, notes="x" * (MAX_NOTES + 1)), "Leerlessen: de tekst is te lang (5001 tekens, maximaal 5000)"),
    (Plan("r", SCALE, tuple(Focus(i) for i in range(1, MAX_FOCUSES + 2))), "Te veel focuspunten (21, maximaal 20)"),
    (Plan("r", SCALE, (Focus(1, (Action("a"),) * (MAX_ACTIONS + 1)),)), "te veel acties (21, maximaal 20)"),
    (Plan("r", CHECKLIST), "hoort bij instrument 'diversiteitskader-wijkteams', niet bij 'quickscan-dsb'"),
    (Plan("r", SCALE, version=-1), "Versie '-1' van het plan is geen geheel getal"),
    (Plan("r", SCALE, version=True), "Versie 'True'"),
    (Plan("", SCALE), "Het plan hoort bij geen meetronde"),
])
def test_broken_rules_give_one_dutch_line(scale, plan, message):
    with pytest.raises(PlanError) as caught:
        check_plan(plan, scale)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text


def test_checklist_errors_use_the_kinds_words(checklist):
    with pytest.raises(PlanError, match=r"Focuspunt 1: item '9\.9' bestaat niet in"):
        check_plan(Plan("r", CHECKLIST, (Focus("9.9"),)), checklist)
    with pytest.raises(PlanError, match=r"^Item 1\.3 staat twee keer in het plan\.$"):
        check_plan(Plan("r", CHECKLIST, (Focus("1.3"), Focus("1.3"))), checklist)
    with pytest.raises(PlanError, match=r"item '3' bestaat niet"):  # a scale's id is no checklist item
        check_plan(Plan("r", CHECKLIST, (Focus(3),)), checklist)


def test_limits_themselves_are_allowed(scale):
    actions = (Action("x" * MAX_FIELD, "y" * MAX_FIELD),) * MAX_ACTIONS
    plan = Plan("r", SCALE, tuple(Focus(i, actions) for i in range(1, MAX_FOCUSES + 1)), notes="n" * MAX_NOTES)
    assert check_plan(plan, scale) == plan


def test_statuses_are_one_table_with_labels():
    assert list(STATUSES) == ["gepland", "bezig", "klaar", "gestopt"]
    assert [Action("a", status=s).status_label for s in STATUSES] == ["Gepland", "Bezig", "Klaar", "Gestopt"]


# -- the saved form --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("instrument_id, ids", [(SCALE, (7, 3)), (CHECKLIST, ("1.2", "4.2"))])
def test_round_trip_through_json(instrument_id, ids):
    instrument = get_instrument(instrument_id)
    plan = sample_plan(instrument, *ids)
    document = json.loads(json.dumps(plan_to_dict(plan)))
    assert plan_from_dict(document) == plan
    assert plan_from_dict(document, instrument) == plan
    assert document["version"] == 3 and document["focuses"][0]["item_id"] == ids[0]
    assert document["focuses"][0]["actions"][0] == {"what": "Intervisie over vertrouwen", "who": "teamleider",
                                                    "when": "2026-03-01", "status": "bezig"}
    assert document["focuses"][0]["actions"][1]["when"] is None


def test_a_document_is_checked_when_read(scale):
    document = plan_to_dict(sample_plan(scale, 7, 3))
    document["focuses"][0]["item_id"] = "7"  # as a form or an older file may hold it
    assert plan_from_dict(document).focuses[0].item_id == 7
    document["focuses"][1]["item_id"] = 99
    with pytest.raises(PlanError, match="Focuspunt 2: stelling '99' bestaat niet"):
        plan_from_dict(document)


@pytest.mark.parametrize("document, message", [
    ([], "geen geldig document"),
    ({"format": 2, "instrument_id": SCALE, "round_id": "r"}, "onbekende opmaakversie"),
    ({"instrument_id": "bestaat-niet", "round_id": "r"}, "onbekend instrument ('bestaat-niet')"),
    ({"instrument_id": SCALE, "round_id": "r", "focuses": {"item_id": 7}}, "Focuspunten: verwacht een lijst"),
    ({"instrument_id": SCALE, "round_id": "r", "focuses": ["7"]}, "Focuspunt 1: verwacht velden"),
    ({"instrument_id": SCALE, "round_id": "r", "focuses": [{"item_id": 7, "actions": ["x"]}]},
     "Focuspunt 1, actie 1: verwacht velden"),
    ({"instrument_id": SCALE, "round_id": "r", "focuses": [{"item_id": 7, "actions": [{"what": "x", "when": 5}]}]},
     "'5' is geen datum"),
    ({"instrument_id": SCALE, "round_id": "r", "version": "3"}, "Versie '3'"),
])
def test_a_broken_document_is_refused_in_one_line(document, message):
    with pytest.raises(PlanError) as caught:
        plan_from_dict(document)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_missing_fields_take_their_defaults(scale):
    plan = plan_from_dict({"instrument_id": SCALE, "round_id": "r",
                           "focuses": [{"item_id": 7, "actions": [{"what": "x"}]}]})
    assert plan == Plan("r", SCALE, (Focus(7, (Action("x", "", None, "gepland"),)),))


# -- rows, suggestions, titles ------------------------------------------------------------------------------------

def test_rows_of_a_scale_plan(scale):
    summary = scale_summary(scale)
    plan = Plan("r", SCALE, (Focus(7, sample_plan(scale, 7, 3).focuses[0].actions), Focus(5)))
    rows = plan_rows(plan, scale, summary)
    assert [(r["focus"], r["item_id"], r["what"], r["status_label"]) for r in rows] == [
        (1, 7, "Intervisie over vertrouwen", "Bezig"), (1, 7, "Training", "Gepland"), (2, 5, "", "")]
    first = rows[0]
    assert first["item_text"] == scale.statement(7).text and first["theme"] == "Competenties"
    assert first["score"] == pytest.approx(2.0) and first["score_text"] == "2,00 · Startend"
    assert first["when"] == dt.date(2026, 3, 1) and first["when_text"] == "1 maart 2026"
    assert rows[1]["when"] is None and rows[1]["when_text"] == ""
    assert rows[2]["score"] is None and rows[2]["score_text"] == "geen oordeel"  # only Onbekend answers
    assert set(plan_columns(scale)) <= set(first)


def test_rows_of_a_checklist_plan(checklist):
    summary = checklist_summary(checklist)
    rows = plan_rows(sample_plan(checklist, "1.2", "4.2"), checklist, summary)
    assert [r["item_id"] for r in rows] == ["1.2", "1.2", "4.2"]
    assert rows[0]["score"] == pytest.approx(0.3) and rows[0]["score_text"] == "30% voldaan"
    assert rows[0]["theme"] == "Werkwijze" and rows[0]["item_text"] == checklist.statement("1.2").text
    assert rows[2]["score"] is None and rows[2]["score_text"] == "geen oordeel"
    assert plan_columns(checklist)["item_id"] == "Item" and plan_columns(checklist)["theme"] == "Bouwsteen"


def test_rows_without_a_summary_have_no_scores(scale):
    rows = plan_rows(sample_plan(scale, 7, 3), scale)
    assert {r["score"] for r in rows} == {None} and {r["score_text"] for r in rows} == {""}


def test_item_score_looks_ids_up_as_text(scale, checklist):
    assert item_score(scale_summary(scale), "7") == pytest.approx(2.0)
    assert item_score(checklist_summary(checklist), "1.2") == pytest.approx(0.3)
    assert item_score(checklist_summary(checklist), "1.20") is None
    assert item_score(None, 7) is None


def test_suggested_focuses_are_the_weakest_first(scale, checklist):
    summary = scale_summary(scale)
    assert summary.weak == [3, 7]  # both 2,0: ties by statement number; 11 (3,2) is not weak
    assert suggested_focuses(summary) == [3, 7]
    assert suggested_focuses(summary, n=1) == [3]
    assert suggested_focuses(summary, exclude=[3]) == [7]
    summary = checklist_summary(checklist)
    assert suggested_focuses(summary) == ["1.2", "3.1"]
    assert suggested_focuses(summary, exclude=("1.2",)) == ["3.1"]


def test_title_and_updated_line():
    assert plan_title("Gemeente Oost", "Voorjaar 2026", "2026-04-07") == \
        "Verbeterplan Gemeente Oost – Voorjaar 2026 (7 april 2026)"
    assert plan_title("Gemeente\u202e  Oost", "Voorjaar", dt.date(2026, 4, 7)) == \
        "Verbeterplan Gemeente Oost – Voorjaar (7 april 2026)"
    assert plan_title("", "Voorjaar", None) == "Verbeterplan – Voorjaar"
    assert updated_text(Plan("r", SCALE)) == ""
    assert updated_text(Plan("r", SCALE, updated_at="2026-11-23T10:15:00+00:00", updated_by="Ann")) == \
        "Bijgewerkt op 23 november 2026 door Ann"
    assert updated_text(Plan("r", SCALE, updated_at="2026-11-23T10:15:00+00:00")) == "Bijgewerkt op 23 november 2026"


def test_empty_cells_of_a_table_editor_count_as_empty(scale):
    plan = Plan("r", SCALE, (Focus(7, (Action("Bellen", float("nan"), pd.NaT),
                                       Action("Mailen", None, pd.Timestamp("2026-03-01")))),))
    actions = check_plan(plan, scale).focuses[0].actions
    assert actions == (Action("Bellen", "", None), Action("Mailen", "", dt.date(2026, 3, 1)))
