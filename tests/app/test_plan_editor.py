"""AppTest of the verbeterplan on Aan de slag: choose focus, save, a stale copy refused, Afspraken in the report."""

from __future__ import annotations

import dataclasses
import json

import pytest
from streamlit.testing.v1 import AppTest

from analysis.ingest.dataset import ingest_file
from analysis.meeting.plan import Action, Focus
from analysis.store import RoundStore
from analysis.store.plans import PlanStore
from tests.app.test_pages import TEAM
from tests.conftest import ROOT, SAMPLES

SPRING = SAMPLES / "ronde_2025_voorjaar.xlsx"


@pytest.fixture
def saved(isolated_round_store):
    return RoundStore(str(isolated_round_store)).save(
        ingest_file(SPRING), "Gemeente Voorbeeldstad", "Voorjaar 2025", "2025-04-07",
        privacy={"reporting_columns": [TEAM], "min_group_size": 5})


def on_round(info, page: str = "aan_de_slag") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.session_state["upload"] = {"name": info.label, "digest": f"round:{info.round_id}", "round_id": info.round_id}
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_the_sample_shows_its_fictitious_plan_and_an_upload_is_told_a_plan_needs_a_saved_round():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/aan_de_slag.py").run()
    assert not at.exception
    assert any("voorbeeld, fictief" in c.value for c in at.caption)
    # Per focus its statement, then its actions in four columns that fit at 1280 px (Wie, Wanneer and Status were
    # off screen beside the statement's text).
    example = json.loads((SAMPLES / "voorbeeldplan.json").read_text(encoding="utf-8"))
    focus_lines = [m.value for m in at.markdown if m.value.startswith("**Stelling ")]
    assert [int(line.split("**")[1].split()[1]) for line in focus_lines] == [f["item_id"] for f in example["focuses"]]
    tables = [frame.value for frame in at.dataframe]
    assert all(list(table.columns) == ["Wat", "Wie", "Wanneer", "Status"] for table in tables)
    assert [table[["Wat", "Wie"]].values.tolist() for table in tables] == [
        [[a["what"], a["who"]] for a in f["actions"]] for f in example["focuses"]]
    assert tables[0]["Wanneer"].tolist() == ["1 maart 2026", "1 februari 2026"]
    assert tables[0]["Status"].tolist() == ["Bezig", "Gepland"]
    at.switch_page("app_pages/gegevens.py").run()
    at.file_uploader[0].set_value((SPRING.name, SPRING.read_bytes(), "application/octet-stream")).run()
    at.switch_page("app_pages/aan_de_slag.py").run()
    assert any("hoort bij een opgeslagen meetronde" in i.value for i in at.info)


def test_weak_items_become_focus_and_the_plan_is_saved_with_its_notes(saved):
    at = on_round(saved)
    weak = PlanStore().get(saved.round_id)
    assert weak.version == 0
    next(b for b in at.button if b.label.startswith("Zwakste")).click().run()
    focus = at.multiselect[0].value
    assert len(focus) == 3
    at.text_area[0].input("Tolk eerder inzetten werkt.")  # inside the form: sent with the submit
    next(b for b in at.button if b.label == "Plan opslaan").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    plan = PlanStore().get(saved.round_id)
    assert plan.version == 1 and list(plan.item_ids) == list(focus) and plan.notes == "Tolk eerder inzetten werkt."
    assert any("Verbeterplan opgeslagen (versie 1)" in s.value for s in at.success)
    assert {b.label for b in at.get("download_button")} >= {"Plan als Word", "Plan als Excel"}


def test_the_plan_downloads_name_the_organisation_round_and_date(saved, downloaded_names):
    at = on_round(saved)
    at.multiselect[0].set_value([3]).run()
    next(b for b in at.button if b.label == "Plan opslaan").click().run()
    stem = "quickscan-gemeente-voorbeeldstad-voorjaar-2025-2025-04-07-verbeterplan"
    assert {f"{stem}.docx", f"{stem}.xlsx"} <= set(downloaded_names), downloaded_names


def test_a_save_on_an_outdated_copy_is_refused_and_names_who_changed_it(saved):
    at = on_round(saved)  # this session opens the empty plan ...
    store = PlanStore()
    other = dataclasses.replace(store.get(saved.round_id), focuses=(Focus(7, (Action("Collega's actie"),)),))
    store.save(other, user="collega@example.nl")  # ... and someone else saves first
    at.multiselect[0].set_value([3]).run()
    next(b for b in at.button if b.label == "Plan opslaan").click().run()
    assert any("intussen gewijzigd door collega" in e.value and "example" in e.value for e in at.error)
    assert store.get(saved.round_id).focuses[0].actions[0].what == "Collega's actie"  # not overwritten
    next(b for b in at.button if b.label == "Nieuwste versie laden").click().run()
    assert at.multiselect[0].value == [7]


def test_the_presentation_and_the_workbook_have_the_agreements(saved):
    store = PlanStore()
    store.save(dataclasses.replace(store.get(saved.round_id), notes="Tolk eerder inzetten",
                                   focuses=(Focus(7, (Action("Intervisie tolkgebruik", "teamleider"),)),)))
    at = on_round(saved, "presentatie")
    choice = at.selectbox(key="slide_choice")
    afspraken = next(i for i, label in enumerate(choice.options) if label.endswith(". Afspraken"))
    choice.set_value(afspraken).run()
    assert not at.exception
    assert [m.value for m in at.markdown if m.value.startswith("# ")] == ["# Afspraken"]
    points = next(m.value for m in at.markdown if m.value.startswith("- Stelling 7"))
    assert "Intervisie tolkgebruik · teamleider · Gepland" in points and "Tolk eerder inzetten" in points
