"""The checklist in a real browser: upload the Google Forms checkbox export and walk the pages (issue 9)."""

import json
import subprocess
import sys

import pytest

from tests.browser.conftest import shoot, wait_idle
from tests.browser.test_flows import go
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SPRING = ROOT / "sample_data" / "diversiteitskader_voorjaar_2025_google_forms.csv"
WIJKTEAM = "In welk wijkteam werkt u?"


def cli(path) -> dict:
    done = subprocess.run([sys.executable, "-m", "analysis", "summarize", str(path), "--team-column", WIJKTEAM],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_upload_the_checklist_and_visit_every_page(server, browser, width, height):
    expected = cli(SPRING)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(SPRING))
    page.get_by_text("32 van 32").wait_for(timeout=30000)
    wait_idle(page)
    assert page.get_by_text("Items herkend").is_visible()
    shoot(page, f"checklist_gegevens_{width}")

    go(page, "Overzicht")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)
    blocks = [b["score"] for b in expected["blocks"]]
    total = f"{round(sum(blocks) / len(blocks) * 100)}%"
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert values[0] == str(expected["respondents"]) and total in values
    page.get_by_text("Voldaan per bouwsteen").first.wait_for(timeout=30000)  # raises when it never shows
    shoot(page, f"checklist_overzicht_{width}")

    go(page, "Teams")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    hidden = [t["team"] for t in expected["teams"] if t["suppressed"]]
    warning = page.locator("[data-testid='stAlert']").filter(has_text="Niet getoond").inner_text()
    assert hidden and all(name in warning for name in hidden)
    shoot(page, f"checklist_teams_{width}")

    go(page, "Items")  # the checklist's questions are items: the page is named for them
    # The page's later parts can arrive after its first chart (and the Teams chart may not be gone yet).
    page.get_by_text("Item in detail").wait_for(timeout=30000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    shoot(page, f"checklist_stellingen_{width}")

    go(page, "Aan de slag")
    # Each weak item is waited for (drawn one after another, in the page's order), then found exactly once.
    for item_id in expected["weak_items"]:
        heading = page.get_by_role("heading", name=f"Item {item_id} ·")
        heading.first.wait_for(timeout=30000)
        assert heading.count() == 1
    shoot(page, f"checklist_aan_de_slag_{width}")
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
