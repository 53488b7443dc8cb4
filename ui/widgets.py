"""Small display helpers shared by the pages; user text is always escaped, never HTML."""

from __future__ import annotations

import re

import streamlit as st

from analysis.exports.to_png import ChartImages
from analysis.instrument import Instrument
from analysis.safe_text import visible_text

# Every ASCII punctuation mark Markdown could act on; ':' and '/' too, so no URL is auto-linked.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:/=&@%])")


def escape_md(text) -> str:
    """Text from an uploaded file, made inert for st.markdown (no markup, no links, no direction tricks)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible_text(text))


def level_descriptions_ui(instrument: Instrument, statement_id: int, current_level: int | None) -> None:
    """The five level descriptions of a statement, the current one marked, the next as 'volgende stap'."""
    statement = instrument.statement(statement_id)
    for level, (label, text) in enumerate(zip(instrument.level_labels, statement.level_descriptions), start=1):
        marker = ""
        if current_level == level:
            marker = " ← **huidig niveau**"
        elif current_level is not None and level == current_level + 1:
            marker = " ← **volgende stap**"
        st.markdown(f"**{level}. {label}**{marker}  \n{text}")


def reading_list_ui(instrument: Instrument, statement_id: int) -> None:
    statement = instrument.statement(statement_id)
    items = list(statement.reading)
    if not items and not statement.references:
        st.caption("Geen leesmateriaal bij deze stelling.")
        return
    for item in items:
        st.markdown("- " + reading_line(item))
    if statement.references:
        st.caption("Genoemd in de toelichting: " + "; ".join(r.title for r in statement.references))


def reading_line(item) -> str:
    title = f"[{item.title}]({item.url})" if item.url else item.title
    publisher = item.publisher or ""
    if publisher and item.publisher_url:
        publisher = f"[{publisher}]({item.publisher_url})"
    return f"{title}" + (f" — {publisher}" if publisher else "")


@st.cache_resource(show_spinner=False)
def chart_images() -> ChartImages:
    """One render server per app process, shared by all sessions (it is thread-safe)."""
    return ChartImages()


def chart_ui(figure, key: str, file_name: str, container=None) -> None:
    """A chart with a PNG download under it, or the reason there is none on this machine."""
    target = container or st
    target.plotly_chart(figure, width="stretch", key=key)
    renderer = chart_images()
    if renderer.unavailable_reason:
        target.caption(f"PNG niet beschikbaar: {renderer.unavailable_reason}")
        return
    target.download_button("PNG", data=lambda: renderer.png(figure), file_name=f"{file_name}.png",
                           mime="image/png", icon=":material/image:", key=f"png_{key}", on_click="ignore")
