"""Live sessions in the store (both backends): codes, joining and resuming, caps, submit once, the dot vote."""

from __future__ import annotations

import pytest

from analysis.instrument import get_instrument
from analysis.meeting import live as live_rules
from analysis.meeting.live import answers_dataset, normal_code, shown_code, tally
from analysis.scoring.summary import summarize
from analysis.store.live import LiveError, LiveStore


@pytest.fixture
def live(backend):
    return LiveStore(backend.database)


def test_a_code_opens_only_its_open_session(live):
    session = live.create_session("Gemeente X", "quickscan-dsb", groups=["Team Noord", "Team Zuid"])
    assert len(session.join_code) == 10 and set(session.join_code) <= set(live_rules.ALPHABET)
    typed = " " + shown_code(session.join_code).lower() + " "
    assert live.by_code(typed).session_id == session.session_id
    assert normal_code("abcde-fghjk") == "ABCDEFGHJK"
    with pytest.raises(LiveError, match="hoort niet bij een open sessie"):
        live.by_code("AAAAAAAAAA")
    expired = live.create_session("Gemeente X", "quickscan-dsb", hours=-1)
    with pytest.raises(LiveError, match="hoort niet bij een open sessie"):
        live.by_code(expired.join_code)
    live.close(session.session_id)
    with pytest.raises(LiveError, match="hoort niet bij een open sessie"):
        live.by_code(session.join_code)
    codes = {live.create_session("Org", "quickscan-dsb").join_code for _ in range(20)}
    assert len(codes) == 20


def test_join_resume_answer_and_submit_once(live):
    session = live.create_session("Org", "quickscan-dsb", groups=["Team Noord"]).session_id
    with pytest.raises(LiveError, match="Kies een groep uit de lijst"):
        live.join(session, "Team Verzonnen")
    me = live.join(session, "Team Noord")
    live.record_answer(session, me.participant, 3, 4)
    again = live.resume(session, me.resume_code.lower())
    assert again.participant == me.participant and again.group == "Team Noord"
    assert live.own_answers(session, me.participant) == {"3": 4}
    with pytest.raises(LiveError, match="hervatcode is onbekend"):
        live.resume(session, "ZZZZZZ")
    live.submit(session, me.participant)
    with pytest.raises(LiveError, match="al ingestuurd"):
        live.record_answer(session, me.participant, 4, 2)
    with pytest.raises(LiveError, match="niet aangemeld"):
        live.record_answer(session, "iemand-anders", 4, 2)


def test_a_late_answer_of_the_same_device_never_replaces_a_newer_one(live):
    """A phone's request that timed out and was still processed after its newer tap: the newer answer stays.
    Another device (the participant went on on a laptop) or a sender without numbers: the last to arrive counts."""
    session = live.create_session("Org", "quickscan-dsb").session_id
    me = live.join(session)
    phone, laptop = "a1" * 8, "b2" * 8
    live.record_answer(session, me.participant, 5, 4, phone, 12)
    live.record_answer(session, me.participant, 5, 2, phone, 11)  # the late one: accepted, changes nothing
    assert live.own_answers(session, me.participant) == {"5": 4}
    live.record_answer(session, me.participant, 5, 4, phone, 12)  # sent again: harmless
    live.record_answer(session, me.participant, 5, 3, laptop, 1)  # another device's numbers start anew
    assert live.own_answers(session, me.participant) == {"5": 3}
    live.record_answer(session, me.participant, 5, 1, phone, 13)
    assert live.own_answers(session, me.participant) == {"5": 1}
    live.record_answer(session, me.participant, 5, 5)  # no device: as before, the last one counts
    live.record_answer(session, me.participant, 5, 2, phone, 1)
    assert live.own_answers(session, me.participant) == {"5": 2}
    assert live.answer_count(session) == 1


def test_caps_on_people_and_answers_a_minute(live, monkeypatch):
    import analysis.store.live as store_live

    monkeypatch.setattr(store_live, "MAX_PARTICIPANTS", 2)
    monkeypatch.setattr(store_live, "MAX_ANSWERS_PER_MINUTE", 3)
    session = live.create_session("Org", "quickscan-dsb").session_id
    first, _ = live.join(session), live.join(session)
    with pytest.raises(LiveError, match="sessie is vol"):
        live.join(session)
    for item in (1, 2, 3):
        live.record_answer(session, first.participant, item, 3)
    with pytest.raises(LiveError, match="te veel antwoorden tegelijk"):
        live.record_answer(session, first.participant, 4, 3)
    assert live.answer_count(session) == 3


