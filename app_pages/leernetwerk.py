"""Leernetwerk: several organisations' rounds side by side, without giving any of them away.

Choose (or make) a network, pick the moment and who is looking; one call builds the network from the saved
rounds, each under its own saved privacy settings; then the members table, the charts and the
"gezamenlijke leervragen", and for an organisation looking, its own verbeterplan beside the network (and,
when the plan was made on an earlier round, the return day). Making and changing networks changes what every
user sees, so it is the analyst's (``may("manage_rounds")``). While the store has no network, the fictitious
example network (with its example plan) is shown.

Projected in a meeting, the page shows no real name while names are off: controls that list the members by
name (making, managing, choosing rounds by hand) sit in collapsed expanders, and an organisation under a letter
shows neither its round (name, date) nor its exact respondent count.
"""

import datetime as dt

import streamlit as st

from analysis.dutch import DateError, format_date, parse_date
from analysis.errors import RoundError
from analysis.instrument import all_instruments, get_instrument
from analysis.report.network_charts import network_chart_inputs, network_heatmap, network_theme_chart
from analysis.rounds import RoundInfo
from analysis.scoring.network_moment import (
    OwnPlan,
    left_out_text,
    network_at_moment,
    normal,
    organisation_rounds,
    organisation_rows,
    own_plan,
)
from analysis.scoring.privacy import deployment_min_group_size
from analysis.scoring.progress import follow_up_lines
from analysis.scoring.summary import score_cell
from analysis.store import StoreError
from analysis.store.networks import NetworkInfo, NetworkStore
from ui.auth import may
from ui.charts import chart
from ui.exports import page_file_stem
from ui.sample_network import SAMPLE_NETWORK_NOTICE, sample_network
from ui.state import current_settings, previous_round_plan, round_summary, saved_rounds
from ui.widgets import chart_ui, escape_md

LATEST = "Per organisatie de laatste meetronde tot en met een datum"
CHOSEN = "Zelf meetrondes kiezen"
FACILITATOR = "Begeleider (alle organisaties anoniem)"
FACILITATOR_NAMED = "Begeleider (alle organisaties met naam)"
NO_ROUND = "(geen meetronde)"
NAMES_HELP = ("Alleen aanzetten als alle organisaties in dit leernetwerk hebben ingestemd dat de andere leden hun "
              "naam bij hun cijfers zien. Staat het uit, dan ziet elke organisatie alleen haar eigen naam en de "
              "anderen als Organisatie A, B, …; die letters blijven voor dit netwerk steeds dezelfde.")


def network_store() -> NetworkStore:
    try:
        return NetworkStore()
    except StoreError as exc:
        st.error(escape_md(exc) + " Probeer het later opnieuw of vraag de beheerder de database te controleren.",
                 icon=":material/database:")
        st.stop()


def instrument_ui(rounds: list[RoundInfo], networks: list[NetworkInfo]) -> str:
    """The instruments that have saved rounds or networks, by title."""
    present = {r.instrument_id for r in rounds} | {n.instrument_id for n in networks}
    titles = {i.id: i.title for i in all_instruments() if i.id in present}
    titles |= {i: i for i in present if i not in titles}
    options = sorted(titles, key=lambda i: titles[i].casefold())
    return st.selectbox("Instrument", options, format_func=titles.get, key="network_instrument")


def network_ui(networks: list[NetworkInfo]) -> NetworkInfo | None:
    if not networks:
        st.info("Voor dit instrument is nog geen leernetwerk gemaakt.")
        return None
    by_id = {n.network_id: n for n in networks}
    chosen = st.selectbox("Leernetwerk", list(by_id), format_func=lambda i: by_id[i].name, key="network_choice")
    return by_id[chosen]


def organisations_of(rounds: list[RoundInfo], instrument_id: str) -> list[str]:
    """The organisations named on saved rounds of the instrument, one spelling each (the latest saved)."""
    names: dict[str, str] = {}
    for info in sorted(rounds, key=lambda r: r.saved_at):
        if info.instrument_id == instrument_id:
            names[" ".join(info.organisation.split()).casefold()] = " ".join(info.organisation.split())
    return sorted(names.values(), key=str.casefold)


def flash(message: str) -> None:
    st.session_state["network_message"] = message
    st.rerun()


