"""Presentatie: the report slide by slide for a meeting room, with the files to hand out."""

from pathlib import Path

import streamlit as st

from analysis.report.charts import figure_for, radar_across
from analysis.report.download_names import slug
from analysis.report.model import Point, Report, Slide
from analysis.scoring.progress import earlier_rounds, round_labels
from ui.charts import chart, draw_chart
from ui.exports import exports_ui
from ui.state import (
    current_settings,
    current_upload,
    previous_round_plan,
    report_maker,
    round_summary,
    saved_rounds,
    summary_or_stop,
)
from ui.widgets import chart_ui, escape_md

HERE = Path(__file__).resolve().parent.parent / "ui"
NO_COMPARISON = "(geen)"
MIN_CHART_HEIGHT = 480
# Presentation mode lays a slide out on a 1280x720 canvas and scales it to the screen (ui/presentation_mode.css),
# so these heights hold on a projector and a full-HD screen alike.
CANVAS_CHART_HEIGHT = 500
SUBTITLE_LINE = 34
SUBTITLE_ONE_LINE = 110  # characters that fit on one subtitle line of the canvas
CHART_WEIGHTS = {"group_heatmap": 1.2}
RADARS = ("theme_radar", "statement_radar")
KEYS_JS = (HERE / "presentation_keys.js").read_text(encoding="utf-8")


def go_to(number: int) -> None:
    st.session_state["slide_choice"] = number


def navigation_ui(report: Report, presenting: bool) -> int:
    """Vorige/Volgende, the counter and a jump list; in presentation mode hidden, pressed by the clicker keys."""
    count = len(report.presented)
    if st.session_state.get("slide_choice", 0) >= count:
        st.session_state["slide_choice"] = 0
    current = st.session_state.get("slide_choice", 0)
    with st.container(key="slide-nav"):
        back, counter, forward, jump = st.columns([1.5, 0.8, 1.7, 4], vertical_alignment="center")
        # Outside presentation mode the arrows are Streamlit shortcuts; in it the key listener does them all.
        # No icons: a button with a shortcut shows its key ("←") already ("← Vorige ←" looked like a stutter).
        back.button("Vorige", key="slide-previous",
                    shortcut=None if presenting else "Left", disabled=current == 0, on_click=go_to,
                    args=(current - 1,), width="stretch")
        with counter.container(key="slide-counter"):
            st.markdown(f"**{current + 1} / {count}**")
        forward.button("Volgende", key="slide-next",
                       shortcut=None if presenting else "Right", disabled=current == count - 1, on_click=go_to,
                       args=(current + 1,), width="stretch")
        jump.selectbox("Ga naar dia", range(count), key="slide_choice", label_visibility="collapsed",
                       format_func=lambda i: f"{i + 1}. {report.presented[i].title}")
    return st.session_state["slide_choice"]


def leave_presentation() -> None:
    st.session_state["presentation_mode"] = False


def presentation_keys_ui() -> None:
    """The clicker keys, F and Esc, listened for on the whole page (see ui/presentation_keys.js)."""
    st.html(HERE / "presentation_mode.css")
    with st.container(key="presentation-keys"):
        st.html("<span id='qs-presenting' hidden></span><script>" + KEYS_JS + "</script>",
                unsafe_allow_javascript=True)
    st.button("Presentatiemodus verlaten", key="presentation-exit", on_click=leave_presentation)


def presentation_mode_ui() -> None:
    st.toggle("Presentatiemodus", key="presentation_mode",
              help="Alleen de dia op het scherm. Bladeren met PageDown/PageUp, spatie of de pijltjes "
                   "(ook met een presentatieklikker); F: volledig scherm; Esc: presentatiemodus uit.")


def comparison_rounds(summary) -> dict[str, str]:
    """The rounds the data on screen can be compared with: label -> round id.

    For a saved round only rounds measured before it (progress.earlier_rounds): a return day looks back.
    An upload has no measurement date yet, so every saved round of its instrument is offered.
    """
    current_id = current_upload().get("round_id")
    saved = saved_rounds(required=False)
    current = next((r for r in saved if r.round_id == current_id), None)
    rounds = (earlier_rounds(saved, current) if current is not None
              else [r for r in saved if r.instrument_id == summary.instrument.id])
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


def points_ui(points: list[Point]) -> None:
    """Points as a list; a point's details (next step, reading) as a list beneath it."""
    lines = []
    for point in points:
        lines.append(f"- {escape_md(point.text)}")
        lines += [f"    - {escape_md(detail)}" for detail in point.details]
    with st.container(key="slide-points"):
        st.markdown("\n".join(lines))


def wide_radar(spec, instrument):
    """A radar that has the slide canvas to itself (the groups' radar), laid out across it (``radar_across``)."""
    return radar_across(figure_for(spec, instrument))


def slide_figure(spec, report: Report, presenting: bool, height: int, alone: bool = False):
    """The chart for a slide: in presentation mode as high as the slide canvas leaves room for."""
    if presenting:
        builder = wide_radar if alone and spec.kind in RADARS else figure_for
        return chart(builder, spec, report.instrument, height=height)
    return chart(figure_for, spec, report.instrument, min_height=MIN_CHART_HEIGHT)


def charts_ui(slide: Slide, report: Report, number: int, area, presenting: bool) -> None:
    """Charts side by side, each as wide as its kind needs; in presentation mode without PNG buttons."""
    weights = [CHART_WEIGHTS.get(spec.kind, 1) for spec in slide.charts]
    places = area.columns(weights) if len(slide.charts) > 1 else [area.container()]
    height = CANVAS_CHART_HEIGHT - (SUBTITLE_LINE if len(slide.subtitle) > SUBTITLE_ONE_LINE else 0)
    alone = len(slide.charts) == 1 and not slide.points
    for index, (spec, place) in enumerate(zip(slide.charts, places)):
        figure = slide_figure(spec, report, presenting, height, alone)
        with place:
            if presenting:
                draw_chart(figure, key=f"slide_{number}_{index}", config={"displayModeBar": False})
            else:
                chart_ui(figure, key=f"slide_{number}_{index}",
                         file_name=f"{report.file_stem}-dia-{number + 1}-{slug(spec.kind)}")


def slide_ui(report: Report, number: int, presenting: bool) -> None:
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
        charts_ui(slide, report, number, right, presenting)
    elif slide.points:
        points_ui(slide.points)
    elif slide.charts:
        charts_ui(slide, report, number, st.container(), presenting)
    if slide.notes and not presenting:
        # Notes are for the facilitator's preparation, not for the room: hidden in presentation mode.
        st.caption(f"Voor de gespreksleider: {escape_md(slide.notes)}")


st.html(HERE / "presentation.css")
presenting = bool(st.session_state.get("presentation_mode"))
summary = summary_or_stop()
rounds = comparison_rounds(summary)
previous = previous_round(summary, rounds)
previous_plan = previous_round_plan(rounds.get(previous[0])) if previous else None
report = report_maker(summary, previous, previous_plan)()
number = navigation_ui(report, presenting)
slide_ui(report, number, presenting)
if presenting:
    presentation_keys_ui()
# The controls stay on the page in presentation mode (hidden by its CSS): a widget left out would lose its value.
with st.container(key="presenter-controls"):
    settings_left, settings_right = st.columns(2)
    with settings_left:
        presentation_mode_ui()
    with settings_right:
        previous_round_ui(rounds)
    if not presenting:
        with st.expander("Exporteren en uitdelen"):
            exports_ui(lambda: report, key="presentatie", source=report.source, date=report.date,
                       prefix=report.file_prefix)
