"""Presentatie: the report slide by slide for a meeting room, with the files to hand out."""

from pathlib import Path

import streamlit as st

from analysis.charts import figure_for
from analysis.progress import round_labels
from analysis.report import Report, Slide
from ui.exports import exports_ui
from ui.state import current_settings, current_upload, report_maker, round_store, round_summary, summary_or_stop
from ui.widgets import chart_ui, escape_md

HERE = Path(__file__).resolve().parent.parent / "ui"
NO_COMPARISON = "(geen)"
SLIDE_FONT = 18  # chart text on a projector
MIN_CHART_HEIGHT = 480
CHART_WEIGHTS = {"group_heatmap": 1.2}


def go_to(number: int) -> None:
    st.session_state["slide_choice"] = number


def navigation_ui(report: Report) -> int:
    count = len(report.presented)
    if st.session_state.get("slide_choice", 0) >= count:
        st.session_state["slide_choice"] = 0
    current = st.session_state.get("slide_choice", 0)
    back, counter, forward, jump = st.columns([1.5, 0.8, 1.7, 4], vertical_alignment="center")
    back.button("Vorige", icon=":material/arrow_back:", shortcut="Left", disabled=current == 0,
                on_click=go_to, args=(current - 1,), width="stretch")
    with counter.container(key="slide-counter"):
        st.markdown(f"**{current + 1} / {count}**")
    forward.button("Volgende", icon=":material/arrow_forward:", shortcut="Right", disabled=current == count - 1,
                   on_click=go_to, args=(current + 1,), width="stretch")
    jump.selectbox("Ga naar dia", range(count), key="slide_choice", label_visibility="collapsed",
                   format_func=lambda i: f"{i + 1}. {report.presented[i].title}")
    return st.session_state["slide_choice"]


def presentation_mode_ui() -> None:
    if st.toggle("Presentatiemodus", key="presentation_mode", help="Zijbalk en werkbalk verbergen"):
        st.html(HERE / "presentation_mode.css")


def earlier_rounds(summary) -> dict[str, str]:
    """Saved rounds of the same instrument, other than the data on screen: label -> round id."""
    current = current_upload().get("round_id")
    rounds = [r for r in round_store().list()
              if r.instrument_id == summary.instrument.id and r.round_id != current]
    return dict(zip(round_labels(rounds), (r.round_id for r in rounds)))


def previous_round(summary, options: dict[str, str]):
    """The earlier round chosen below the slides (read before they are drawn), as (label, summary)."""
    label = st.session_state.get("previous_round", NO_COMPARISON)
    if label not in options:
        return None
    settings = current_settings()
    return label, round_summary(options[label], settings.group_column, settings.threshold, settings.min_group_size)


def previous_round_ui(options: dict[str, str]) -> None:
    st.selectbox("Vergelijken met een eerdere meetronde", [NO_COMPARISON, *options], key="previous_round",
                 help="Voegt een dia 'Voortgang' toe, voor een terugkomdag. Meetrondes bewaart u op de pagina "
                      "Gegevens.")


def points_ui(points: list[str]) -> None:
    with st.container(key="slide-points"):
        st.markdown("\n".join(f"- {escape_md(point)}" for point in points))


def charts_ui(slide: Slide, report: Report, number: int, area) -> None:
    """Charts side by side, each as wide as its kind needs (the group heatmap has 24 columns)."""
    weights = [CHART_WEIGHTS.get(spec.kind, 1) for spec in slide.charts]
    places = area.columns(weights) if len(slide.charts) > 1 else [area.container()]
    for index, (spec, place) in enumerate(zip(slide.charts, places)):
        figure = figure_for(spec, report.instrument)
        figure.update_layout(font_size=SLIDE_FONT, height=max(figure.layout.height or 0, MIN_CHART_HEIGHT))
        with place:
            chart_ui(figure, key=f"slide_{number}_{index}", file_name=f"dia-{number + 1}-{spec.kind}")


def slide_ui(report: Report, number: int) -> None:
    slide = report.presented[number]
    with st.container(key="slide-title"):
        st.markdown("# " + escape_md(slide.title))
    if slide.subtitle:
        with st.container(key="slide-sub"):
            st.markdown(escape_md(slide.subtitle))
    if slide.points and slide.charts:
        left, right = st.columns([1.6, 3])
        with left:
            points_ui(slide.points)
        charts_ui(slide, report, number, right)
    elif slide.points:
        points_ui(slide.points)
    elif slide.charts:
        charts_ui(slide, report, number, st.container())
    if slide.notes and not st.session_state.get("presentation_mode"):
        # Notes are for the facilitator's preparation, not for the room: hidden in presentation mode.
        st.caption(f"Voor de gespreksleider: {escape_md(slide.notes)}")


st.html(HERE / "presentation.css")
summary = summary_or_stop()
rounds = earlier_rounds(summary)
report = report_maker(summary, previous_round(summary, rounds))()
number = navigation_ui(report)
slide_ui(report, number)
settings_left, settings_right = st.columns(2)
with settings_left:
    presentation_mode_ui()
with settings_right:
    previous_round_ui(rounds)
with st.expander("Exporteren en uitdelen"):
    exports_ui(lambda: report, key="presentatie")
