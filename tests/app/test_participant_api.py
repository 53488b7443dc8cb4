"""The participant page of a live session over HTTP, as a phone's browser talks to it (ui/participant).

Served by the same Starlette routes ``app.py`` adds to the dashboard, on the test's own store; the page's own
drawing is walked in Chromium by tests/browser/test_live_flow.py.
"""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from analysis.store.live import LiveStore
from ui.participant.routes import forget_sessions, participant_routes

WRONG = "Deze code hoort niet bij een open sessie"


@pytest.fixture
def live():
    forget_sessions()
    yield LiveStore()
    forget_sessions()


@pytest.fixture
def client():
    with TestClient(Starlette(routes=participant_routes())) as client:
        yield client


def test_the_page_is_static_and_runs_only_its_own_script(client):
    page = client.get("/deelnemen?code=ABCDEFGHJK")
    assert page.status_code == 200 and "page.js" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"  # the code never leaks to a linked site
    script = client.get("/deelnemen/static/page.js")
    assert script.status_code == 200 and "innerHTML" not in script.text  # every text is set as text
    assert client.get("/deelnemen/static/../routes.py").status_code == 404


def test_a_wrong_closed_or_expired_code_is_refused_with_the_dutch_line(client, live):
    answer = client.get("/api/live/ABCDEFGHJK")
    assert answer.status_code == 410 and WRONG in answer.json()["error"] and answer.json()["gone"]
    session = live.create_session("Org", "quickscan-dsb")
    assert client.get(f"/api/live/{session.join_code.lower()}").status_code == 200  # typed in lower case
    expired = live.create_session("Org", "quickscan-dsb", hours=-1)
    assert client.get(f"/api/live/{expired.join_code}").status_code == 410
    live.close(session.session_id)
    forget_sessions()
    refused = client.get(f"/api/live/{session.join_code}")
    assert refused.status_code == 410 and WRONG in refused.json()["error"]


def test_answers_land_as_given_resume_after_a_reload_and_the_vote(client, live):
    session = live.create_session("Gemeente Testdam", "quickscan-dsb", groups=["Team <b>Noord</b>", "Team Zuid"])
    other = live.create_session("Andere organisatie", "quickscan-dsb")
    code = session.join_code
    info = client.get(f"/api/live/{code}").json()
    assert info["organisation"] == "Gemeente Testdam" and info["groups"] == ["Team <b>Noord</b>", "Team Zuid"]
    assert client.post(f"/api/live/{code}/join", json={"group": "Team West"}).status_code == 409  # not offered
    me = client.post(f"/api/live/{code}/join", json={"group": "Team Zuid"}).json()
    [(participant, group)] = live.participants(session.session_id)
    assert (me["participant"], group, me["given"]) == (participant, "Team Zuid", {})

    def send(item, answer):
        return client.post(f"/api/live/{code}/answer", json={"participant": participant, "item": item, "code": answer})

    assert send("1", 4).json() == {"item": "1", "code": 4, "poll": None}
    assert send("2", 0).status_code == 200 and send("2", 2).status_code == 200
    assert live.own_answers(session.session_id, participant) == {"1": 4, "2": 2}
    # Nothing outside the questionnaire lands: an unknown statement, a level the scale does not have, a bool.
    for item, answer in (("25", 3), ("1", 6), ("1", -1), ("1", True), ("1", "3")):
        assert send(item, answer).status_code == 400
    stranger = client.post(f"/api/live/{code}/answer", json={"participant": "0" * 32, "item": "3", "code": 3})
    assert stranger.status_code == 409 and "niet aangemeld" in stranger.json()["error"]
    assert live.own_answers(session.session_id, participant) == {"1": 4, "2": 2}

    # The phone reloads: its resume code brings back the same participant with its answers.
    again = client.post(f"/api/live/{code}/resume", json={"resume": me["resume"].lower()}).json()
    assert (again["participant"], again["given"]) == (participant, {"1": 4, "2": 2})
    assert client.post(f"/api/live/{code}/resume", json={"resume": "ZZZZZZ"}).status_code == 409
    assert live.participants(session.session_id) == [(participant, "Team Zuid")]

    # The vote: offered items only, at most three, replacing the phone's earlier vote.
    assert client.get(f"/api/live/{code}/state", params={"participant": participant}).json()["poll"] is None
    live.open_vote(session.session_id, [3, 7, 9, 12])
    forget_sessions()  # as a few seconds later
    state = client.get(f"/api/live/{code}/state", params={"participant": participant}).json()
    assert state == {"poll": {"items": ["3", "7", "9", "12"], "open": True}, "mine": []}
    # An answering phone hears of the vote with its next answer, without asking.
    assert send("3", 1).json()["poll"] == {"items": ["3", "7", "9", "12"], "open": True}

    def vote(items):
        return client.post(f"/api/live/{code}/vote", json={"participant": participant, "items": items})

    assert vote(["3", "7", "9", "12"]).status_code == 409   # four dots
    assert vote(["3", "5"]).status_code == 409              # 5 is not on offer
    assert vote(["3", "7", "9"]).json() == {"votes": ["3", "7", "9"]}
    assert vote(["12"]).json() == {"votes": ["12"]}
    assert live.own_votes(session.session_id, participant) == ["12"]
    assert live.own_answers(session.session_id, participant) == {"1": 4, "2": 2, "3": 1}

    # Never results, never another session: every answer names only this session and this phone's own data.
    for response in (info, me, again, state):
        text = str(response)
        assert "Andere organisatie" not in text and other.join_code not in text and "score" not in text


