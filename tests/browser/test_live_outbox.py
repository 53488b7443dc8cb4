"""A phone in a meeting room with flaky wifi (ui/participant/static/page.js): a tap shows the next statement at
once, the answer waits in an outbox on the phone (localStorage) and is sent in the background, in order, retried
with growing pauses; it survives a reload; "Insturen" waits for it; a closed session or a refusal stops it.

The server is made unreachable for one phone only: its requests to /answer are aborted (Playwright routing), or
the whole phone is offline (``context.set_offline``). What counts is what the store holds afterwards.
"""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from analysis.store.database import forget_open_databases, open_database
from analysis.store.live import LiveStore
from analysis.store.schema import live_answers
from tests.browser.conftest import dashboard_server, shoot
from tests.browser.test_live_flow import OPTIONS, ORDER, OUTBOX, PHONE, READ_MS, STATEMENTS, all_sent

pytestmark = pytest.mark.browser

ANSWERS = "**/api/live/*/answer"
# The page spreads its retry pauses at random over 80-120 % of 1 s, 2 s, 4 s, 8 s (at most 10 s), so that a room's
# phones do not all try at once. A test that tells a pause from "at once" by the clock takes the middle, 100 %:
# then a pause differs from the next, and from "at once", by whole seconds instead of by the spread's last tenth.
STEADY_PAUSES = "Math.random = () => 0.5;"
# Where the options of the screen on show are, top and bottom in the viewport (the page is scrolled to its top).
BOXES = """() => [...document.querySelectorAll('fieldset .option')].map((option) => {
  const box = option.getBoundingClientRect();
  return [box.top, box.bottom];
})"""


@pytest.fixture(scope="module")
def outbox_server(tmp_path_factory, chromium_path):
    """A server with a SQLite store of its own; yields its URL and the store."""
    data_dir = tmp_path_factory.mktemp("live-outbox")
    environ = {"QUICKSCAN_DATA_DIR": str(data_dir)}
    with dashboard_server(data_dir, environ) as url:
        yield url, LiveStore(open_database(environ=environ))
    forget_open_databases()


def phone(browser, url: str, live: LiveStore, organisation: str, steady: bool = False):
    """A phone that joined a new session: (context, page, session, participant id). STEADY: its retry pauses are
    1 s, 2 s, 4 s, 8 s exactly (STEADY_PAUSES)."""
    session = live.create_session(organisation, "quickscan-dsb")
    context = browser.new_context(**PHONE)
    if steady:
        context.add_init_script(STEADY_PAUSES)
    page = context.new_page()
    page.goto(f"{url}/deelnemen?code={session.join_code}")
    page.get_by_role("button", name="Beginnen").click()
    page.get_by_text(f"0 van {STATEMENTS} stellingen beantwoord").wait_for(timeout=20000)
    [(participant, _)] = live.participants(session.session_id)
    return context, page, session, participant


def nav(page, name: str) -> None:
    """A tap on a button that moves between screens, after a moment of reading (not a double tap)."""
    page.wait_for_timeout(READ_MS)
    page.get_by_role("button", name=name).click()


def tap(page, code: int, answered: int) -> None:
    """Tap answer CODE on the statement on screen; the next statement shows at once, nothing chosen on it."""
    page.wait_for_timeout(READ_MS)
    page.locator(OPTIONS).nth(ORDER.index(code)).click()
    page.get_by_text(f"{answered} van {STATEMENTS} stellingen beantwoord").wait_for(timeout=3000)
    page.get_by_text(f"Stelling {answered + 1} van {STATEMENTS}").wait_for(timeout=3000)
    assert page.locator("fieldset input:checked").count() == 0


def pending_line(page, count: int, retrying: bool = True):
    """The line at the bottom that says COUNT answers wait on the phone."""
    words = f"{count} {'antwoord' if count == 1 else 'antwoorden'} nog niet verstuurd"
    line = page.locator(".outbox").filter(has_text=words)
    line.filter(has_text="we proberen het opnieuw" if retrying else words).wait_for(timeout=10000)
    return line


