"""One report model for the presentation page and every export (HTML, PDF, PowerPoint).

The report is a list of slides; each slide holds plain texts and chart specifications (tidy
data plus the kind of chart), never a rendered figure, so each renderer draws the chart in its
own medium: plotly on the page and in HTML/PDF, a native chart in PowerPoint. Groups below the
minimum size arrive here already suppressed by the scoring rules and stay suppressed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.download_names import download_name, download_stem
from analysis.overview import group_scores, next_steps, overall_score
from analysis.progress import largest_changes, statement_change
from analysis.scoring import (
    Summary,
    distribution,
    level_of,
    lowest_statements,
    strongest_statements,
)
from analysis.summary import format_score

# Discussion prompts are content, not code: phrased for the group in the room.
DISAGREEMENT_QUESTION = ("Stelling {id} ({theme}): {low_share} ziet dit als {low}, {high_share} als {high}. "
                         "Wat maakt dat collega's dit zo verschillend zien?")
UNKNOWN_QUESTION = ("Stelling {id} ({theme}): {share} antwoordde '{unknown}'. Wie weet hoe het hiermee staat, "
                    "en hoe maken we het zichtbaar voor iedereen?")
NO_QUESTIONS = "Er zijn geen stellingen met veel verschil van mening of veel 'onbekend'. Waar zijn we het over eens?"
MIN_ANSWERS_FOR_SPREAD = 3
MIN_SPREAD = 0.9  # standard deviation in levels: answers at least about one level apart on average
MIN_UNKNOWN_SHARE = 0.15
MAX_QUESTIONS = 3
STEPS_PER_SLIDE = 3
NOW_LABEL = "Nu"
NO_CLEAR_CHANGE = "Geen duidelijke verandering: bij geen stelling is het verschil groter dan toeval."


@dataclass(frozen=True)
class ChartSpec:
    """What to draw. ``kind`` names a builder; ``series`` maps a legend name to its table."""

    kind: str  # theme_radar | statement_radar | distribution | group_heatmap
    title: str
    series: dict[str, pd.DataFrame] = field(default_factory=dict)
    data: pd.DataFrame | None = None
    order: tuple[int, ...] = ()
    vertical: bool = False  # statements down the side: for a chart that shares a slide


@dataclass(frozen=True)
class Point:
    """One point on a slide, with the lines that belong beneath it (a next step and its reading)."""

    text: str
    details: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return [self.text, *self.details]


@dataclass
class Slide:
    key: str
    title: str
    subtitle: str = ""
    points: list[Point] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    notes: str = ""
    handout_only: bool = False  # in the HTML and PDF hand-outs, not on the screen or in the deck

    def __post_init__(self) -> None:
        # Most points are one line: builders may pass plain text, renderers always get a Point.
        self.points = [p if isinstance(p, Point) else Point(p) for p in self.points]


@dataclass
class Report:
    title: str
    source: str
    date: str
    summary: Summary
    filters: str
    slides: list[Slide]

    @property
    def instrument(self):
        return self.summary.instrument

    @property
    def file_stem(self) -> str:
        """What the files of this report are called: organisation/round or upload, and date."""
        return download_stem(self.source, self.date)

    def file_name(self, extension: str, kind: str = "") -> str:
        return download_name(self.source, self.date, extension, kind)

    @property
    def presented(self) -> list[Slide]:
        """The slides shown in a meeting and in the PowerPoint deck."""
        return [slide for slide in self.slides if not slide.handout_only]


def _statement_line(summary: Summary, statement_id: int) -> str:
    row = summary.statements.set_index("id").loc[statement_id]
    text = summary.instrument.statement(statement_id).text
    return f"Stelling {statement_id} · {format_score(row['score'])} ({row['level'] or 'geen oordeel'}): {text}"


def _title_slide(summary: Summary, source: str, date: str, filters: str) -> Slide:
    total = overall_score(summary.themes)
    level = level_of(total, summary.instrument) or "geen oordeel"
    points = [f"{summary.respondents} respondenten", f"Totaalniveau: {level} (gemiddelde themascore "
              f"{format_score(total)})"]
    if filters:
        points.append(f"Selectie: {filters}")
    points.append(f"Drempel zwakke stelling {format_score(summary.threshold)}; minimale groepsgrootte "
                  f"{summary.min_group_size}")
    if summary.min_group_size_note:
        points.append(summary.min_group_size_note)
    return Slide("titel", summary.instrument.title, f"{source} · {date}", points,
                 notes="Welkom. Dit is de zelfevaluatie van de organisatie: wat de respondenten zelf aangaven.")


def _overview_slide(summary: Summary) -> Slide:
    total = overall_score(summary.themes)
    charts = [ChartSpec("theme_radar", "Niveau per thema", {"Organisatie": summary.themes}),
              ChartSpec("statement_radar", "Niveau per stelling", {"Organisatie": summary.statements})]
    return Slide("overzicht", "Waar staan we?",
                 f"{summary.respondents} respondenten · totaalniveau "
                 f"{level_of(total, summary.instrument) or 'geen oordeel'}", charts=charts)


def _extremes_slide(summary: Summary) -> Slide:
    strongest = strongest_statements(summary.statements, 3)
    weakest = lowest_statements(summary.statements, 3)
    points = ([f"Sterk: {_statement_line(summary, i)}" for i in strongest]
              + [f"Zwak: {_statement_line(summary, i)}" for i in weakest])
    return Slide("sterk-zwak", "Sterkste en zwakste stellingen", "Score en niveau per stelling", points)


def _theme_slide(summary: Summary, theme: str, answers: pd.DataFrame) -> Slide:
    rows = summary.statements[summary.statements["theme"] == theme]
    ids = [int(i) for i in rows["id"]]
    score = summary.themes.set_index("theme").loc[theme]
    points = []
    strongest, weakest = strongest_statements(rows, 1), lowest_statements(rows, 1)
    if strongest:
        points.append("Sterkst: " + _statement_line(summary, strongest[0]))
    if weakest and weakest != strongest:
        points.append("Zwakst: " + _statement_line(summary, weakest[0]))
    chart = ChartSpec("distribution", f"Antwoorden bij {theme}", data=answers[answers["id"].isin(ids)],
                      order=tuple(ids))
    return Slide(f"thema-{theme.lower()}", f"Thema: {theme}",
                 f"Themascore {format_score(score['score'])} · {score['level'] or 'geen oordeel'} · "
                 f"stellingen {ids[0]}-{ids[-1]}", points, [chart])


def _teams_slides(summary: Summary) -> list[Slide]:
    """Two slides: themes per group as a radar, then the statements per group as a heatmap, each with the room
    to be read from the back (side by side the heatmap's 24 rows did not fit a projector)."""
    if not summary.groups:
        return []
    hidden = [g for g in summary.groups if g.suppressed]
    shown = {g.name: g.themes for g in summary.groups if not g.suppressed}
    subtitle = ", ".join(f"{g.name} ({g.shown_respondents or g.respondents})"
                         for g in summary.groups if not g.suppressed)
    if hidden:
        subtitle += " · niet getoond: " + ", ".join(
            f"{g.name} ({g.status_text(summary.min_group_size)})" for g in hidden)
    if summary.min_group_size_note:
        subtitle += " · " + summary.min_group_size_note
    radar = ChartSpec("theme_radar", "Thema's per groep", {"Hele organisatie": summary.themes, **shown})
    heatmap = ChartSpec("group_heatmap", "Score per groep en stelling", data=group_scores(summary))
    return [Slide("teams", f"Groepen vergelijken: {summary.group_column}", subtitle, charts=[radar]),
            Slide("teams-stellingen", f"Groepen per stelling: {summary.group_column}", subtitle, charts=[heatmap])]


def spread_table(summary: Summary) -> pd.DataFrame:
    """Per statement the spread (standard deviation) of the known answers and the share Onbekend."""
    levels = np.arange(1, summary.instrument.max_level + 1)
    counts = summary.statements[[f"n_{level}" for level in levels]].to_numpy(dtype=float)
    known = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (counts * levels).sum(axis=1) / known
        spread = np.sqrt((counts * (levels - mean[:, None]) ** 2).sum(axis=1) / known)
        answered = known + summary.statements["n_unknown"].to_numpy()
        unknown_share = summary.statements["n_unknown"].to_numpy() / answered
    middle = len(levels) // 2  # levels below the middle one count as low, above it as high
    with np.errstate(invalid="ignore", divide="ignore"):
        low_share = counts[:, :middle].sum(axis=1) / known
        high_share = counts[:, middle + 1:].sum(axis=1) / known
    return pd.DataFrame({"id": summary.statements["id"], "theme": summary.statements["theme"], "n_known": known,
                         "spread": spread, "low_share": low_share, "high_share": high_share,
                         "unknown_share": unknown_share})


def discussion_questions(summary: Summary) -> list[str]:
    """Where respondents disagree most, then where many answered Onbekend: as questions for the group."""
    table = spread_table(summary)
    labels = summary.instrument.level_labels
    middle = len(labels) // 2
    low_text, high_text = " of ".join(labels[:middle]), " of ".join(labels[middle + 1:])
    disagree = table[(table["n_known"] >= MIN_ANSWERS_FOR_SPREAD) & (table["spread"] >= MIN_SPREAD)]
    disagree = disagree.sort_values(["spread", "id"], ascending=[False, True]).head(MAX_QUESTIONS)
    unknown = table[table["unknown_share"] >= MIN_UNKNOWN_SHARE]
    unknown = unknown.sort_values(["unknown_share", "id"], ascending=[False, True]).head(MAX_QUESTIONS)
    questions = [DISAGREEMENT_QUESTION.format(id=r.id, theme=r.theme, low_share=f"{r.low_share:.0%}", low=low_text,
                                              high_share=f"{r.high_share:.0%}", high=high_text)
                 for r in disagree.itertuples()]
    questions += [UNKNOWN_QUESTION.format(id=r.id, theme=r.theme, share=f"{r.unknown_share:.0%}",
                                          unknown=summary.instrument.unknown_label) for r in unknown.itertuples()]
    return questions


def _questions_slide(summary: Summary) -> Slide:
    questions = discussion_questions(summary) or [NO_QUESTIONS]
    return Slide("gespreksvragen", "Gespreksvragen", "Waar verschillen we van mening, en wat weten we niet?",
                 questions, notes="Laat de groep eerst zelf reageren voordat u de uitleg bij de stelling geeft.")


def _step_point(item: dict) -> Point:
    """The statement, with its next step and its reading beneath it."""
    details = []
    if item["next_description"]:
        details.append(f"Volgende stap ({item['next_level']}): {item['next_description']}")
    for reading in item["reading"]:
        details.append("Meer lezen: " + reading.title + (f" ({reading.publisher})" if reading.publisher else ""))
    return Point(f"Stelling {item['id']} · {item['theme']} · nu {item['level']} ({format_score(item['score'])}): "
                 f"{item['text']}", tuple(details))


def _next_step_slides(summary: Summary) -> list[Slide]:
    items, weak = next_steps(summary)
    subtitle = (f"Stellingen onder {format_score(summary.threshold)}, laagste eerst" if weak
                else "Geen stelling onder de drempel: de drie laagste als aandachtspunten")
    chunks = [items[i:i + STEPS_PER_SLIDE] for i in range(0, len(items), STEPS_PER_SLIDE)] or [[]]
    slides = []
    for number, chunk in enumerate(chunks, start=1):
        title = "Aan de slag" + (f" ({number}/{len(chunks)})" if len(chunks) > 1 else "")
        points = [_step_point(item) for item in chunk]
        slides.append(Slide(f"aan-de-slag-{number}", title, subtitle, points))
    return slides


def _all_statements_slide(summary: Summary) -> Slide:
    points = []
    for row in summary.statements.itertuples():
        points.append(f"{row.id}. {row.text} — {row.theme}, score {format_score(row.score)} "
                      f"({row.level or 'geen oordeel'}; {row.n_known} met oordeel, {row.n_unknown} onbekend, "
                      f"{row.n_missing} niet ingevuld)")
    return Slide("alle-stellingen", "Alle stellingen", "Score en niveau per stelling", points, handout_only=True)


def _change_line(row, sign_word: str) -> str:
    change = f"{row.change:+.2f}".replace(".", ",")
    return (f"{sign_word}: Stelling {row.id} ({row.theme}) · {format_score(row.score_first)} → "
            f"{format_score(row.score_last)} ({change})")


def _progress_slide(summary: Summary, previous_label: str, previous: Summary) -> Slide:
    """For a return day: the themes then and now, and the statements that moved most."""
    improvements, declines = largest_changes(statement_change(previous, summary))
    points = ([_change_line(r, "Vooruit") for r in improvements.itertuples()]
              + [_change_line(r, "Achteruit") for r in declines.itertuples()])
    chart = ChartSpec("theme_radar", "Niveau per thema, toen en nu",
                      {previous_label: previous.themes, NOW_LABEL: summary.themes})
    # The statements in full go to the speaker notes: on the slide they would crowd out the chart.
    notes = " ".join(f"Stelling {r.id}: {r.text}" for r in pd.concat([improvements, declines]).itertuples())
    return Slide("voortgang", f"Voortgang sinds {previous_label}",
                 f"{previous.respondents} → {summary.respondents} respondenten",
                 points or [NO_CLEAR_CHANGE], [chart], notes=notes)


def build_report(summary: Summary, source: str, date: str | None = None, filters: str = "",
                 previous: tuple[str, Summary] | None = None) -> Report:
    """The slides in meeting order: title, overview, progress since an earlier round (if given), extremes,
    one per theme, groups, questions, next steps."""
    date = date or dt.date.today().strftime("%d-%m-%Y")
    answers = distribution(summary.statements, summary.instrument)
    slides = [_title_slide(summary, source, date, filters), _overview_slide(summary)]
    if previous is not None:
        slides.append(_progress_slide(summary, *previous))
    slides.append(_extremes_slide(summary))
    slides += [_theme_slide(summary, theme, answers) for theme in summary.instrument.themes]
    slides += _teams_slides(summary)
    slides.append(_questions_slide(summary))
    slides += _next_step_slides(summary)
    slides.append(_all_statements_slide(summary))
    return Report(title=summary.instrument.title, source=source, date=date, summary=summary, filters=filters,
                  slides=slides)
