"""Overzicht: where the organisation stands, for managers."""

import datetime as dt

import streamlit as st

from analysis.report.charts import statement_radar, theme_radar
from analysis.report.download_names import download_stem, instrument_prefix
from analysis.scoring.overview import overview
from analysis.scoring.summary import format_score
from ui.charts import chart
from ui.exports import exports_ui
from ui.state import report_maker, source_label, summary_or_stop
from ui.widgets import chart_ui

summary = summary_or_stop()
view = overview(summary)
instrument = summary.instrument
prefix = instrument_prefix(instrument.id)
file_stem = download_stem(source_label(), dt.date.today().isoformat(), prefix)

st.title("Overzicht")
st.caption(instrument.title)
kind = instrument.kind
tiles = st.columns(3)
tiles[0].metric("Respondenten", view.respondents)
tiles[1].metric("Beantwoord", f"{view.share_answered:.0%}".replace(".", ","),
                help=f"Aandeel van alle {kind.items} × respondenten met een oordeel.")
if kind.has_levels:
    tiles[2].metric("Totaalniveau", view.overall_level or "geen oordeel",
                    help=f"Gemiddelde van de {len(instrument.themes)} {kind.groups}scores.")
    tiles[2].caption(f"Gemiddelde {kind.group}score {format_score(view.overall_score)}")
else:
    tiles[2].metric(f"{kind.score_label} (totaal)", kind.score_number(view.overall_score),
                    help=f"Gemiddelde van de {len(instrument.themes)} {kind.groups}: per item het aandeel ja.")
# A phase is a phrase ("fase Voorbereiding", "alle fasen voldaan (tot en met Verankering)"), too long for a tile.
for block, phase in view.phases:
    st.markdown(f"**{block}:** {phase}", help="De eerste fase met een item waaraan (nog) niet wordt voldaan.")

left, right = st.columns(2)
per_group, per_item = (f"Niveau per {kind.group}", f"Niveau per {kind.item}") if kind.has_levels else \
    (f"Voldaan per {kind.group}", f"Voldaan per {kind.item}")
chart_ui(chart(theme_radar, {"Organisatie": summary.themes}, instrument, per_group), "theme_radar",
         f"{file_stem}-{per_group.lower().replace(' ', '-')}", left)
chart_ui(chart(statement_radar, {"Organisatie": summary.statements}, instrument, per_item), "statement_radar",
         f"{file_stem}-{per_item.lower().replace(' ', '-')}", right)


def focus_ui(title: str, items: list[dict]) -> None:
    st.subheader(title)
    for item in items:
        with st.container(border=True):
            st.markdown(f"**{kind.item.capitalize()} {item['id']}** · {item['theme']} · {item['score_text']}")
            st.write(item["text"])
            st.markdown(f"*Nu:* {item['current_description']}")
            if item["next_description"]:
                st.markdown(f"*Volgende stap ({item['next_level']}):* {item['next_description']}")
            elif item["section"] is not None:
                st.markdown(f"*Volgende stap:* lees '{item['section'].title}' (op de pagina Aan de slag)")


left, right = st.columns(2)
with left:
    focus_ui(f"Sterkste {kind.items}", view.strongest)
with right:
    focus_ui(f"Zwakste {kind.items}", view.weakest)


st.subheader("Rapport downloaden")
st.caption("Voor wie er niet bij was: dezelfde inhoud als de pagina Presentatie, met grafieken en volgende stappen.")
exports_ui(report_maker(summary), key="overzicht", source=source_label(), prefix=prefix)