def until(page, condition, timeout_s: float, what: str):
    """Until CONDITION() is true (the page's routes keep working meanwhile); returns its value."""
    deadline = time.monotonic() + timeout_s
    while not (value := condition()):
        assert time.monotonic() < deadline, what
        page.wait_for_timeout(100)
    return value


def landed(page, live: LiveStore, session, participant: str, expected: dict, timeout_s: float) -> None:
    """Until the store holds EXPECTED as the participant's answers (the page's routes keep working meanwhile)."""
    deadline = time.monotonic() + timeout_s
    while live.own_answers(session.session_id, participant) != expected:
        assert time.monotonic() < deadline, live.own_answers(session.session_id, participant)
        page.wait_for_timeout(100)


def test_answers_given_without_a_connection_advance_survive_a_reload_and_all_land(outbox_server, browser):
    url, live = outbox_server
    context, page, session, participant = phone(browser, url, live, "Gemeente Wifistad", steady=True)

    # A double tap answers one statement: the second tap lands on an option of the next screen (a point inside an
    # option on both screens, looked up beforehand) and is not an answer.
    nav(page, "Volgende →")
    page.get_by_text(f"Stelling 2 van {STATEMENTS}").wait_for(timeout=3000)
    second = page.evaluate(BOXES)
    nav(page, "← Vorige")
    page.get_by_text(f"Stelling 1 van {STATEMENTS}").wait_for(timeout=3000)
    first = page.evaluate(BOXES)
    x, y = next((180, (max(t1, t2) + min(b1, b2, 740)) / 2) for t1, b1 in first for t2, b2 in second
                if min(b1, b2, 740) - max(t1, t2) > 20)
    first_code = ORDER[next(n for n, (top, bottom) in enumerate(first) if top < y < bottom)]
    page.wait_for_timeout(READ_MS)
    page.mouse.dblclick(x, y)
    page.get_by_text(f"Stelling 2 van {STATEMENTS}").wait_for(timeout=3000)
    page.wait_for_timeout(READ_MS)
    assert page.get_by_text(f"1 van {STATEMENTS} stellingen beantwoord").is_visible()
    assert page.locator("fieldset input:checked").count() == 0
    landed(page, live, session, participant, {"1": first_code}, 10)
    all_sent(page)
    assert not page.locator(".outbox").is_visible()  # nothing waits: no line

    # The wifi fails for this phone: the statements go on, the answers wait on the phone and say so.
    attempts: list[float] = []

    def unreachable(route):
        attempts.append(time.monotonic())
        route.abort("internetdisconnected")

    context.route(ANSWERS, unreachable)
    for n, code in enumerate([4, 0, 2], start=2):
        tap(page, code, n)
    pending_line(page, 3)
    shoot(page, "outbox-pending")
    assert live.own_answers(session.session_id, participant) == {"1": first_code}

    # Back one statement, another answer: the newer answer replaces the waiting one, still three waiting.
    nav(page, "← Vorige")
    page.get_by_text(f"Stelling 4 van {STATEMENTS}").wait_for(timeout=3000)
    assert page.locator("fieldset input:checked").get_attribute("value") == "2"
    tap(page, 5, 4)
    pending_line(page, 3)

    # A reload (the phone slept, the tab was closed): the answers given here are on screen and still waiting.
    reloaded = time.monotonic()
    page.reload()
    page.get_by_text(f"4 van {STATEMENTS} stellingen beantwoord").wait_for(timeout=20000)
    assert page.get_by_text(f"Stelling 5 van {STATEMENTS}").is_visible()
    pending_line(page, 3)
    nav(page, "← Vorige")
    assert page.locator("fieldset input:checked").get_attribute("value") == "5"
    nav(page, "Volgende →")
    tap(page, 1, 5)
    pending_line(page, 4)
    assert live.own_answers(session.session_id, participant) == {"1": first_code}

    # Tried again with growing pauses (1 s, 2 s, 4 s, ... up to 10 s), not hammered: the tries in the 7.6 s from
    # the first one after the reload (however long the reload itself took on a busy machine).
    first = until(page, lambda: [t for t in attempts if t >= reloaded], 30, "no try after the reload")[0]
    page.wait_for_timeout(max(0.0, 7.6 - (time.monotonic() - first)) * 1000)
    tries = [t for t in attempts if first <= t <= first + 7.6]
    gaps = [b - a for a, b in zip(tries, tries[1:])]
    assert 3 <= len(tries) <= 4, gaps
    assert all(later > 1.25 * earlier for earlier, later in zip(gaps, gaps[1:])), gaps
    assert live.own_answers(session.session_id, participant) == {"1": first_code}

    # Back online right after the fourth try failed, which earned an 8 s pause: the phone sends what waited at once
    # (not after that pause), in order; every answer lands.
    until(page, lambda: len([t for t in attempts if t >= first]) >= 4, 30, "no fourth try")
    context.set_offline(True)
    context.unroute(ANSWERS)
    context.set_offline(False)
    given = {"1": first_code, "2": 4, "3": 0, "4": 5, "5": 1}
    landed(page, live, session, participant, given, 6)
    all_sent(page, 5)
    # Each answer names this phone and a number that grew with every tap (so a late one never wins).
    with live.database.read() as connection:
        rows = connection.execute(sa.select(live_answers.c.item_id, live_answers.c.device, live_answers.c.sequence)
                                  .where(live_answers.c.participant == participant)).all()
    assert len({device for _, device, _ in rows}) == 1 and re.fullmatch(r"[0-9a-f]{32}", rows[0].device)
    numbers = [sequence for _, _, sequence in sorted(rows, key=lambda row: int(row.item_id))]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    page.locator(".outbox").wait_for(state="hidden", timeout=3000)

    # "Insturen" while an answer cannot be sent: it tries, says so, and refuses; the answers are not final.
    context.route(ANSWERS, unreachable)
    tap(page, 2, 6)
    while not page.get_by_role("button", name="Naar insturen →").is_visible():
        nav(page, "Volgende →")
    nav(page, "Naar insturen →")
    page.get_by_role("button", name="Antwoorden insturen").click()
    page.get_by_role("button", name="Antwoorden worden verstuurd…").wait_for(timeout=2000)
    page.get_by_role("alert").filter(has_text="1 antwoord nog niet verstuurd. Insturen kan pas als alle antwoorden "
                                              "verstuurd zijn").wait_for(timeout=10000)
    shoot(page, "outbox-submit-refused")
    assert not live.participant(session.session_id, participant).submitted
    context.unroute(ANSWERS)
    page.get_by_role("button", name="Antwoorden insturen").click()
    page.get_by_text("Dank u wel, uw antwoorden zijn ingestuurd.").wait_for(timeout=10000)
    assert live.participant(session.session_id, participant).submitted
    assert live.own_answers(session.session_id, participant) == {**given, "6": 2}
    assert not page.evaluate(OUTBOX)
    context.close()