def test_the_dot_vote(live):
    session = live.create_session("Org", "quickscan-dsb").session_id
    people = [live.join(session).participant for _ in range(3)]
    with pytest.raises(LiveError, match="geen stemming open"):
        live.vote(session, people[0], ["7"])
    live.open_vote(session, [7, 12, 3, 20])
    live.vote(session, people[0], [7, 12, 3])
    live.vote(session, people[1], [12])
    live.vote(session, people[2], [7, 3])
    live.vote(session, people[2], [12, 20])  # changed their mind: replaces
    with pytest.raises(LiveError, match="3 stemmen"):
        live.vote(session, people[1], [7, 12, 3, 20])
    with pytest.raises(LiveError, match="getoonde"):
        live.vote(session, people[1], [5])
    table = tally(live.votes(session), [7, 12, 3, 20])
    assert table.values.tolist() == [[12, 3], [7, 1], [3, 1], [20, 1]]
    live.close_vote(session)
    with pytest.raises(LiveError, match="geen stemming open"):
        live.vote(session, people[1], [7])
    assert live.poll(session) == (["7", "12", "3", "20"], "closed")


def test_the_rooms_answers_become_a_dataset_whose_scores_are_the_answers_given(live):
    instrument = get_instrument("quickscan-dsb")
    session = live.create_session("Org", "quickscan-dsb", groups=["A", "B"]).session_id
    given = {"A": {1: 4, 2: 0, 7: 2}, "B": {1: 2, 7: 5}}
    people = {}
    for group, answers in given.items():
        people[group] = live.join(session, group).participant
        for item, code in answers.items():
            live.record_answer(session, people[group], item, code)
    live.join(session, "A")  # joined, answered nothing: no respondent
    dataset = answers_dataset(instrument, live.participants(session), live.answers(session), {"filename": "live"})
    assert dataset.n_respondents == 2 and dataset.metadata["Groep"].tolist() == ["A", "B"]
    statements = summarize(dataset).statements.set_index("id")
    assert statements.loc[1, "score"] == (4 + 2) / 2 and statements.loc[7, "score"] == (2 + 5) / 2
    assert statements.loc[2, "n_unknown"] == 1 and statements.loc[2, "n_known"] == 0
    assert statements.loc[3, "n_missing"] == 2


def test_the_live_view_counts_submitted_answers_from_the_minimum_group_size(live):
    from analysis.meeting.live import live_view

    instrument = get_instrument("quickscan-dsb")
    session = live.create_session("Org", "quickscan-dsb", groups=["A", "B"]).session_id
    people = []
    for n in range(6):
        person = live.join(session, "A" if n < 5 else "B").participant
        people.append(person)
        live.record_answer(session, person, 1, 2 + n % 3)
        live.record_answer(session, person, 2, 0)
    for person in reversed(people):  # B's one person first
        live.submit(session, person)
    assert live.submitted(session) == list(reversed(people))
    few = live_view(instrument, live.participants(session), live.answers(session), 5,
                    submitted=live.submitted(session)[:4])
    assert few.summary is None and few.groups == [] and few.respondents == 6 and few.submitted == 4
    view = live_view(instrument, live.participants(session), live.answers(session), 5,
                     submitted=live.submitted(session))
    assert view.respondents == 6 and view.answers == 12 and (view.submitted, view.counted) == (6, 5)
    # A's five are on the wall, as A and as the room; B's one waits for four more of B.
    assert [g.name for g in view.groups] == ["A"]
    assert [(g.name, g.respondents) for g in view.summary.groups if g.suppressed] == [("B", 1)]
    statements = view.summary.statements.set_index("id")
    assert statements.loc[1, "n_known"] == 5 and statements.loc[1, "score"] == (2 + 3 + 4 + 2 + 3) / 5
    assert view.groups[0].statements.set_index("id").loc[1, "score"] == statements.loc[1, "score"]
    assert view.most_unknown["id"].tolist() == [2] and view.most_unknown["n_unknown"].tolist() == [5]


def test_closing_into_a_round_keeps_the_answers_and_the_voted_priorities(live):
    from analysis.store.live import close_into_round
    from analysis.store.plans import PlanStore
    from analysis.store.rounds import RoundStore

    session = live.create_session("Gemeente X", "quickscan-dsb").session_id
    people = [live.join(session).participant for _ in range(3)]
    for n, person in enumerate(people):
        live.record_answer(session, person, 5, n + 1)
    live.open_vote(session, [5, 7, 9])
    live.vote(session, people[0], [7, 9])
    live.vote(session, people[1], [9])
    info, chosen = close_into_round(live, session, "Gemeente X", "Live 1", "2026-03-01", top=1)
    assert chosen == [9] and not live.session(session).is_open() and live.session(session).round_id == info.round_id
    assert PlanStore(live.database).get(info.round_id).item_ids == [9]
    statements = summarize(RoundStore(live.database).load(info.round_id)).statements.set_index("id")
    assert statements.loc[5, "score"] == 2.0 and info.respondents == 3
    with pytest.raises(LiveError):
        live.record_answer(session, people[0], 6, 3)
    empty = live.create_session("Gemeente X", "quickscan-dsb").session_id
    with pytest.raises(LiveError, match="geen antwoorden"):
        close_into_round(live, empty, "Gemeente X", "Live 2", "2026-03-01")
    assert live.session(empty).is_open()
