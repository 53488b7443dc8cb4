"""End-to-end: the presentation view at both screen sizes, and every export through its button."""

import re
import struct
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, shoot, wait_idle

pytestmark = pytest.mark.browser


def go_presentatie(page) -> None:
    page.get_by_role("link", name="Presentatie").first.click()
    wait_idle(page)
    # The slide counter comes with the finished page: a toggle clicked before it may be lost on a busy machine.
    page.get_by_text(re.compile(r"^1 / \d+$")).wait_for(timeout=60000)
    page.get_by_text("Presentatiemodus").wait_for(timeout=30000)


def presentation_mode_on(page) -> None:
    page.get_by_text("Presentatiemodus").click()
    page.locator("[data-testid='stSidebar']").wait_for(state="hidden", timeout=30000)
    wait_idle(page)


def next_slide(page, key: str = "PageDown") -> None:
    """Press KEY and wait until another slide's title is shown."""
    title = page.locator("h1").first.inner_text()
    page.keyboard.press(key)
    page.wait_for_function(f"() => (document.querySelector('h1') || {{}}).textContent !== {title!r}", timeout=30000)
    wait_idle(page)


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_presentation_view(server, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server)
    wait_idle(page)
    go_presentatie(page)
    presentation_mode_on(page)
    shoot(page, f"presentatie_titel_{width}")
    # In presentation mode the buttons are hidden: the room's clicker (PageDown, the arrows) turns the slides.
    next_slide(page)
    page.get_by_role("heading", name="Waar staan we?").wait_for()
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)
    next_slide(page, "ArrowRight")
    page.get_by_role("heading", name="Sterkste en zwakste stellingen").wait_for(timeout=10000)
    heading = page.get_by_role("heading", name="Sterkste en zwakste stellingen").bounding_box()
    assert heading["x"] + heading["width"] <= width  # the title fits on the screen
    shoot(page, f"presentatie_sterk_zwak_{width}")
    for _ in range(5):
        next_slide(page)
    page.get_by_role("heading", name="Groepen vergelijken").wait_for(timeout=10000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)  # the groups' radar (the heatmap is next)
    shoot(page, f"presentatie_teams_{width}")
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_clicker_keys_work_at_once_and_the_room_sees_only_the_slide(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(server)
    wait_idle(page)
    go_presentatie(page)
    presentation_mode_on(page)  # focus stays on the toggle: the keys must work all the same
    heading = page.locator("h1")
    for key, title in [("PageDown", "Waar staan we?"), (" ", "Sterkste en zwakste stellingen"),
                       ("PageUp", "Waar staan we?"), ("ArrowRight", "Sterkste en zwakste stellingen"),
                       ("ArrowLeft", "Waar staan we?")]:
        page.keyboard.press(key)
        page.wait_for_function(f"() => (document.querySelector('h1') || {{}}).textContent === {title!r}",
                               timeout=30000)
        wait_idle(page)
    assert heading.count() == 1
    for hidden in ("[data-testid='stSidebar']", "header[data-testid='stHeader']", "[data-testid='stCheckbox']",
                   "[data-testid='stSelectbox']", "[data-testid='stExpander']", "[data-testid='stDownloadButton']",
                   "[data-testid='stButton']", "[data-testid='stToggle']"):
        assert not any(e.is_visible() for e in page.locator(hidden).all()), hidden
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement !== null", timeout=10000)
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null", timeout=10000)
    page.keyboard.press("Escape")
    page.get_by_text("Exporteren en uitdelen").wait_for(timeout=30000)
    assert page.get_by_text("Presentatiemodus").is_visible()
    page.close()


def download(page, label: str, path):
    with page.expect_download(timeout=120000) as info:
        # Our buttons, not plotly's own "Download plot as a png" in the chart toolbar.
        page.locator("[data-testid='stDownloadButton'] button").filter(has_text=label).first.click()
    # The name says what the file holds: organisation, round or file, and a date; never "quickscan-rapport".
    assert re.fullmatch(r"quickscan-[a-z0-9-]+-\d{4}-\d{2}-\d{2}(-[a-z0-9-]+)?\.(html|pdf|pptx|xlsx|png)",
                        info.value.suggested_filename), info.value.suggested_filename
    info.value.save_as(path)
    return path


def open_exports(browser, server, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    page.goto(server)
    wait_idle(page)
    go_presentatie(page)
    page.get_by_text("Exporteren en uitdelen").click()
    wait_idle(page)
    return page


def test_every_export_downloads_through_its_button(server, browser, tmp_path):
    page = open_exports(browser, server, 1920, 1080)
    html = download(page, "HTML (offline)", tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "Plotly.newPlot" in html
    assert download(page, "PDF (A4)", tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
    assert len(PdfReader(tmp_path / "rapport.pdf").pages) >= 4  # laid out compactly: about 6 pages
    deck = Presentation(str(download(page, "PowerPoint", tmp_path / "deck.pptx")))
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    assert "Stellingen" in load_workbook(download(page, "Excel", tmp_path / "cijfers.xlsx")).sheetnames
    page.get_by_role("button", name="Volgende").click()  # the overview slide, with its two radars
    wait_idle(page)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)
    png = download(page, "PNG", tmp_path / "dia.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24])[0] > 1000
    ARTIFACTS.mkdir(exist_ok=True)
    with zipfile.ZipFile(ARTIFACTS / "exports.zip", "w") as archive:
        for path in tmp_path.iterdir():
            archive.write(path, path.name)
    page.close()


def test_offline_html_stays_interactive_without_network(browser, server, tmp_path):
    page = open_exports(browser, server, 1280, 900)
    report = download(page, "HTML (offline)", tmp_path / "rapport.html")
    page.close()
    context = browser.new_context(offline=True)
    requests = []
    offline = context.new_page()
    offline.on("request", lambda request: requests.append(request.url))
    offline.goto(report.as_uri())
    offline.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30000)
    charts = offline.locator(".chart").count()
    assert charts >= 8 and offline.locator(".js-plotly-plot").count() == charts
    offline.locator(".js-plotly-plot").first.hover()
    assert offline.evaluate("typeof Plotly") == "object"
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), requests
    context.close()
