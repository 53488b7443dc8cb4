"""Deelnemen: a phone in the room fills in the instrument of a live session and votes on priorities.

Reached only with the join code (from the QR code's URL or typed), without sign-in, sidebar or other pages.
Each answer lands in the store as it is given; a reload comes back through the resume code in the URL.
This page never shows results, nor anything of another session.

Sixty phones in one room tap about 25 times a second, so a tap is kept light: the questionnaire is a fragment
(a tap reruns the question, not the page), an instrument's screens are worked out once per process, the
session's state (open, a vote) is read once every few seconds for all phones together, and a tap costs one
store call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from analysis.instrument import get_instrument
from analysis.meeting.live import VOTES_PER_PARTICIPANT, answer_options, normal_code
from analysis.store import StoreError
from analysis.store.live import LiveError, LiveSession, LiveStore
from ui.live_common import live_store
from ui.widgets import escape_md, explanation_ui

ME = "live_me"          # {"session_id", "participant", "resume", "group", "submitted", "given": {item: code}}
STEP = "live_step"      # the statement (scale) or block (checklist) on screen; its count means "klaar"
PROBLEM = "live_problem"
SEEN = "live_seen"      # the session's (status, poll) this phone last drew its page for
DRAWN = "live_drawn"    # (step, answers given) the questionnaire on screen was drawn for
WATCH_SECONDS = 5       # a vote opened or the session closed reaches a phone that is done within this time
WATCH_ANSWERING_SECONDS = 10  # ... and one still answering with its next tap, at the latest after this time
STATE_SECONDS = 2       # the session's state, read once for every phone of this server within this time


@dataclass(frozen=True)
class Screens:
    """What a phone shows of an instrument, worked out once per process (the same for every participant)."""

    steps: tuple[tuple, ...]                  # the statements per screen
    codes: tuple[int, ...]                    # the answer codes, in the order shown
    labels: dict                              # code -> label
    captions: dict                            # statement id -> the option descriptions (scale only)
    total: int


@st.cache_resource(max_entries=8, show_spinner=False)
def screens_of(instrument_id: str) -> Screens:
    instrument = get_instrument(instrument_id)
    options = answer_options(instrument)
    codes = tuple(code for code, _ in options)
    captions = {}
    if instrument.kind.has_levels:
        captions = {s.id: tuple(s.level_description(code) if code else "Als u het niet weet of het niet van "
                                "toepassing is." for code in codes) for s in instrument.statements}
    return Screens(tuple(tuple(step) for step in steps_of(instrument)), codes, dict(options), captions,
                   len(instrument.statements))


@st.cache_resource(show_spinner=False)
def _session_states() -> dict:
    """session id -> (read at, (status, poll)), shared by every phone this server process serves."""
    return {}


def session_state_of(store: LiveStore, session_id: str) -> tuple | None:
    """(status, poll) of a session, read at most once every few seconds however many phones ask; None when it
    cannot be read (the next look tries again)."""
    states = _session_states()
    known = states.get(session_id)
    if known is not None and time.monotonic() - known[0] < STATE_SECONDS:
        return known[1]
    try:
        state = store.session(session_id).status, store.poll(session_id)
    except (LiveError, StoreError):
        return None
    remember_state(session_id, state)
    return state


def remember_state(session_id: str, state: tuple) -> None:
    states = _session_states()
    if len(states) >= 256:  # bounded: sessions of a day, the oldest readings dropped first
        for old in sorted(states, key=lambda key: states[key][0])[:128]:
            states.pop(old, None)
    states[session_id] = (time.monotonic(), state)


def code_ui() -> str | None:
    """The join code: from the URL (the QR code), else typed."""
    code = normal_code(st.query_params.get("code", ""))
    if code:
        return code
    st.title("Deelnemen")
    with st.form("join_code"):
        typed = st.text_input("Code op het scherm", max_chars=20, placeholder="bijv. ABCDE-FGHJK")
        sent = st.form_submit_button("Verder", type="primary")
    if sent and normal_code(typed):
        st.query_params["code"] = normal_code(typed)
        st.rerun()
    st.stop()


def session_or_stop(store: LiveStore, code: str) -> LiveSession:
    try:
        return store.by_code(code)
    except LiveError as exc:
        st.title("Deelnemen")
        st.error(escape_md(exc), icon=":material/block:")
        _forget()
        if st.button("Andere code invullen"):
            st.query_params.clear()
            st.rerun()
        st.stop()


def _forget() -> None:
    for key in (ME, STEP, PROBLEM):
        st.session_state.pop(key, None)


def _remember(store: LiveStore, session: LiveSession, person) -> None:
    st.session_state[ME] = {"session_id": session.session_id, "participant": person.participant,
                            "resume": person.resume_code, "group": person.group, "submitted": person.submitted,
                            "given": store.own_answers(session.session_id, person.participant)}
    # Back where they were: the first screen with an unanswered question (after a reload, on another phone).
    given = st.session_state[ME]["given"]
    steps = screens_of(session.instrument_id).steps
    st.session_state[STEP] = next((n for n, step in enumerate(steps) if any(str(s.id) not in given for s in step)),
                                  len(steps))
    st.query_params["hervat"] = person.resume_code


def participant_ui(store: LiveStore, session: LiveSession) -> dict:
    """This phone's participant: kept in the session state, else resumed from the URL's code, else new."""
    me = st.session_state.get(ME)
    if me and me["session_id"] == session.session_id:
        return me
    _forget()
    resume = st.query_params.get("hervat")
    if resume:
        try:
            _remember(store, session, store.resume(session.session_id, resume))
            return st.session_state[ME]
        except LiveError as exc:
            st.error(escape_md(exc))
            del st.query_params["hervat"]
    st.title("Welkom")
    st.write(f"U vult de vragenlijst in voor {escape_md(session.organisation)}. Uw antwoorden zijn anoniem: "
             "de begeleider ziet alleen de uitkomst van de hele groep.")
    group = ""
    if session.groups:
        group = st.radio("Uw groep", list(session.groups), index=None, format_func=escape_md)
    if st.button("Beginnen", type="primary", disabled=bool(session.groups) and group is None):
        try:
            _remember(store, session, store.join(session.session_id, group or ""))
        except LiveError as exc:
            st.error(escape_md(exc))
            st.stop()
        st.rerun()
    with st.expander("Al begonnen? Vul uw hervatcode in"):
        with st.form("resume_code"):
            typed = st.text_input("Hervatcode", max_chars=12)
            if st.form_submit_button("Verder waar ik was") and normal_code(typed):
                st.query_params["hervat"] = normal_code(typed)
                st.rerun()
    st.stop()


def follow_session(store: LiveStore, session_id: str, check_screen: bool = False) -> None:
    """A vote opened or closed, or the session closed since this page was drawn: the whole page follows.

    With CHECK_SCREEN (the timer's fragments) so does a questionnaire whose screen is behind its answers: a tap
    whose answer was taken in a run of the timer's fragment (seen under load: the answer landed, the screen stayed
    on the answered statement).
    """
    state = session_state_of(store, session_id)
    if state is not None and state != st.session_state.get(SEEN):
        st.session_state[SEEN] = state
        st.rerun(scope="app")
    drawn, me = st.session_state.get(DRAWN), st.session_state.get(ME)
    now = (st.session_state.get(STEP), len(me["given"])) if me else None
    if check_screen and drawn is not None and drawn != now:
        st.session_state.pop(DRAWN, None)
        st.rerun(scope="app")


@st.fragment(run_every=WATCH_SECONDS)
def watch_ui(store: LiveStore, session_id: str) -> None:
    """A phone that is done (or voting) follows the session within a few seconds."""
    follow_session(store, session_id, check_screen=True)


@st.fragment(run_every=WATCH_ANSWERING_SECONDS)
def watch_answering_ui(store: LiveStore, session_id: str) -> None:
    """A phone still answering follows the session with each tap (``questionnaire_ui``), and this in between.

    Every run costs a phone's browser as much as a small tap (Streamlit redraws its page state), so sixty
    phones looking every few seconds while they answer would double the work of answering for nothing.
    """
    follow_session(store, session_id, check_screen=True)


def _answer(store: LiveStore, me: dict, item, key: str, advance: bool, step: int) -> None:
    """Callback of a choice: the answer lands in the store at once, and (on a scale) the next statement shows.

    Only a choice on the screen now on show moves on: a second tap that reached a screen already left behind
    (a double tap, a slow phone) changes that answer but never skips the next statement.
    """
    code = st.session_state.get(key)
    if code is None:
        return
    try:
        store.record_answer(me["session_id"], me["participant"], item, code)
    except LiveError as exc:
        st.session_state[PROBLEM] = str(exc)
        return
    st.session_state.pop(PROBLEM, None)
    me["given"][str(item)] = code
    if advance and st.session_state.get(STEP) == step:
        st.session_state[STEP] = step + 1


def vote_ui(store: LiveStore, me: dict, instrument, items: list[str]) -> None:
    kind = instrument.kind
    by_id = {str(s.id): s for s in instrument.statements}
    st.subheader("Prioriteren")
    st.write(f"Kies de {kind.items} waar uw team eerst mee aan de slag wil: hoogstens {VOTES_PER_PARTICIPANT}.")
    mine = set(store.own_votes(me["session_id"], me["participant"]))
    with st.form(f"vote_{'-'.join(items)}"):
        ticked = [item for item in items if item in by_id and st.checkbox(
            f"{kind.item.capitalize()} {item}: {by_id[item].text}", value=item in mine, key=f"vote_{item}")]
        sent = st.form_submit_button("Stem uitbrengen", type="primary")
    if sent:
        try:
            store.vote(me["session_id"], me["participant"], ticked)
            st.success(f"Uw stem is ontvangen ({len(ticked)} van {VOTES_PER_PARTICIPANT}). U kunt hem nog "
                       "wijzigen zolang de stemming open is.", icon=":material/check_circle:")
        except LiveError as exc:
            st.error(escape_md(exc))
    elif mine:
        st.caption(f"U hebt gestemd ({len(mine)} van {VOTES_PER_PARTICIPANT}); wijzigen kan zolang de stemming "
                   "open is.")


def steps_of(instrument) -> list[list]:
    """One statement per screen on a scale; one block (with all its items) per screen on a checklist."""
    if instrument.kind.has_levels:
        return [[s] for s in instrument.statements]
    return [instrument.statements_in(block) for block in instrument.themes]


def explanation_expander_ui(statement) -> None:
    """The toelichting, collapsed; its text is sent to the phone only when opened (most people never do)."""
    toelichting = st.expander("Toelichting", key=f"toelichting_{statement.id}", on_change="rerun")
    if toelichting.open:
        with toelichting:
            explanation_ui(statement.explanation, statement.note)


def question_ui(store: LiveStore, me: dict, instrument, screens: Screens, step: int) -> None:
    statements = screens.steps[step]
    given = me["given"]
    codes = list(screens.codes)
    single = len(statements) == 1 and instrument.kind.has_levels
    sub_group = None
    for statement in statements:
        if not single and statement.group and statement.group != sub_group:
            sub_group = statement.group
            st.markdown(f"**{escape_md(sub_group)}**")
        key = f"answer_{me['participant'][:8]}_{statement.id}"
        previous = given.get(str(statement.id))
        index = codes.index(previous) if previous in codes else None
        if single:
            st.markdown(f"**{statement.id}. {statement.text}**")
            if statement.explanation:
                explanation_expander_ui(statement)
            st.radio("Waar staat uw organisatie?", codes, index=index, format_func=screens.labels.get,
                     captions=screens.captions[statement.id], key=key, on_change=_answer,
                     args=(store, me, statement.id, key, True, step))
        else:
            st.radio(f"{statement.id}. {statement.text}", codes, index=index, format_func=screens.labels.get,
                     horizontal=True, key=key, on_change=_answer, args=(store, me, statement.id, key, False, step))


def to_top_ui(step: int) -> None:
    """A new screen starts at its top: after an answer on a phone the page would stay scrolled down.

    The tapped option loses its focus too: Streamlit keeps a focused widget that a fragment run left out on the
    page until the focus moves, so the previous statement's options would stay under the new ones.
    """
    if st.session_state.get("live_shown_step") == step:
        return
    st.session_state["live_shown_step"] = step
    st.html(f"<span hidden data-step='{int(step)}'></span><script>window.parent.scrollTo(0, 0); "
            "document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')"
            ".forEach((el) => el.scrollTo(0, 0)); document.activeElement?.blur();</script>",
            unsafe_allow_javascript=True)


def _go(step: int) -> None:
    st.session_state[STEP] = step


def navigation_ui(step: int, last: int) -> None:
    """Back and forward: a callback sets the screen, so a click costs one run of the fragment, not two."""
    with st.container(horizontal=True):
        st.button("Vorige", icon=":material/arrow_back:", disabled=step == 0, on_click=_go, args=(step - 1,))
        st.button("Volgende" if step < last else "Naar insturen", icon=":material/arrow_forward:",
                  type="secondary" if step < last else "primary", on_click=_go, args=(step + 1,))


def submit_ui(store: LiveStore, me: dict, instrument, screens: Screens) -> None:
    answered = len(me["given"])
    st.subheader("Klaar?")
    st.write(f"U hebt {answered} van de {screens.total} {instrument.kind.items} beantwoord. Na insturen kunt u "
             "uw antwoorden niet meer wijzigen. Ook als u niet instuurt, tellen uw antwoorden mee.")
    with st.container(horizontal=True):
        st.button("Terug", icon=":material/arrow_back:", on_click=_go, args=(len(screens.steps) - 1,))
        if st.button("Antwoorden insturen", type="primary", icon=":material/send:"):
            try:
                store.submit(me["session_id"], me["participant"])
                me["submitted"] = True
                st.rerun(scope="app")
            except LiveError as exc:
                st.error(escape_md(exc))


@st.fragment
def questionnaire_ui(store: LiveStore, me: dict, session_id: str, instrument_id: str) -> None:
    """Progress, the screen on show, back and forward: a tap reruns only this."""
    if st.session_state.get("live_fragment_ran"):
        follow_session(store, session_id)  # a tapping phone follows the session with its next tap
    st.session_state["live_fragment_ran"] = True
    instrument = get_instrument(instrument_id)
    screens = screens_of(instrument_id)
    steps = screens.steps
    step = min(max(st.session_state.get(STEP, 0), 0), len(steps))
    st.session_state[STEP] = step
    answered = len(me["given"])
    st.session_state[DRAWN] = (step, answered)
    st.progress(answered / screens.total, text=f"{answered} van {screens.total} {instrument.kind.items} beantwoord")
    if step < len(steps):
        if not instrument.kind.has_levels:
            st.markdown(f"#### {instrument.kind.group.capitalize()} {step + 1} van {len(steps)}: "
                        f"{steps[step][0].theme}")
        else:
            st.caption(f"{instrument.kind.item.capitalize()} {step + 1} van {len(steps)} · "
                       f"{instrument.kind.group} {steps[step][0].theme}")
        question_ui(store, me, instrument, screens, step)
        if PROBLEM in st.session_state:
            st.error(escape_md(st.session_state[PROBLEM]))
        navigation_ui(step, len(steps) - 1)
    else:
        submit_ui(store, me, instrument, screens)
    to_top_ui(step)  # last: its (empty) element adds no gap above the question


# A phone has no room to spare: less empty space above the first line.
st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 1.5rem;}</style>")
store = live_store()
session = session_or_stop(store, code_ui())
me = participant_ui(store, session)
instrument = get_instrument(session.instrument_id)
poll = store.poll(session.session_id)
st.session_state[SEEN] = (session.status, poll)  # what this page is drawn for, and the latest reading for all
remember_state(session.session_id, st.session_state[SEEN])
st.session_state.pop("live_fragment_ran", None)
st.session_state.pop(DRAWN, None)  # this run draws the questionnaire anew
answering = not me["submitted"] and st.session_state.get(STEP, 0) < len(screens_of(session.instrument_id).steps)
if answering and not (poll and poll[1] == "open"):
    watch_answering_ui(store, session.session_id)
else:
    watch_ui(store, session.session_id)

st.caption(f"{escape_md(instrument.short_title)} · {escape_md(session.organisation)}")
if poll and poll[1] == "open":
    vote_ui(store, me, instrument, poll[0])
    st.divider()
if me["submitted"]:
    st.success("Dank u wel, uw antwoorden zijn ingestuurd.", icon=":material/check_circle:")
    if not poll or poll[1] != "open":
        st.write("Kijk naar het scherm van de begeleider: daar komt de uitkomst van de groep, en straks misschien "
                 "een stemming. Die verschijnt dan vanzelf hier.")
    st.stop()

questionnaire_ui(store, me, session.session_id, session.instrument_id)
st.caption(f"Uw hervatcode: **{me['resume']}** — hiermee gaat u verder op een ander toestel of na het sluiten "
           "van de pagina.")
