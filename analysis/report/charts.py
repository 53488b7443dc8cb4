"""Plotly figures for the pages and the exports, built from the scoring tables.

Each builder takes tidy data (DataFrames from ``scoring``) and returns a new figure; none of
them fetches data or touches a shared layout. Colours and labels come from the tables below, so
every chart speaks the same visual language.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from html import escape, unescape
from itertools import groupby

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.instrument import Instrument
from analysis.safe_text import visible_text

# Diverging red-grey-blue (ColorBrewer RdBu with a darker middle): distinct for the common
# colour-vision deficiencies and in greyscale print.
LEVEL_COLOURS = ["#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac"]
UNKNOWN_COLOUR = "#7f7f7f"
THEME_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
SERIES_COLOURS = ["#000000", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#0072b2", "#d55e00", "#f0e442"]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15)
MIN_TEXT = 14  # px: the smallest text on any chart, read from the back of a room at 1280x720


def _plain(text) -> str:
    """User text for plotly, which reads a little HTML (<b>, <br>, <a href>): shown as typed, never as markup."""
    return escape(visible_text(text), quote=False)


def _wrap(text: str, width: int = 28) -> str:
    return "<br>".join(_plain(line) for line in textwrap.wrap(str(text), width)) or _plain(text)


def _base_layout(fig: go.Figure, title: str, height: int = 520, subtitle: tuple[str, ...] = ()) -> go.Figure:
    """Title top left (with an optional subtitle), legend along the bottom edge of the figure.

    The legend is anchored to the figure, not the plot, so it can never run into the title or the plot's
    own labels (a radar's bottom category, an axis title); the bottom margin holds it.
    """
    title_spec = dict(text=_plain(title), x=0, xanchor="left", font=dict(size=18))
    if subtitle:
        title_spec["subtitle"] = dict(text="<br>".join(_plain(line) for line in subtitle),
                                      font=dict(size=MIN_TEXT, color="#555"))
    fig.update_layout(title=title_spec, font=FONT, height=height, hoverlabel=dict(font_size=MIN_TEXT),
                      margin=dict(l=70, r=70, t=70 + 26 * len(subtitle), b=80), paper_bgcolor="white",
                      legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", xanchor="center",
                                  x=0.5, font=dict(size=FONT["size"])))
    # Explicit sizes: a theme's template (Streamlit's shrinks ticks to under 13 px) never wins over them.
    axis_text = dict(tickfont=dict(size=FONT["size"]), title_font=dict(size=FONT["size"]))
    fig.update_xaxes(**axis_text)
    fig.update_yaxes(**axis_text)
    fig.update_traces(colorbar=dict(tickfont=dict(size=FONT["size"]), title_font=dict(size=FONT["size"])),
                      selector=dict(type="heatmap"))
    return fig


def band_colours(n: int) -> list[str]:
    """N colours from the level palette, low to high (all five for five levels, the outer ones first)."""
    picks = np.linspace(0, len(LEVEL_COLOURS) - 1, n) if n > 1 else [len(LEVEL_COLOURS) - 1]
    return [LEVEL_COLOURS[int(round(i))] for i in picks]


def _level_bands(categories: list[str], instrument: Instrument) -> list[go.Barpolar]:
    """Faint rings, one per level (or share band), behind a radar so its values read as levels."""
    bands = instrument.score_scale.bands
    # On a category axis a bar's width is counted in categories, not degrees.
    return [go.Barpolar(r=[high - low] * len(categories), base=[low] * len(categories), theta=categories,
                        width=[1] * len(categories), marker=dict(color=colour, line_width=0),
                        opacity=0.16, hoverinfo="skip", showlegend=False, name=label)
            for (low, high, label), colour in zip(bands, band_colours(len(bands)))]


LEVELS_PER_LINE = 3  # five level names on one line ran past the right edge of a radar a third of 1280 px wide


def _level_key(instrument: Instrument) -> tuple[str, ...]:
    """The rings named once, under the title: level names on the rings crossed the data line."""
    bands = instrument.score_scale.bands
    if instrument.score_scale.percent:
        return ("Ringen van binnen naar buiten: aandeel voldaan",
                " · ".join(label for _, _, label in bands))
    names = [f"{n} {label}" for n, (_, _, label) in enumerate(bands, 1)]
    lines = [" · ".join(names[i:i + LEVELS_PER_LINE]) for i in range(0, len(names), LEVELS_PER_LINE)]
    return ("Ringen van binnen naar buiten:", *lines)


RADAR_LABEL_CHARS = 12  # a radar label longer than this goes on two lines ("Informele netwerken" was cut at 1280)
LETTER_EM = 0.55        # a label's average letter width (Arial), to give its longest line room beside the circle
LABEL_PAD_PX = 12       # between the circle and a label beside it (tick and gap)
RADAR_SIDE_MIN = 40     # px beside the circle, also for short labels
LEGEND_SYMBOL_PX = 50   # a legend entry's line and marker, and the gaps around them
THEME_LABEL_PX = 16     # a theme radar's labels and scores: few, so a size larger than the least
# Plotly places a category label at the circle's edge plus a standoff (tick length, a fifth of the font size and half
# the line), its lines LINE_EM apart; a line's box reaches ASCENT_EM above its baseline and DESCENT_EM below.
TICK_STANDOFF_PX = 8
LINE_EM, ASCENT_EM, DESCENT_EM = 1.3, 0.95, 0.25
# The smallest circle a page draws (the checklist's blocks on half of Overzicht at 1280 px: 76 px): around a larger one
# a label off the vertical reaches less far above or below it, so the room made for this one holds at every size.
RADAR_MIN_RADIUS_PX = 75
RADAR_CLEAR_PX = 10     # between the labels and the subtitle above or the figure's edge below
RADAR_TITLE_PAD_PX = 16  # above a radar's title
TITLE_LINE_PX = 29      # the title's line (18 px, bold) and the gap under it to the subtitle
# Between a plot and the legend under it (the blank legend title's size; its row is about 1.3 times as high):
# under a radar its bottom label, under an axis the tick labels and the axis title.
LEGEND_GAP_PX = {"radar": 22, "axis": 42}
SIDE_SINE = 0.1         # a label further from the vertical than this stands beside the circle


# A radar's hover names its category from the data: plotly's %{theta} gives the label as drawn, with a score line
# under it ('Competenties<br>3,0') or an item's short number ('10' for 5.10).
RADAR_HOVER_NAME = "%{customdata[0]}"


def radar_label(text) -> str:
    """A radar's category label, broken at the space nearest its middle when it is long."""
    text = str(text)
    spaces = [i for i, char in enumerate(text) if char == " "]
    if len(text) <= RADAR_LABEL_CHARS or not spaces:
        return _plain(text)
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{_plain(text[:cut])}<br>{_plain(text[cut + 1:])}"


def scored_label(label: str, score: str, colour: str) -> str:
    """A category label with the score under it, bold in its line's colour.

    Beside its point the score stood on the radar's line ('2,7') or on the next label ('62%' on 'Competenties')."""
    return f"{label}<br><b><span style='color:{colour}'>{score}</span></b>" if score else label


def item_labels(ids) -> list[str]:
    """Item ids around a radar: a 'block.number' id in full where its block starts, then only the number.

    '5.9' beside '5.10' touched on a slide; the ring's colour and the first id name the block, the hover the item.
    """
    labels, block = [], None
    for item in map(str, ids):
        head, dot, number = item.partition(".")
        labels.append(_plain(number if dot and head == block else item))
        block = head if dot else None
    return labels


def _lines(label: str) -> list[str]:
    """A label's lines as they read (no markup), to measure them."""
    return [unescape(re.sub(r"<[^>]*>", "", line)) for line in label.split("<br>")]


def _polar_axes(fig: go.Figure, instrument: Instrument, categories: list[str], labels: list[str],
                tick_size: int = THEME_LABEL_PX) -> None:
    """The rings' axis without labels, and the LABELS of the categories around the circle.

    Beside the circle as much room as the longest label line needs (a label at 3 o'clock starts at the circle),
    so a word like 'Competenties' is never cut off and short labels (item numbers) leave the circle large.
    """
    scale = instrument.score_scale
    # Only a label beside the circle needs the room; one at 12 or 6 o'clock is centred above or below it.
    beside = [label for k, label in enumerate(labels) if abs(np.sin(2 * np.pi * k / len(labels))) > SIDE_SINE]
    longest = max((len(line) for label in beside for line in _lines(label)), default=0)
    side = max(RADAR_SIDE_MIN, round(longest * LETTER_EM * tick_size) + LABEL_PAD_PX)
    fig.update_layout(margin_l=side, margin_r=side, polar=dict(
        bgcolor="white", bargap=0,
        radialaxis=dict(range=[scale.low, scale.high], tickvals=list(scale.ticks),
                        showticklabels=False, ticks="", angle=90, gridcolor="#d0d0d0"),
        angularaxis=dict(direction="clockwise", rotation=90, type="category", tickfont=dict(size=tick_size),
                         tickvals=categories, ticktext=labels, gridcolor="#e0e0e0")))


def _legend_below(fig: go.Figure, room_px: int) -> go.Figure:
    """The legend under the plot, as many rows as the width needs, ROOM_PX clear of the plot's lower edge for
    what the plot puts there (a radar's bottom category, tick labels, an axis title).

    In the plot's coordinates plotly grows the bottom margin to hold the legend (anchored to the figure's bottom
    edge it grew upwards into the plot, over a radar's lower labels once it wrapped). The room is a blank legend
    title of that height on a see-through legend: in pixels, so it holds at any height a page gives the figure.
    """
    fig.update_layout(legend=dict(yref="paper", y=0, yanchor="top", bgcolor="rgba(0,0,0,0)",
                                  title=dict(text="&nbsp;", side="top", font=dict(size=room_px))))
    return fig


def _label_reach(labels: list[str], size: int) -> tuple[float, float]:
    """How far the labels reach above and below the circle (px), placed as plotly places them around the smallest
    circle a page draws: a label with a score under it is a line higher than a fixed room allowed for."""
    above = below = 0.0
    radius = RADAR_MIN_RADIUS_PX
    for k, label in enumerate(labels):
        # Plotly's angle, from 3 o'clock anticlockwise: the first label at 12 o'clock, the others clockwise.
        sin, cos = np.cos(2 * np.pi * k / len(labels)), np.sin(2 * np.pi * k / len(labels))
        extra = (len(_lines(label)) - 1) * LINE_EM * size  # the lines under the first
        first = (-radius * sin - sin * (TICK_STANDOFF_PX + size * (0.2 if sin > 0 else 1))
                 + abs(cos) * size * 0.35 - 0.5 * (1 + sin) * extra)  # its first baseline, down from the centre
        above = max(above, ASCENT_EM * size - first - radius)
        below = max(below, first + extra + DESCENT_EM * size - radius)
    return above, below


def _room_for_labels(fig: go.Figure, labels: list[str], size: int) -> go.Figure:
    """Top down: the title at the figure's top, its subtitle, the upper labels, the circle, the lower labels and the
    legend under them, each clear of the next.

    Plotly puts a title in the middle of the top margin: above it stood blank the room made for the labels under
    the subtitle, which the circle needs on a slide (its item numbers touched).
    """
    above, below = _label_reach(labels, size)
    subtitle_lines = len(fig.layout.title.subtitle.text.split("<br>")) if fig.layout.title.subtitle.text else 0
    heading = RADAR_TITLE_PAD_PX + TITLE_LINE_PX + subtitle_lines * LINE_EM * MIN_TEXT
    fig.update_layout(title=dict(y=1, yref="container", yanchor="top", pad=dict(t=RADAR_TITLE_PAD_PX)),
                      margin_t=round(heading + above) + RADAR_CLEAR_PX, margin_b=round(below) + RADAR_CLEAR_PX)
    return _legend_below(fig, max(LEGEND_GAP_PX["radar"], round((below + RADAR_CLEAR_PX) / LINE_EM)))


def radar_across(fig: go.Figure) -> go.Figure:
    """FIG, a radar given a wide canvas to itself (a slide's groups radar): title and ring key in the top-left corner,
    legend down the right edge, so the circle gets the height.

    A radar stacks title, key, circle and legend in a column; across the 1216 px slide canvas that left the circle
    a third of the slide's height under an empty band. Only for a canvas whose width is known: in a narrower page
    the corner would reach the circle.
    """
    axis = fig.layout.polar.angularaxis
    top_label = str((axis.ticktext or [""])[0])
    room = (top_label.count("<br>") + 1) * LINE_EM * (axis.tickfont.size or THEME_LABEL_PX) + RADAR_CLEAR_PX + 6
    fig.update_layout(title=dict(yref="container", y=1, yanchor="top", pad=dict(t=6)), margin_t=round(room))
    return legend_beside(fig)


def legend_beside(fig: go.Figure) -> go.Figure:
    """FIG, a radar with its legend down the right edge instead of under the circle: for a canvas wide enough to
    have room beside the circle (a printed page), where a legend under it took the circle's height.

    The legend's width is added to the room beside the circle for the labels: plotly makes a right margin as wide
    as the larger of the two, and a label at 3 o'clock ran into a long round name ('Ronde voorjaar 2025 (...)').
    """
    names = [str(trace.name or "") for trace in fig.data if trace.showlegend is not False]
    size = fig.layout.legend.font.size or FONT["size"]
    width = LEGEND_SYMBOL_PX + round(max(map(len, names), default=0) * LETTER_EM * size) if names else 0
    return fig.update_layout(margin_r=(fig.layout.margin.r or 0) + width,
                             legend=dict(orientation="v", xref="container", x=1, xanchor="right",
                                         yref="container", y=0.5, yanchor="middle", title_text=""))


def theme_radar(series: dict[str, pd.DataFrame], instrument: Instrument, title: str) -> go.Figure:
    """Radar of theme scores; ``series`` maps a name (organisation, team, round) to a theme table.

    One series has its scores in the category labels; more series are told apart by the legend and the hover.
    """
    categories = list(instrument.themes)
    scale = instrument.score_scale
    labels = [radar_label(c) for c in categories]
    fig = go.Figure(_level_bands(categories, instrument))
    for i, (name, themes) in enumerate(series.items()):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        scores = themes.set_index("theme").reindex(categories)["score"]
        hover = [[_plain(c), instrument.score_text(v)] for c, v in zip(categories, scores)]
        if len(series) == 1:
            labels = [scored_label(label, scale.short(v), colour) for label, v in zip(labels, scores)]
        fig.add_trace(go.Scatterpolar(
            r=list(scores) + [scores.iloc[0]], theta=categories + [categories[0]], name=_plain(name),
            showlegend=len(series) > 1, mode="lines+markers", line=dict(color=colour, width=3),
            marker=dict(size=9), customdata=hover + hover[:1],
            hovertemplate=f"{RADAR_HOVER_NAME}: %{{customdata[1]}}<extra>%{{fullData.name}}</extra>"))
    _base_layout(fig, title, subtitle=_level_key(instrument))
    _polar_axes(fig, instrument, categories, labels)
    return _room_for_labels(fig, labels, THEME_LABEL_PX)


def statement_radar(series: dict[str, pd.DataFrame], instrument: Instrument, title: str) -> go.Figure:
    """Radar of the statements, labelled by number and coloured by theme on the outer ring."""
    statements = instrument.statements
    categories = [f"{s.id}" for s in statements]
    scale = instrument.score_scale
    ring = (scale.high - scale.low) * 0.036  # the outer theme ring, beyond the highest score
    fig = go.Figure(_level_bands(categories, instrument))
    theme_colour = {t: THEME_COLOURS[i % len(THEME_COLOURS)] for i, t in enumerate(instrument.themes)}
    for theme in instrument.themes:
        ids = [str(s.id) for s in statements if s.theme == theme]
        fig.add_trace(go.Barpolar(r=[ring] * len(ids), base=[scale.high - ring] * len(ids), theta=ids,
                                  width=[1] * len(ids), name=theme,
                                  marker=dict(color=theme_colour[theme], line_width=0), hoverinfo="name"))
    for i, (name, table) in enumerate(series.items()):
        scores = table.set_index("id").reindex([s.id for s in statements])["score"]
        hover = [[_plain(c), _wrap(s.text, 50)] for c, s in zip(categories, statements)]
        fig.add_trace(go.Scatterpolar(
            r=list(scores) + [scores.iloc[0]], theta=categories + [categories[0]], name=_plain(name),
            showlegend=len(series) > 1,
            mode="lines+markers", line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], width=2.5),
            marker=dict(size=7), connectgaps=True, customdata=hover + hover[:1],
            hovertemplate=f"{instrument.kind.item.capitalize()} {RADAR_HOVER_NAME}: %{{r:{scale.hover}}}<br>"
                          "%{customdata[1]}<extra>%{fullData.name}</extra>"))
    _base_layout(fig, title, height=600, subtitle=_level_key(instrument))
    labels = item_labels(categories)
    _polar_axes(fig, instrument, categories, labels, tick_size=MIN_TEXT)
    return _room_for_labels(fig, labels, MIN_TEXT)


