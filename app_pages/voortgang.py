"""Voortgang: what changed between saved measurement rounds, for the organisation and per group."""

import streamlit as st

from analysis.report.charts import change_dumbbell, group_trend_lines, target_bars, theme_radar
from analysis.rounds import RoundError, RoundInfo
from analysis.scoring.progress import (
    NO_CLEAR_CHANGE,
    TOTAL,
    change_table,
    change_text,
    follow_up_lines,
    gaps_table,
    group_trend_table,
    group_trends,
    interval_text,
    largest_changes,
    plan_follow_up,
    round_labels,
    statement_change,
    statement_progress,
    target_gaps,
    target_label,
    target_options,
)
from analysis.scoring.summary import privacy_settings
from ui.charts import chart
from ui.exports import page_file_stem
from ui.state import current_settings, current_upload, load_round, previous_round_plan, round_summary, saved_rounds
from ui.widgets import chart_ui, escape_md


def rounds_ui(rounds: list[RoundInfo], open_round_id: str | None) -> list[RoundInfo]:
    """Two or more rounds of one instrument, in measuring order. Chosen at first: the round open in the dashboard
    and its organisation's round before it (else the newest saved round and the one before it)."""
    labels = dict(zip(round_labels(rounds), rounds))
    names = {f"{label} · {info.organisation}": info for label, info in labels.items()}
    # select_all=False: Streamlit's "Select all" option is English and not needed for a handful of rounds.
    chosen = st.multiselect("Meetrondes om te vergelijken", list(names), default=default_rounds(names, open_round_id),
                            select_all=False, placeholder="Kies meetrondes")
    return sorted((names[name] for name in chosen), key=lambda r: (r.date, r.saved_at))


def default_rounds(names: dict[str, RoundInfo], open_round_id: str | None) -> list[str]:
    """The open round and its organisation's round before it; without an open round (or one without an earlier
    round), the newest two rounds of one organisation and instrument (the newest round overall may be the only
    one of its kind, say a first checklist round)."""
    def series(latest: RoundInfo) -> list[str]:
        return [name for name, info in names.items() if info.instrument_id == latest.instrument_id
                and info.organisation == latest.organisation
                and (info.date, info.saved_at) <= (latest.date, latest.saved_at)]
    opened = next((info for info in names.values() if info.round_id == open_round_id), None)
    if opened is not None and len(series(opened)) >= 2:
        return series(opened)[-2:]
    pairs = [series(info) for info in names.values()]
    pairs = [pair for pair in pairs if len(pair) >= 2]
    if pairs:
        newest = max(pairs, key=lambda pair: (names[pair[-1]].date, names[pair[-1]].saved_at))
        return newest[-2:]
    return list(names)[-2:]


def group_column_ui(rounds: list[RoundInfo], preferred: str | None) -> str | None:
    common = None
    for info in rounds:
        columns = list(privacy_settings(load_round(info.round_id)).reporting_columns)
        common = columns if common is None else [c for c in common if c in columns]
    options = ["(geen)"] + (common or [])
    index = options.index(preferred) if preferred in options else (1 if len(options) > 1 else 0)
    choice = st.selectbox("Groepskolom voor trends per groep", options, index=index,
                          help="Alleen groepskenmerken die in alle gekozen meetrondes zijn opgeslagen.")
    return None if choice == "(geen)" else choice


def targets_ui(instrument) -> dict[str, float | None]:
    """A level per theme from a list (a number field would read '0.00', with a decimal point)."""
    options = target_options(instrument)
    with st.expander(f"Doel per {instrument.kind.group} (optioneel)"):
        columns = st.columns(len(instrument.themes))
        values = [column.selectbox(theme, options, key=f"target_{theme}",
                                   format_func=lambda value: target_label(value, instrument))
                  for column, theme in zip(columns, instrument.themes)]
    return dict(zip(instrument.themes, values))