def create_ui(store: NetworkStore, instrument_id: str | None, rounds: list[RoundInfo]) -> None:
    """Make a network of the organisations on saved rounds. Without any network yet, the instrument is chosen
    here (above the example network it would read as the example's instrument)."""
    with st.expander("Nieuw leernetwerk maken", icon=":material/add:"):
        if instrument_id is None and rounds:
            instrument_id = instrument_ui(rounds, [])
        if instrument_id is None:
            st.caption("Sla eerst meetrondes van de organisaties op (pagina **Gegevens**): een leernetwerk bestaat "
                       "uit de organisaties die op opgeslagen meetrondes staan.")
            return
        title = get_instrument(instrument_id).title
        with st.form("new_network", border=False):
            name = st.text_input("Naam van het leernetwerk", placeholder="bijv. Leernetwerk regio Noord 2025")
            members = st.multiselect(f"Organisaties (met meetrondes van {title})",
                                     organisations_of(rounds, instrument_id), placeholder="Kies organisaties")
            submitted = st.form_submit_button("Leernetwerk maken", type="primary")
        if submitted:
            try:
                info = store.create(name, instrument_id, members)
            except RoundError as exc:
                st.error(escape_md(exc))
                return
            st.session_state["network_choice"] = info.network_id
            flash(f"Leernetwerk '{info.name}' gemaakt.")


def rename_ui(store: NetworkStore, info: NetworkInfo) -> None:
    new_name = st.text_input("Naam", value=info.name, key=f"network_name_{info.network_id}_{info.version}")
    if st.button("Naam wijzigen", disabled=" ".join(new_name.split()) == info.name):
        try:
            store.rename(info.network_id, new_name)
        except RoundError as exc:
            st.error(escape_md(exc))
            return
        flash(f"Leernetwerk hernoemd tot '{' '.join(new_name.split())}'.")


def members_ui(store: NetworkStore, info: NetworkInfo, rounds: list[RoundInfo]) -> None:
    """One list of members: organisations on saved rounds of the instrument can be added, any member removed."""
    options = list(dict.fromkeys([*info.organisations, *organisations_of(rounds, info.instrument_id)]))
    chosen = st.multiselect("Organisaties in dit leernetwerk", options, default=list(info.organisations),
                            key=f"network_members_{info.network_id}_{info.version}", placeholder="Kies organisaties",
                            help="Een organisatie is de naam op haar opgeslagen meetrondes.")
    added = [o for o in chosen if o not in info.organisations]
    removed = [o for o in info.organisations if o not in chosen]
    if st.button("Organisaties opslaan", disabled=not (added or removed)):
        try:
            for organisation in added:
                store.add_organisation(info.network_id, organisation)
            for organisation in removed:
                store.remove_organisation(info.network_id, organisation)
        except RoundError as exc:
            st.error(escape_md(exc))
            return
        flash(f"{len(added)} toegevoegd, {len(removed)} verwijderd.")


def names_ui(store: NetworkStore, info: NetworkInfo) -> None:
    shown = st.toggle("Namen tonen", value=info.show_names, help=NAMES_HELP,
                      key=f"network_names_{info.network_id}_{info.version}")
    st.caption("Alleen aanzetten als alle organisaties in dit leernetwerk hebben ingestemd.")
    if shown != info.show_names:
        try:
            store.set_show_names(info.network_id, shown)
        except RoundError as exc:
            st.error(escape_md(exc))
            return
        flash("Namen worden getoond." if shown else "Andere organisaties staan weer onder een letter.")


def delete_ui(store: NetworkStore, info: NetworkInfo) -> None:
    if st.session_state.get("confirm_delete_network") != info.network_id:
        if st.button("Leernetwerk verwijderen…", icon=":material/delete:"):
            st.session_state["confirm_delete_network"] = info.network_id
            st.rerun()
        return
    st.warning(f"Leernetwerk **{escape_md(info.name)}** verwijderen? De meetrondes van de organisaties blijven "
               "bewaard; alleen het netwerk (de ledenlijst en de letters) verdwijnt, ook voor andere gebruikers.")
    yes, no = st.columns(2)
    if yes.button("Ja, verwijderen", type="primary"):
        st.session_state.pop("confirm_delete_network")
        try:
            store.delete(info.network_id)
        except RoundError as exc:
            st.error(escape_md(exc))
            return
        flash(f"Leernetwerk '{info.name}' is verwijderd.")
    if no.button("Annuleren"):
        st.session_state.pop("confirm_delete_network")
        st.rerun()


