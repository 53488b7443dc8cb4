"""End-to-end (issue "Leernetwerk"): save the sample network's rounds, build the network, make a plan, and
take the presentation with its Afspraken slide and the Word plan home; both files are opened again."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from pptx import Presentation

from analysis.ingest.dataset import ingest_file
from analysis.store import RoundStore
from analysis.store.database import forget_open_databases
from analysis.store.plans import PlanStore
from tests.browser.conftest import dashboard_server, shoot, wait_idle
from tests.browser.test_flows import go
from tests.conftest import SAMPLES

pytestmark = pytest.mark.browser

NETWORK_DIR = SAMPLES / "leernetwerk"
MANIFEST = json.loads((NETWORK_DIR / "leernetwerk.json").read_text(encoding="utf-8"))
ORGANISATIONS = sorted({row["organisation"] for row in MANIFEST["rounds"]})
FIRST = MANIFEST["rounds"][0]


@pytest.fixture(scope="module")
def network_server(tmp_path_factory, chromium_path):
    data_dir = tmp_path_factory.mktemp("leernetwerk-store")
    with dashboard_server(data_dir) as url:
        yield url, data_dir
    forget_open_databases()


def save_in_browser(page, row: dict) -> None:
    page.locator("input[type=file]").set_input_files(str(NETWORK_DIR / row["file"]))
    page.get_by_text(row["file"]).first.wait_for(timeout=30000)
    wait_idle(page)
    page.get_by_label("Organisatie of eenheid").fill(row["organisation"])
    page.get_by_label("Naam van de meetronde").fill(row["name"])
    page.get_by_role("textbox", name="Datum van de meting").fill(row["date"])
    page.get_by_role("button", name="Meetronde opslaan").click()
    page.get_by_text("Opgeslagen als meetronde").wait_for(timeout=30000)
    wait_idle(page)


def plotted_text(page) -> str:
    """Everything the charts carry: trace names, axis labels, hover texts and annotations."""
    return page.evaluate("""() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(
        p => ({data: p.data, layout: p.layout})))""")


ACTION = {"what": "Intervisie over tolkgebruik", "who": "teamleider", "when": "2026-03-01", "status": "Bezig"}


def type_action(page, grid_index: int, add_row: bool) -> None:
    """Fill one action of a focus's table: wat, wie, wanneer and status (the grid is a canvas).

    Each cell is opened (double click on wat, then Tab to the next cell and Enter), its editor waited for in the
    grid's overlay (#portal), and filled: a keystroke never lands before the editor is there."""
    grid = page.locator("[data-testid='stDataFrame']").nth(grid_index)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    if add_row:
        page.mouse.click(box["x"] + 200, box["y"] + box["height"] - 18)  # the trailing row adds a row
        page.wait_for_timeout(600)
    portal = page.locator("#portal")
    page.mouse.dblclick(box["x"] + 200, box["y"] + 57)  # the first row's wat
    for field in ("what", "who"):
        editor = portal.locator("textarea").first
        editor.wait_for(timeout=10000)
        editor.fill(ACTION[field])
        page.keyboard.press("Tab")  # commits and selects the cell to the right
        editor.wait_for(state="detached", timeout=10000)
        page.keyboard.press("Enter")  # opens it
    date = portal.locator("input[type=date]").first
    date.wait_for(timeout=10000)
    date.fill(ACTION["when"])
    page.keyboard.press("Tab")
    date.wait_for(state="detached", timeout=10000)
    page.keyboard.press("Enter")
    option = portal.get_by_text(ACTION["status"], exact=True)
    option.wait_for(timeout=10000)
    option.click()
    page.wait_for_timeout(500)


def saved_action(plans, round_id: str):
    """The typed action as the store holds it: (wat, wie, wanneer ISO, status), or None."""
    for focus in plans.get(round_id).focuses:
        for action in focus.actions:
            if action.what:
                return action.what, action.who, action.when.isoformat() if action.when else None, action.status
    return None


