"""The end of a live meeting on a phone that sent its answers in: the facilitator closes the session, and the phone
says thank you, calmly. It showed the red alert for a wrong code ('Deze code hoort niet bij een open sessie'),
and participants thought they had done something wrong (QA walk)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shoot
from tests.browser.test_live_flow import STATEMENTS
from tests.browser.test_live_outbox import landed, nav, outbox_server, phone, tap  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_a_phone_that_sent_its_answers_in_is_thanked_when_the_session_closes(outbox_server, browser):  # noqa: F811
    url, live = outbox_server
    context, page, session, participant = phone(browser, url, live, "Gemeente Slotstad")
    tap(page, 4, 1)
    landed(page, live, session, participant, {"1": 4}, 10)
    while not page.get_by_role("button", name="Naar insturen →").is_visible():
        nav(page, "Volgende →")
    nav(page, "Naar insturen →")
    page.get_by_role("button", name="Antwoorden insturen").click()
    page.get_by_text("Dank u wel, uw antwoorden zijn ingestuurd.").wait_for(timeout=10000)
    assert live.participant(session.session_id, participant).submitted

    live.close(session.session_id)
    page.get_by_role("status").filter(has_text="De bijeenkomst is afgesloten. Dank u wel voor uw deelname").wait_for(
        timeout=30000)
    assert page.get_by_role("alert").count() == 0
    shoot(page, "live_phone_closed_360x740")
    assert page.get_by_text(f"van {STATEMENTS}").count() == 0
    context.close()
