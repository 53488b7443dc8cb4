"""Teams: compare groups, with small groups suppressed everywhere."""

import streamlit as st

from analysis.report.charts import group_heatmap, theme_radar
from analysis.report.exports import csv_bytes
from analysis.scoring.overview import difference_table, group_csv, group_scores, group_sizes
from ui.charts import chart
from ui.exports import page_file_name, page_file_stem
from ui.state import summary_or_stop
from ui.widgets import chart_ui, escape_md

st.title("Teams")
summary = summary_or_stop()
if not summary.groups:
    st.info("Kies in de zijbalk een groepskolom (bijvoorbeeld team of afdeling) om groepen te vergelijken.")
    st.stop()

names = [g.name for g in summary.groups]
shown = [g.name for g in summary.groups if not g.suppressed]
chosen = st.multiselect("Groepen vergelijken", names, default=shown[:4])
groups = [g for g in summary.groups if g.name in chosen]

hidden = [g for g in summary.groups if g.suppressed]
if hidden:
    reasons = "; ".join(f"{g.name}: {g.status_text(summary.min_group_size)}" for g in hidden)
    st.warning(f"Niet getoond — {escape_md(reasons)}. Groepen met minder dan {summary.min_group_size} "
               "respondenten worden niet getoond, en zo nodig een groep extra, zodat niets terug te rekenen is.")

kind = summary.instrument.kind
series = {"Hele organisatie": summary.themes}
series.update({g.name: g.themes for g in groups if not g.suppressed})
# Dataframes, not st.table: st.table renders cells as Markdown, and group names come from the upload.
# Full width: Status says why a group is hidden, and beside the radar it was cut off at 1280 px.
st.dataframe(group_sizes(summary), hide_index=True, width="stretch", column_config={
    "Groep": st.column_config.TextColumn(width="medium"), "Respondenten": st.column_config.TextColumn("n", width=60),
    "Status": st.column_config.TextColumn(width="large")})
chart_ui(chart(theme_radar, series, summary.instrument, f"{kind.groups.capitalize()} per groep"), "team_radar",
         page_file_stem(summary.instrument.id, f"{kind.groups.replace(chr(39), '')}-per-groep"))

scores = group_scores(summary)
heat = scores[scores["group"].isin(chosen)] if chosen else scores
chart_ui(chart(group_heatmap, heat, summary.instrument, f"Score per groep en {kind.item}"), "team_heatmap",
         page_file_stem(summary.instrument.id, f"score-per-groep-en-{kind.item}"))

st.subheader("Verschil met de hele organisatie")
st.dataframe(difference_table(heat, summary.instrument), width="stretch",
             height=35 * (len(summary.instrument.statements) + 1) + 3)
# Every group, also those not chosen above and those hidden (with the reason): the file is handed on.
st.download_button("Groepsscores downloaden (csv)", data=csv_bytes(group_csv(scores, kind)),
                   file_name=page_file_name(summary.instrument.id, "groepsscores", "csv"), mime="text/csv")
