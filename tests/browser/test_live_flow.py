"""A whole live meeting in the browser: three phones (Playwright device emulation, 360x740) join by code, answer,
one reloads halfway and resumes, they vote; the facilitator closes the session into a round whose scores are
the answers given and whose plan holds the voted priorities."""

from __future__ import annotations

import re
import time

import pytest

from analysis.store.database import forget_open_databases, open_database
from tests.browser.conftest import ARTIFACTS, dashboard_server, shoot, wait_idle

pytestmark = pytest.mark.browser

# Playwright's "Pixel 5" descriptor (user agent, touch, mobile viewport, pixel ratio) at 360x740 CSS pixels.
PHONE = {"user_agent": "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/120.0.0.0 Mobile Safari/537.36",
         "viewport": {"width": 360, "height": 740}, "screen": {"width": 360, "height": 740},
         "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
ORDER = [1, 2, 3, 4, 5, 0]  # the answer options on screen: Inactief .. Vergevorderd, then Onbekend
STATEMENTS = 24
OPTIONS = "fieldset .option"
READ_MS = 500  # a person reads the statement before tapping; a tap within 350 ms of the last is a double tap
OUTBOX = "() => Object.keys(localStorage).filter((key) => key.startsWith('quickscan-live-outbox-'))"


def answer(page, code: int, answered_before: int) -> None:
    """Tap the option with answer CODE on the statement on screen; wait until the phone counts it and the next
    statement is on screen with nothing chosen (the answer itself goes out in the background)."""
    page.wait_for_timeout(READ_MS)
    page.locator(OPTIONS).nth(ORDER.index(code)).click()
    try:
        page.get_by_text(f"{answered_before + 1} van {STATEMENTS} stellingen beantwoord").wait_for(timeout=20000)
    except Exception:
        shoot(page, "live_phone_answer_failed")
        raise
    if answered_before + 1 < STATEMENTS:
        page.get_by_text(f"Stelling {answered_before + 2} van {STATEMENTS}").wait_for(timeout=5000)
        assert page.locator("fieldset input:checked").count() == 0


def all_sent(page, timeout_s: float = 20) -> None:
    """Until the phone's outbox is empty: every answer given on it has been taken by the server."""
    deadline = time.monotonic() + timeout_s
    while page.evaluate(OUTBOX):
        assert time.monotonic() < deadline, f"answers still waiting on the phone: {page.evaluate(OUTBOX)}"
        page.wait_for_timeout(100)


def join(browser, url: str, group: str):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    page.locator(OPTIONS).filter(has_text=group).click()
    page.get_by_role("button", name="Beginnen").click()
    page.get_by_text(f"0 van {STATEMENTS} stellingen beantwoord").wait_for(timeout=20000)
    return context, page


def vote(page, items: list[int]) -> None:
    page.get_by_text("Prioriteren").wait_for(timeout=20000)  # the phone follows the opened vote by itself
    for item in items:
        page.locator("label.option").filter(has_text=re.compile(rf"^Stelling {item}(?!\d)")).click()
    page.get_by_role("button", name="Stem uitbrengen").click()
    page.get_by_text("Uw stem is ontvangen").wait_for(timeout=20000)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_server(request, tmp_path_factory, chromium_path):
    """A server with a store of its own (the round this meeting saves must not show up in other flows): SQLite in
    its data directory, and once more on a fresh database of the test session's PostgreSQL server, as several
    app replicas would share it. Yields the URL and the server's Database."""
    data_dir = tmp_path_factory.mktemp("live-store")
    environ = {"QUICKSCAN_DATA_DIR": str(data_dir)}
    if request.param == "postgresql":
        environ["QUICKSCAN_DATABASE_URL"] = request.getfixturevalue("postgres_server").new_database()
    with dashboard_server(data_dir, environ) as url:
        yield url, open_database(environ=environ)
    forget_open_databases()


def test_a_live_meeting_from_qr_code_to_saved_round(live_server, browser):
    server, database = live_server
    from analysis.scoring.summary import summarize
    from analysis.store.live import LiveStore
    from analysis.store.plans import PlanStore
    from analysis.store.rounds import RoundStore

    screen = browser.new_page(viewport={"width": 1280, "height": 720})
    screen.goto(f"{server}/live")
    wait_idle(screen)
    screen.get_by_role("textbox", name="Organisatie of eenheid").fill("Gemeente Livestad")
    screen.get_by_role("textbox", name="Groepen (optioneel, één per regel)").fill("Team Noord\nTeam Zuid")
    screen.get_by_role("button", name="Sessie starten").click()
    screen.locator("[data-testid='stCode']").first.wait_for(timeout=20000)
    url = screen.locator("[data-testid='stCode']").first.inner_text().strip()
    assert re.fullmatch(rf"{re.escape(server)}/deelnemen\?code=[A-Z2-9]{{10}}", url)

    given = {"A": [4, 3, 0, 5, 2, 4], "B": [2, 2, 3, 0, 1, 5], "C": [5, 4, 4, 3, 3, 1]}
    phones = {}
    for name, group in (("A", "Team Noord"), ("B", "Team Zuid"), ("C", "Team Noord")):
        phones[name] = join(browser, url, group)
    for name, (_, page) in phones.items():
        for n, code in enumerate(given[name]):
            if name == "B" and n == 3:  # halfway the phone reloads: the URL's resume code brings it back
                assert "hervat=" in page.url
                page.reload()
                page.get_by_text(f"3 van {STATEMENTS} stellingen beantwoord").wait_for(timeout=20000)
                assert page.get_by_text("Stelling 4 van 24").is_visible()
            answer(page, code, n)
    shoot(phones["A"][1], "live_phone_360x740")
    for _, page in phones.values():
        all_sent(page)

    live = LiveStore(database)
    [session] = [s for s in live.open_sessions() if s.organisation == "Gemeente Livestad"]
    assert len(live.participants(session.session_id)) == 3 and live.answer_count(session.session_id) == 18
    screen.get_by_text("18", exact=True).wait_for(timeout=10000)  # the live count, refreshed by itself

    # Prioriteren: the facilitator offers statements 3, 5 and 6; the phones vote.
    box = screen.get_by_role("combobox", name="Stellingen om over te stemmen")
    for item in (3, 5, 6):
        box.click()
        box.press_sequentially(f"{item}. ")
        screen.get_by_role("option", name=re.compile(rf"^{item}\. ")).click()
        screen.keyboard.press("Escape")
    screen.get_by_role("button", name="Stemming openen").click()
    screen.get_by_role("button", name="Stemming sluiten").wait_for(timeout=20000)
    for name, items in (("A", [3, 5]), ("B", [5]), ("C", [5, 6])):
        vote(phones[name][1], items)
    assert sorted(item for _, item in live.votes(session.session_id)) == ["3", "5", "5", "5", "6"]
    shoot(phones["C"][1], "live_phone_vote_360x740")
    assert live.poll(session.session_id) == (["3", "5", "6"], "open")
    screen.get_by_text("3 deelnemers hebben gestemd").wait_for(timeout=10000)
    shoot(screen, "live_facilitator_results_1280x720")
    screen.locator("[data-testid='stMain']").evaluate("el => el.scrollTo(0, 0)")
    screen.wait_for_timeout(300)
    screen.screenshot(path=str(ARTIFACTS / "live_facilitator_1280x720.png"))

    # Close: the answers become a saved round, the two most voted statements its focus points.
    screen.get_by_role("textbox", name="Naam van de meetronde").fill("Bijeenkomst live")
    screen.get_by_role("spinbutton", name="Aantal prioriteiten naar het verbeterplan").fill("2")
    screen.get_by_role("button", name="Sessie sluiten en opslaan als meetronde").click()
    screen.get_by_text("opgeslagen als meetronde").wait_for(timeout=30000)

    rounds = RoundStore(database)
    [info] = [r for r in rounds.list() if r.organisation == "Gemeente Livestad"]
    assert info.name == "Bijeenkomst live" and info.respondents == 3
    assert PlanStore(database).get(info.round_id).item_ids == [5, 3]
    statements = summarize(rounds.load(info.round_id)).statements.set_index("id")
    for j, statement_id in enumerate(range(1, 7)):
        known = [answers[j] for answers in given.values() if answers[j] > 0]
        assert statements.loc[statement_id, "score"] == pytest.approx(sum(known) / len(known))
        assert statements.loc[statement_id, "n_unknown"] == sum(answers[j] == 0 for answers in given.values())
    assert statements.loc[7, "n_missing"] == 3

    # The session is closed: a phone's next tap gets the Dutch line, no more answers.
    page = phones["A"][1]
    page.reload()
    page.get_by_text("Deze code hoort niet bij een open sessie").wait_for(timeout=20000)
    for context, _ in phones.values():
        context.close()
    screen.close()