def watch_answers(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.url.endswith("/answer") else None)
    return sent


def test_a_session_closed_while_answers_wait_says_so_and_stops_sending(outbox_server, browser):
    url, live = outbox_server
    context, page, session, participant = phone(browser, url, live, "Gemeente Sluitstad")
    tap(page, 4, 1)
    landed(page, live, session, participant, {"1": 4}, 10)
    context.route(ANSWERS, lambda route: route.abort("internetdisconnected"))
    tap(page, 2, 2)
    tap(page, 3, 3)
    pending_line(page, 2)

    live.close(session.session_id)
    context.unroute(ANSWERS)
    page.get_by_role("alert").filter(
        has_text=re.compile("Deze sessie is gesloten of verlopen|Deze code hoort niet bij een open sessie")
    ).wait_for(timeout=15000)
    sent = watch_answers(page)
    page.get_by_role("button", name="Andere code invullen").wait_for(timeout=1000)
    assert page.get_by_text("2 antwoorden op dit toestel konden niet meer worden verstuurd.").is_visible()
    shoot(page, "outbox-closed")
    page.wait_for_timeout(5000)
    assert sent == []  # no more tries: the server said the session is gone
    assert not page.evaluate(OUTBOX) and not page.locator(".outbox").is_visible()
    assert live.own_answers(session.session_id, participant) == {"1": 4}
    context.close()


