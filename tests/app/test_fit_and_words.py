"""Pages that read at 1280x720 and in the instrument's own words (a QA walk in headless Chromium): Aan de slag
lists each piece of material once, the checklist's page is called Items, tiles hold short values, the uploader
names the server's real limit, and the tables keep to the columns that fit."""

from __future__ import annotations

import re

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from analysis.ingest.dataset import ingest_file
from analysis.instrument import get_instrument
from analysis.meeting.plan import Action, Focus, Plan
from analysis.store import RoundStore
from analysis.store.plans import PlanStore
from tests.app.test_auth import signed_in
from tests.app.test_pages import cli_summary, metric, start
from tests.conftest import SAMPLES

CHECKLIST = SAMPLES / "diversiteitskader_voorjaar_2025_google_forms.csv"
WIJKTEAM = "In welk wijkteam werkt u?"
SPRING = SAMPLES / "ronde_2025_voorjaar.xlsx"
# A line of the reading list: "- title — publisher · *bij item 1.1 en 1.2*", the title possibly a [link](url).
READING_LINE = re.compile(r"^- (?:\[(?P<linked>[^\]]+)\]\([^)]*\)|(?P<plain>.+?))(?: — .*)? · \*bij \w+ (?P<ids>.+)\*$")


@pytest.fixture(scope="module")
def checklist_json():
    return cli_summary(CHECKLIST, WIJKTEAM)


def on_checklist(page: str) -> AppTest:
    at = start("gegevens")
    at.file_uploader[0].set_value((CHECKLIST.name, CHECKLIST.read_bytes(), "text/csv")).run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def reading_lines(at: AppTest) -> dict[str, list[str]]:
    """Each title in the page's reading list -> the item ids its line names (a title twice: two entries)."""
    found: dict[str, list[str]] = {}
    for block in at.markdown:
        for line in block.value.splitlines():
            match = READING_LINE.match(line)
            if match:
                title = match["linked"] or match["plain"]
                found.setdefault(title, []).append(match["ids"])
    return found


def test_checklist_aan_de_slag_lists_every_reading_title_once_with_its_items(checklist_json):
    at = on_checklist("aan_de_slag")
    weak = checklist_json["weak_items"]
    shown = [m.value.split(" · ")[0].removeprefix("##### Item ") for m in at.markdown
             if m.value.startswith("##### Item")]
    assert shown == weak
    # What each weak item's section offers to read, straight from the instrument.
    instrument = get_instrument("diversiteitskader-wijkteams")
    expected: dict[str, set[str]] = {}
    for item_id in weak:
        for reading in instrument.step_material(instrument.statement(item_id)).reading:
            expected.setdefault(reading.title, set()).add(item_id)
    lines = reading_lines(at)
    assert set(lines) == set(expected)
    assert all(len(ids) == 1 for ids in lines.values()), {t: i for t, i in lines.items() if len(i) > 1}
    for title, ids in lines.items():
        assert set(re.split(r", | en ", ids[0])) == expected[title], title
    # Several weak items share the Voorbereiding tips (5.2-5.5): one fold, not four copies.
    folds = [e.label for e in at.expander]
    assert len(folds) == len(set(folds))
    assert sum(label.startswith("Voorbereiding (") for label in folds) == 1


def test_scale_aan_de_slag_names_the_statement_a_reading_belongs_to(sample_json):
    at = start("aan_de_slag")
    instrument = get_instrument("quickscan-dsb")
    expected: dict[str, set[str]] = {}
    for statement_id in sample_json["weak_statements"]:
        for reading in instrument.statement(statement_id).reading:
            expected.setdefault(reading.title, set()).add(str(statement_id))
    lines = reading_lines(at)
    assert expected and {title: set(re.split(r", | en ", ids[0])) for title, ids in lines.items()} == expected
    assert at.get("download_button")[0].label == "Actielijst downloaden (HTML)"


@pytest.fixture(scope="module")
def sample_json():
    return cli_summary(SAMPLES / "quickscan_voorbeeld.xlsx", "In welk team werkt u?", "--reporting-column",
                       "In welk team werkt u?")


def test_the_checklist_page_is_called_items_and_its_tiles_are_short(checklist_json):
    at = on_checklist("stellingen")
    assert [t.value for t in at.title] == ["Items"]
    first = checklist_json["items"][0]  # the page opens on item 1.1
    assert metric(at, "Voldaan") == f"{round(first['n_yes'] / (first['n_yes'] + first['n_no']) * 100)}%"
    assert metric(at, "Ja / Nee") == f"{first['n_yes']} / {first['n_no']}"
    scale = start("stellingen")
    assert [t.value for t in scale.title] == ["Stellingen"]


def test_the_uploader_names_the_servers_own_limit():
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 7)
    try:
        at = start("gegevens")
    finally:
        config.set_option("server.maxUploadSize", before)
    assert "Maximaal 7 MB per bestand." in [c.value for c in at.caption]


@pytest.fixture
def spring_round(isolated_round_store):
    return RoundStore(str(isolated_round_store)).save(ingest_file(SPRING), "Gemeente Voorbeeldstad",
                                                      "Voorjaar 2025", "2025-04-07", source_name=SPRING.name)


def test_meetrondes_keeps_the_source_file_under_the_table(spring_round):
    at = start("meetrondes")
    assert list(at.dataframe[0].value.columns) == ["Organisatie", "Meetronde", "Datum", "Respondenten",
                                                   "Opgeslagen op"]
    # The file name as typed (escaped for Markdown on the page) and the day it was saved.
    assert any(c.value.replace("\\", "").startswith(f"Bronbestand: {SPRING.name} · opgeslagen op: ")
               for c in at.caption)


def test_a_viewer_reads_the_plan_per_focus_in_dutch_columns(spring_round):
    PlanStore().save(Plan(spring_round.round_id, "quickscan-dsb", (
        Focus(7, (Action("Training interculturele communicatie", "teamleider", None, "bezig"),)), Focus(3, ())),
        "Leerles"))
    at = signed_in({"email": "kijker@gemeente.example"}, roles={"analysts": ["analist@gemeente.example"]})
    at.session_state["upload"] = {"name": spring_round.label, "digest": f"round:{spring_round.round_id}",
                                  "round_id": spring_round.round_id}
    at.switch_page("app_pages/aan_de_slag.py").run()
    assert not at.exception and not at.data_editor  # a viewer gets no editor
    focus_lines = [m.value for m in at.markdown if m.value.startswith("**Stelling ")]
    assert [line.split("**")[1] for line in focus_lines] == ["Stelling 7", "Stelling 3"]
    assert len(at.dataframe) == 1  # Stelling 3 has no actions yet
    table = at.dataframe[0].value
    assert list(table.columns) == ["Wat", "Wie", "Wanneer", "Status"]  # not item_id, what, who, ...
    assert table.values.tolist() == [["Training interculturele communicatie", "teamleider", "", "Bezig"]]
    assert "Nog geen acties." in [c.value for c in at.caption]
