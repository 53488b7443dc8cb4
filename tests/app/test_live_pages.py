"""AppTest of the live pages: the facilitator's Live page and the participants' Deelnemen page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.meeting.live import shown_code
from analysis.scoring.summary import summarize
from analysis.store.live import LiveStore
from analysis.store.plans import PlanStore
from analysis.store.rounds import RoundStore
from tests.app.test_pages import chart_figures
from tests.conftest import ROOT
from ui.widgets import escape_md

WRONG = "Deze code hoort niet bij een open sessie"


@pytest.fixture
def live():
    return LiveStore()


def facilitator() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/live.py").run()
    assert not at.exception, at.exception
    return at


def phone(code: str, resume: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["code"] = code
    if resume:
        at.query_params["hervat"] = resume
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    return " ".join(str(p) for p in parts)


def test_the_facilitator_starts_a_session_and_sees_its_code(live):
    at = facilitator()
    at.text_input[0].input("Gemeente Testdam")
    at.text_area[0].input("Team Noord\nTeam Zuid\n")
    at = click(at, "Sessie starten")
    [session] = live.open_sessions()
    assert (session.organisation, session.groups) == ("Gemeente Testdam", ("Team Noord", "Team Zuid"))
    assert any(f"/deelnemen?code={session.join_code}" in c.value for c in at.code)
    assert any(shown_code(session.join_code) in str(h.proto.body) for h in at.get("html"))
    assert [str(m.value) for m in at.metric] == ["0", "0", "0"]
    assert any("zodra 5 deelnemers" in i.value for i in at.info)  # no scores below the minimum


def test_a_wrong_or_closed_code_is_refused_with_the_dutch_line(live):
    at = phone("ABCDE-FGHJK")
    assert any(WRONG in e.value for e in at.error)
    session = live.create_session("Org", "quickscan-dsb")
    assert not phone(session.join_code.lower()).error  # typed in lower case: still the code
    live.close(session.session_id)
    at = phone(session.join_code)
    assert any(WRONG in e.value for e in at.error) and not at.radio


def test_answers_land_as_given_resume_after_a_reload_and_the_vote(live):
    session = live.create_session("Gemeente Testdam", "quickscan-dsb", groups=["Team <b>Noord</b>", "Team Zuid"])
    other = live.create_session("Andere organisatie", "quickscan-dsb")
    at = phone(session.join_code)
    assert at.radio[0].options == [escape_md("Team <b>Noord</b>"), "Team Zuid"]  # a typed group stays inert
    at.radio[0].set_value("Team Zuid").run()
    at = click(at, "Beginnen")
    [(participant, group)] = live.participants(session.session_id)
    assert group == "Team Zuid"
    resume = at.query_params["hervat"][0] if isinstance(at.query_params["hervat"], list) else at.query_params["hervat"]
    assert resume in shown_text(at)
    # Statement 1, with its toelichting collapsed, five described levels and Onbekend.
    assert "1." in shown_text(at) and at.expander[0].label == "Toelichting"
    assert len(at.radio[0].options) == 6
    at.radio[0].set_value(4).run()          # Gevorderd: lands at once, and the next statement shows
    assert live.own_answers(session.session_id, participant) == {"1": 4}
    at.radio[0].set_value(0).run()          # statement 2: Onbekend
    at = click(at, "Vorige")
    at.radio[0].set_value(2).run()          # statement 2 changed to Startend
    assert live.own_answers(session.session_id, participant) == {"1": 4, "2": 2}

    # The phone reloads: a new browser session with the URL's resume code picks up the same participant.
    again = phone(session.join_code, resume)
    assert live.participants(session.session_id) == [(participant, "Team Zuid")]
    assert again.radio[0].value is None     # at statement 3, the first one unanswered
    again = click(again, "Vorige")
    assert again.radio[0].value == 2        # statement 2, its answer kept
    again.radio[0].set_value(5).run()
    assert live.own_answers(session.session_id, participant) == {"1": 4, "2": 5}

    # The vote: offered items only, at most three, landing in the store.
    live.open_vote(session.session_id, [3, 7, 9, 12])
    again.run()
    boxes = [c for c in again.checkbox if c.label.startswith("Stelling")]
    assert len(boxes) == 4
    for box in boxes[:3]:
        box.check()
    click(again, "Stem uitbrengen")
    assert sorted(live.own_votes(session.session_id, participant)) == ["3", "7", "9"]

    # Never results, never another session.
    text = shown_text(again)
    assert not again.metric and not chart_figures(again) and not again.dataframe
    assert "Andere organisatie" not in text and other.join_code not in text


def test_submit_once_then_no_more_answers(live):
    session = live.create_session("Org", "diversiteitskader-wijkteams")
    at = click(phone(session.join_code), "Beginnen")
    [(participant, _)] = live.participants(session.session_id)
    assert len(at.radio) == 12              # Werkwijze: its twelve items on one screen, ja/nee/onbekend
    at.radio[0].set_value(2).run()
    at.radio[1].set_value(1).run()
    assert live.own_answers(session.session_id, participant) == {"1.1": 2, "1.2": 1}
    for _ in range(5):
        at = click(at, next(b.label for b in at.button if b.label in ("Volgende", "Naar insturen")))
    at = click(at, "Antwoorden insturen")
    assert any("ingestuurd" in s.value for s in at.success)
    assert live.participant(session.session_id, participant).submitted and not at.radio


def test_the_facilitator_sees_the_result_from_the_minimum_and_closes_into_a_round(live):
    at = facilitator()
    at.text_input[0].input("Gemeente Testdam")
    at = click(at, "Sessie starten")
    [session] = live.open_sessions()
    people = [live.join(session.session_id).participant for _ in range(5)]
    for n, person in enumerate(people):
        for item in (1, 2, 3):
            live.record_answer(session.session_id, person, item, 1 + (n + item) % 5)
    at.run()
    assert [str(m.value) for m in at.metric] == ["5", "5", "15"]
    assert len(chart_figures(at)) == 2         # the radar and the spread, now that 5 answered
    # Statements 1-3 (Competenties) got 2,3,4,5,1 / 3,4,5,1,2 / 4,5,1,2,3: a mean of 3 each, so the theme is 3.
    [room] = [t for t in chart_figures(at)[0]["data"] if t.get("name") == "Zaal"]
    assert dict(zip(room["theta"], room["r"]))["Competenties"] == 3.0
    live.open_vote(session.session_id, [1, 2, 3])
    live.vote(session.session_id, people[0], [2, 3])
    live.vote(session.session_id, people[1], [3])
    at.run()
    assert at.dataframe                     # the tally
    inputs = {t.label: t for t in at.text_input}
    inputs["Naam van de meetronde"].input("Bijeenkomst maart")
    inputs["Datum van de meting"].input("5 maart 2026")
    at.number_input[0].set_value(2)
    at = click(at, "Sessie sluiten en opslaan als meetronde")
    [info] = RoundStore().list()
    assert (info.organisation, info.name, info.date, info.respondents) == (
        "Gemeente Testdam", "Bijeenkomst maart", "2026-03-05", 5)
    assert PlanStore().get(info.round_id).item_ids == [3, 2]
    scores = summarize(RoundStore().load(info.round_id)).statements.set_index("id")["score"]
    assert scores[1] == sum(1 + (n + 1) % 5 for n in range(5)) / 5
    assert not live.open_sessions() and any("opgeslagen als meetronde" in s.value for s in at.success)
    click(at, "Openen op Overzicht")
    assert at.session_state["upload"]["round_id"] == info.round_id

