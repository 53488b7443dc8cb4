"""End-to-end: save the two sample rounds in the browser, then check Voortgang against the command line."""

import json
import subprocess
import sys

import pytest

from tests.browser.conftest import shoot, wait_idle
from tests.browser.test_flows import go
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.browser

ROUNDS = [("ronde_2025_voorjaar.xlsx", "Voorjaar 2025", "07-04-2025"),
          ("ronde_2025_najaar.xlsx", "Najaar 2025", "06-10-2025")]


def save_round(page, filename: str, name: str, date: str) -> None:
    page.locator("input[type=file]").set_input_files(str(SAMPLES / filename))
    page.get_by_text(filename).first.wait_for(timeout=30000)
    wait_idle(page)
    page.get_by_label("Organisatie of eenheid").fill("Gemeente Voorbeeldstad")
    page.get_by_label("Naam van de meetronde").fill(name)
    # A segmented date field: day, month and year are spin buttons that advance as digits are typed.
    page.get_by_role("spinbutton", name="day, Datum van de meting").click()
    page.keyboard.type(date.replace("-", ""))
    page.get_by_role("button", name="Meetronde opslaan").click()
    page.get_by_text(f"Opgeslagen als meetronde 'Gemeente Voorbeeldstad · {name}").wait_for(timeout=30000)
    wait_idle(page)


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
    changes = {s["id"]: s["change"] for s in expected["statements"]}
    for statement_id in expected["largest_improvements"] + expected["largest_declines"]:
        assert f"Stelling {statement_id}" in body
        assert f"({changes[statement_id]:+.2f})".replace(".", ",") in body
    assert "40 respondenten" in body and "43 respondenten" in body
    shoot(page, "voortgang_1280")

    go(page, "Meetrondes")
    page.get_by_role("button", name="Openen in het dashboard").wait_for(timeout=10000)
    assert page.get_by_label("Nieuwe naam").input_value() == "Voorjaar 2025"  # the first round, selected
    shoot(page, "meetrondes_1280")
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
