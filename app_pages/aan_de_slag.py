"""Aan de slag: the weak statements with the step to the next level and what to read."""

import streamlit as st

from analysis.next_steps import next_steps_html
from analysis.overview import next_steps
from analysis.summary import format_score
from ui.state import summary_or_stop
from ui.widgets import reading_line

st.title("Aan de slag")
summary = summary_or_stop()
items, weak = next_steps(summary)
if weak:
    st.write(f"{len(items)} stelling(en) scoren onder de drempel van {format_score(summary.threshold)}, "
             "laagste eerst.")
else:
    st.success(f"Geen stelling scoort onder de drempel van {format_score(summary.threshold)}. "
               "Hieronder de drie laagste als aandachtspunten.")

for item in items:
    with st.container(border=True):
        st.markdown(f"### Stelling {item['id']} · {item['theme']}")
        st.write(item["text"])
        st.markdown(f"**Nu: {item['level']}** (score {format_score(item['score'])}) — {item['current_description']}")
        if item["next_description"]:
            st.markdown(f"**Volgende stap: {item['next_level']}** — {item['next_description']}")
        if item["reading"]:
            st.markdown("**Meer lezen**\n" + "\n".join("- " + reading_line(r) for r in item["reading"]))

st.download_button("Actielijst downloaden (HTML, één pagina)", data=next_steps_html(summary).encode("utf-8"),
                   file_name="aan_de_slag.html", mime="text/html")
