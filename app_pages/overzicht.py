"""Overzicht: where the organisation stands, for managers."""

import datetime as dt

import streamlit as st

from analysis.charts import statement_radar, theme_radar
from analysis.download_names import download_stem
from analysis.overview import overview
from analysis.summary import format_score
from ui.exports import exports_ui
from ui.state import report_maker, source_label, summary_or_stop
from ui.widgets import chart_ui

summary = summary_or_stop()
view = overview(summary)
instrument = summary.instrument
file_stem = download_stem(source_label(), dt.date.today().isoformat())

st.title("Overzicht")
st.caption(instrument.title)
tiles = st.columns(3)
tiles[0].metric("Respondenten", view.respondents)
tiles[1].metric("Beantwoord", f"{view.share_answered:.0%}".replace(".", ","),
                help="Aandeel van alle stellingen × respondenten met een oordeel (niveau 1-5).")
tiles[2].metric("Totaalniveau", view.overall_level or "geen oordeel",
                help="Gemiddelde van de vier themascores.")
tiles[2].caption(f"Gemiddelde themascore {format_score(view.overall_score)}")

left, right = st.columns(2)
chart_ui(theme_radar({"Organisatie": summary.themes}, instrument, "Niveau per thema"), "theme_radar",
         f"{file_stem}-niveau-per-thema", left)
chart_ui(statement_radar({"Organisatie": summary.statements}, instrument, "Niveau per stelling"), "statement_radar",
         f"{file_stem}-niveau-per-stelling", right)


def focus_ui(title: str, items: list[dict]) -> None:
    st.subheader(title)
    for item in items:
        with st.container(border=True):
            st.markdown(f"**Stelling {item['id']}** · {item['theme']} · score {format_score(item['score'])} "
                        f"({item['level']})")
            st.write(item["text"])
            st.markdown(f"*Nu:* {item['current_description']}")
            if item["next_description"]:
                st.markdown(f"*Volgende stap ({item['next_level']}):* {item['next_description']}")


left, right = st.columns(2)
with left:
    focus_ui("Sterkste stellingen", view.strongest)
with right:
    focus_ui("Zwakste stellingen", view.weakest)


st.subheader("Rapport downloaden")
st.caption("Voor wie er niet bij was: dezelfde inhoud als de pagina Presentatie, met grafieken en volgende stappen.")
exports_ui(report_maker(summary), key="overzicht", source=source_label())