def manage_ui(store: NetworkStore, info: NetworkInfo, rounds: list[RoundInfo]) -> None:
    with st.expander("Leernetwerk beheren", icon=":material/settings:"):
        left, right = st.columns(2)
        with left:
            rename_ui(store, info)
            names_ui(store, info)
        with right:
            members_ui(store, info, rounds)
        delete_ui(store, info)


def until_ui() -> dt.date:
    text = st.text_input("Tot en met datum", value=format_date(dt.date.today()), key="network_until",
                         help="Per organisatie telt haar laatste meetronde van vóór of op deze dag.")
    try:
        return parse_date(text)
    except DateError as exc:
        st.error(escape_md(exc))
        st.stop()


def chosen_rounds_ui(info: NetworkInfo, rounds: list[RoundInfo]) -> list[str]:
    """Per organisation one of its rounds (the latest by default), or none.

    The choosers carry the members' real names and their rounds' names and dates, so they sit in a collapsed
    expander: on a projected screen the room sees only the letters."""
    chosen = []
    expander = st.expander("Meetronde per organisatie kiezen", icon=":material/event:")
    if not info.show_names:
        expander.caption("Hier staan de organisaties met hun echte naam: klap dit niet open op het scherm dat de "
                         "zaal ziet.")
    columns = expander.columns(min(len(info.organisations), 2) or 1)  # room for "Najaar 2025 (3 november 2025)"
    for index, organisation in enumerate(info.organisations):
        # A round's name and date are unique within its organisation (the store's key), so they can label it.
        own = {f"{r.name} ({format_date(r.date)})": r.round_id
               for r in organisation_rounds(rounds, organisation, info.instrument_id)}
        options = [NO_ROUND, *own]
        choice = columns[index % len(columns)].selectbox(
            organisation, options, index=len(options) - 1,
            key=f"network_round_{info.network_id}_{organisation.casefold()}")
        if choice != NO_ROUND:
            chosen.append(own[choice])
    return chosen


def view_ui(info: NetworkInfo, rounds: list[RoundInfo], planned: set[str]) -> tuple[dict, str | None, int]:
    """The moment (``until`` or ``round_ids`` for network_at_moment), who is looking, the minimum of organisations.
    PLANNED: the members (normalised names) with a verbeterplan on one of their rounds."""
    mode = st.radio("Moment", [LATEST, CHOSEN], horizontal=True, key="network_moment")
    date_column, looking_column, minimum_column = st.columns([5, 5, 3])
    with looking_column:
        looking = looking_ui(info, planned)
    with minimum_column:
        minimum = min_organisations_ui()
    if mode == LATEST:
        with date_column:
            return {"until": until_ui()}, looking, minimum
    return {"round_ids": chosen_rounds_ui(info, rounds)}, looking, minimum


def looking_ui(info: NetworkInfo, planned: set[str]) -> str | None:
    """Who is looking: the facilitator (nobody named, unless names are on) or one member (named; others lettered).
    A member with a verbeterplan says so, so the plan views are easy to find."""
    facilitator = FACILITATOR_NAMED if info.show_names else FACILITATOR

    def label(option: str) -> str:
        return f"{option} (met verbeterplan)" if normal(option) in planned else option
    choice = st.selectbox("Wie kijkt er?", [facilitator, *info.organisations], key=f"network_looking_{info.network_id}",
                          format_func=label,
                          help="Een organisatie ziet haar eigen naam en scores; de andere staan onder een letter, "
                               "tenzij namen tonen aan staat. De keuzelijst noemt de leden bij naam (welke letter "
                               "bij wie hoort staat er niet in): klap hem niet open op het scherm dat de zaal ziet "
                               "als de leden dat niet van elkaar weten.")
    return None if choice == facilitator else choice


def min_organisations_ui() -> int:
    return int(st.number_input("Minimum organisaties", min_value=3, max_value=50, value=3,
                               key="network_min_organisations",
                               help="Netwerkcijfers verschijnen pas vanaf zoveel meegetelde organisaties. Met twee "
                                    "zijn de eigen score en het gemiddelde samen de score van de ander; daarom "
                                    "nooit minder dan 3."))


