"""Live: the facilitator runs a meeting — a QR code on the screen, phones fill in, the live result, a dot vote,
and the session closed into a saved round with the voted priorities in its verbeterplan.

Scores appear only from the minimum group size on, and per group only for groups that reach it.
"""

import datetime as dt
import html

import pandas as pd
import streamlit as st

from analysis.dutch import FORMAT_HINT, DateError, format_date, parse_date
from analysis.instrument import all_instruments, get_instrument
from analysis.meeting.live import VOTES_PER_PARTICIPANT, live_view, shown_code, tally
from analysis.report.charts import diverging_bars, theme_radar
from analysis.rounds import RoundError
from analysis.scoring.privacy import deployment_min_group_size
from analysis.scoring.scores import distribution
from analysis.store.live import LiveSession, LiveStore, close_into_round
from ui.auth import current_user, may
from ui.charts import chart, draw_chart
from ui.live_common import live_store, network_url, only_this_computer, participant_url, qr_png
from ui.state import round_store, use_round
from ui.widgets import escape_md

CURRENT = "live_session_id"
CLOSED = "live_closed"        # (round id, round label, chosen item ids) after closing, for the links
REFRESH_SECONDS = 3
MIN_RADAR_AXES = 3


def closed_ui() -> None:
    """Right after closing: what was saved, and where to open it."""
    round_id, label, chosen = st.session_state[CLOSED]
    st.success(f"De sessie is gesloten en opgeslagen als meetronde '{escape_md(label)}'.",
               icon=":material/check_circle:")
    if chosen:
        st.write("In het verbeterplan van deze meetronde staan nu als focuspunten: "
                 + ", ".join(escape_md(str(item)) for item in chosen) + ".")
    with st.container(horizontal=True):
        for title, page in (("Openen op Overzicht", "overzicht"), ("Openen op Presentatie", "presentatie")):
            if st.button(title, type="primary" if page == "overzicht" else "secondary"):
                use_round(round_store().get(round_id))
                st.session_state.pop(CLOSED, None)
                st.switch_page(f"app_pages/{page}.py")
        if st.button("Nieuwe sessie"):
            st.session_state.pop(CLOSED, None)
            st.rerun()


def start_ui(store: LiveStore) -> None:
    """Start a new session, or pick up one that is still open (another tab, a reload)."""
    st.subheader("Nieuwe sessie starten")
    instruments = {i.id: i for i in all_instruments()}
    with st.form("start_live"):
        organisation = st.text_input("Organisatie of eenheid", value=st.session_state.get("last_organisation", ""))
        instrument_id = st.selectbox("Instrument", list(instruments), format_func=lambda i: instruments[i].title)
        groups = st.text_area("Groepen (optioneel, één per regel)", placeholder="Team Noord\nTeam Zuid",
                              help="Deelnemers kiezen hun groep op hun telefoon. De uitkomst per groep verschijnt "
                                   "pas als een groep groot genoeg is.")
        started = st.form_submit_button("Sessie starten", type="primary", icon=":material/play_arrow:")
    if started:
        try:
            session = store.create_session(organisation, instrument_id, groups.splitlines())
        except RoundError as exc:
            st.error(escape_md(exc))
            return
        st.session_state[CURRENT] = session.session_id
        st.session_state["last_organisation"] = session.organisation
        st.rerun()
    open_sessions = store.open_sessions()
    if open_sessions:
        st.subheader("Open sessies")
        for session in reversed(open_sessions):
            when = dt.datetime.fromisoformat(session.created_at).astimezone().strftime("%H:%M")
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.write(f"{escape_md(session.organisation)} · code {shown_code(session.join_code)} · "
                       f"gestart {format_date(session.created_at[:10])} om {when}")
            if right.button("Verder", key=f"resume_{session.session_id}"):
                st.session_state[CURRENT] = session.session_id
                st.rerun()


def current_session_ui(store: LiveStore) -> LiveSession | None:
    session_id = st.session_state.get(CURRENT)
    if not session_id:
        return None
    session = store.session(session_id)
    if not session.is_open():
        st.session_state.pop(CURRENT, None)
        st.warning("Deze sessie is gesloten of verlopen.")
        return None
    return session


