"""At the projector's 1280x720 nothing is cut off, the dashboard speaks Dutch where Streamlit would not, and the
page URLs people type lead to their page (found by a QA walk in headless Chromium)."""

import subprocess
import sys
import tomllib

import pytest

from tests.browser.conftest import dashboard_server, shoot, wait_idle
from tests.browser.test_flows import go
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.browser

CHECKLIST = SAMPLES / "diversiteitskader_voorjaar_2025_google_forms.csv"
ROUNDS = [("ronde_2025_voorjaar.xlsx", "Voorjaar 2025", "2025-04-07"),
          ("ronde_2025_najaar.xlsx", "Najaar 2025", "2025-10-06")]
# Every element on the page whose text is wider than its box: Streamlit cuts it with an ellipsis.
CUT_METRICS = """() => [...document.querySelectorAll('[data-testid=stMetricValue]')]
    .filter(m => [m, ...m.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
    .map(m => m.innerText)"""
TABLE_WIDTHS = """() => [...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')]
    .map(s => [s.scrollWidth, s.clientWidth])"""
HEADERS = """e => [...e.querySelectorAll('th[role=columnheader]')].map(h => h.textContent)"""


@pytest.fixture(scope="module")
def server_with_rounds(tmp_path_factory):
    """A server of its own with the two sample rounds saved (the shared server's store belongs to other tests)."""
    data_dir = tmp_path_factory.mktemp("fit-meetrondes")
    for file_name, name, date in ROUNDS:
        subprocess.run([sys.executable, "-m", "analysis", "rounds", "save", str(SAMPLES / file_name),
                        "--organisation", "Gemeente Voorbeeldstad", "--name", name, "--date", date,
                        "--reporting-column", "In welk team werkt u?", "--data-dir", str(data_dir)],
                       cwd=ROOT, check=True, capture_output=True)
    with dashboard_server(data_dir) as url:
        yield url


def headers(table) -> list[str]:
    """The column headers a table draws (its grid fills them in once it is on screen)."""
    table.scroll_into_view_if_needed()
    table.page.wait_for_function("e => e.querySelectorAll('th[role=columnheader]').length > 0",
                                 arg=table.element_handle(), timeout=30000)
    return table.evaluate(HEADERS)


def nothing_cut(page, where: str, tables: int = 0) -> None:
    """No metric value cut off, and the page's TABLES (at least) need no scrolling sideways."""
    assert page.evaluate(CUT_METRICS) == [], where
    page.wait_for_function(f"document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller').length >= {tables}",
                           timeout=30000)
    widths = page.evaluate(TABLE_WIDTHS)
    assert all(scroll <= client + 1 for scroll, client in widths), (where, widths)


