"""Every page with the Diversiteitskader checklist, and the reading choices on Gegevens (issues 9 and 10).

Expected figures come from the command line on the same file (tested against hand-worked values in
tests/analysis/test_checklist.py), so page and command line are held to one another.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.app.test_pages import cli_summary, metric, start
from tests.conftest import FIXTURES, ROOT

CHECKLIST_SAMPLE = ROOT / "sample_data" / "diversiteitskader_najaar_2025.xlsx"
WIJKTEAM = "In welk wijkteam werkt u?"
# The three phases of block 5 as the source has them (../shared/reference/diversiteitskader_extract.md, line 21).
PROCES_PHASES = [("Voorbereiding", ["5.1", "5.2", "5.3", "5.4", "5.5"]), ("Verandering", ["5.6", "5.7", "5.8", "5.9"]),
                 ("Verankering", ["5.10"])]


@pytest.fixture(scope="module")
def checklist_json():
    return cli_summary(CHECKLIST_SAMPLE, WIJKTEAM, "--reporting-column", WIJKTEAM, "--threshold", "0.5")


def items_of(result: dict) -> dict:
    return {i["id"]: i for i in result["items"]}


def checklist_sample():
    at = start("gegevens")
    at.selectbox(key="sample_choice").set_value("Diversiteitskader wijkteams")
    next(b for b in at.button if b.label == "Voorbeelddata gebruiken").click().run()
    assert not at.exception
    return at


def test_the_sample_choice_offers_the_checklist(checklist_json):
    at = checklist_sample()
    assert metric(at, "Items herkend") == "32 van 32"
    assert metric(at, "Respondenten") == str(checklist_json["respondents"])
    assert at.selectbox(key=f"instrument_{at.session_state['upload']['digest']}").value == "diversiteitskader-wijkteams"
    assert any("Diversiteitskader wijkteams" in c.value for c in at.caption)


def test_every_page_shows_the_checklist_in_its_own_words(checklist_json):
    at = checklist_sample()
    blocks = [b["score"] for b in checklist_json["blocks"]]
    total = round(sum(blocks) / len(blocks) * 100)
    at.switch_page("app_pages/overzicht.py").run()
    assert not at.exception
    assert metric(at, "Voldaan (totaal)") == f"{total}%"
    # The phase is a line of its own under the tiles (in a tile, 'Fase Voorbereiding' was cut off at 1280 px).
    scores = {i["id"]: i["score"] for i in checklist_json["items"]}
    first_open = next(name for name, ids in PROCES_PHASES if any((scores[i] or 0) < 0.5 for i in ids))
    assert f"**Proces:** fase {first_open}" in [m.value for m in at.markdown]
    assert all(len(m.value) <= 6 for m in at.metric)  # short values: '24', '100%', '49%'
    assert [s.value for s in at.subheader][:2] == ["Sterkste items", "Zwakste items"]
    slider = at.sidebar.select_slider[0]
    assert slider.label == "Drempel zwak item" and slider.value == 0.5
    for page in ("teams", "stellingen", "aan_de_slag", "voortgang", "meetrondes"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page
    at.switch_page("app_pages/aan_de_slag.py").run()
    shown = [h.value.split(" · ")[0].removeprefix("##### Item ") for h in at.markdown
             if h.value.startswith("##### Item")]
    assert shown == checklist_json["weak_items"]


def test_teams_hide_the_small_wijkteam_and_show_shares(checklist_json):
    at = checklist_sample()
    at.switch_page("app_pages/teams.py").run()
    status = dict(zip(at.dataframe[0].value["Groep"], at.dataframe[0].value["Status"]))
    hidden = {t["team"] for t in checklist_json["teams"] if t["suppressed"]}
    assert status["Wijkteam Zuid"] == "te weinig respondenten (n<5)" and "Wijkteam Zuid" in hidden
    assert {g for g, s in status.items() if s != "getoond"} == hidden
    difference = at.dataframe[1].value
    assert list(difference.index[:12]) == [f"Item 1.{n}" for n in range(1, 13)]  # item order, not text order
    oost = {t["team"]: t for t in checklist_json["teams"]}["Wijkteam Oost"]
    def share(item):  # exact, from the counts (the JSON's scores are rounded)
        return item["n_yes"] / (item["n_yes"] + item["n_no"])
    first = share(items_of(oost)["1.1"]) - share(items_of(checklist_json)["1.1"])
    assert difference.loc["Item 1.1", "Wijkteam Oost"] == f"{round(first * 100):+d} procentpunt"


def test_the_analyst_can_read_the_file_as_another_instrument():
    at = checklist_sample()
    digest = at.session_state["upload"]["digest"]
    at.selectbox(key=f"instrument_{digest}").set_value("quickscan-dsb").run()
    assert not at.exception
    # Read as the QuickScan, the checklist's columns name no statement: said plainly, no traceback.
    assert any("Geen enkele stelling herkend" in e.value for e in at.error)
    next(b for b in at.button if b.label == "Instrument en werkblad weer automatisch kiezen").click().run()
    assert metric(at, "Items herkend") == "32 van 32"


def write_items(item_ids: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Wijkteam", *item_ids])
    for n in range(6):
        writer.writerow(["Oost", *(["ja", "nee"][(n + i) % 2] for i in range(len(item_ids)))])
    return buffer.getvalue().encode()


def test_items_left_out_are_named_and_saving_them_needs_a_confirmation(isolated_round_store):
    at = start("gegevens")
    at.file_uploader[0].set_value(("drie.csv", write_items(["1.1", "1.2", "1.3"]), "text/csv")).run()
    warning = next(w.value for w in at.warning if "komt in dit bestand niet voor" in w.value)
    assert "Item 1.4 komt in dit bestand niet voor." in warning and "Item 5.10 komt" in warning
    inputs = {t.label: t for t in at.text_input}
    inputs["Organisatie of eenheid"].input("Wijkteam Oost")
    inputs["Naam van de meetronde"].input("Proef")
    next(b for b in at.button if b.label == "Meetronde opslaan").click().run()
    assert any("bevestig eerst" in e.value for e in at.error)
    assert not list(isolated_round_store.glob("*.parquet"))
    at.checkbox[0].check()
    next(b for b in at.button if b.label == "Meetronde opslaan").click().run()
    assert not at.exception
    assert any("Opgeslagen als meetronde" in s.value for s in at.success)


def test_a_workbook_names_its_sheet_and_another_can_be_chosen():
    at = start("gegevens")
    data = (FIXTURES / "multisheet_title.xlsx").read_bytes()
    at.file_uploader[0].set_value(("werkmap.xlsx", data, "application/octet-stream")).run()
    caption = " ".join(c.value for c in at.caption)
    assert "werkblad 'Resultaten'" in caption and "titelregel(s) overgeslagen: rij 1" in caption
    sheet = at.selectbox(key=f"sheet_{at.session_state['upload']['digest']}")
    assert sheet.options == ["Toelichting", "Resultaten"] and sheet.value == "Resultaten"
    sheet.set_value("Toelichting").run()
    assert not at.exception
    # The explanation sheet holds no answers: refused with a clear message, and the choice can be undone.
    assert at.error and at.session_state["upload"]["sheet"] == "Toelichting"
    next(b for b in at.button if b.label == "Instrument en werkblad weer automatisch kiezen").click().run()
    assert not at.error and metric(at, "Stellingen herkend") == "24 van 24"


def test_fixes_saved_as_koppeling_come_back_with_the_next_round(isolated_round_store):
    """Issue 10: the next export of the same form gets the analyst's fixes at once, said and undoable."""
    spring = "Team,Stelling 1,Stelling 2\nA,Neutraal,Gevorderd\nA,Startend,Gevorderd\nB,Neutraal,Inactief\n"
    autumn = "team, STELLING 1 ,Stelling 2\nA,Neutraal,Vergevorderd\nB,Neutraal,Startend\n"
    at = start("gegevens")
    at.file_uploader[0].set_value(("voorjaar.csv", spring.encode(), "text/csv")).run()
    key = next(k for k in at.session_state._state.filtered_state if k.startswith("value_editor_"))
    at.session_state[key] = {"edited_rows": {0: {"oplossing": "3. Goed op weg"}}, "added_rows": [],
                             "deleted_rows": []}
    at.run()
    assert metric(at, "Open problemen") == "0"
    next(t for t in at.text_input if t.label == "Naam van de koppeling").input("Forms team")
    next(b for b in at.button if b.label == "Koppeling opslaan").click().run()
    assert any("Koppeling 'Forms team' opgeslagen" in s.value for s in at.success)

    at.file_uploader[0].set_value(("najaar.csv", autumn.encode(), "text/csv")).run()
    assert not at.exception
    assert any("Koppeling 'Forms team' toegepast: 0 kolommen, 1 waarde" in i.value.replace("\\", "")
               for i in at.info)
    assert metric(at, "Open problemen") == "0"
    next(b for b in at.button if b.label == "Koppeling ongedaan maken").click().run()
    assert metric(at, "Open problemen") == "2"  # 'Neutraal' twice, no longer understood


def test_the_items_page_gives_the_notes_its_texts_cite():
    """Section texts cite the source's notes ('... achtertuintjes'.⁵); the page lists those notes under the text."""
    import yaml

    data = yaml.safe_load((ROOT / "instruments" / "diversiteitskader_wijkteams.yaml").read_text(encoding="utf-8"))
    notes = {n["number"]: n["text"] for n in data["footnotes"]}
    outreach = next(s for s in data["sections"] if s["id"] == "outreachend-werken")
    assert "achtertuintjes”.⁵" in " ".join(p for b in outreach["text"] for p in b["paragraphs"])
    at = checklist_sample()
    at.switch_page("app_pages/stellingen.py").run()
    item = next(i["id"] for i in data["items"] if i.get("section") == "outreachend-werken")
    at.selectbox[0].set_value(next(o for o in at.selectbox[0].options if o.startswith(f"{item}. "))).run()
    assert not at.exception
    captions = [c.value for c in at.caption if c.value.startswith("Noten: ")]
    assert captions[0] == f"Noten: ⁵ {notes[5]} · ⁶ {notes[6]}"