def join_ui(session: LiveSession) -> None:
    """The QR code, large, and the code in letters to type: readable from the back of the room."""
    url = participant_url(session.join_code)
    if only_this_computer(url):
        nearby = network_url(st.context.url or url)
        where = (f"via het netwerkadres van deze computer, waarschijnlijk `{nearby}`," if nearby
                 else "via het netwerkadres van deze computer")
        st.warning("Dit adres werkt alleen op deze computer: een telefoon die de QR-code scant, komt niet bij dit "
                   f"dashboard. Open het dashboard {where} of via de server van uw organisatie; de QR-code wijst "
                   "dan daarheen.", icon=":material/wifi_off:")
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.image(qr_png(url), width=400)
    with right:
        st.markdown("##### Doe mee met uw telefoon")
        st.write("Scan de QR-code, of ga naar de pagina hieronder en vul de code in.")
        st.html('<div data-testid="live-join-code" style="font-size:3rem;font-weight:700;'
                'letter-spacing:0.04em;font-family:ui-monospace,monospace;line-height:1.1;white-space:nowrap">'
                f"{html.escape(shown_code(session.join_code))}</div>")
        st.code(url, language=None, wrap_lines=True)
        st.caption(f"{escape_md(session.organisation)} · {escape_md(get_instrument(session.instrument_id).title)}")


def tally_ui(store: LiveStore, session: LiveSession, instrument) -> None:
    poll = store.poll(session.session_id)
    if not poll:
        return
    items, status = poll
    table = tally(store.votes(session.session_id), items)
    by_id = {str(s.id): s.text for s in instrument.statements}
    voters = len({who for who, _ in store.votes(session.session_id)})
    who = "1 deelnemer heeft" if voters == 1 else f"{voters} deelnemers hebben"
    st.markdown(f"**Stemming {'open' if status == 'open' else 'gesloten'}** · {who} gestemd")
    st.dataframe(pd.DataFrame({instrument.kind.item.capitalize(): table["id"],
                               "Tekst": [by_id.get(str(i), "") for i in table["id"]],
                               "Stemmen": table["votes"]}),
                 hide_index=True, width="stretch",
                 column_config={"Stemmen": st.column_config.ProgressColumn(
                     "Stemmen", format="%d", min_value=0, max_value=max(int(table["votes"].max() or 0), 1))})


def waiting_text(view, session: LiveSession, minimum: int) -> str:
    """Why nothing shows yet. With groups a group must reach the minimum itself: 'zodra 5 deelnemers' would be
    wrong at 7 submitted in two groups of 3 and 4."""
    if not session.groups:
        return (f"De uitkomst verschijnt zodra {minimum} deelnemers hun antwoorden hebben ingestuurd (nu "
                f"{view.submitted}): zo is niemands antwoord terug te herleiden.")
    return (f"De uitkomst verschijnt zodra {minimum} deelnemers van één groep (of {minimum} zonder groep) hun "
            f"antwoorden hebben ingestuurd; nu {view.submitted} ingestuurd. Elke groep telt in stappen van "
            f"{minimum}: zo is niemands antwoord terug te herleiden.")


def room_view(store: LiveStore, session: LiveSession, instrument, minimum: int):
    return live_view(instrument, store.participants(session.session_id), store.answers(session.session_id),
                     minimum, submitted=store.submitted(session.session_id))


@st.fragment(run_every=REFRESH_SECONDS)
def live_result_ui(store: LiveStore, session: LiveSession, instrument, minimum: int) -> None:
    """Refreshes by itself: counts always; figures of submitted answers in steps of the minimum group size."""
    view = room_view(store, session, instrument, minimum)
    kind = instrument.kind
    tiles = st.columns(4)
    tiles[0].metric("Deelnemers", view.participants)
    tiles[1].metric("Met antwoorden", view.respondents)
    tiles[2].metric("Antwoorden", view.answers)
    tiles[3].metric("Ingestuurd", view.submitted)
    tally_ui(store, session, instrument)
    if view.summary is None:
        st.info(waiting_text(view, session, minimum), icon=":material/lock:")
        return
    summary = view.summary
    per = f"{minimum} deelnemers van één groep" if session.groups else f"{minimum} deelnemers"
    st.caption(f"Het scherm telt ingestuurde antwoorden, telkens per {per} tegelijk, zodat aan een verandering "
               f"niemands antwoord is af te lezen. Nu geteld: {view.counted} van {view.submitted} ingestuurd.")
    series = {"Zaal": summary.themes, **{group.name: group.themes for group in view.groups}}
    # One under the other, each the full width: side by side at 1280x720 the labels of both are cut off.
    if summary.themes["score"].notna().sum() >= MIN_RADAR_AXES:
        draw_chart(chart(theme_radar, series, instrument, f"{kind.groups.capitalize()} nu"), key="live_radar")
    else:  # a radar of one or two axes is a dot or a line, not a picture of where the room stands
        st.caption(f"Het overzicht per {kind.group} verschijnt zodra {MIN_RADAR_AXES} {kind.groups} een uitkomst "
                   "hebben; hieronder de antwoorden per " + kind.item + ".")
    order = list(instrument.statement_ids)
    draw_chart(chart(diverging_bars, distribution(summary.statements, instrument), order, instrument,
                     f"Antwoorden per {kind.item}"), key="live_spread")
    if view.items_waiting:
        st.caption(f"{view.items_waiting} {kind.items} nog zonder uitkomst: die tellen pas mee als {minimum} "
                   "deelnemers ze hebben beantwoord en ingestuurd, zodat niemands antwoord op het scherm staat.")
    hidden = len(summary.groups) - len(view.groups)
    if hidden:
        st.caption(f"{hidden} groep(en) nog niet getoond: minder dan {minimum} deelnemers van die groep hebben "
                   "ingestuurd. Tot dan tellen zij ook in de zaal niet mee; elke groep telt in stappen van "
                   f"{minimum}.")
    if not view.most_unknown.empty:
        st.markdown(f"**Meeste '{escape_md(instrument.unknown_label)}'**")
        for row in view.most_unknown.itertuples():
            st.markdown(f"- {kind.item.capitalize()} {row.id} ({escape_md(row.theme)}): {int(row.n_unknown)}× · "
                        f"{instrument.statement(row.id).text}")


