"""End-to-end in Chromium: an upload survives a typed URL and a reload (F5) through the browser's cookie; without
the cookie the sample is back, and a kept upload the server let go is said on the banner, never shown silently.

A server of its own keeps one upload at most (QUICKSCAN_KEPT_UPLOADS=1), so a second browser's upload evicts the
first's, as a full store would.
"""

import time

import pytest

from tests.browser.conftest import dashboard_server, shoot, wait_idle
from tests.browser.test_flows import go
from tests.conftest import SAMPLES
from ui.sample_banner import LOST_NOTICE, LOST_NOTICE_HERE, SAMPLE_NOTICE, SAMPLE_NOTICE_HERE

pytestmark = pytest.mark.browser

AUTUMN = SAMPLES / "ronde_2025_najaar.xlsx"
SPRING = SAMPLES / "ronde_2025_voorjaar.xlsx"
COOKIE = "quickscan_upload"


@pytest.fixture(scope="module")
def keep_one_server(tmp_path_factory, chromium_path):
    with dashboard_server(tmp_path_factory.mktemp("kept-upload"), {"QUICKSCAN_KEPT_UPLOADS": "1"}) as url:
        yield url


def plain(markdown: str) -> str:
    """A notice as the browser shows it: without the Markdown's bold."""
    return markdown.replace("**", "")


def banner_text(page) -> str | None:
    banner = page.locator(".st-key-sample_banner [data-testid='stMarkdownContainer']")
    return " ".join(banner.inner_text().split()) if banner.count() else None  # the text, not the icon's name


def sidebar_file(page) -> str:
    return page.locator("[data-testid='stSidebar'] [data-testid='stText']").first.inner_text()


def upload_cookie(context, wait_s: float = 15) -> dict | None:
    """The browser's cookie once the page's script has set it (None when it has not within WAIT_S)."""
    deadline = time.monotonic() + wait_s
    while True:
        found = [c for c in context.cookies() if c["name"] == COOKIE]
        if found or time.monotonic() > deadline:
            return found[0] if found else None
        time.sleep(0.1)


def cookie_gone(context, wait_s: float = 15) -> bool:
    deadline = time.monotonic() + wait_s
    while any(c["name"] == COOKIE for c in context.cookies()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def upload(page, server: str, path) -> None:
    page.goto(f"{server}/gegevens")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(path.name).first.wait_for(timeout=30000)
    wait_idle(page)


def open_page(page, url: str, heading: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30000)
    wait_idle(page)


def test_the_upload_survives_a_typed_url_and_a_reload(keep_one_server, browser):
    server = keep_one_server
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    open_page(page, f"{server}/gegevens", "Gegevens")
    # A fresh browser sees the sample; on Gegevens the notice points at the uploader below it.
    assert banner_text(page) == plain(SAMPLE_NOTICE_HERE)
    page.get_by_role("button", name="Bestand kiezen").wait_for(timeout=30000)
    page.get_by_text("24 van 24").wait_for(timeout=30000)
    wait_idle(page)
    shoot(page, "kept_upload_sample_gegevens_1280")
    assert upload_cookie(context, wait_s=1) is None  # nothing kept, no cookie

    upload(page, server, AUTUMN)
    cookie = upload_cookie(context)
    assert cookie is not None, "the page did not set the upload cookie"
    assert (cookie["path"], cookie["sameSite"], cookie["httpOnly"]) == ("/", "Strict", False)
    assert 0 < cookie["expires"] - time.time() <= 24 * 3600 + 5  # a day at most: no long lifetime
    assert len(cookie["value"]) == 43

    # Typed into the address bar: a new session, the same file.
    open_page(page, f"{server}/teams", "Teams")
    assert sidebar_file(page) == AUTUMN.name
    assert banner_text(page) is None
    page.get_by_text("Groepen vergelijken").wait_for(timeout=30000)  # grouped by the team it suggests
    # A choice made for this file: no grouping.
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="(geen)").click()
    no_groups = page.get_by_text("Kies in de zijbalk een groepskolom")
    no_groups.wait_for(timeout=30000)
    # F5: the same file, with the choice.
    page.reload()
    wait_idle(page)
    page.get_by_role("heading", name="Teams").first.wait_for(timeout=30000)
    no_groups.wait_for(timeout=30000)
    wait_idle(page)
    assert sidebar_file(page) == AUTUMN.name
    assert banner_text(page) is None
    shoot(page, "kept_upload_teams_after_reload_1280")

    # Without the cookie (cleared, another browser) the session starts on the sample again, as before.
    context.clear_cookies()
    page.reload()
    wait_idle(page)
    page.get_by_role("heading", name="Teams").first.wait_for(timeout=30000)
    page.locator(".st-key-sample_banner").wait_for(timeout=30000)
    page.get_by_text("Groepen vergelijken").wait_for(timeout=30000)  # the sample, grouped by team
    wait_idle(page)
    assert banner_text(page) == plain(SAMPLE_NOTICE)
    assert sidebar_file(page).startswith("Voorbeelddata (fictief)")
    shoot(page, "kept_upload_cookie_cleared_teams_1280")
    context.close()


