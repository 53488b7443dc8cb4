"""Voortgang: what changed between saved measurement rounds, for the organisation and per group."""

import streamlit as st

from analysis.charts import change_dumbbell, group_trend_lines, target_bars, theme_radar
from analysis.progress import (
    TOTAL,
    group_trend_table,
    group_trends,
    largest_changes,
    round_labels,
    statement_change,
    statement_progress,
    target_gaps,
)
from analysis.rounds import RoundError, RoundInfo
from analysis.summary import format_score, privacy_settings
from ui.state import current_settings, load_round, round_store, round_summary
from ui.widgets import chart_ui, escape_md


def rounds_ui(rounds: list[RoundInfo]) -> list[RoundInfo]:
    """Two or more rounds of one instrument, in measuring order."""
    labels = dict(zip(round_labels(rounds), rounds))
    names = {f"{label} · {info.organisation}": info for label, info in labels.items()}
    latest = rounds[-1]
    same = [name for name, info in names.items() if info.instrument_id == latest.instrument_id
            and info.organisation == latest.organisation]
    chosen = st.multiselect("Meetrondes om te vergelijken", list(names), default=same[-2:] or list(names)[-2:])
    return sorted((names[name] for name in chosen), key=lambda r: (r.date, r.saved_at))


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


def targets_ui(themes: tuple[str, ...]) -> dict[str, float | None]:
    with st.expander("Doelniveau per thema (optioneel)"):
        columns = st.columns(len(themes))
        values = [column.number_input(theme, min_value=0.0, max_value=5.0, step=0.5, key=f"target_{theme}",
                                      help="0 = geen doel") for column, theme in zip(columns, themes)]
    return {theme: (value or None) for theme, value in zip(themes, values)}


def change_list_ui(title: str, rows, empty: str) -> None:
    st.subheader(title)
    if rows.empty:
        st.caption(empty)
    for row in rows.itertuples():
        change_text = f"{row.change:+.2f}".replace(".", ",")
        st.markdown(f"**Stelling {row.id}** · {row.theme}: {format_score(row.score_first)} → "
                    f"{format_score(row.score_last)} (**{change_text}**)")
        st.caption(row.text)


st.title("Voortgang")
settings = current_settings()
all_rounds = round_store().list()
if len(all_rounds) < 2:
    st.info("Voor voortgang zijn minstens twee opgeslagen meetrondes nodig. Sla een gecontroleerde export op "
            "via de pagina **Gegevens**; beheer ze op de pagina **Meetrondes**.")
    st.stop()

chosen = rounds_ui(all_rounds)
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
first_label, last_label = list(summaries)[0], list(summaries)[-1]
change = statement_change(summaries[first_label], summaries[last_label])
improvements, declines = largest_changes(change)

st.caption(" → ".join(f"{escape_md(label)}: {s.respondents} respondenten" for label, s in summaries.items()))
left, right = st.columns(2)
chart_ui(theme_radar({label: s.themes for label, s in summaries.items()}, instrument, "Niveau per thema per meetronde"),
         "progress_radar", "voortgang-per-thema", left)
with right:
    change_list_ui("Grootste vooruitgang", improvements, "Geen stelling ging vooruit.")
    change_list_ui("Grootste achteruitgang", declines, "Geen stelling ging achteruit.")

chart_ui(change_dumbbell(statement_progress(summaries), change["id"].tolist(), instrument,
                         "Verandering per stelling, grootste vooruitgang bovenaan"),
         "progress_dumbbell", "verandering-per-stelling")

st.header("Trends per groep")
if group_column is None:
    st.caption("Kies een groepskolom om trends per groep te zien.")
else:
    trends = group_trends(summaries)
    theme = st.selectbox("Thema", [TOTAL, *instrument.themes], key="trend_theme")
    subset = trends[trends["theme"] == theme]
    chart_ui(group_trend_lines(subset, instrument, f"{theme}: score per groep per meetronde"), "trend_lines",
             "trend-per-groep")
    minimums = sorted({s.min_group_size for s in summaries.values()})
    st.caption(f"Minimale groepsgrootte {', '.join(map(str, minimums))}, per meetronde toegepast; een groep "
               "wordt per ronde berekend over de combinaties van groepskenmerken die groot genoeg zijn.")
    st.dataframe(group_trend_table(trends, theme), width="stretch")

st.header("Doelen")
targets = targets_ui(instrument.themes)
gaps = target_gaps(summaries[last_label], targets)
chart_ui(target_bars(gaps, instrument, f"Stand in {last_label} en doelniveau"), "target_bars", "doelen")
if any(targets.values()):
    st.dataframe(gaps.rename(columns={"theme": "Thema", "score": "Score", "level": "Niveau", "target": "Doel",
                                      "gap": "Afstand tot doel", "reached": "Gehaald"}),
                 hide_index=True, width="stretch")
