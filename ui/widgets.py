"""Small display helpers shared by the pages; user text is always escaped, never HTML."""

from __future__ import annotations

import re

import streamlit as st

from analysis.instrument import Instrument
from analysis.safe_text import visible_text
from ui.charts import Chart, draw_chart

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


def reading_line(item) -> str:
    title = f"[{item.title}]({item.url})" if item.url else item.title
    publisher = item.publisher or ""
    if publisher and item.publisher_url:
        publisher = f"[{publisher}]({item.publisher_url})"
    return f"{title}" + (f" — {publisher}" if publisher else "")


@st.cache_resource(show_spinner=False)
def chart_images():
    """One render server per app process, shared by all sessions (it is thread-safe); kaleido loads on first use."""
    from analysis.report.exports.to_png import ChartImages

    return ChartImages()


def chart_ui(figure, key: str, file_name: str, container=None) -> None:
    """A chart with a PNG download under it, or the reason there is none on this machine.

    ``figure`` is a ``ui.charts.Chart`` (``chart(builder, ...)``: cached, drawn with the partial plotly.js), or a
    plotly figure for a page not moved to it yet (drawn by ``st.plotly_chart``).
    """
    target = container or st
    if isinstance(figure, Chart):
        if container is None:
            draw_chart(figure, key)
        else:
            with container:
                draw_chart(figure, key)
        make_figure = figure.to_figure
    else:
        target.plotly_chart(figure, width="stretch", key=key)
        make_figure = lambda: figure  # noqa: E731
    renderer = chart_images()
    if renderer.unavailable_reason:
        target.caption(f"PNG niet beschikbaar: {renderer.unavailable_reason}")
        return
    target.download_button("PNG", data=lambda: renderer.png(make_figure()), file_name=f"{file_name}.png",
                           mime="image/png", icon=":material/image:", key=f"png_{key}", on_click="ignore")


def next_step_ui(instrument: Instrument, item: dict) -> None:
    """One weak statement or item: where it stands, then its next step beneath it, then what to read."""
    kind = instrument.kind
    st.markdown(f"### {kind.item.capitalize()} {item['id']} · {item['theme']}")
    st.write(item["text"])
    if kind.has_levels:
        st.markdown(f"**Nu: {item['level']}** (score {item['score_text'].split(' · ')[0]}) — "
                    f"{item['current_description']}")
        if item["next_description"]:
            st.markdown(f"**Volgende stap: {item['next_level']}** — {item['next_description']}")
    else:
        st.markdown(f"**Nu: {item['level']}** — {item['current_description']}")
        section_material_ui(item)
    if item["reading"]:
        st.markdown("**Meer lezen**\n" + "\n".join("- " + reading_line(r) for r in item["reading"]))


def section_material_ui(item: dict) -> None:
    """A checklist item's next step: the tips and examples of the section that explains it."""
    if item["section"] is not None:
        st.markdown(f"**Volgende stap — lees: {item['section'].title}**")
    for group in item["tips"]:
        st.markdown(("**Tip: " + group.heading + "**\n") if group.heading else "**Tips**\n")
        st.markdown("\n".join("- " + tip for tip in group.items))
    for example in item["examples"]:
        with st.expander("Voorbeeld" + (f": {example.title}" if example.title else "")):
            for paragraph in example.paragraphs:
                st.write(paragraph)


def explanation_ui(blocks, note: str | None = None) -> None:
    """Explanatory text with its sub-headings (a statement's toelichting, a checklist section's text)."""
    for block in blocks:
        if block.heading:
            st.markdown(f"**{block.heading}**")
        for paragraph in block.paragraphs:
            st.write(paragraph)
    if note:
        st.caption(f"Opmerking bij de bron: {note}")