def test_choosing_the_sample_forgets_the_upload(keep_one_server, browser):
    server = keep_one_server
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    upload(page, server, AUTUMN)
    assert upload_cookie(context) is not None
    page.get_by_role("button", name="Voorbeelddata gebruiken").click()
    wait_idle(page)
    assert cookie_gone(context), "choosing the sample left the upload cookie"
    open_page(page, f"{server}/overzicht", "Overzicht")
    assert banner_text(page) == plain(SAMPLE_NOTICE)  # the sample, and no word of a lost file: it was chosen
    context.close()


def test_an_upload_the_server_let_go_is_said_on_the_banner(keep_one_server, browser):
    server = keep_one_server
    first = browser.new_context(viewport={"width": 1280, "height": 720})
    page = first.new_page()
    upload(page, server, AUTUMN)
    assert upload_cookie(first) is not None
    # Another browser's upload takes the server's only place (a full store evicts the least recently used).
    second = browser.new_context(viewport={"width": 1280, "height": 720})
    other = second.new_page()
    upload(other, server, SPRING)
    assert upload_cookie(second) is not None

    open_page(page, f"{server}/overzicht", "Overzicht")
    assert banner_text(page) == plain(LOST_NOTICE)
    assert sidebar_file(page).startswith("Voorbeelddata (fictief)")
    shoot(page, "kept_upload_lost_overzicht_1280")
    assert cookie_gone(first), "the cookie of a gone upload was not cleared"
    go(page, "Gegevens")  # the same session: the notice stays until something is loaded
    assert banner_text(page) == plain(LOST_NOTICE_HERE)
    page.get_by_text("24 van 24").wait_for(timeout=30000)
    wait_idle(page)
    shoot(page, "kept_upload_lost_gegevens_1280")
    # The other browser still has its own.
    open_page(other, f"{server}/teams", "Teams")
    assert sidebar_file(other) == SPRING.name and banner_text(other) is None
    first.close()
    second.close()


def test_with_sign_in_the_kept_upload_is_the_users_own(browser, signin_server):
    """One browser, two analysts one after the other: the second is not shown the first's file (nor told of it),
    and the first, signing in again, has it back."""
    from tests.browser.test_signin_flow import sign_in, sign_out

    app_url, _ = signin_server
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{app_url}/gegevens")
    sign_in(page, app_url, "analist@gemeente.example")
    go(page, "Gegevens")
    page.locator("input[type=file]").set_input_files(str(AUTUMN))
    page.get_by_text(AUTUMN.name).first.wait_for(timeout=30000)
    wait_idle(page)
    assert upload_cookie(context) is not None
    open_page(page, f"{app_url}/teams", "Teams")
    assert sidebar_file(page) == AUTUMN.name
    sign_out(page, app_url)

    sign_in(page, app_url, "teamleider")  # an analyst by the groups claim; the browser still holds the cookie
    assert any(c["name"] == COOKIE for c in context.cookies())
    open_page(page, f"{app_url}/teams", "Teams")
    page.locator(".st-key-sample_banner").wait_for(timeout=30000)
    assert sidebar_file(page).startswith("Voorbeelddata (fictief)")
    assert banner_text(page) == plain(SAMPLE_NOTICE)  # not "your file is gone": it never was theirs
    sign_out(page, app_url)

    sign_in(page, app_url, "analist@gemeente.example")
    open_page(page, f"{app_url}/teams", "Teams")
    assert sidebar_file(page) == AUTUMN.name
    assert banner_text(page) is None
    context.close()
