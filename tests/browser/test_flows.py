"""End-to-end in a real browser: upload the sample export, visit every page, check the key figures."""

import json
import re
import subprocess
import sys

import pytest

from tests.browser.conftest import shoot, wait_idle
from tests.conftest import FIXTURES, ROOT, SAMPLES

pytestmark = pytest.mark.browser


def cli(path, team):
    result = subprocess.run([sys.executable, "-m", "analysis", "summarize", str(path), "--team-column", team],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout)


def go(page, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    wait_idle(page)
    page.get_by_role("heading", name=title).first.wait_for()


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_upload_and_visit_every_page(server, browser, width, height):
    expected = cli(FIXTURES / "surveymonkey.csv", "In welk team werkt u?")
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(FIXTURES / "surveymonkey.csv"))
    page.get_by_text("SurveyMonkey (twee koprijen)").wait_for(timeout=30000)
    wait_idle(page)
    assert page.get_by_text("24 van 24").is_visible()
    shoot(page, f"gegevens_{width}")

    go(page, "Overzicht")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == str(expected["respondents"])
    shoot(page, f"overzicht_{width}")
    hover_shows_a_score(page)
    # The charts' text alternative, for a screen reader.
    labels = [page.locator(".qs-chart").nth(i).get_attribute("aria-label") for i in range(2)]
    assert labels[0].startswith("Grafiek: Niveau per thema") and labels[1].startswith("Grafiek: Niveau per stelling")

    go(page, "Teams")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    hidden = [t["team"] for t in expected["teams"] if t["suppressed"]]
    warning = page.locator("[data-testid='stAlert']").filter(has_text="Groepen met minder dan").inner_text()
    assert hidden and all(name in warning for name in hidden)
    shoot(page, f"teams_{width}")

    go(page, "Stellingen")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    shoot(page, f"stellingen_{width}")

    go(page, "Aan de slag")
    # The page's title comes before its statements, and they are drawn one after another: on a busy machine the
    # later ones may not be there yet when the first shows. Each is waited for, then found exactly once.
    for statement_id in expected["weak_statements"]:
        heading = page.get_by_role("heading", name=f"Stelling {statement_id} ·")
        heading.first.wait_for(timeout=30000)
        assert heading.count() == 1
    shoot(page, f"aan_de_slag_{width}")
    assert page.locator("[data-testid='stException']").count() == 0
    # Every chart was drawn with the dashboard's partial plotly.js, loaded once: Streamlit's own plotly chart
    # (4.7 MB of JavaScript) was never fetched.
    scripts = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    assert sum("plotly-quickscan.min.js" in url for url in scripts) == 1
    assert not [url for url in scripts if "PlotlyChart" in url]
    page.close()


def hover_shows_a_score(page) -> None:
    """Pointing at a radar's point shows its hover label, as on any plotly chart."""
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    point = chart.locator(".scatterlayer .trace .points path").first.bounding_box()
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    label = chart.locator(".hoverlayer .hovertext")
    label.first.wait_for(timeout=10000)
    assert re.search(r"Competenties: \S", label.first.text_content())
    page.mouse.move(0, 0)


def test_sample_data_button(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    page.get_by_role("button", name="Voorbeelddata gebruiken").click()
    wait_idle(page)
    assert page.get_by_text((SAMPLES / "quickscan_voorbeeld.xlsx").name).first.is_visible()
    page.close()