def change_list_ui(title: str, rows, instrument) -> None:
    """The clearest changes in the instrument's words: 'Stelling 7 · ... 2,80 → 3,40 (+0,60 ...)' on the scale,
    'Item 1.3 · ... 42% voldaan → 70% voldaan (+28 procentpunt ...)' on a checklist."""
    kind = instrument.kind
    st.subheader(title)
    if rows.empty:
        st.caption(f"{NO_CLEAR_CHANGE.capitalize()}: geen verschil groter dan het toeval.")
    for row in rows.itertuples():
        st.markdown(f"**{kind.item.capitalize()} {row.id}** · {escape_md(row.theme)}: "
                    f"{kind.score_text(row.score_first)} → {kind.score_text(row.score_last)} "
                    f"(**{change_text(row.change, kind)}**; 95%-interval "
                    f"{interval_text(row.change_low, row.change_high, kind)})")
        st.caption(escape_md(row.text))


def follow_up_ui(plan, change, first_label: str, instrument) -> None:
    """Terugkomdag: each focus agreed on the first round, its actions and status, and how it moved since."""
    st.header("Terugkomdag: wat we afspraken")
    if plan is None:
        st.caption(f"Bij {escape_md(first_label)} is geen verbeterplan opgeslagen (pagina **Aan de slag**).")
        return
    for row in plan_follow_up(plan, change, instrument):
        head, actions = follow_up_lines(row, instrument)
        clear = row["verdict"] in ("vooruitgang", "achteruitgang")
        icon = ":material/trending_up:" if row["verdict"] == "vooruitgang" else (
            ":material/trending_down:" if clear else ":material/trending_flat:")
        with st.container(border=True):
            st.markdown(f"{icon} **{escape_md(head)}** · 95%-interval {escape_md(row['interval'])}")
            st.caption(escape_md(row["text"]))
            st.markdown("\n".join(f"- {escape_md(line)}" for line in actions))


# The change table at 1280 px (about 790 px beside the sidebar): the statement, both scores, the change, its
# interval and the verdict. The theme (block) is left out: with it the verdict was off screen.
CHANGE_WIDTHS = {"item": 70, "Eerste ronde (95%)": 120, "Laatste ronde (95%)": 120, "Verandering": 120,
                 "95%-interval verandering": 160, "Oordeel": 180}
CHANGE_LABELS = {"Eerste ronde (95%)": "Eerste ronde", "Laatste ronde (95%)": "Laatste ronde",
                 "95%-interval verandering": "95%-interval"}


def change_columns(kind) -> dict:
    """Widths and short headers (the caption says what the brackets hold); their order is the table's."""
    return {kind.item.capitalize() if name == "item" else name: st.column_config.Column(
        CHANGE_LABELS.get(name), width=width) for name, width in CHANGE_WIDTHS.items()}


INTERVAL_CAPTION = (
    "Een verandering heet pas vooruitgang of achteruitgang als ze groter is dan het toeval: het 95%-interval, "
    "berekend uit de spreiding van de antwoorden (standaardfout van het verschil tussen twee onafhankelijke "
    "gemiddelden: verschil ± 1,96 × √(s₁²/n₁ + s₂²/n₂), n = aantal bekende antwoorden), bevat dan geen 0. "
    "Anders staat er 'geen duidelijke verandering'. Een score uit 4 antwoorden heeft een breder interval dan "
    "een score uit 40.")


st.title("Voortgang")
settings = current_settings()
all_rounds = saved_rounds()
if len(all_rounds) < 2:
    st.info("Voor voortgang zijn minstens twee opgeslagen meetrondes nodig. Sla een gecontroleerde export op "
            "via de pagina **Gegevens**; beheer ze op de pagina **Meetrondes**.")
    st.stop()

chosen = rounds_ui(all_rounds, current_upload().get("round_id"))
if len(chosen) < 2:
    st.warning("Kies minstens twee meetrondes.")
    st.stop()