def test_a_refusal_stops_sending_and_shows_the_servers_line(outbox_server, browser):
    url, live = outbox_server
    context, page, session, participant = phone(browser, url, live, "Gemeente Tweetoestel")
    tap(page, 5, 1)
    landed(page, live, session, participant, {"1": 5}, 10)
    context.route(ANSWERS, lambda route: route.abort("internetdisconnected"))
    tap(page, 1, 2)
    pending_line(page, 1)

    live.submit(session.session_id, participant)  # sent in on another device meanwhile
    context.unroute(ANSWERS)
    page.get_by_role("button", name="Nu opnieuw proberen").click()
    line = page.locator(".outbox.refused")
    line.filter(has_text="Uw antwoorden zijn al ingestuurd; ze kunnen niet meer worden gewijzigd. "
                         "1 antwoord nog niet verstuurd.").wait_for(timeout=10000)
    shoot(page, "outbox-refused")
    sent = watch_answers(page)
    page.wait_for_timeout(5000)
    assert sent == []  # refused: not sent again until the participant asks
    assert live.own_answers(session.session_id, participant) == {"1": 5}
    context.close()


def test_a_busy_server_is_tried_again_without_a_tap(outbox_server, browser):
    """429 (too many answers this minute): not a refusal of the answer, so the phone sends it again by itself."""
    url, live = outbox_server
    context, page, session, participant = phone(browser, url, live, "Gemeente Drukte")
    refused = []

    def busy_twice(route):
        if len(refused) < 2:
            refused.append(route.request.post_data)
            route.fulfill(status=429, content_type="application/json", headers={"Retry-After": "10"},
                          body='{"error": "Er komen nu te veel antwoorden tegelijk binnen; probeer het over een '
                               'minuut opnieuw."}')
        else:
            route.continue_()

    context.route(ANSWERS, busy_twice)
    tap(page, 3, 1)
    pending_line(page, 1)  # said, with no button press needed
    assert not page.locator(".outbox.refused").count()
    landed(page, live, session, participant, {"1": 3}, 15)
    assert len(refused) == 2
    page.locator(".outbox").filter(has_text="nog niet verstuurd").wait_for(state="hidden", timeout=5000)
    context.close()


def test_a_double_tap_on_volgende_moves_one_screen(outbox_server, browser):
    url, live = outbox_server
    context, page, session, participant = phone(browser, url, live, "Gemeente Dubbeltik")
    page.get_by_role("button", name="Volgende →").dblclick()
    page.get_by_text(f"Stelling 2 van {STATEMENTS}").wait_for(timeout=3000)
    page.wait_for_timeout(READ_MS)
    assert page.get_by_text(f"Stelling 2 van {STATEMENTS}").is_visible()  # not 3
    nav(page, "Volgende →")
    page.get_by_text(f"Stelling 3 van {STATEMENTS}").wait_for(timeout=3000)
    context.close()


def test_the_wifi_back_while_a_send_hangs_sends_again_at_once(outbox_server, browser):
    """The phone wakes (the 'online' event) while a send begun in the outage still hangs; when that send then fails,
    it goes again at once, not after the pause its failures had earned (3 failures: 4 s)."""
    url, live = outbox_server
    context, page, session, participant = phone(browser, url, live, "Gemeente Wifiterug", steady=True)
    tries, hanging = [], []

    def outage(route):
        tries.append(time.monotonic())
        if len(tries) < 3:
            route.abort("internetdisconnected")
        elif len(tries) == 3:
            hanging.append(route)  # swallowed by the wifi: no answer yet
        else:
            route.continue_()  # the wifi is back

    context.route(ANSWERS, outage)
    tap(page, 3, 1)
    until(page, lambda: hanging, 15, tries)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    hanging[0].abort("internetdisconnected")
    landed(page, live, session, participant, {"1": 3}, 2.5)
    assert len(tries) == 4
    context.close()
