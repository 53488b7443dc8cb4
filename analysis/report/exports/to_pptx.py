"""The report as a 16:9 PowerPoint deck that mirrors the presentation slides.

Charts are native PowerPoint charts (radar, stacked bars) built from the numbers, not pictures,
so a facilitator can restyle them in PowerPoint. The group heatmap becomes a table of theme
scores per group, with suppressed groups saying so instead of showing numbers. Axes, number formats and
colours follow the instrument's score scale: levels 1-5 on the QuickScan, 0-100% met on a checklist.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import pandas as pd
import xlsxwriter
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analysis.report.charts import SERIES_COLOURS, UNKNOWN_COLOUR, band_colours
from analysis.report.exports import WORKBOOK_OPTIONS
from analysis.report.exports.to_html import band_colour
from analysis.report.model import ChartSpec, Report, Slide
from analysis.scoring.privacy import size_text
from analysis.scoring.summary import score_cell

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x5F, 0x5F, 0x5F)
BLANK_LAYOUT = 6


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text_box(slide, left, top, width, height, lines: list[str], size: int, colour=INK, bold=False):
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(size), bold, colour
        paragraph.space_after = Pt(size * 0.35)
    return frame


def _points_box(slide, box, points, size: int, bullets: bool):
    """Points as bullets; a point's details (next step, reading) indented beneath it, a size smaller."""
    frame = slide.shapes.add_textbox(*box).text_frame
    frame.word_wrap = True
    first = True
    for point in points:
        for level, line in [(0, point.text), *((1, d) for d in point.details)]:
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            paragraph.text = (("• " if level == 0 else "– ") if bullets else "") + line
            paragraph.level = level
            paragraph.font.size = Pt(size - 2 * level)
            paragraph.font.color.rgb = INK if level == 0 else MUTED
            paragraph.space_after = Pt(size * 0.35)
    return frame


class _InertWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook with every string written as text: a group named '=HYPERLINK(...)'
    must never become a formula when someone opens the chart data in PowerPoint."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = xlsxwriter.Workbook(xlsx_file, WORKBOOK_OPTIONS)
        yield workbook, workbook.add_worksheet()
        workbook.close()


class InertChartData(CategoryChartData):
    @property
    def _workbook_writer(self):
        return _InertWorkbookWriter(self)


def _radar(slide, spec: ChartSpec, report: Report, box) -> None:
    instrument = report.instrument
    if spec.kind == "theme_radar":
        categories, key = list(instrument.themes), "theme"
    else:
        categories, key = [str(i) for i in instrument.statement_ids], "id"
    data = InertChartData()
    data.categories = categories
    for name, table in spec.series.items():
        scores = table.set_index(table[key].astype(str))["score"].reindex(categories)
        data.add_series(name, [None if pd.isna(v) else round(float(v), 2) for v in scores])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.RADAR_MARKERS, *box, data).chart
    # The scale's own range: levels 1..5 (0 is no score, so not from 0) or 0-100% met.
    ticks = instrument.score_scale.ticks
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = ticks[0], ticks[-1], ticks[1] - ticks[0]
    axis.tick_labels.number_format = instrument.kind.number_format
    axis.tick_labels.number_format_is_linked = False
    for index, series in enumerate(chart.series):
        colour = _rgb(SERIES_COLOURS[index % len(SERIES_COLOURS)])
        series.format.line.color.rgb = colour
        series.format.line.width = Pt(2.5)
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colour
    _finish_chart(chart, spec.title)