if len({r.instrument_id for r in chosen}) > 1:
    st.error("De gekozen meetrondes horen bij verschillende instrumenten en zijn niet te vergelijken.")
    st.stop()
if len({r.organisation for r in chosen}) > 1:
    st.warning("Let op: de gekozen meetrondes horen bij verschillende organisaties.")
group_column = group_column_ui(chosen, settings.group_column)

try:
    summaries = {label: round_summary(info.round_id, group_column, settings.threshold, settings.min_group_size)
                 for label, info in zip(round_labels(chosen), chosen)}
except RoundError as exc:
    st.error(escape_md(exc))
    st.stop()
instrument = next(iter(summaries.values())).instrument
organisation = chosen[-1].organisation  # what the downloads are named for
first_label, last_label = list(summaries)[0], list(summaries)[-1]
change = statement_change(summaries[first_label], summaries[last_label])
improvements, declines = largest_changes(change)

st.caption(" → ".join(f"{escape_md(label)}: {s.respondents} respondenten" for label, s in summaries.items()))
left, right = st.columns(2)
kind = instrument.kind
chart_ui(chart(theme_radar, {label: s.themes for label, s in summaries.items()}, instrument,
               f"{kind.score_name} per {kind.group} per meetronde"),
         "progress_radar", page_file_stem(instrument.id, f"voortgang-per-{kind.group}", organisation), left)
with right:
    change_list_ui("Grootste vooruitgang", improvements, instrument)
    change_list_ui("Grootste achteruitgang", declines, instrument)
    st.caption(INTERVAL_CAPTION)

follow_up_ui(previous_round_plan(chosen[0].round_id), change, first_label, instrument)

chart_ui(chart(change_dumbbell, statement_progress(summaries), change["id"].tolist(), instrument,
               f"Verandering per {kind.item}, grootste vooruitgang bovenaan"),
         "progress_dumbbell", page_file_stem(instrument.id, f"verandering-per-{kind.item}", organisation))

st.header("Trends per groep")
if group_column is None:
    st.caption("Kies een groepskolom om trends per groep te zien.")
else:
    trends = group_trends(summaries)
    theme = st.selectbox(kind.group.capitalize(), [TOTAL, *instrument.themes], key="trend_theme")
    subset = trends[trends["theme"] == theme]
    if subset["score"].notna().any():
        chart_ui(chart(group_trend_lines, subset, instrument, f"{theme}: score per groep per meetronde"),
                 "trend_lines", page_file_stem(instrument.id, "trend-per-groep", organisation))
    else:  # an empty plot with only '(niet getoond)' in its legend tells a manager nothing
        st.info("Geen trend per groep: in geen van de gekozen meetrondes is een groep groot genoeg om te tonen.",
                icon=":material/lock:")
    minimums = sorted({s.min_group_size for s in summaries.values()})
    st.caption(f"Minimale groepsgrootte {', '.join(map(str, minimums))}, per meetronde toegepast; een groep "
               "wordt per ronde berekend over de combinaties van groepskenmerken die groot genoeg zijn.")
    st.dataframe(group_trend_table(trends, theme, kind), width="stretch")

st.header(f"Per {kind.item}, met 95%-interval")
st.caption(f"{escape_md(first_label)} → {escape_md(last_label)}. Tussen haakjes: het 95%-interval van de score.")
change_config = change_columns(kind)
st.dataframe(change_table(summaries[first_label], summaries[last_label]), hide_index=True, width="stretch",
             column_config=change_config, column_order=list(change_config))

st.header("Doelen")
targets = targets_ui(instrument)
gaps = target_gaps(summaries[last_label], targets)
chart_ui(chart(target_bars, gaps, instrument, f"Stand in {last_label} en doelniveau"), "target_bars",
         page_file_stem(instrument.id, "doelen", organisation))
if any(value is not None for value in targets.values()):
    st.dataframe(gaps_table(gaps, instrument), hide_index=True, width="stretch")