def test_an_answer_sent_again_leaves_one_answer_with_the_newest_code(client, live):
    """The phone's outbox sends again whatever it has no reply for (a timeout, a reload): harmless by design."""
    session = live.create_session("Org", "quickscan-dsb")
    code = session.join_code
    me = client.post(f"/api/live/{code}/join", json={}).json()

    def send(item, answer):
        reply = client.post(f"/api/live/{code}/answer",
                            json={"participant": me["participant"], "item": item, "code": answer})
        assert reply.status_code == 200 and reply.json()["code"] == answer
        return reply

    send("1", 3)
    send("1", 3)  # the same answer twice: one answer
    assert live.answers(session.session_id) == [(me["participant"], "1", 3)]
    send("2", 1)
    send("2", 4)  # an older answer, then the newer one that replaced it on the phone: the newer one stays
    send("2", 4)
    assert live.answer_count(session.session_id) == 2
    assert sorted(live.answers(session.session_id)) == [(me["participant"], "1", 3), (me["participant"], "2", 4)]
    assert live.own_answers(session.session_id, me["participant"]) == {"1": 3, "2": 4}


def test_a_late_request_of_the_same_phone_leaves_its_newer_answer(client, live):
    session = live.create_session("Org", "quickscan-dsb")
    code = session.join_code
    me = client.post(f"/api/live/{code}/join", json={}).json()

    def send(answer, sequence, device="0f" * 8):
        return client.post(f"/api/live/{code}/answer", json={"participant": me["participant"], "item": "7",
                                                              "code": answer, "device": device, "sequence": sequence})

    assert send(4, 2).status_code == 200
    late = send(1, 1)
    assert late.status_code == 200 and late.json()["code"] == 1  # nothing for the phone to do about it
    assert live.own_answers(session.session_id, me["participant"]) == {"7": 4}
    for device, sequence in (("<script>", 3), ("0f" * 20, 3), ("0f" * 8, -1), ("0f" * 8, 2**53), ("0f" * 8, "3"),
                             ("0f" * 8, True), (7, 3)):
        assert send(3, sequence, device).status_code == 400
    assert live.own_answers(session.session_id, me["participant"]) == {"7": 4}