def test_network_plan_and_the_files_a_facilitator_takes_home(network_server, browser):
    url, data_dir = network_server
    page = browser.new_page(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    page.goto(f"{url}/gegevens")
    wait_idle(page)
    save_in_browser(page, FIRST)
    store = RoundStore(str(data_dir))  # the other seven as the command line would: the same store
    for row in MANIFEST["rounds"][1:]:
        store.save(ingest_file(NETWORK_DIR / row["file"]), row["organisation"], row["name"], row["date"],
                   source_name=row["file"])
    assert len(store.list()) == len(MANIFEST["rounds"]) == 8

    go(page, "Leernetwerk")
    page.locator("[data-testid='stExpander'] summary").filter(has_text="Nieuw leernetwerk maken").click()
    page.get_by_label("Naam van het leernetwerk").fill("Leernetwerk regio Proef")
    # The name is sent (and the page reruns) when its field loses focus: let that rerun end first, or it
    # redraws the organisation list while its options are open.
    page.get_by_label("Naam van het leernetwerk").press("Tab")
    wait_idle(page)
    members = page.get_by_label("Organisaties (met meetrondes van")
    for organisation in ORGANISATIONS:
        members.click()
        members.fill(organisation)
        page.get_by_role("option", name=organisation, exact=True).wait_for(timeout=10000)
        members.press("Enter")
        wait_idle(page)
    page.keyboard.press("Escape")
    chosen = page.locator("[data-testid='stMultiSelect']").filter(has_text="Organisaties (met meetrondes")
    for organisation in ORGANISATIONS:
        chosen.get_by_text(organisation, exact=True).wait_for(timeout=10000)
    page.get_by_role("button", name="Leernetwerk maken").click()
    page.get_by_text("Leernetwerk 'Leernetwerk regio Proef' gemaakt.").wait_for(timeout=30000)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)
    wait_idle(page)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "te weinig respondenten" in main  # the small organisation is left out, and says why
    charts = plotted_text(page)
    assert "Organisatie A" in charts and "Organisatie C" in charts
    for organisation in ORGANISATIONS:  # the facilitator's view names nobody
        assert organisation not in charts
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        for number in (0, 1):
            page.locator(".js-plotly-plot").nth(number).scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            shoot(page, f"leernetwerk_chart{number + 1}_{width}")
    page.set_viewport_size({"width": 1280, "height": 720})

    go(page, "Meetrondes")
    page.get_by_role("button", name="Openen in het dashboard").wait_for(timeout=30000)
    page.get_by_label("Meetronde", exact=True).click()
    page.get_by_role("option").filter(has_text=f"{FIRST['organisation']} · {FIRST['name']}").click()
    wait_idle(page)
    page.get_by_role("button", name="Openen in het dashboard").click()
    wait_idle(page)
    go(page, "Aan de slag")
    page.get_by_role("button", name="Zwakste").click()
    wait_idle(page)
    plans = PlanStore(str(data_dir))
    first_round = next(
        r for r in store.list() if r.organisation == FIRST["organisation"] and r.name == FIRST["name"])
    # Type, save, and look in the store. Should a busy machine still lose an entry, it is typed again over the
    # same row (a new version), at most thrice.
    wanted = (ACTION["what"], ACTION["who"], ACTION["when"], "bezig")
    for version in (1, 2, 3):
        type_action(page, 0, add_row=saved_action(plans, first_round.round_id) is None)
        page.get_by_role("button", name="Plan opslaan").click()
        page.get_by_text(f"Verbeterplan opgeslagen (versie {version})").wait_for(timeout=30000)
        wait_idle(page)
        if saved_action(plans, first_round.round_id) == wanted:
            break
    shoot(page, "leernetwerk_plan_1280")
    assert saved_action(plans, first_round.round_id) == wanted
    with page.expect_download() as word:
        page.get_by_role("button", name="Plan als Word").click()
    document = Document(io.BytesIO(open(word.value.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert f"Verbeterplan {FIRST['organisation']}" in text
    assert ["Intervisie over tolkgebruik", "teamleider", "1 maart 2026", "Bezig"] in rows, rows

    page.get_by_role("link", name="Presentatie").first.click()
    page.get_by_text("Exporteren en uitdelen").wait_for(timeout=30000)
    wait_idle(page)
    page.get_by_text("Exporteren en uitdelen").click()
    with page.expect_download(timeout=120000) as deck:
        page.locator("[data-testid='stDownloadButton'] button").filter(has_text="PowerPoint").first.click()
    slides = Presentation(io.BytesIO(open(deck.value.path(), "rb").read())).slides
    texts = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides]
    agreed = [t for t in texts if "Afspraken" in t]
    assert agreed and "Intervisie over tolkgebruik · teamleider · 1 maart 2026 · Bezig" in agreed[0]
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
