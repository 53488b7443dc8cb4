"""Small display helpers shared by the pages; user text is always escaped, never HTML."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from analysis.instrument import Instrument
from analysis.report.next_steps import items_text
from analysis.safe_text import visible_text
from ui.charts import Chart, draw_chart

DUTCH_CSS = Path(__file__).with_name("dutch.css")
DUTCH_JS = Path(__file__).with_name("dutch.js")
# Every ASCII punctuation mark Markdown could act on; ':' and '/' too, so no URL is auto-linked.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:/=&@%])")


def escape_md(text) -> str:
    """Text from an uploaded file, made inert for st.markdown (no markup, no links, no direction tricks)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible_text(text))


def dutch_ui() -> None:
    """Streamlit's own English in Dutch: the uploader's button and hint (CSS), and the labels it gives screen
    readers ('Help for …', 'Skip to main content'; a small script). Call once per run, before the page."""
    st.html(DUTCH_CSS)
    with st.container(key="dutch-ui"):
        st.html(f"<script>{DUTCH_JS.read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True)


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
    """One weak statement or item, compact: where it stands, then its next step beneath it.

    Its tips, examples and reading are listed once for the whole page (``material_ui``, ``reading_ui``).
    """
    kind = instrument.kind
    if kind.has_levels:
        st.markdown(f"##### {kind.item.capitalize()} {item['id']} · {item['theme']}")
        st.write(item["text"])
        st.markdown(f"**Nu: {item['level']}** (score {item['score_text'].split(' · ')[0]}) — "
                    f"{item['current_description']}")
        if item["next_description"]:
            st.markdown(f"**Volgende stap: {item['next_level']}** — {item['next_description']}")
        return
    # One element, not four: Streamlit puts a gap between elements, and nineteen weak items are a long page.
    step = f"**Volgende stap — lees:** {item['section'].title}  \n" if item["section"] is not None else ""
    st.markdown(f"##### {kind.item.capitalize()} {item['id']} · {item['theme']} · {item['level']}\n"
                f"{item['text']}  \n{step}:gray[{item['current_description']}]")


def next_steps_ui(instrument: Instrument, items, per_row: int = 2) -> None:
    """The weak items as cards, PER_ROW to a row, lowest first from left to right: in one column the checklist's
    nineteen weak items made a page of 3,000 px at 1280."""
    for first in range(0, len(items), per_row):
        for column, item in zip(st.columns(per_row), items[first:first + per_row]):
            with column.container(border=True, height="stretch"):
                next_step_ui(instrument, item)


def material_ui(kind, material) -> None:
    """Each section's tips and examples once, folded, naming the weak items they help."""
    for entry in material:
        with st.expander(f"{entry.title} ({items_text(kind, entry.item_ids)})"):
            tips_ui(entry.tips)
            for example in entry.examples:
                st.markdown("**Voorbeeld" + (f": {example.title}**" if example.title else "**"))
                for paragraph in example.paragraphs:
                    st.write(paragraph)


def reading_ui(kind, reading) -> None:
    """The reading per theme (block), every title once, with the weak items it goes with."""
    for group in reading:
        st.markdown(f"**{group.theme}**\n" + "\n".join(f"- {reading_line(r)} · *{items_text(kind, ids)}*"
                                                       for r, ids in group.entries))


def tips_ui(tips) -> None:
    for group in tips:
        st.markdown(("**Tip: " + group.heading + "**\n") if group.heading else "**Tips**\n")
        st.markdown("\n".join("- " + tip for tip in group.items))


def section_material_ui(item: dict) -> None:
    """A checklist item's next step: the tips and examples of the section that explains it."""
    if item["section"] is not None:
        st.markdown(f"**Volgende stap — lees: {item['section'].title}**")
    tips_ui(item["tips"])
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
