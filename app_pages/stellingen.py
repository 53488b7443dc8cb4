"""Stellingen: the answer distribution per statement and the detail of one statement."""

import streamlit as st

from analysis.charts import diverging_bars
from analysis.overview import statement_focus
from analysis.scoring import distribution, level_number
from analysis.summary import format_score
from ui.state import summary_or_stop
from ui.widgets import chart_ui, level_descriptions_ui, reading_list_ui

SORTS = {"Nummer": ["id"], "Thema": ["theme", "id"], "Score (laag → hoog)": ["score", "id"]}

st.title("Stellingen")
summary = summary_or_stop()
instrument = summary.instrument
sort = st.radio("Sorteren op", list(SORTS), horizontal=True)
order = [int(i) for i in summary.statements.sort_values(SORTS[sort], na_position="last")["id"]]
chart_ui(diverging_bars(distribution(summary.statements, instrument), order, instrument, "Antwoorden per stelling"),
         "diverging", "antwoorden-per-stelling")

st.subheader("Stelling in detail")
labels = {s.id: f"{s.id}. {s.text}" for s in instrument.statements}
chosen = st.selectbox("Kies een stelling", order, format_func=lambda i: labels[i])
focus = statement_focus(summary, chosen)
statement = instrument.statement(chosen)
row = summary.statements.set_index("id").loc[chosen]
cols = st.columns(4)
cols[0].metric("Score", format_score(row["score"]))
cols[1].metric("Niveau", row["level"] or "geen oordeel")
cols[2].metric("Met oordeel", int(row["n_known"]))
cols[3].metric(instrument.unknown_label, int(row["n_unknown"]))

tab_levels, tab_explanation, tab_reading = st.tabs(["Niveaus", "Toelichting", "Meer lezen"])
with tab_levels:
    level_descriptions_ui(instrument, chosen, level_number(row["score"], instrument.max_level))
with tab_explanation:
    for block in statement.explanation:
        if block.heading:
            st.markdown(f"**{block.heading}**")
        for paragraph in block.paragraphs:
            st.write(paragraph)
    if statement.note:
        st.caption(f"Opmerking bij de bron: {statement.note}")
with tab_reading:
    reading_list_ui(instrument, chosen)
