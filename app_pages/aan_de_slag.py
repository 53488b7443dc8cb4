"""Aan de slag: the weak statements (or checklist items) with their next step and what to read."""

import streamlit as st

from analysis.next_steps import next_steps_html
from analysis.overview import next_steps
from ui.state import summary_or_stop
from ui.widgets import next_step_ui

st.title("Aan de slag")
summary = summary_or_stop()
kind = summary.instrument.kind
items, weak = next_steps(summary)
threshold = kind.threshold_text(summary.threshold)
if weak:
    st.write(f"{len(items)} {kind.items if len(items) != 1 else kind.item} scoren onder de drempel van "
             f"{threshold}, laagste eerst.")
else:
    st.success(f"Geen {kind.item} scoort onder de drempel van {threshold}. Hieronder de drie laagste als "
               "aandachtspunten.")

for item in items:
    with st.container(border=True):
        next_step_ui(summary.instrument, item)

st.download_button("Actielijst downloaden (HTML, één pagina)", data=next_steps_html(summary).encode("utf-8"),
                   file_name="aan_de_slag.html", mime="text/html")