def test_over_the_answers_a_minute_a_phone_is_told_to_try_again_later(client, live, monkeypatch):
    """The cap is a pause, not a refusal: 429 with Retry-After, so the phone's outbox sends it again by itself."""
    monkeypatch.setattr("analysis.store.live.MAX_ANSWERS_PER_MINUTE", 2)
    session = live.create_session("Org", "quickscan-dsb")
    code = session.join_code
    me = client.post(f"/api/live/{code}/join", json={}).json()

    def send(item):
        return client.post(f"/api/live/{code}/answer", json={"participant": me["participant"], "item": item, "code": 3})

    assert send("1").status_code == 200 and send("2").status_code == 200
    busy = send("3")
    assert busy.status_code == 429 and busy.headers["retry-after"] == "10"
    assert busy.json() == {"error": "Er komen nu te veel antwoorden tegelijk binnen; probeer het over een minuut "
                                    "opnieuw."}
    assert live.own_answers(session.session_id, me["participant"]) == {"1": 3, "2": 3}


def test_submit_once_then_no_more_answers(client, live):
    session = live.create_session("Org", "diversiteitskader-wijkteams")
    code = session.join_code
    me = client.post(f"/api/live/{code}/join", json={}).json()
    content = client.get(f"/api/live/instrument/{session.instrument_id}").json()
    assert [len(step["statements"]) for step in content["steps"]][0] == 12  # Werkwijze: twelve items, one screen
    for item, answer in (("1.1", 2), ("1.2", 1)):
        client.post(f"/api/live/{code}/answer", json={"participant": me["participant"], "item": item, "code": answer})
    assert live.own_answers(session.session_id, me["participant"]) == {"1.1": 2, "1.2": 1}
    assert client.post(f"/api/live/{code}/submit", json={"participant": me["participant"]}).status_code == 200
    assert live.participant(session.session_id, me["participant"]).submitted
    late = client.post(f"/api/live/{code}/answer", json={"participant": me["participant"], "item": "1.3", "code": 2})
    assert late.status_code == 409 and "al ingestuurd" in late.json()["error"]
    assert live.own_answers(session.session_id, me["participant"]) == {"1.1": 2, "1.2": 1}


def test_a_closed_session_takes_no_more_answers_even_from_a_phone_that_joined(client, live):
    session = live.create_session("Org", "quickscan-dsb")
    me = client.post(f"/api/live/{session.join_code}/join", json={}).json()
    live.close(session.session_id)  # the phone's session reading may be a moment old: the store refuses all the same
    late = client.post(f"/api/live/{session.join_code}/answer",
                       json={"participant": me["participant"], "item": "1", "code": 3})
    assert late.status_code == 410 and late.json()["gone"]
    assert live.answer_count(session.session_id) == 0


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b'{"group": 5}', b'{"group": "' + b"x" * 5000 + b'"}'])
def test_requests_no_phone_sends_get_one_dutch_line(client, live, body):
    session = live.create_session("Org", "quickscan-dsb")
    response = client.post(f"/api/live/{session.join_code}/join", content=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"].startswith(("Dit verzoek", "Het veld"))
    assert live.participants(session.session_id) == []


def test_the_instrument_content_is_the_instruments_own(client):
    from analysis.instrument import get_instrument

    instrument = get_instrument("quickscan-dsb")
    content = client.get("/api/live/instrument/quickscan-dsb").json()
    assert content["total"] == 24 and len(content["steps"]) == 24
    first = content["steps"][0]["statements"][0]
    statement = instrument.statements[0]
    assert (first["id"], first["text"]) == ("1", statement.text)
    assert first["captions"][:5] == [statement.level_description(level) for level in range(1, 6)]
    assert [o["label"] for o in content["options"]] == [instrument.level_label(level) for level in range(1, 6)] + [
        instrument.unknown_label]
    assert client.get("/api/live/instrument/..%2F..%2Fapp.py").status_code == 404
    assert client.get("/api/live/instrument/onbekend").status_code == 404
