"""Deelnemen: a phone in the room fills in the instrument of a live session and votes on priorities.

Reached only with the join code (from the QR code's URL or typed), without sign-in, sidebar or other pages.
Each answer lands in the store as it is given; a reload comes back through the resume code in the URL.
This page never shows results, nor anything of another session.
"""

import streamlit as st

from analysis.instrument import get_instrument
from analysis.live import VOTES_PER_PARTICIPANT, answer_options, normal_code
from analysis.store import StoreError
from analysis.store.live import LiveError, LiveSession, LiveStore
from ui.live_common import live_store
from ui.widgets import escape_md, explanation_ui

ME = "live_me"          # {"session_id", "participant", "resume", "group", "submitted", "given": {item: code}}
STEP = "live_step"      # the statement (scale) or block (checklist) on screen; its count means "klaar"
PROBLEM = "live_problem"


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
    steps = steps_of(get_instrument(session.instrument_id))
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


@st.fragment(run_every=4)
def watch_ui(store: LiveStore, session_id: str) -> None:
    """A vote opened or closed, or the session closed: the whole page follows within a few seconds."""
    try:
        state = (store.session(session_id).status, store.poll(session_id))
    except (LiveError, StoreError):
        return
    seen = st.session_state.setdefault("live_seen", state)
    if state != seen:
        st.session_state["live_seen"] = state
        st.rerun(scope="app")


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


def question_ui(store: LiveStore, me: dict, instrument, statements: list, step: int) -> None:
    options = answer_options(instrument)
    labels = dict(options)
    given = me["given"]
    single = len(statements) == 1 and instrument.kind.has_levels
    sub_group = None
    for statement in statements:
        if not single and statement.group and statement.group != sub_group:
            sub_group = statement.group
            st.markdown(f"**{escape_md(sub_group)}**")
        key = f"answer_{me['participant'][:8]}_{statement.id}"
        codes = [code for code, _ in options]
        previous = given.get(str(statement.id))
        if single:
            st.markdown(f"**{statement.id}. {statement.text}**")
            if statement.explanation:
                with st.expander("Toelichting"):
                    explanation_ui(statement.explanation, statement.note)
            captions = [statement.level_description(code) if code else "Als u het niet weet of het niet van "
                        "toepassing is." for code in codes]
            st.radio("Waar staat uw organisatie?", codes, index=codes.index(previous) if previous in codes else None,
                     format_func=labels.get, captions=captions, key=key, on_change=_answer,
                     args=(store, me, statement.id, key, True, step))
        else:
            st.radio(f"{statement.id}. {statement.text}", codes,
                     index=codes.index(previous) if previous in codes else None, format_func=labels.get,
                     horizontal=True, key=key, on_change=_answer, args=(store, me, statement.id, key, False, step))


def to_top_ui(step: int) -> None:
    """A new screen starts at its top: after an answer on a phone the page would stay scrolled down."""
    if st.session_state.get("live_shown_step") == step:
        return
    st.session_state["live_shown_step"] = step
    st.html(f"<span hidden data-step='{int(step)}'></span><script>window.parent.scrollTo(0, 0); "
            "document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')"
            ".forEach((el) => el.scrollTo(0, 0));</script>", unsafe_allow_javascript=True)


def navigation_ui(step: int, last: int) -> None:
    with st.container(horizontal=True):
        if st.button("Vorige", icon=":material/arrow_back:", disabled=step == 0):
            st.session_state[STEP] = step - 1
            st.rerun()
        if st.button("Volgende" if step < last else "Naar insturen", icon=":material/arrow_forward:",
                     type="secondary" if step < last else "primary"):
            st.session_state[STEP] = step + 1
            st.rerun()


def submit_ui(store: LiveStore, me: dict, instrument) -> None:
    total, answered = len(instrument.statements), len(me["given"])
    st.subheader("Klaar?")
    st.write(f"U hebt {answered} van de {total} {instrument.kind.items} beantwoord. Na insturen kunt u uw "
             "antwoorden niet meer wijzigen. Ook als u niet instuurt, tellen uw antwoorden mee.")
    with st.container(horizontal=True):
        if st.button("Terug", icon=":material/arrow_back:"):
            st.session_state[STEP] -= 1
            st.rerun()
        if st.button("Antwoorden insturen", type="primary", icon=":material/send:"):
            try:
                store.submit(me["session_id"], me["participant"])
                me["submitted"] = True
                st.rerun()
            except LiveError as exc:
                st.error(escape_md(exc))


# A phone has no room to spare: less empty space above the first line.
st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 1.5rem;}</style>")
store = live_store()
session = session_or_stop(store, code_ui())
me = participant_ui(store, session)
instrument = get_instrument(session.instrument_id)
poll = store.poll(session.session_id)
st.session_state.setdefault("live_seen", (session.status, poll))
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

steps = steps_of(instrument)
step = min(st.session_state.get(STEP, 0), len(steps))
st.session_state[STEP] = step
answered = len(me["given"])
st.progress(answered / len(instrument.statements),
            text=f"{answered} van {len(instrument.statements)} {instrument.kind.items} beantwoord")
if step < len(steps):
    if not instrument.kind.has_levels:
        st.markdown(f"#### {instrument.kind.group.capitalize()} {step + 1} van {len(steps)}: {steps[step][0].theme}")
    else:
        st.caption(f"{instrument.kind.item.capitalize()} {step + 1} van {len(steps)} · "
                   f"{instrument.kind.group} {steps[step][0].theme}")
    question_ui(store, me, instrument, steps[step], step)
    if PROBLEM in st.session_state:
        st.error(escape_md(st.session_state[PROBLEM]))
    navigation_ui(step, len(steps) - 1)
else:
    submit_ui(store, me, instrument)
to_top_ui(step)  # last: its (empty) element adds no gap above the question
st.caption(f"Uw hervatcode: **{me['resume']}** — hiermee gaat u verder op een ander toestel of na het sluiten "
           "van de pagina.")
