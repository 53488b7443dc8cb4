"""End-to-end sign-in: Streamlit's st.login against a real OpenID Connect provider (oidc-provider-mock) on localhost.

Signed out, a deep link shows only the sign-in; a viewer sees results but cannot manage rounds or save one; an
analyst (by the e-mail allow-list or by a groups claim in the ID token) can; signing out signs out. A phone in a
live session needs no sign-in.
"""

import time

import pytest

from analysis.ingest.dataset import ingest_file
from analysis.store import RoundStore
from tests.browser.conftest import ARTIFACTS, shoot, wait_idle
from tests.browser.test_flows import go
from tests.conftest import SAMPLES

pytestmark = pytest.mark.browser


def sign_in(page, app_url: str, subject: str) -> None:
    """From the app's sign-in page through the provider's form (type a subject, authorise) back into the app."""
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Authorize Client").wait_for(timeout=30000)
    assert page.url.startswith("http://127.0.0.1:") and not page.url.startswith(app_url)
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{app_url}/**", timeout=30000)
    page.get_by_role("button", name="Uitloggen").wait_for(timeout=30000)
    wait_idle(page)


def sign_out(page, app_url: str) -> None:
    """The app's log-out goes through the provider's end-session page and back to the app, signed out."""
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("button", name="End session").click(timeout=30000)
    page.wait_for_url(f"{app_url}/**", timeout=30000)
    page.get_by_role("button", name="Inloggen").wait_for(timeout=30000)
    wait_idle(page)


def sidebar_text(page) -> str:
    """The sidebar's text with every run of white space (line breaks between elements too) as one space."""
    return " ".join(page.locator("[data-testid='stSidebar']").inner_text().split())


def test_sign_in_roles_and_sign_out(browser, signin_server):  # browser first: skip before starting servers
    app_url, data_dir = signin_server
    RoundStore(data_dir).save(ingest_file(SAMPLES / "ronde_2025_voorjaar.xlsx"), "Gemeente Voorbeeldstad",
                              "Voorjaar 2025", "2025-04-07")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()

    # Signed out: a deep link shows only the sign-in, no navigation and no figures.
    page.goto(f"{app_url}/teams")
    page.get_by_role("button", name="Inloggen").wait_for(timeout=30000)
    wait_idle(page)
    assert page.get_by_role("heading", name="QuickScan-dashboard").is_visible()
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.locator(".js-plotly-plot, [data-testid='stMetric']").count() == 0
    shoot(page, "signin_signed_out_1280")

    # A viewer: any address not on the allow-list, typed into the provider's form.
    sign_in(page, app_url, "kijker@gemeente.example")
    assert "Ingelogd als kijker@gemeente.example (kijker)" in sidebar_text(page)
    assert page.locator("[data-testid='stSidebar'] a[href^='mailto:']").count() == 0
    go(page, "Meetrondes")
    page.get_by_role("button", name="Openen in het dashboard").wait_for(timeout=30000)
    page.get_by_text("Alleen een analist kan meetrondes hernoemen of verwijderen.").wait_for(timeout=30000)
    wait_idle(page)
    assert page.get_by_role("button", name="Verwijderen…").count() == 0
    assert page.get_by_role("button", name="Naam wijzigen").count() == 0
    shoot(page, "signin_viewer_meetrondes_1280")
    page.get_by_role("button", name="Uitloggen").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "signin_viewer_sidebar_1280.png"))
    go(page, "Gegevens")
    page.get_by_role("heading", name="Gegevens").wait_for(timeout=30000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
    wait_idle(page)
    assert page.get_by_role("button", name="Meetronde opslaan").count() == 0
    assert page.locator("input[type=file]").count() == 0  # viewers see results only: no upload
    assert page.get_by_text("Privacy: groepskenmerken").count() == 0
    sign_out(page, app_url)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0

    # An analyst by the allow-list (matched case-insensitively), then one by a groups claim in the ID token.
    for subject, shown in [("analist@gemeente.example", "analist@gemeente.example"),
                           ("teamleider", "teamleider@gemeente.example")]:
        sign_in(page, app_url, subject)
        assert f"Ingelogd als {shown} (analist)" in sidebar_text(page)
        go(page, "Meetrondes")
        page.get_by_role("button", name="Verwijderen…").wait_for(timeout=30000)
        page.get_by_role("button", name="Naam wijzigen").wait_for(timeout=30000)
        go(page, "Gegevens")
        page.locator("input[type=file]").wait_for(state="attached", timeout=30000)
        assert page.locator("input[type=file]").count() == 1
        # The sample is never saved as a round: an analyst uploads an export of their own, then may save it.
        page.locator("input[type=file]").set_input_files(str(SAMPLES / "ronde_2025_najaar.xlsx"))
        page.get_by_role("button", name="Meetronde opslaan").wait_for(timeout=30000)
        sign_out(page, app_url)

    # Signed out again, the deep link is still closed.
    page.goto(f"{app_url}/meetrondes")
    page.get_by_role("button", name="Inloggen").wait_for(timeout=30000)
    wait_idle(page)
    assert page.get_by_role("button", name="Openen in het dashboard").count() == 0
    context.close()


def test_a_phone_joins_a_live_session_without_signing_in(browser, signin_server):
    """Participants are people in the room, not users: the participant page asks no sign-in even with [auth] on,
    while the dashboard itself stays closed to the same phone."""
    from analysis.store.live import LiveStore

    app_url, data_dir = signin_server
    session = LiveStore(str(data_dir)).create_session("Gemeente Voorbeeldstad", "quickscan-dsb")
    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    # What the phone asked the server and what came back: said should the welcome screen not come (seen once
    # under load, a blank page for 30 s).
    exchanges = []
    page.on("response", lambda response: exchanges.append(f"{response.status} {response.url}"))
    page.on("requestfailed", lambda request: exchanges.append(f"{request.failure} {request.url}"))
    page.goto(f"{app_url}/deelnemen?code={session.join_code}")
    begin = page.get_by_role("button", name="Beginnen")
    try:
        begin.wait_for(timeout=30000)
    except Exception:
        shoot(page, "signin_phone_no_welcome")
        pytest.fail(f"no welcome screen within 30 s; the phone shows {page.locator('body').inner_text()!r} "
                    f"after {exchanges}")
    begin.click()
    page.locator("fieldset .option").nth(2).click()
    page.get_by_text("1 van 24 stellingen beantwoord").wait_for(timeout=30000)
    [(participant, _)] = LiveStore(str(data_dir)).participants(session.session_id)
    # The screen moves on at once; the answer follows in the background (the phone's outbox).
    deadline = time.monotonic() + 15
    while LiveStore(str(data_dir)).own_answers(session.session_id, participant) != {"1": 3}:
        assert time.monotonic() < deadline, LiveStore(str(data_dir)).own_answers(session.session_id, participant)
        page.wait_for_timeout(100)
    assert page.get_by_role("button", name="Inloggen").count() == 0
    page.goto(f"{app_url}/overzicht")
    page.get_by_role("button", name="Inloggen").wait_for(timeout=30000)
    phone.close()