def test_typed_page_urls_open_their_page(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    for typed, heading, menu in [("overzicht", "Overzicht", "Overzicht"), ("Teams", "Teams", "Teams"),
                                 ("items", "Stellingen", "Stellingen"), ("aan_de_slag", "Aan de slag", "Aan de slag")]:
        page.goto(f"{server}/{typed}")
        wait_idle(page)
        page.get_by_role("heading", name=heading).first.wait_for(timeout=30000)
        active = page.locator("[data-testid='stSidebarNavLink'][aria-current='page']").inner_text()
        assert active.endswith(menu), (typed, active)
        assert page.get_by_role("dialog").count() == 0, typed  # Streamlit's English "Page not found"
    page.goto(f"{server}/bestaat-niet")
    wait_idle(page)
    page.get_by_role("heading", name="Pagina niet gevonden").wait_for(timeout=30000)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "'/bestaat-niet'" in body and "Page not found" not in body and page.get_by_role("dialog").count() == 0
    shoot(page, "pagina_niet_gevonden_1280")
    # Its list of pages leads on.
    page.locator("[data-testid='stMain']").get_by_role("link", name="Voortgang").click()
    wait_idle(page)
    page.get_by_role("heading", name="Voortgang").first.wait_for(timeout=30000)
    page.close()


def test_the_uploader_and_the_help_icons_speak_dutch(server, browser):
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    uploader = page.locator("[data-testid='stFileUploader']")
    uploader.get_by_role("button", name="Bestand kiezen").wait_for(timeout=30000)
    assert not uploader.get_by_text("per file").is_visible()
    assert not uploader.get_by_text("Upload", exact=True).is_visible()
    assert page.get_by_text(f"Maximaal {limit} MB per bestand.").is_visible()
    labels = page.evaluate("() => [...document.querySelectorAll('[aria-label]')].map(e => e.ariaLabel)")
    assert "Uitleg bij Groepskolom (team, afdeling, …)" in labels
    assert not [label for label in labels if label.startswith("Help for")]
    uploader.screenshot(path=str(ROOT / "test-artifacts" / "uploader_1280.png"))
    page.close()


# What Streamlit and plotly write in English on a page: names (aria-label, plotly's data-title), placeholders.
ENGLISH_NAMES = """() => [...document.querySelectorAll('[aria-label], [data-title], input[placeholder]')]
    .map(e => e.getAttribute('aria-label') || e.getAttribute('data-title') || e.getAttribute('placeholder'))"""
ENGLISH = ("Choose", "Remove ", "Clear all", "Show/hide", "Search", "Fullscreen", "Download", "Collapse", "Open ",
           "Share", "Zoom")


def test_widgets_tables_and_charts_speak_dutch(server, browser):
    """The multiselect's placeholder and its chips, a table's toolbar and tooltips, a chart's buttons: Streamlit
    and plotly say them in English (QA walk); the page says them in Dutch, the uploaded group names untouched."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/teams")
    wait_idle(page)
    page.get_by_role("heading", name="Teams").first.wait_for(timeout=30000)
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    table.hover()
    search = table.locator("[aria-label='Zoeken']")
    search.wait_for(timeout=30000)
    search.hover()
    page.get_by_role("tooltip").get_by_text("Zoeken", exact=True).wait_for(timeout=30000)
    page.locator("[data-title]").first.wait_for(state="attached", timeout=30000)
    names = page.evaluate(ENGLISH_NAMES)
    assert "Verwijder Team Noord" in names and "Grafiek downloaden als PNG" in names
    assert [n for n in names if n.startswith(ENGLISH) or n == "Open"] == []
    page.goto(f"{server}/overzicht")
    wait_idle(page)
    page.wait_for_function("() => [...document.querySelectorAll('input[placeholder]')]"
                           ".some(e => e.placeholder === 'Kies een optie')", timeout=30000)
    names = page.evaluate(ENGLISH_NAMES)
    assert [n for n in names if n.startswith(ENGLISH) or n == "Open"] == []
    page.close()


def test_a_file_over_the_upload_limit_is_refused_in_dutch(server, browser, tmp_path):
    """The browser refuses it before the server sees it, in Streamlit's English, hidden for all but screen readers:
    shown beside the file, in Dutch."""
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    big = tmp_path / "groot.csv"
    with big.open("wb") as handle:
        handle.truncate((limit + 1) * 1024 * 1024)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    uploader = page.locator("[data-testid='stFileUploader']")
    uploader.locator("input[type=file]").set_input_files(str(big))
    alert = uploader.get_by_role("alert")
    alert.wait_for(state="attached", timeout=30000)
    page.wait_for_function("e => e.textContent.startsWith('Fout:')", arg=alert.element_handle(), timeout=30000)
    assert alert.text_content() == f"Fout: het bestand is te groot (hoogstens {limit:.1f}MB)."
    assert alert.bounding_box()["width"] > 200  # shown beside the file, not only read out (it was a red icon)
    uploader.screenshot(path=str(ROOT / "test-artifacts" / "uploader_te_groot_1280.png"))
    page.close()


def test_nothing_is_cut_off_at_1280(server_with_rounds, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server_with_rounds}/gegevens")
    wait_idle(page)
    # The sample's plan: three focuses, a table each; Voortgang: trends per group and the change per statement.
    for title, tables in [("Overzicht", 0), ("Stellingen", 0), ("Aan de slag", 3), ("Meetrondes", 1),
                          ("Voortgang", 2)]:
        go(page, title)
        page.wait_for_timeout(1000)  # tables draw after the page's text
        nothing_cut(page, title, tables)
    tables = page.locator("[data-testid='stDataFrame']")
    assert "Oordeel" in headers(tables.last)  # the change table's verdict, on screen
    go(page, "Aan de slag")
    page.get_by_role("heading", name="Verbeterplan").wait_for(timeout=30000)
    assert headers(tables.first) == ["Wat", "Wie", "Wanneer", "Status"]
    shoot(page, "aan_de_slag_1280")
    go(page, "Stellingen")
    # The level's tile holds the longest words it can show.
    level = page.locator("[data-testid='stMetric']").filter(has_text="Niveau").locator("[data-testid=stMetricValue]")
    for words in ["Vergevorderd", "geen oordeel"]:
        level.locator("div").first.evaluate("(e, words) => { e.textContent = words; }", words)
        assert page.evaluate(CUT_METRICS) == [], words
    page.close()


def test_the_checklist_pages_fit_and_name_their_items(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(CHECKLIST))
    page.get_by_text("32 van 32").wait_for(timeout=30000)
    wait_idle(page)
    menu = page.locator("[data-testid='stSidebarNavLink']").all_inner_texts()
    assert any(text.endswith("Items") for text in menu) and not any(text.endswith("Stellingen") for text in menu)
    for title in ["Overzicht", "Items", "Aan de slag"]:
        go(page, title)
        page.wait_for_timeout(1000)
        nothing_cut(page, title)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text("Met één hand kun je niet klappen").count() == 1  # once, not once per weak item
    shoot(page, "checklist_aan_de_slag_compact_1280")
    page.close()