# A heatmap's cells share HEATMAP_ROW_PX at the narrowest place one is drawn across (Teams at 1280 px with the
# sidebar open); a row of cells too narrow for its figures ("100" in 32 cells overlapped) wraps into more rows,
# split between themes. A figure's width is estimated from Arial's advance widths (the charts' fallback font,
# the wider of the two), in em; a digit is DIGIT_EM.
HEATMAP_ROW_PX = 600
CELL_PAD_PX = 4
DIGIT_EM = 0.556
GLYPH_EM = {",": 0.278, ".": 0.278}
GROUP_ROW_PX = 48   # the height of a group's row of cells
ROW_GAP_PX = 64     # between two rows of cells: room for the upper row's item numbers


@dataclass(frozen=True)
class _Cells:
    """The heatmap's content, groups x statements: what every cell shows and says, privacy already applied."""

    names: list[str]
    labels: list[str]
    ids: list
    z: np.ndarray
    text: np.ndarray
    hover: np.ndarray
    suppressed: pd.Series
    status: pd.Series


def _text_px(text: str, size: int = MIN_TEXT) -> float:
    return size * sum(GLYPH_EM.get(char, DIGIT_EM) for char in text)


def _cell_text(scale, score) -> str:
    # In the cells a share is a bare number (the colour key says %): "100%" does not fit a narrow cell.
    return scale.short(score).rstrip("%")