def _distribution(slide, spec: ChartSpec, report: Report, box) -> None:
    instrument = report.instrument
    counts = spec.data.pivot_table(index="id", columns="code", values="count", aggfunc="sum").reindex(
        list(spec.order))
    data = InertChartData()
    data.categories = [f"{instrument.kind.item.capitalize()} {i}" for i in spec.order]
    for level, label in enumerate(instrument.level_labels, start=1):
        data.add_series(label, [int(v) for v in counts[level]])
    data.add_series(instrument.unknown_label, [int(v) for v in counts[0]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED_100, *box, data).chart
    colours = [*band_colours(instrument.max_level), UNKNOWN_COLOUR]
    for series, colour in zip(chart.series, colours):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(colour)
    chart.category_axis.reverse_order = True
    chart.value_axis.tick_labels.number_format = "0%"
    chart.value_axis.tick_labels.number_format_is_linked = False
    _finish_chart(chart, spec.title + " (aandeel van de antwoorden)")


def _finish_chart(chart, title: str) -> None:
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    chart.chart_title.text_frame.paragraphs[0].font.size = Pt(16)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = Pt(12)


TABLE_FONT_SIZES = (14, 13, 12, 11, 10)
CELL_PADDING = Inches(0.2)  # left and right margin of a table cell together
CHAR_WIDTH = 0.6  # a generous average character width, as a share of the font size


def _text_width(text: str, size: int) -> int:
    return int(Pt(size) * CHAR_WIDTH * len(text))


def _table_layout(columns: list[list[str]], total: int) -> tuple[int, list[int]]:
    """The largest font size at which every word of every column fits its column unbroken, and the widths.

    Each column gets at least its longest word; what is left is shared out in proportion to the longest line.
    """
    for size in TABLE_FONT_SIZES:
        least = [max(_text_width(w, size) for text in col for w in text.split() or [""]) + CELL_PADDING
                 for col in columns]
        if sum(least) <= total:
            break
    lines = [max(_text_width(text, size) for text in col) + CELL_PADDING for col in columns]
    spare = total - sum(least)
    wish = [max(0, line - low) for line, low in zip(lines, least)]
    share = [spare * w / sum(wish) if sum(wish) else spare / len(columns) for w in wish]
    return size, [int(low + extra) for low, extra in zip(least, share)]


def _group_table(slide, spec: ChartSpec, report: Report, box) -> None:
    """Theme scores per group as a table; a suppressed group shows its size and its reason, once, across the
    score cells. Columns are as wide as their longest word, so no word is ever broken."""
    summary = report.summary
    themes = list(report.instrument.themes)
    minimum = summary.min_group_size
    rows = [("Hele organisatie", str(summary.respondents), "", summary.themes)]
    rows += [(g.name, size_text(g.shown_respondents or g.respondents, g.reason, minimum), g.status_text(minimum),
              g.themes) for g in summary.groups]
    headings = ["Groep", "n", *themes]
    # A reason spans all score columns, so it only needs to fit their joint width: not a column of its own.
    widest_score = score_cell(report.instrument.score_scale.ticks[-1], report.instrument.kind)
    columns = [[headings[0], *(r[0] for r in rows)], [headings[1], *(r[1] for r in rows)],
               *[[theme, widest_score] for theme in themes]]
    size, widths = _table_layout(columns, box[2])
    table = slide.shapes.add_table(len(rows) + 1, len(headings), *box).table
    for column, width in enumerate(widths):
        table.columns[column].width = Emu(width)
    for column, heading in enumerate(headings):
        table.cell(0, column).text = heading
    for r, (name, group_size, reason, theme_table) in enumerate(rows, start=1):
        table.cell(r, 0).text, table.cell(r, 1).text = name, group_size
        if reason:
            table.cell(r, 2).merge(table.cell(r, len(headings) - 1))
            table.cell(r, 2).text = reason
            continue
        scores = dict(zip(theme_table["theme"], theme_table["score"]))
        for c, theme in enumerate(themes, start=2):
            cell = table.cell(r, c)
            score = scores.get(theme)
            cell.text = score_cell(score, report.instrument.kind)
            colour = band_colour(score, report.instrument.score_scale)
            if colour:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(colour)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)
                paragraph.alignment = PP_ALIGN.LEFT


CHART_RENDERERS = {"theme_radar": _radar, "statement_radar": _radar, "distribution": _distribution,
                   "group_heatmap": _group_table}


def _add_slide(deck, slide: Slide, report: Report) -> None:
    page = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    cover = slide.key == "titel"
    _text_box(page, MARGIN, Inches(1.6 if cover else 0.3), WIDTH - 2 * MARGIN, Inches(1.7 if cover else 0.8),
              [slide.title], 40 if cover else 32, bold=True)
    if slide.subtitle:
        _text_box(page, MARGIN, Inches(3.4 if cover else 1.05), WIDTH - 2 * MARGIN, Inches(0.5), [slide.subtitle],
                  20 if cover or len(slide.subtitle) < 120 else 14, MUTED)
    top = Inches(4.2 if cover else 1.7)
    charts = slide.charts
    text_width = WIDTH - 2 * MARGIN if not charts else Inches(4.8)
    if slide.points:
        text = " ".join(line for point in slide.points for line in point.lines())
        size = 16 if charts else (20 if len(text) < 700 else 15)
        _points_box(page, (MARGIN, top, text_width, HEIGHT - top - MARGIN), slide.points, size, bullets=not cover)
    if charts:
        left = MARGIN + (text_width + Inches(0.3) if slide.points else 0)
        width = (WIDTH - left - MARGIN) / len(charts)
        for index, spec in enumerate(charts):
            box = (Emu(int(left + index * width)), top, Emu(int(width - Inches(0.1))), HEIGHT - top - MARGIN)
            CHART_RENDERERS[spec.kind](page, spec, report, box)
    if slide.notes:
        page.notes_slide.notes_text_frame.text = slide.notes


def report_pptx(report: Report) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    for slide in report.presented:
        _add_slide(deck, slide, report)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
