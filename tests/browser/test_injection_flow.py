"""Hostile text from an upload in the real browser: no page makes a request anywhere but the app itself."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import shoot, wait_idle

pytestmark = pytest.mark.browser

PAYLOADS = ["![x](http://host.example/pixel.png?leak=1)", "<img src=http://host.example/tag.png>",
            "http://host.example/auto", "\u202eGROEN", '=HYPERLINK("http://x.example","klik")']
HEADINGS = {"Presentatie": "QuickScan diversiteits sensitief begeleiden"}
PAGES = ["Overzicht", "Teams", "Stellingen", "Aan de slag", "Presentatie", "Gegevens"]


def hostile_export(path):
    header = ["Team", *[f"Stelling {i}" for i in range(1, 25)]]
    lines = [",".join(header)]
    for index, team in enumerate(PAYLOADS):
        cell = '"' + team.replace('"', '""') + '"'
        lines += [cell + "," + ",".join(str(1 + (index + i) % 5) for i in range(24))] * 6
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_team_names_make_no_request_and_no_link(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(hostile_export(tmp_path / "teams.csv")))
    page.get_by_text("teams.csv").first.wait_for(timeout=30000)
    wait_idle(page)
    for title in PAGES:
        page.get_by_role("link", name=title).first.click()
        wait_idle(page)
        # Presentatie opens on its title slide, whose heading is the instrument's title.
        page.get_by_role("heading", name=HEADINGS.get(title, title)).first.wait_for()
        page.wait_for_timeout(500)
        assert page.locator("[data-testid='stException']").count() == 0, title
        assert page.locator("a[href*='example'], img[src*='example']").count() == 0, title
        assert "\u202e" not in page.locator("body").inner_text(), title
        if title == "Teams":
            shoot(page, "teams_hostile_names")
            assert "GROEN" in page.locator("body").inner_text()
    app = urlparse(server).netloc
    foreign = [url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
               and urlparse(url).netloc != app]
    assert foreign == [], foreign
    page.close()


def test_tables_offer_no_raw_csv_download(server, browser):
    """Streamlit's own CSV export writes upload text raw; it is switched off (our own buttons are safe)."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/teams")
    wait_idle(page)
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=30000)
    table.hover()
    page.wait_for_timeout(300)
    assert page.locator("[data-testid='stElementToolbar'] button[aria-label*='Download']").count() == 0
    assert page.get_by_role("button", name="Groepsscores downloaden (csv)").count() == 1
    page.close()
