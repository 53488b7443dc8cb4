"""Stellingen: the answer distribution per statement (or checklist item) and the detail of one of them."""

import streamlit as st

from analysis.report.charts import diverging_bars
from analysis.scoring.overview import statement_focus
from analysis.scoring.scores import distribution, level_number
from ui.charts import chart
from ui.exports import page_file_stem
from ui.state import summary_or_stop
from ui.widgets import (
    chart_ui,
    explanation_ui,
    level_descriptions_ui,
    reading_line,
    section_material_ui,
)


def notes_ui(notes: list[tuple[str, str]]) -> None:
    """The source's notes the text above cites ("⁵ Khonraad, S. (2012), p.203."): its marks pointed nowhere."""
    if notes:
        st.caption("Noten: " + " · ".join(f"{mark} {text}" for mark, text in notes))  # the instrument's own text


summary = summary_or_stop()
instrument = summary.instrument
kind = instrument.kind
st.title(kind.items_title)
TILE_WIDTHS = [1, 1.5, 1, 1]
# Stable sorts keep the instrument's own order (1.2 before 1.10) within equal values.
SORTS = {"Nummer": [], kind.group.capitalize(): ["theme"], "Score (laag → hoog)": ["score"]}
sort = st.radio("Sorteren op", list(SORTS), horizontal=True)
ordered = summary.statements.sort_values(SORTS[sort], kind="stable", na_position="last") if SORTS[sort] \
    else summary.statements
order = ordered["id"].tolist()
chart_ui(chart(diverging_bars, distribution(summary.statements, instrument), order, instrument,
               f"Antwoorden per {kind.item}"), "diverging",
         page_file_stem(instrument.id, f"antwoorden-per-{kind.item}"))

st.subheader(f"{kind.item.capitalize()} in detail")
labels = {s.id: f"{s.id}. {s.text}" for s in instrument.statements}
chosen = st.selectbox(f"Kies een {kind.item}", order, format_func=lambda i: labels[i])
focus = statement_focus(summary, chosen)
statement = instrument.statement(chosen)
row = summary.statements.set_index("id").loc[chosen]
# The level (or yes/no count) gets the widest tile: "Vergevorderd" and "geen oordeel" fit it at 1280 px.
cols = st.columns(TILE_WIDTHS)
cols[0].metric(kind.score_label, kind.score_number(row["score"]))
if kind.has_levels:
    cols[1].metric("Niveau", row["level"] or "geen oordeel")
else:
    cols[1].metric(f"{instrument.level_labels[-1]} / {instrument.level_labels[0]}", f"{int(row['n_2'])} / "
                   f"{int(row['n_1'])}")
cols[2].metric("Met oordeel", int(row["n_known"]))
cols[3].metric(instrument.unknown_label, int(row["n_unknown"]))

if kind.has_levels:
    tab_levels, tab_explanation, tab_reading = st.tabs(["Niveaus", "Toelichting", "Meer lezen"])
    with tab_levels:
        level_descriptions_ui(instrument, chosen, level_number(row["score"], instrument.max_level))
    with tab_explanation:
        explanation_ui(statement.explanation, statement.note)
else:
    tab_explanation, tab_levels, tab_reading = st.tabs(["Uitleg", "Tips en voorbeelden", "Meer lezen"])
    with tab_explanation:
        section = focus["section"]
        explanation_ui(section.text if section else (), section.note if section else None)
        notes_ui(instrument.cited_notes(p for block in (section.text if section else ()) for p in block.paragraphs))
    with tab_levels:
        section_material_ui(focus)
        notes_ui(instrument.cited_notes(t for e in focus["examples"] for t in (e.title, *e.paragraphs)))
with tab_reading:
    if focus["reading"]:
        st.markdown("\n".join("- " + reading_line(r) for r in focus["reading"]))
    else:
        st.caption(f"Geen leesmateriaal bij deze {kind.item}.")
    if statement.references:
        st.caption("Genoemd in de toelichting: " + "; ".join(r.title for r in statement.references))