def vote_admin_ui(store: LiveStore, session: LiveSession, instrument, minimum: int) -> None:
    """Prioriteren: open a dot vote on the weak items of the live result (or a chosen list), close it."""
    kind = instrument.kind
    st.subheader("Prioriteren")
    poll = store.poll(session.session_id)
    if poll and poll[1] == "open":
        st.write(f"De stemming loopt: elke deelnemer heeft {VOTES_PER_PARTICIPANT} stemmen (uitslag hierboven).")
        if st.button("Stemming sluiten", icon=":material/how_to_vote:"):
            store.close_vote(session.session_id)
            st.rerun()
        return
    view = room_view(store, session, instrument, minimum)
    weak = list(view.summary.weak) if view.summary is not None else []
    texts = {s.id: s.text for s in instrument.statements}
    chosen = st.multiselect(f"{kind.items.capitalize()} om over te stemmen", list(texts), default=weak[:8],
                            format_func=lambda i: f"{i}. {texts[i][:70]}", placeholder=f"Kies {kind.items}",
                            help=f"Voorgesteld: de {kind.weak}en van de uitkomst tot nu toe (vanaf {minimum} "
                                 "deelnemers). Pas de lijst gerust aan.")
    if st.button("Stemming openen", type="primary", icon=":material/how_to_vote:", disabled=not chosen):
        store.open_vote(session.session_id, chosen)
        st.rerun()


def close_ui(store: LiveStore, session: LiveSession, minimum: int) -> None:
    """Close: the answers become a saved round; the voted priorities go into its verbeterplan."""
    st.subheader("Sessie sluiten")
    with st.form("close_live"):
        organisation = st.text_input("Organisatie of eenheid", value=session.organisation)
        name = st.text_input("Naam van de meetronde", value=f"Live sessie {format_date(dt.date.today())}")
        date_text = st.text_input("Datum van de meting", value=format_date(dt.date.today()),
                                  help=f"De dag van de bijeenkomst, {FORMAT_HINT}.")
        top = st.number_input("Aantal prioriteiten naar het verbeterplan", min_value=0, max_value=10, value=3,
                              help="De items met de meeste stemmen worden focuspunten in het verbeterplan.")
        closing = st.form_submit_button("Sessie sluiten en opslaan als meetronde", type="primary",
                                        icon=":material/save:")
    if closing:
        try:
            info, chosen = close_into_round(store, session.session_id, organisation, name, parse_date(date_text),
                                            int(top), minimum, current_user())
        except (RoundError, DateError) as exc:
            st.error(escape_md(exc))
            return
        st.session_state.pop(CURRENT, None)
        st.session_state[CLOSED] = (info.round_id, info.label, chosen)
        st.rerun()


st.title("Live bijeenkomst")
if not may("manage_rounds"):
    st.info("Alleen een analist kan een live sessie starten en sluiten.", icon=":material/lock:")
    st.stop()
store = live_store()
if CLOSED in st.session_state:
    closed_ui()
    st.stop()
session = current_session_ui(store)
if session is None:
    start_ui(store)
    st.stop()
instrument = get_instrument(session.instrument_id)
minimum = deployment_min_group_size()
join_ui(session)
live_result_ui(store, session, instrument, minimum)
vote_admin_ui(store, session, instrument, minimum)
close_ui(store, session, minimum)
with st.sidebar:
    if st.button("Andere sessie kiezen", icon=":material/swap_horiz:"):
        st.session_state.pop(CURRENT, None)
        st.rerun()