def questions_ui(network) -> None:
    kind = network.kind
    st.subheader("Gezamenlijke leervragen")
    if not network.shown:
        st.caption("Geen gezamenlijke leervragen: er zijn geen netwerkcijfers (zie hierboven).")
        return
    threshold = kind.threshold_text(network.threshold)
    st.caption(f"De {kind.items} waar het netwerk als geheel het zwakst is: netwerkgemiddelde onder {threshold}, "
               "laagste eerst.")
    if not network.learning_questions:
        st.write(f"Geen: het netwerkgemiddelde is bij elke {kind.item} {threshold} of hoger.")
    for q in network.learning_questions:
        st.markdown(f"**{kind.item.capitalize()} {q.id}** · {escape_md(q.theme)}: gemiddeld "
                    f"**{score_cell(q.mean, kind)}** (laagste {score_cell(q.lowest, kind)}, hoogste "
                    f"{score_cell(q.highest, kind)}); {q.below} van {q.organisations} organisaties onder {threshold}")
        st.caption(escape_md(q.text))


def _score(score, kind) -> str:
    return "–" if score is None else score_cell(score, kind)


def plan_ui(plan: OwnPlan | None, network, looking: str | None) -> None:
    """The looking organisation's verbeterplan: per focus its score (and, on a return day, the change since the
    plan was made), the network's figures for that statement now, and the actions as agreed."""
    if looking is None:
        st.caption("Een organisatie ziet hier ook haar eigen verbeterplan naast de netwerkcijfers: kies haar bij "
                   "**Wie kijkt er?**.")
        return
    st.subheader(f"Afspraken van {escape_md(looking)}")
    if plan is None:
        st.caption(f"Voor {escape_md(looking)} is bij deze of een eerdere meetronde geen verbeterplan opgeslagen "
                   "(pagina **Aan de slag**, na **Openen in het dashboard** op **Meetrondes**).")
        return
    kind, instrument = network.kind, network.instrument
    agreed = escape_md(f"{plan.plan_round.name} ({format_date(plan.plan_round.date)})")
    now = escape_md(f"{plan.current.name} ({format_date(plan.current.date)})")
    if plan.is_follow_up:
        st.caption(f"Terugkomdag: het verbeterplan van {agreed} en de verandering sinds dan tot {now}; vooruitgang "
                   "of achteruitgang alleen als het 95%-interval 0 niet bevat (groter dan toeval). Per focuspunt ook "
                   "het netwerk nu.")
    else:
        st.caption(f"Verbeterplan van {agreed}: per focuspunt de eigen score en het netwerk.")
    follow_up = {str(row["id"]): row for row in plan.follow_up}
    for focus in plan.focuses:
        row = follow_up.get(str(focus.id))
        with st.container(border=True):
            if row is not None:
                head, actions = follow_up_lines(row, instrument)
                icon = {"vooruitgang": ":material/trending_up:", "achteruitgang": ":material/trending_down:"}.get(
                    row["verdict"], ":material/trending_flat:")
                st.markdown(f"{icon} **{escape_md(head)}** · 95%-interval {escape_md(row['interval'])}")
            else:
                actions = focus.actions or ("nog geen actie afgesproken",)
                st.markdown(f"**{kind.item.capitalize()} {focus.id}** · {escape_md(focus.theme)}: eigen score "
                            f"**{_score(focus.own, kind)}**")
            st.caption(escape_md(focus.text))
            if focus.mean is None:
                st.markdown("Netwerk: geen cijfers (zie hierboven).")
            else:
                st.markdown(f"Netwerk: gemiddeld **{_score(focus.mean, kind)}** · laagste {_score(focus.lowest, kind)} "
                            f"· hoogste {_score(focus.highest, kind)}")
            st.markdown("\n".join(f"- {escape_md(line)}" for line in actions))
    if plan.plan.notes:
        st.markdown("**Leerlessen**\n\n" + escape_md(plan.plan.notes))


st.title("Leernetwerk")
st.caption("Organisaties naast elkaar: per thema of bouwsteen en per stelling of item ieders score, het "
           "netwerkgemiddelde (elke organisatie telt even zwaar), de laagste en de hoogste. Een organisatie met minder "
           "respondenten dan de minimale groepsgrootte telt niet mee, en netwerkcijfers verschijnen pas vanaf het "
           "minimum aantal meegetelde organisaties (standaard 3).")
if "network_message" in st.session_state:
    st.success(escape_md(st.session_state.pop("network_message")))

