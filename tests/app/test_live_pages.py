"""AppTest of the facilitator's Live page (the participants' page is tested over HTTP: test_participant_api.py)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis.meeting.live import shown_code
from analysis.scoring.summary import summarize
from analysis.store.live import LiveStore
from analysis.store.plans import PlanStore
from analysis.store.rounds import RoundStore
from tests.app.test_pages import chart_figures
from tests.conftest import ROOT


@pytest.fixture
def live():
    return LiveStore()


def facilitator() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/live.py").run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_the_facilitator_starts_a_session_and_sees_its_code(live):
    at = facilitator()
    at.text_input[0].input("Gemeente Testdam")
    at.text_area[0].input("Team Noord\nTeam Zuid\n")
    at = click(at, "Sessie starten")
    [session] = live.open_sessions()
    assert (session.organisation, session.groups) == ("Gemeente Testdam", ("Team Noord", "Team Zuid"))
    assert any(f"/deelnemen?code={session.join_code}" in c.value for c in at.code)
    assert any(shown_code(session.join_code) in str(h.proto.body) for h in at.get("html"))
    assert [str(m.value) for m in at.metric] == ["0", "0", "0", "0"]
    assert any("zodra 5 deelnemers" in i.value for i in at.info)  # no scores below the minimum


def test_a_join_link_never_opens_the_dashboard_itself(live):
    """Without app.py (``streamlit run dashboard.py``) the participant page is not there: a phone with a join code
    gets one Dutch line, not the dashboard and its sample data."""
    session = live.create_session("Org", "quickscan-dsb")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["code"] = session.join_code
    at.run()
    assert not at.exception and any("streamlit run app.py" in e.value for e in at.error)
    assert not at.metric and not chart_figures(at) and not at.sidebar.selectbox


def test_the_facilitator_sees_the_result_from_the_minimum_and_closes_into_a_round(live):
    at = facilitator()
    at.text_input[0].input("Gemeente Testdam")
    at = click(at, "Sessie starten")
    [session] = live.open_sessions()
    people = [live.join(session.session_id).participant for _ in range(5)]
    for n, person in enumerate(people):
        for item in (1, 2, 3, 10, 13):  # three themes: Competenties, Methodiek, Randvoorwaarden
            live.record_answer(session.session_id, person, item, 1 + (n + item) % 5)
    for person in people[:4]:
        live.submit(session.session_id, person)
    at.run()
    assert [str(m.value) for m in at.metric] == ["5", "5", "25", "4"]
    assert not chart_figures(at) and any("zodra 5 deelnemers" in i.value for i in at.info)  # 4 submitted
    live.submit(session.session_id, people[4])
    at.run()
    assert [str(m.value) for m in at.metric] == ["5", "5", "25", "5"]
    assert len(chart_figures(at)) == 2         # the radar and the spread, now that 5 submitted
    assert any("Nu geteld: 5 van 5 ingestuurd" in c.value for c in at.caption)
    # Statements 1-3 (Competenties) got 2,3,4,5,1 / 3,4,5,1,2 / 4,5,1,2,3: a mean of 3 each, so the theme is 3.
    [room] = [t for t in chart_figures(at)[0]["data"] if t.get("name") == "Zaal"]
    assert dict(zip(room["theta"], room["r"]))["Competenties"] == 3.0
    assert any("19 stellingen nog zonder uitkomst" in c.value for c in at.caption)
    # A sixth person answers statement 4 with Inactief and submits: not on the wall, not in the theme (as the page
    # draws them), until four more do.
    late = live.join(session.session_id).participant
    live.record_answer(session.session_id, late, 4, 1)
    live.submit(session.session_id, late)
    at.run()
    assert any("Nu geteld: 5 van 6 ingestuurd" in c.value for c in at.caption)
    spread = chart_figures(at)[1]
    for trace in spread["data"]:  # statement 4 drawn exactly like statement 5, which nobody answered
        bars = {str(y): str(x) for y, x in zip(trace.get("y") or [], trace.get("x") or [])}
        assert bars.get("4") == bars.get("5"), trace.get("name")
    [room] = [t for t in chart_figures(at)[0]["data"] if t.get("name") == "Zaal"]
    assert dict(zip(room["theta"], room["r"]))["Competenties"] == 3.0
    assert any("19 stellingen nog zonder uitkomst" in c.value for c in at.caption)
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
        "Gemeente Testdam", "Bijeenkomst maart", "2026-03-05", 6)  # the round has every answer, the late one too
    assert PlanStore().get(info.round_id).item_ids == [3, 2]
    scores = summarize(RoundStore().load(info.round_id)).statements.set_index("id")["score"]
    assert scores[1] == sum(1 + (n + 1) % 5 for n in range(5)) / 5
    assert not live.open_sessions() and any("opgeslagen als meetronde" in s.value for s in at.success)
    click(at, "Openen op Overzicht")
    assert at.session_state["upload"]["round_id"] == info.round_id



def test_the_wall_draws_no_radar_of_fewer_than_three_themes(live):
    """Five people answered statements 1-3, all of one theme: a radar would be a single dot, so the wall says when
    it comes and shows the answers per statement."""
    at = facilitator()
    at.text_input[0].input("Gemeente Testdam")
    at = click(at, "Sessie starten")
    [session] = live.open_sessions()
    for n in range(5):
        person = live.join(session.session_id).participant
        for item in (1, 2, 3):
            live.record_answer(session.session_id, person, item, 1 + (n + item) % 5)
        live.submit(session.session_id, person)
    at.run()
    [spread] = chart_figures(at)
    assert "Antwoorden per stelling" in str(spread["layout"].get("title"))
    assert any("verschijnt zodra 3 thema's een uitkomst hebben" in c.value for c in at.caption)


def test_with_groups_the_wall_waits_for_one_group_to_reach_the_minimum(live):
    """Six submitted, three per group: no group has five, so nothing shows, and the wall says a group must reach
    five (not 'zodra 5 deelnemers', which it already has). Two more of Noord: Noord and the room show."""
    at = facilitator()
    at.text_input[0].input("Gemeente Testdam")
    at.text_area[0].input("Team Noord\nTeam Zuid\n")
    at = click(at, "Sessie starten")
    [session] = live.open_sessions()

    def submit(group: str, n: int) -> None:
        for _ in range(n):
            person = live.join(session.session_id, group).participant
            for item in (1, 10, 13):
                live.record_answer(session.session_id, person, item, 3)
            live.submit(session.session_id, person)
    submit("Team Noord", 3)
    submit("Team Zuid", 3)
    at.run()
    assert not chart_figures(at)
    assert any("5 deelnemers van één groep" in i.value and "nu 6 ingestuurd" in i.value for i in at.info)
    submit("Team Noord", 2)
    at.run()
    assert len(chart_figures(at)) == 2
    assert any("Nu geteld: 5 van 8 ingestuurd" in c.value for c in at.caption)
    assert any("1 groep(en) nog niet getoond" in c.value for c in at.caption)


def test_a_qr_code_that_points_at_this_computer_is_flagged():
    """Opened on localhost, the QR code sends phones to themselves: the facilitator is told before the room scans."""
    from ui.live_common import network_url, only_this_computer

    at = facilitator()
    at.text_input[0].input("Gemeente Testdam")
    at = click(at, "Sessie starten")
    warning = next(w.value for w in at.warning if "werkt alleen op deze computer" in w.value)
    # It names this computer's own address on the network (when it has one), not an example with a fixed port.
    suggested = re.findall(r"`(http[^`]+)`", warning)
    if network_url("http://localhost:8501/") is None:
        assert suggested == []
    else:
        assert len(suggested) == 1 and not only_this_computer(suggested[0]) and "8501" not in warning.replace(
            suggested[0], "")
    assert network_url("http://localhost:8765/live") is None or (
        network_url("http://localhost:8765/live").endswith(":8765/live")
        and not only_this_computer(network_url("http://localhost:8765/live")))
    for url in ("http://localhost:8501/deelnemen?code=X", "http://127.0.0.1:8765/deelnemen", "http://[::1]:8501/",
                "http://app.localhost/deelnemen"):
        assert only_this_computer(url), url
    for url in ("http://192.168.1.20:8501/deelnemen?code=X", "https://quickscan.gemeente.nl/deelnemen"):
        assert not only_this_computer(url), url
