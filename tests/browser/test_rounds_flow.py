"""End-to-end: save the two sample rounds in the browser, then check Voortgang against the command line."""

import json
import subprocess
import sys

import pytest

from tests.browser.conftest import shoot, wait_idle
from tests.browser.test_flows import go
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.browser

ROUNDS = [("ronde_2025_voorjaar.xlsx", "Voorjaar 2025", "7 april 2025"),
          ("ronde_2025_najaar.xlsx", "Najaar 2025", "06-10-2025")]


def save_round(page, filename: str, name: str, date: str) -> None:
    page.locator("input[type=file]").set_input_files(str(SAMPLES / filename))
    page.get_by_text(filename).first.wait_for(timeout=30000)
    wait_idle(page)
    page.get_by_label("Organisatie of eenheid").fill("Gemeente Voorbeeldstad")
    page.get_by_label("Naam van de meetronde").fill(name)
    page.get_by_role("textbox", name="Datum van de meting").fill(date)  # typed in Dutch: no English calendar
    button = page.get_by_role("button", name="Meetronde opslaan")
    button.click()
    confirmation = page.get_by_text(f"Opgeslagen als meetronde 'Gemeente Voorbeeldstad · {name}")
    confirmation.wait_for(timeout=30000)
    wait_idle(page)
    # The confirmation is where the user is looking: on screen, just under the button.
    box, under = confirmation.bounding_box(), button.bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"] and 0 < box["y"] - under["y"] < 200
    assert page.get_by_label("Naam van de meetronde").input_value() == ""  # a fresh form: no double save


def test_save_two_rounds_and_see_progress(server, server_data_dir, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    for filename, name, date in ROUNDS:
        save_round(page, filename, name, date)
    listed = subprocess.run([sys.executable, "-m", "analysis", "rounds", "list", "--format", "json",
                             "--data-dir", str(server_data_dir)], capture_output=True, text=True, cwd=ROOT, check=True)
    rounds = json.loads(listed.stdout)
    assert [(r["name"], r["date"], r["respondents"]) for r in rounds] == [
        ("Voorjaar 2025", "2025-04-07", 40), ("Najaar 2025", "2025-10-06", 43)]
    compared = subprocess.run([sys.executable, "-m", "analysis", "compare", "Voorjaar 2025", "Najaar 2025",
                               "--data-dir", str(server_data_dir)], capture_output=True, text=True, cwd=ROOT,
                              check=True)
    expected = json.loads(compared.stdout)

    go(page, "Voortgang")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)
    body = page.locator("[data-testid='stMain']").inner_text()
    changes = {s["id"]: s for s in expected["statements"]}
    for statement_id in expected["largest_improvements"] + expected["largest_declines"]:
        item = changes[statement_id]
        assert f"Stelling {statement_id}" in body and item["significant"]
        low, high = (f"{v:+.2f}".replace(".", ",") for v in (item["change_low"], item["change_high"]))
        assert f"({item['change']:+.2f}; 95%-interval {low} tot {high})".replace(".", ",") in body
    assert "40 respondenten" in body and "43 respondenten" in body
    assert "Select all" not in body and "2025-04-07" not in body and "7 april 2025" in body
    shoot(page, "voortgang_1280")

    go(page, "Meetrondes")
    page.get_by_role("button", name="Openen in het dashboard").wait_for(timeout=10000)
    assert page.get_by_label("Nieuwe naam").input_value() == "Voorjaar 2025"  # the first round, selected
    shoot(page, "meetrondes_1280")
    # Every column of the rounds table fits at 1280: the grid needs no horizontal scrolling.
    scroller = page.locator("[data-testid='stDataFrame'] .dvn-scroller").first
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_fix_up_editors_fit_at_1280(server, browser, tmp_path):
    """The editable columns and their dropdown are on screen at 1280x720 without scrolling sideways."""
    rows = ["In welk team werkt u?,Stelling 1,Stelling 2", "Team Noord,Neutraal,Gevorderd",
            "Team Noord,Startend,Gevorderd", "Team Zuid,Neutraal,Inactief"]
    path = tmp_path / "neutraal_antwoord.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("Antwoorden die niet herkend werden").wait_for(timeout=30000)
    wait_idle(page)
    page.get_by_text("Antwoorden die niet herkend werden").scroll_into_view_if_needed()
    shoot(page, "gegevens_editors_1280")
    tables = page.locator("[data-testid='stDataFrame'] .dvn-scroller")
    widths = [tables.nth(i).evaluate("e => [e.scrollWidth, e.clientWidth]") for i in range(tables.count())]
    assert len(widths) == 3  # the report, the answers editor, the columns editor
    assert all(scroll <= client + 1 for scroll, client in widths), widths
    # Open the "Oplossing" dropdown of the first row: its longest option reads in full.
    editor = page.locator("[data-testid='stDataFrame']").nth(1).bounding_box()
    page.mouse.dblclick(editor["x"] + 150 + 100, editor["y"] + 56)
    option = page.get_by_text("Leeg (niet ingevuld)").last
    option.wait_for(timeout=10000)
    shoot(page, "gegevens_dropdown_1280")
    assert option.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    box = option.bounding_box()
    assert box["x"] + box["width"] <= 1280
    page.close()