def cells_per_row(scale) -> int:
    """How many cells fit across HEATMAP_ROW_PX with the widest figure the scale shows ("100", "5,0")."""
    widest = max(_text_px(_cell_text(scale, tick)) for tick in scale.ticks)
    return int(HEATMAP_ROW_PX // (widest + CELL_PAD_PX))


def cell_rows(instrument: Instrument) -> list[list]:
    """The statements in rows of at most ``cells_per_row``, broken between themes, rows about equally long."""
    ids, per_row = instrument.statement_ids, cells_per_row(instrument.score_scale)
    if len(ids) <= per_row:
        return [list(ids)]
    target = len(ids) / -(-len(ids) // per_row)
    runs = [[s.id for s in run] for _, run in groupby(instrument.statements, key=lambda s: s.theme)]
    rows: list[list] = [[]]
    for piece in (run[k:k + per_row] for run in runs for k in range(0, len(run), per_row)):
        grown = len(rows[-1]) + len(piece)
        if rows[-1] and (grown > per_row or abs(grown - target) > abs(len(rows[-1]) - target)):
            rows.append([])
        rows[-1] += piece
    return rows


def _heatmap_cells(groups: pd.DataFrame, instrument: Instrument) -> _Cells:
    names = list(dict.fromkeys(groups["group"]))
    ids = instrument.statement_ids
    scale, item = instrument.score_scale, instrument.kind.item
    pivot = groups.pivot_table(index="group", columns="id", values="score", aggfunc="first", dropna=False)
    z = pivot.reindex(index=names, columns=ids).to_numpy(dtype=float)
    suppressed = groups.groupby("group", sort=False)["suppressed"].first().reindex(names)
    status = groups.groupby("group", sort=False)["status"].first().reindex(names)
    # A suppressed row says why once, across the row, instead of in every narrow cell.
    text = np.array([["" if suppressed[g] or np.isnan(v) else _cell_text(scale, v) for v in row]
                     for g, row in zip(names, z)], dtype=object).reshape(z.shape)
    hover = np.array([[f"{_plain(g)} · {item} {i}: " + (status[g] if suppressed[g] else
                                                      instrument.score_text(None if np.isnan(v) else v))
                       for i, v in zip(ids, row)] for g, row in zip(names, z)], dtype=object).reshape(z.shape)
    return _Cells(names, [_wrap(n, 24) for n in names], ids, z, text, hover, suppressed, status)


def _level_colours(scale) -> dict:
    """The colour scale in steps, one colour per band, and the key's ticks named as the scale names them."""
    colours, (low, high) = [], (scale.bands[0][0], scale.bands[-1][1])
    for (start, end, _), colour in zip(scale.bands, band_colours(len(scale.bands))):
        colours += [[(start - low) / (high - low), colour], [(end - low) / (high - low), colour]]
    key = dict(title=dict(text="Voldaan" if scale.percent else "Niveau", font=dict(size=FONT["size"])),
               tickvals=list(scale.ticks), ticktext=list(scale.tick_labels), tickfont=dict(size=FONT["size"]))
    return dict(colorscale=colours, low=low, high=high, key=key)


def _cells_range(n: int) -> list[float]:
    return [-0.5, n - 0.5]


# A hidden group's reason, once across its row. Placed by the row's and the middle cell's serial numbers: plotly
# reads a position on a category axis as a number first, so item "3.2" stood at the fourth cell, over the names.
HIDDEN_NOTE = dict(showarrow=False, font=dict(color="#444", size=MIN_TEXT), bgcolor="rgba(255,255,255,0.85)")


def _hidden_rows(cells: _Cells) -> list[int]:
    return [k for k, name in enumerate(cells.names) if cells.suppressed[name]]


CELL_LOOK = dict(texttemplate="%{text}", textfont=dict(size=MIN_TEXT), hoverinfo="text", xgap=2, ygap=2)


def group_heatmap(groups: pd.DataFrame, instrument: Instrument, title: str, vertical: bool = False) -> go.Figure:
    """Groups x statements coloured by level; ``groups`` has columns group, id, score, suppressed, status.

    Across, the statements wrap into rows (``cell_rows``) so every cell's figure fits; ``vertical`` puts the
    statements down the side instead, for narrow places such as a slide column.
    """
    cells = _heatmap_cells(groups, instrument)
    if vertical:
        return _vertical_heatmap(cells, instrument, title)
    return _wrapped_heatmap(cells, instrument, title)


def _wrapped_heatmap(cells: _Cells, instrument: Instrument, title: str) -> go.Figure:
    rows = cell_rows(instrument)
    plot_px = len(rows) * GROUP_ROW_PX * len(cells.names) + (len(rows) - 1) * ROW_GAP_PX
    fig = make_subplots(rows=len(rows), cols=1, vertical_spacing=ROW_GAP_PX / plot_px if len(rows) > 1 else 0)
    for number, part in enumerate(rows, 1):
        _add_cells(fig, cells, part, number)
    fig.update_xaxes(type="category")
    fig.update_xaxes(title_text=instrument.kind.item.capitalize(), row=len(rows), col=1)
    fig.update_yaxes(type="category", range=_cells_range(len(cells.names))[::-1])
    # The level key along the bottom edge of the figure (like a legend), so the cells get the whole width:
    # beside the cells it left them too narrow for "3,2" at 1280 px.
    colours = _level_colours(instrument.score_scale)
    key = dict(colours["key"], orientation="h", x=0.5, xanchor="center", yref="container", y=0, yanchor="bottom",
               len=1, lenmode="fraction", thickness=12, title=dict(colours["key"]["title"], side="right"))
    fig.update_layout(coloraxis=dict(colorscale=colours["colorscale"], cmin=colours["low"], cmax=colours["high"],
                                     colorbar=key), plot_bgcolor="#f4f4f4")
    _base_layout(fig, title, height=230 + plot_px)
    fig.update_layout(margin=dict(b=125))
    return fig


def _add_cells(fig: go.Figure, cells: _Cells, part: list, number: int) -> None:
    """One row of cells (the statements in PART) as subplot NUMBER, a hidden group's reason across it."""
    columns = [cells.ids.index(i) for i in part]
    fig.add_trace(go.Heatmap(z=cells.z[:, columns], x=[str(i) for i in part], y=cells.labels,
                             text=cells.text[:, columns].tolist(), hovertext=cells.hover[:, columns].tolist(),
                             coloraxis="coloraxis", **CELL_LOOK), row=number, col=1)
    for row in _hidden_rows(cells):
        fig.add_annotation(x=(len(part) - 1) / 2, y=row, text=cells.status.iloc[row], row=number, col=1,
                           **HIDDEN_NOTE)
    # A fixed range: a note across a hidden row widened an automatic one, leaving a gap before the first cell.
    fig.update_xaxes(range=_cells_range(len(part)), row=number, col=1)


def _vertical_heatmap(cells: _Cells, instrument: Instrument, title: str) -> go.Figure:
    """Statements down the side, groups across; the level key underneath, so the groups keep the width and
    their names stay level."""
    colours, statement_labels = _level_colours(instrument.score_scale), [str(i) for i in cells.ids]
    key = dict(colours["key"], orientation="h", x=0.5, xanchor="center", y=-0.03, yanchor="top", thickness=12,
               title=dict(colours["key"]["title"], side="top"))
    fig = go.Figure(go.Heatmap(z=cells.z.T, x=cells.labels, y=statement_labels, text=cells.text.T.tolist(),
                               hovertext=cells.hover.T.tolist(), colorscale=colours["colorscale"],
                               zmin=colours["low"], zmax=colours["high"], colorbar=key, **CELL_LOOK))
    fig.update_layout(xaxis=dict(type="category", side="top", tickangle=0, range=_cells_range(len(cells.names))),
                      yaxis=dict(title=instrument.kind.item.capitalize(), type="category",
                                 range=_cells_range(len(cells.ids))[::-1]), plot_bgcolor="#f4f4f4")
    for column in _hidden_rows(cells):
        fig.add_annotation(x=column, y=(len(cells.ids) - 1) / 2, textangle=-90, text=cells.status.iloc[column],
                           **HIDDEN_NOTE)
    _base_layout(fig, title, height=230 + 22 * len(cells.ids))
    fig.update_layout(margin=dict(t=110, b=90))
    return fig


def _diverging_positions(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and width per level (columns) so the answers balance on zero.

    ``shares`` is statements x levels in percent. With an odd number of levels the middle one is
    centred on zero; with an even number (a checklist's Nee/Ja) the lower half stacks leftwards from
    zero and the upper half rightwards.
    """
    n_levels = shares.shape[1]
    middle = n_levels // 2
    starts = np.zeros_like(shares)
    centred = n_levels % 2 == 1
    edge = -shares[:, middle] / 2 if centred else np.zeros(shares.shape[0])
    if centred:
        starts[:, middle] = edge
    for level in range(middle - 1, -1, -1):
        edge = edge - shares[:, level]
        starts[:, level] = edge
    edge = shares[:, middle] / 2 if centred else np.zeros(shares.shape[0])
    for level in range(middle + 1 if centred else middle, n_levels):
        starts[:, level] = edge
        edge = edge + shares[:, level]
    return starts, shares


def _balance_title(labels: tuple[str, ...]) -> str:
    middle = len(labels) // 2
    if len(labels) % 2:
        return f"← lager dan {labels[middle]} · hoger →"
    return f"← {labels[middle - 1]} · {labels[middle]} →"


def diverging_bars(distribution: pd.DataFrame, order: list[int], instrument: Instrument,
                   title: str) -> go.Figure:
    """Stacked bars per statement centred on the middle level; unknown answers in a side panel.

    ``distribution`` is ``scoring.distribution``: id, code, answer, count.
    """
    counts = distribution.pivot_table(index="id", columns="code", values="count", aggfunc="sum").reindex(order)
    levels = list(range(1, instrument.max_level + 1))
    known = counts[levels].to_numpy(dtype=float)
    totals = known.sum(axis=1, keepdims=True)
    shares = np.divide(known * 100, totals, out=np.zeros_like(known), where=totals > 0)
    starts, widths = _diverging_positions(shares)
    labels = [str(i) for i in order]
    item = instrument.kind.item.capitalize()
    colours = band_colours(len(levels))
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.8, 0.2], horizontal_spacing=0.03,
                        subplot_titles=("Verdeling (% met oordeel)", instrument.unknown_label.replace("/", "/<br>")))
    fig.update_annotations(font_size=MIN_TEXT)
    for i, label in enumerate(instrument.level_labels):
        fig.add_trace(go.Bar(
            y=labels, x=widths[:, i], base=starts[:, i], orientation="h", name=label,
            marker_color=colours[i], customdata=np.stack([shares[:, i], known[:, i]], axis=1),
            hovertemplate=f"{item} %{{y}} · {label}: %{{customdata[0]:.0f}}% (n=%{{customdata[1]:.0f}})"
                          "<extra></extra>"), row=1, col=1)
    unknown = counts[0].to_numpy(dtype=float)
    answered = totals[:, 0] + unknown
    unknown_share = np.divide(unknown * 100, answered, out=np.zeros_like(unknown), where=answered > 0)
    fig.add_trace(go.Bar(y=labels, x=unknown_share, orientation="h", name=instrument.unknown_label,
                         marker_color=UNKNOWN_COLOUR, customdata=unknown,
                         hovertemplate=f"{item} %{{y}}: %{{x:.0f}}% (n=%{{customdata}})<extra></extra>"), row=1,
                  col=2)
    fig.add_trace(go.Scatter(y=labels, x=[100] * len(labels), mode="text", text=[f"n={int(n)}" for n in answered],
                             textposition="middle right", showlegend=False, hoverinfo="skip",
                             textfont=dict(size=MIN_TEXT)), row=1, col=1)
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_xaxes(range=[-100, 118], tickvals=[-100, -50, 0, 50, 100], ticktext=["100%", "50%", "0", "50%", "100%"],
                     title_text=_balance_title(instrument.level_labels), row=1, col=1,
                     zeroline=True, zerolinecolor="#444")
    fig.update_xaxes(range=[0, 100], tickvals=[0, 100], ticktext=["0", "100%"], tickangle=0, row=1, col=2)
    # Both panels on a category axis: item ids such as "1.10" would otherwise be read as numbers (1.1).
    fig.update_yaxes(type="category", row=1, col=2)
    fig.update_yaxes(autorange="reversed", title_text=item, type="category", row=1, col=1)
    _base_layout(fig, title, height=200 + 26 * len(order))
    # Anchored to the figure, not the plot, so the legend never runs into the axis title.
    fig.update_layout(legend=dict(yref="container", y=0, yanchor="bottom"), margin=dict(b=100))
    return fig


def change_dumbbell(progress: pd.DataFrame, order: list[int], instrument: Instrument, title: str) -> go.Figure:
    """Per statement a dot per round joined by a line; ``order`` sorts the statements (by change).

    ``progress`` is ``progress.statement_progress``: round, id, theme, score; rounds in measuring order.
    """
    scale, item = instrument.score_scale, instrument.kind.item
    labels = [f"{item[:2].capitalize()}. {i}" for i in order]
    pivot = progress.pivot_table(index="id", columns="round", values="score", aggfunc="first", dropna=False)
    rounds = list(dict.fromkeys(progress["round"]))
    pivot = pivot.reindex(index=order, columns=rounds)
    low, high = pivot.min(axis=1).to_numpy(), pivot.max(axis=1).to_numpy()
    xs, ys = [], []
    for label, a, b in zip(labels, low, high):
        xs += [a, b, None]
        ys += [label, label, None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=4), hoverinfo="skip",
                               showlegend=False))
    texts = [_wrap(instrument.statement(i).text, 60) for i in order]
    for i, name in enumerate(rounds):
        fig.add_trace(go.Scatter(
            x=pivot[name].to_numpy(), y=labels, mode="markers", name=_plain(name), customdata=texts,
            marker=dict(size=12, color=SERIES_COLOURS[i % len(SERIES_COLOURS)], line=dict(color="white", width=1)),
            hovertemplate=f"%{{y}}: %{{x:{scale.hover}}}<br>%{{customdata}}<extra>%{{fullData.name}}</extra>"))
    fig.update_xaxes(**_score_axis(scale, numbered=True), title_text="Score", gridcolor="#dddddd")
    fig.update_yaxes(autorange="reversed", type="category", title_text=item.capitalize())
    _base_layout(fig, title, height=190 + 26 * len(order))
    # Above the plot, so the rounds are named where a long chart starts; in the plot's coordinates (in the
    # figure's, inherited from the base layout, it stood above the figure's top edge, where no one saw it).
    fig.update_layout(plot_bgcolor="white", legend=dict(yref="paper", y=1.0, yanchor="bottom", x=0, xanchor="left"),
                      margin=dict(t=100))
    return fig


def _score_axis(scale, numbered: bool = False) -> dict:
    """A score axis with the scale's ticks: levels by name (numbered on request) or shares in percent."""
    labels = list(scale.tick_labels)
    if numbered and not scale.percent:
        labels = [f"{n}<br>{label}" for n, label in enumerate(labels, start=1)]
    margin = (scale.ticks[-1] - scale.ticks[0]) * 0.05
    return dict(range=[scale.ticks[0] - margin, scale.ticks[-1] + margin], tickvals=list(scale.ticks), ticktext=labels)


def _band_colour(score, scale) -> str:
    """The colour of the band a score falls in; no score is grey."""
    if pd.isna(score):
        return UNKNOWN_COLOUR
    colours = band_colours(len(scale.bands))
    index = next((i for i, (_, high, _) in enumerate(scale.bands) if score < high), len(scale.bands) - 1)
    return colours[index]


TREND_AXIS_PX = 72  # under a trend chart's plot: the rounds' names and the axis title


def group_trend_lines(trends: pd.DataFrame, instrument: Instrument, title: str) -> go.Figure:
    """One line per group across the rounds; a suppressed round is a gap with a hover that says why.

    ``trends`` is ``progress.group_trends`` filtered to one theme (or the total).
    """
    rounds = list(dict.fromkeys(trends["round"]))
    fig = go.Figure()
    for i, (group, rows) in enumerate(trends.groupby("group", sort=True)):
        rows = rows.set_index("round").reindex(rounds)
        hover = [f"{_plain(r)}: " + (t if s is True else
                             "niet in deze ronde" if pd.isna(n) else f"{v:.2f} (n={n})")
                 for r, v, n, s, t in zip(rounds, rows["score"], rows["size"], rows["suppressed"], rows["status"])]
        name = _plain(group) + (" (niet getoond)" if rows["score"].isna().all() else "")
        fig.add_trace(go.Scatter(
            x=[_plain(r) for r in rounds], y=rows["score"].to_numpy(dtype=float), mode="lines+markers", name=name,
            line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], width=3), marker=dict(size=10),
            hovertext=hover, hoverinfo="text+name", connectgaps=False))
    fig.update_yaxes(**_score_axis(instrument.score_scale), title_text="Score", gridcolor="#dddddd")
    fig.update_xaxes(type="category", title_text="Meetronde")
    _base_layout(fig, title, height=480)
    # The groups under the plot, below the rounds' names: above it they stood above the figure's top edge, unseen.
    fig.update_layout(plot_bgcolor="white", margin=dict(b=TREND_AXIS_PX))
    return _legend_below(fig, LEGEND_GAP_PX["axis"])


def target_bars(gaps: pd.DataFrame, instrument: Instrument, title: str) -> go.Figure:
    """Theme scores as bars with the target as a marker; ``gaps`` is ``progress.target_gaps``."""
    scale = instrument.score_scale
    colours = [_band_colour(s, scale) for s in gaps["score"]]
    fig = go.Figure(go.Bar(x=gaps["score"], y=gaps["theme"], orientation="h", marker_color=colours, name="Score",
                           text=[scale.short(s) for s in gaps["score"]], textposition="inside",
                           hovertemplate=f"%{{y}}: %{{x:{scale.hover}}}<extra>Score</extra>"))
    targets = gaps.dropna(subset=["target"])
    fig.add_trace(go.Scatter(x=targets["target"], y=targets["theme"], mode="markers", name="Doel",
                             marker=dict(symbol="line-ns", size=34, line=dict(width=4, color="#000000")),
                             hovertemplate=f"%{{y}}: doel %{{x:{scale.hover}}}<extra></extra>"))
    fig.update_xaxes(**_score_axis(scale), title_text="Score")
    fig.update_xaxes(range=[0, scale.high])
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(plot_bgcolor="white")
    return _base_layout(fig, title, height=140 + 60 * len(gaps))


# "Met oordeel": a level on the scale, Ja or Nee on a checklist — the answers that count in a score.
COMPLETENESS_PARTS = [("n_known", "Met oordeel", "#2166ac"), ("n_unknown", "Onbekend/n.v.t.", UNKNOWN_COLOUR),
                      ("n_missing", "Niet ingevuld", "#d9d9d9")]


def completeness_bars(table: pd.DataFrame, title: str, item: str = "stelling") -> go.Figure:
    """Stacked bars per statement (ITEM names it): answered with a judgement, Onbekend, empty;
    ``overview.completeness``. The legend sits along the bottom, as on every chart (``_base_layout``)."""
    labels = [str(i) for i in table["id"]]
    total = (table["n_known"] + table["n_unknown"] + table["n_missing"]).to_numpy()
    fig = go.Figure()
    for column, name, colour in COMPLETENESS_PARTS:
        counts = table[column].to_numpy()
        share = np.divide(counts * 100, total, out=np.zeros(len(counts)), where=total > 0)
        fig.add_trace(go.Bar(x=labels, y=counts, name=name, marker_color=colour, customdata=share,
                             hovertemplate=f"{item.capitalize()} %{{x}} · {name}: %{{y}} (%{{customdata:.0f}}%)"
                                           "<extra></extra>"))
    fig.update_layout(barmode="stack", plot_bgcolor="white")
    fig.update_xaxes(type="category", title_text=item.capitalize())
    fig.update_yaxes(title_text="Respondenten", gridcolor="#e5e5e5")
    return _base_layout(fig, title, height=380)


def figure_for(spec, instrument: Instrument) -> go.Figure:
    """The plotly figure for a report chart specification (``report.ChartSpec``)."""
    builders = {
        "theme_radar": lambda: theme_radar(spec.series, instrument, spec.title),
        "statement_radar": lambda: statement_radar(spec.series, instrument, spec.title),
        "distribution": lambda: diverging_bars(spec.data, list(spec.order), instrument, spec.title),
        "group_heatmap": lambda: group_heatmap(spec.data, instrument, spec.title, vertical=spec.vertical),
    }
    return builders[spec.kind]()