rounds = saved_rounds()
store = network_store()
all_networks = store.list()
manager = may("manage_rounds")
instrument_id = instrument_ui(rounds, all_networks) if all_networks else None
if manager:
    create_ui(store, instrument_id, rounds)

if all_networks:
    info = network_ui([n for n in all_networks if n.instrument_id == instrument_id])
    if info is None:
        st.stop()
    if manager:
        manage_ui(store, info, rounds)
    network_rounds = rounds

    def summary_of(round_info: RoundInfo):
        return round_summary(round_info.round_id, None, get_instrument(info.instrument_id).kind.default_threshold, 0)

    def plan_of(round_info: RoundInfo):
        return previous_round_plan(round_info.round_id)
else:
    with st.container(key="sample_network_banner"):
        st.warning(SAMPLE_NETWORK_NOTICE, icon=":material/science:")
    sample = sample_network()
    info, network_rounds, summary_of, plan_of = sample.info, list(sample.rounds), sample.summary_of, sample.plan_of
    st.subheader(escape_md(info.name))

if not info.organisations:
    st.info("Dit leernetwerk heeft nog geen organisaties. Voeg ze toe onder **Leernetwerk beheren**.")
    st.stop()

planned = {normal(o) for o in info.organisations
           if any(plan_of(r) is not None for r in organisation_rounds(network_rounds, o, info.instrument_id))}
moment, looking, min_organisations = view_ui(info, network_rounds, planned)
# The sidebar's weak threshold for this kind and its minimum group size (which can only be raised) apply here too.
threshold = st.session_state.get(f"threshold_{get_instrument(info.instrument_id).kind.name}")
min_group_size = max(deployment_min_group_size(), current_settings().min_group_size)

try:
    result = network_at_moment(get_instrument(info.instrument_id), info.organisations, network_rounds, summary_of,
                               looking=looking, show_names=info.show_names, name_key=info.name_secret,
                               min_organisations=min_organisations, min_group_size=min_group_size,
                               threshold=threshold, **moment)
except (RoundError, ValueError) as exc:
    st.error(escape_md(exc))
    st.stop()
network, kind = result.network, result.network.kind

if info.show_names:
    st.caption("Namen tonen staat aan: alle organisaties in dit leernetwerk hebben ingestemd met hun naam bij "
               "hun cijfers.")
left_out = left_out_text(result)
if left_out:
    st.warning(escape_md(left_out), icon=":material/person_off:")
if network.note:
    st.info(network.note, icon=":material/visibility_off:")

st.subheader("Organisaties")
st.dataframe(organisation_rows(result), hide_index=True, width="stretch",
             column_config={"Organisatie": st.column_config.TextColumn(width=200),  # "Gemeente Klein Voorbeeld"
                            "Meetronde": st.column_config.TextColumn(width=240),  # "Najaar 2025 (22 september 2025)"
                            "Respondenten": st.column_config.TextColumn(width=110)})
anonymous_note = ("" if info.show_names else
                  " Van een organisatie onder een letter staan hier geen meetronde (naam of datum) en geen exact "
                  f"aantal respondenten, alleen ≥{network.min_group_size} of <{network.min_group_size}: ook "
                  "die kunnen verraden welke organisatie het is.")
st.caption(f"Minimale groepsgrootte {network.min_group_size} (of het strengere minimum dat met een meetronde is "
           f"opgeslagen); {network.included} van {len(info.organisations)} organisaties meegeteld.{anonymous_note}")

if any(o.shown for o in network.organisations):
    # Statements down the side: 24 readable cells per organisation at 1280 px too.
    inputs = network_chart_inputs(network)
    chart_ui(chart(network_theme_chart, *inputs["themes"]), "network_themes",
             page_file_stem(info.instrument_id, f"leernetwerk-per-{kind.group}", info.name))
    chart_ui(chart(network_heatmap, *inputs["statements"], vertical=True), "network_statements",
             page_file_stem(info.instrument_id, f"leernetwerk-per-{kind.item}", info.name))
else:
    st.caption(f"Geen grafieken: er is geen score die deze kijker mag zien. Kies bij **Wie kijkt er?** een "
               f"organisatie om haar eigen scores per {kind.group} en per {kind.item} te zien.")
questions_ui(network)
plan_ui(own_plan(result, looking, network_rounds, plan_of, summary_of), network, looking)
