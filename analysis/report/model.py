"""One report model for the presentation page and every export (HTML, PDF, PowerPoint).

The report is a list of slides; each slide holds plain texts and chart specifications (tidy
data plus the kind of chart), never a rendered figure, so each renderer draws the chart in its
own medium: plotly on the page and in HTML/PDF, a native chart in PowerPoint. Groups below the
minimum size arrive here already suppressed by the scoring rules and stay suppressed.

Both kinds of instrument (a level scale, a checklist) go through the same builders: words, score
texts and the rule for a split room come from the instrument's kind (``analysis.kinds``). Reading follows
where the instrument keeps it: under its own statement on a scale, once per block on a checklist, whose items
share their section's and block's reading (as on the page Aan de slag, ``analysis.report.next_steps``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis.dutch import DateError, format_date, parse_date
from analysis.meeting.plan import Plan, item_score, plan_rows, updated_text
from analysis.report.download_names import download_name, download_stem, instrument_prefix, slug
from analysis.report.next_steps import ReadingGroup, action_list, items_text
from analysis.scoring.overview import group_scores, overall_score, phase_reached
from analysis.scoring.progress import follow_up_lines, largest_changes, plan_follow_up, statement_change
from analysis.scoring.scores import (
    Summary,
    distribution,
    lowest_statements,
    strongest_statements,
)

# Discussion prompts are content, not code: phrased for the group in the room.
# {Item} is the kind's word for a question, capitalised ("Stelling", "Item").
DISAGREEMENT_QUESTION = ("{Item} {id} ({theme}): {low_share} ziet dit als {low}, {high_share} als {high}. "
                         "Wat maakt dat collega's dit zo verschillend zien?")
UNKNOWN_QUESTION = ("{Item} {id} ({theme}): {share} antwoordde '{unknown}'. Wie weet hoe het hiermee staat, "
                    "en hoe maken we het zichtbaar voor iedereen?")
NO_QUESTIONS = "Er zijn geen {items} met veel verschil van mening of veel 'onbekend'. Waar zijn we het over eens?"
# The spread rule (how far apart answers must be, over how many) is the kind's: see Kind.min_spread.
MIN_SPREAD = 0.9  # the scale's rule, kept for callers that name it
MIN_UNKNOWN_SHARE = 0.15
MAX_QUESTIONS = 3
STEPS_PER_SLIDE = 3
# A next step on a slide stays readable from the back of the room: a few tips, shortened, and a few titles.
MAX_TIPS = 2
MAX_READING = 3  # titles under a statement, or per block on a checklist's reading slide
READING_BLOCKS_PER_SLIDE = 3
# What a slide of points holds at the size the room reads (ui/presentation_mode.css: 20 px type on the 1280x720
# canvas, about 110 characters a row): a slide of next steps is split before long statements, level descriptions
# and titles would run off it.
SLIDE_ROWS = 18
ROW_CHARS = 110
TIP_LENGTH = 110
TITLE_LENGTH = 160  # a real title fits; an importer's description standing in for one is cut
NOW_LABEL = "Nu"
NO_CLEAR_CHANGE = "Geen duidelijke verandering: bij geen {item} is het verschil groter dan toeval."


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
    plan: Plan | None = None  # the round's verbeterplan: the Afspraken slide, and a sheet in the workbook
    plan_title: str = ""

    @property
    def instrument(self):
        return self.summary.instrument

    @property
    def file_stem(self) -> str:
        """What the files of this report are called: instrument, organisation/round or upload, and date."""
        return download_stem(self.source, self.date, self.file_prefix)

    @property
    def file_prefix(self) -> str:
        return instrument_prefix(self.instrument.id)

    def file_name(self, extension: str, kind: str = "") -> str:
        return download_name(self.source, self.date, extension, kind, self.file_prefix)

    @property
    def presented(self) -> list[Slide]:
        """The slides shown in a meeting and in the PowerPoint deck."""
        return [slide for slide in self.slides if not slide.handout_only]


def _item_word(summary: Summary) -> str:
    return summary.instrument.kind.item.capitalize()


def _statement_line(summary: Summary, statement_id) -> str:
    """'Stelling 5 · 2,80 · Goed op weg: <text>' or 'Item 1.3 · 62% voldaan: <text>'."""
    instrument = summary.instrument
    score = summary.statements.set_index("id").loc[statement_id, "score"]
    return (f"{_item_word(summary)} {statement_id} · {instrument.score_text(score)}: "
            f"{instrument.statement(statement_id).text}")


def _total_line(summary: Summary) -> str:
    kind = summary.instrument.kind
    return (f"Totaal: {summary.instrument.score_text(overall_score(summary.themes))} "
            f"(gemiddelde van de {kind.groups})")


def _spoken_date(date: str) -> str:
    """'23 november 2026' for the report date as it is kept ('23-11-2026', ISO); anything else as it was."""
    try:
        return format_date(parse_date(date))
    except DateError:
        return str(date)


def _title_slide(summary: Summary, source: str, date: str, filters: str) -> Slide:
    kind = summary.instrument.kind
    points = [f"{summary.respondents} respondenten", _total_line(summary)]
    # Blocks passed in phases (a checklist's Proces) say which phase the team is in.
    points += [f"{block}: {where}" for block, where in phase_reached(summary)]
    if filters:
        points.append(f"Selectie: {filters}")
    points.append(f"Drempel {kind.weak} {kind.threshold_text(summary.threshold)}; minimale groepsgrootte "
                  f"{summary.min_group_size}")
    if summary.min_group_size_note:
        points.append(summary.min_group_size_note)
    return Slide("titel", summary.instrument.title, f"{source} · {_spoken_date(date)}", points,
                 notes="Welkom. Dit is de zelfevaluatie van de organisatie: wat de respondenten zelf aangaven.")


def _overview_slide(summary: Summary) -> Slide:
    kind = summary.instrument.kind
    total = overall_score(summary.themes)
    charts = [ChartSpec("theme_radar", f"{kind.score_name} per {kind.group}", {"Organisatie": summary.themes}),
              ChartSpec("statement_radar", f"{kind.score_name} per {kind.item}", {"Organisatie": summary.statements})]
    return Slide("overzicht", "Waar staan we?",
                 f"{summary.respondents} respondenten · totaal {summary.instrument.score_text(total)}", charts=charts)


def _extremes_slide(summary: Summary) -> Slide:
    kind = summary.instrument.kind
    strongest = strongest_statements(summary.statements, 3)
    weakest = lowest_statements(summary.statements, 3)
    points = ([f"Sterk: {_statement_line(summary, i)}" for i in strongest]
              + [f"Zwak: {_statement_line(summary, i)}" for i in weakest])
    return Slide("sterk-zwak", f"Sterkste en zwakste {kind.items}",
                 f"{kind.score_words.capitalize()} per {kind.item}", points)


def _theme_slide(summary: Summary, theme: str, answers: pd.DataFrame) -> Slide:
    instrument = summary.instrument
    kind = instrument.kind
    rows = summary.statements[summary.statements["theme"] == theme]
    ids = list(rows["id"])
    score = summary.themes.set_index("theme").loc[theme, "score"]
    points = []
    strongest, weakest = strongest_statements(rows, 1), lowest_statements(rows, 1)
    if strongest:
        points.append("Sterkst: " + _statement_line(summary, strongest[0]))
    if weakest and weakest != strongest:
        points.append("Zwakst: " + _statement_line(summary, weakest[0]))
    phase = dict(phase_reached(summary)).get(theme)
    chart = ChartSpec("distribution", f"Antwoorden bij {theme}", data=answers[answers["id"].isin(ids)],
                      order=tuple(ids))
    return Slide(f"thema-{slug(theme)}", f"{kind.group.capitalize()}: {theme}",
                 f"{kind.group.capitalize()}score {instrument.score_text(score)} · {kind.items} {ids[0]}-{ids[-1]}"
                 + (f" · {phase}" if phase else ""), points, [chart])


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
        subtitle += " · niet getoond: " + "; ".join(
            f"{g.name} — {g.status_text(summary.min_group_size)}" for g in hidden)
    if summary.min_group_size_note:
        subtitle += " · " + summary.min_group_size_note
    kind = summary.instrument.kind
    radar = ChartSpec("theme_radar", f"{kind.groups.capitalize()} per groep",
                      {"Hele organisatie": summary.themes, **shown})
    heatmap = ChartSpec("group_heatmap", f"Score per groep en {kind.item}", data=group_scores(summary))
    return [Slide("teams", f"Groepen vergelijken: {summary.group_column}", subtitle, charts=[radar]),
            Slide("teams-stellingen", f"Groepen per {kind.item}: {summary.group_column}", subtitle,
                  charts=[heatmap])]


def spread_table(summary: Summary) -> pd.DataFrame:
    """Per statement the spread (standard deviation of the answers' values) and the share Onbekend.

    On a scale the values are the levels 1..5; on a checklist Nee=0 and Ja=1, so the spread is
    sqrt(p(1-p)) of the share met p. Low and high are the answers below and above the middle one (a
    checklist has no middle: Nee is low, Ja high).
    """
    instrument = summary.instrument
    values = np.asarray(instrument.level_values, dtype=float)
    n_codes = len(values)
    counts = summary.statements[[f"n_{code}" for code in range(1, n_codes + 1)]].to_numpy(dtype=float)
    known = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (counts * values).sum(axis=1) / known
        spread = np.sqrt((counts * (values - mean[:, None]) ** 2).sum(axis=1) / known)
        answered = known + summary.statements["n_unknown"].to_numpy()
        unknown_share = summary.statements["n_unknown"].to_numpy() / answered
        low_share = counts[:, :n_codes // 2].sum(axis=1) / known
        high_share = counts[:, (n_codes + 1) // 2:].sum(axis=1) / known
    return pd.DataFrame({"id": summary.statements["id"], "theme": summary.statements["theme"], "n_known": known,
                         "spread": spread, "low_share": low_share, "high_share": high_share,
                         "unknown_share": unknown_share})


def discussion_questions(summary: Summary) -> list[str]:
    """Where respondents disagree most, then where many answered Onbekend: as questions for the group."""
    instrument = summary.instrument
    kind = instrument.kind
    table = spread_table(summary)
    labels = instrument.level_labels
    low_text = " of ".join(labels[:len(labels) // 2])
    high_text = " of ".join(labels[(len(labels) + 1) // 2:])
    # A hair below the bound: a 35% split computed in floating point must count as split.
    disagree = table[(table["n_known"] >= kind.min_spread_answers) & (table["spread"] >= kind.min_spread - 1e-9)]
    # Stable on one column: ties keep the instrument's order ("1.2" before "1.10", which sorting ids would break).
    disagree = disagree.sort_values("spread", ascending=False, kind="stable").head(MAX_QUESTIONS)
    unknown = table[table["unknown_share"] >= MIN_UNKNOWN_SHARE]
    unknown = unknown.sort_values("unknown_share", ascending=False, kind="stable").head(MAX_QUESTIONS)
    item = _item_word(summary)
    questions = [DISAGREEMENT_QUESTION.format(Item=item, id=r.id, theme=r.theme, low_share=f"{r.low_share:.0%}",
                                              low=low_text, high_share=f"{r.high_share:.0%}", high=high_text)
                 for r in disagree.itertuples()]
    questions += [UNKNOWN_QUESTION.format(Item=item, id=r.id, theme=r.theme, share=f"{r.unknown_share:.0%}",
                                          unknown=instrument.unknown_label) for r in unknown.itertuples()]
    return questions


def _questions_slide(summary: Summary) -> Slide:
    kind = summary.instrument.kind
    questions = discussion_questions(summary) or [NO_QUESTIONS.format(items=kind.items)]
    return Slide("gespreksvragen", "Gespreksvragen", "Waar verschillen we van mening, en wat weten we niet?",
                 questions, notes="Laat de groep eerst zelf reageren voordat u de uitleg geeft.")


def shorten(text: str, limit: int = TIP_LENGTH) -> str:
    """TEXT up to its first sentence, or cut at a word within LIMIT characters, with '…' when cut."""
    text = " ".join(text.split())
    end = text.find(". ")
    if 0 < end < limit:
        return text[:end + 1]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _reading_title(reading) -> str:
    publisher = f" ({reading.publisher})" if reading.publisher else ""
    return f"{shorten(reading.title, TITLE_LENGTH)}{publisher}"


def _reading_line(reading) -> str:
    return f"Meer lezen: {_reading_title(reading)}"


def _material_lines(item: dict, seen: dict[str, object], item_word: str) -> list[str]:
    """A few tips and an example from the item's section. Items that point to one section share its material:
    it stands under the first of them, the later ones say where (SEEN: line -> the item it first stood under)."""
    tips = [tip for group in item["tips"] for tip in group.items][:MAX_TIPS]
    example = next((e.title for e in item["examples"] if e.title), None)
    lines = {f"Tip: {shorten(tip)}": "tips" for tip in tips}
    if example:
        lines[f"Voorbeeld: {example}"] = "voorbeeld"
    repeated = [line for line in lines if line in seen]
    for line in lines:
        seen.setdefault(line, item["id"])
    shown = [line for line in lines if line not in repeated]
    if repeated:
        what = " en ".join(dict.fromkeys(lines[line] for line in repeated))
        where = " en ".join(str(i) for i in dict.fromkeys(seen[line] for line in repeated))
        shown.append(f"{what.capitalize()}: als bij {item_word} {where}")
    return shown


def _step_details(item: dict, seen: dict[str, object], item_word: str, reading: bool = True) -> tuple[str, ...]:
    """Beneath a statement: its next step (the next level's description, or the section to work on), then a
    few tips and an example from that step's material, and its own reading (READING) if it has any."""
    details = []
    if item["next_description"]:
        details.append(f"Volgende stap ({item['next_level']}): {item['next_description']}")
    elif item["next_level"]:
        details.append(f"Volgende stap: {item['next_level']}")
    details += _material_lines(item, seen, item_word)
    if reading:
        details += [_reading_line(r) for r in item["reading"][:MAX_READING]]
    return tuple(details)


def _step_point(item: dict, item_word: str, seen: dict[str, object], reading: bool = True) -> Point:
    """The statement, with its next step and its material beneath it."""
    return Point(f"{item_word} {item['id']} · {item['theme']} · nu {item['score_text']}: {item['text']}",
                 _step_details(item, seen, item_word.lower(), reading))


def _rows(point: Point) -> int:
    """About how many rows of a slide POINT fills."""
    return sum(math.ceil(len(line) / ROW_CHARS) for line in point.lines())


def _pack(points: list[Point], per_slide: int) -> list[list[Point]]:
    """POINTS in order over as few slides as hold them: at most PER_SLIDE points and SLIDE_ROWS rows on each
    (a point longer than that alone on its slide); no points is one slide that says so by its subtitle."""
    slides: list[list[Point]] = [[]]
    for point in points:
        current = slides[-1]
        if current and (len(current) == per_slide or sum(map(_rows, current)) + _rows(point) > SLIDE_ROWS):
            slides.append([])
        slides[-1].append(point)
    return slides


def _numbered(key: str, title: str, subtitle: str, chunks: list[list[Point]]) -> list[Slide]:
    """One slide per chunk: 'Aan de slag (2/3)'; a single slide without the count."""
    return [Slide(f"{key}-{number}", title + (f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""), subtitle,
                  chunk) for number, chunk in enumerate(chunks, start=1)]


def _reading_point(summary: Summary, group: ReadingGroup) -> Point:
    """A block, the weak items its first titles help, those titles, and how many more the page Aan de slag has."""
    shown = group.entries[:MAX_READING]
    helped = {item_id for _, ids in shown for item_id in ids}
    ids = [item_id for item_id in summary.instrument.statement_ids if item_id in helped]
    more = len(group.entries) - len(shown)
    details = [_reading_title(reading) for reading, _ in shown]
    if more:
        details.append(f"En nog {more} {'titel' if more == 1 else 'titels'} op de pagina Aan de slag")
    return Point(f"{group.theme} · {items_text(summary.instrument.kind, ids)}", tuple(details))


def _next_step_slides(summary: Summary) -> list[Slide]:
    """The items to work on with their next steps, lowest first; on a checklist then its reading, once per block."""
    kind = summary.instrument.kind
    actions = action_list(summary)
    per_block = kind.reading_per_group
    subtitle = (f"{kind.items.capitalize()} onder {kind.threshold_text(summary.threshold)}, laagste eerst"
                if actions.weak else f"Geen {kind.item} onder de drempel: de drie laagste als aandachtspunten")
    seen: dict[str, object] = {}
    points = [_step_point(item, _item_word(summary), seen, reading=not per_block) for item in actions.items]
    slides = _numbered("aan-de-slag", "Aan de slag", subtitle, _pack(points, STEPS_PER_SLIDE))
    if per_block and actions.reading:
        reading = [_reading_point(summary, group) for group in actions.reading]
        slides += _numbered("meer-lezen", "Meer lezen", f"Per {kind.group}, bij de {kind.items} om aan te werken",
                            _pack(reading, READING_BLOCKS_PER_SLIDE))
    return slides


def _counts_text(summary: Summary, row: pd.Series) -> str:
    """'12 met oordeel, 1 onbekend, 0 niet ingevuld' or '7 ja, 3 nee, 1 onbekend, 1 niet ingevuld'."""
    counts = [f"{int(row[column])} {word}" for column, word in summary.instrument.kind.count_columns]
    return ", ".join([*counts, f"{int(row['n_unknown'])} onbekend", f"{int(row['n_missing'])} niet ingevuld"])


def _all_statements_slide(summary: Summary) -> Slide:
    instrument = summary.instrument
    kind = instrument.kind
    points = [f"{row['id']}. {row['text']} — {row['theme']}, score {instrument.score_text(row['score'])} "
              f"({_counts_text(summary, row)})" for _, row in summary.statements.iterrows()]
    return Slide("alle-stellingen", f"Alle {kind.items}", f"{kind.score_words.capitalize()} per {kind.item}", points,
                 handout_only=True)


def _change_line(summary: Summary, row, sign_word: str) -> str:
    instrument = summary.instrument
    return (f"{sign_word}: {_item_word(summary)} {row.id} ({row.theme}) · {instrument.kind.score_text(row.score_first)}"
            f" → {instrument.kind.score_text(row.score_last)} ({instrument.kind.change_text(row.change)})")


def _progress_slide(summary: Summary, previous_label: str, previous: Summary) -> Slide:
    """For a return day: the themes then and now, and the statements that moved most."""
    kind = summary.instrument.kind
    improvements, declines = largest_changes(statement_change(previous, summary))
    points = ([_change_line(summary, r, "Vooruit") for r in improvements.itertuples()]
              + [_change_line(summary, r, "Achteruit") for r in declines.itertuples()])
    chart = ChartSpec("theme_radar", f"{kind.score_name} per {kind.group}, toen en nu",
                      {previous_label: previous.themes, NOW_LABEL: summary.themes})
    # The statements in full go to the speaker notes: on the slide they would crowd out the chart.
    notes = " ".join(f"{_item_word(summary)} {r.id}: {r.text}"
                     for r in pd.concat([improvements, declines]).itertuples())
    return Slide("voortgang", f"Voortgang sinds {previous_label}",
                 f"{previous.respondents} → {summary.respondents} respondenten",
                 points or [NO_CLEAR_CHANGE.format(item=kind.item)], [chart], notes=notes)


def _follow_up_slide(summary: Summary, previous_label: str, previous: Summary, plan: Plan) -> Slide:
    """The return day: what was agreed on the earlier round, and how its focus items moved since."""
    rows = plan_follow_up(plan, statement_change(previous, summary), summary.instrument)
    points = [Point(*follow_up_lines(row, summary.instrument)) for row in rows]
    notes = " ".join(f"{_item_word(summary)} {row['id']}: {row['text']}" for row in rows)
    return Slide("terugkomdag", "Terugkomdag: wat we afspraken", f"Afspraken van {previous_label}, verandering sinds "
                 "dan (vooruitgang of achteruitgang alleen als groter dan toeval)", points, notes=notes)


def build_report(summary: Summary, source: str, date: str | None = None, filters: str = "",
                 previous: tuple[str, Summary] | None = None, plan: Plan | None = None,
                 plan_title: str = "", previous_plan: Plan | None = None) -> Report:
    """The slides in meeting order: title, overview, progress since an earlier round (if given), extremes,
    one per theme, groups, questions, next steps, and the agreements of the round's plan (if it has any)."""
    date = date or dt.date.today().strftime("%d-%m-%Y")
    answers = distribution(summary.statements, summary.instrument)
    slides = [_title_slide(summary, source, date, filters), _overview_slide(summary)]
    if previous is not None:
        slides.append(_progress_slide(summary, *previous))
        if previous_plan is not None and previous_plan.focuses:
            slides.append(_follow_up_slide(summary, *previous, previous_plan))
    slides.append(_extremes_slide(summary))
    slides += [_theme_slide(summary, theme, answers) for theme in summary.instrument.themes]
    slides += _teams_slides(summary)
    slides.append(_questions_slide(summary))
    slides += _next_step_slides(summary)
    if plan is not None and plan.focuses:
        slides.append(agreements_slide(summary, plan))
    slides.append(_all_statements_slide(summary))
    return Report(title=summary.instrument.title, source=source, date=date, summary=summary, filters=filters,
                  slides=slides, plan=plan if plan is not None and plan.focuses else None, plan_title=plan_title)


def agreements_slide(summary: Summary, plan: Plan) -> Slide:
    """"Afspraken": per focus its score in this round and its actions (wat · wie · wanneer · status)."""
    kind = summary.instrument.kind
    points = []
    for focus in plan.focuses:
        statement = summary.instrument.statement(focus.item_id)
        score = summary.instrument.score_text(item_score(summary, focus.item_id))
        details = tuple(" · ".join(part for part in (row["what"], row["who"], row["when_text"], row["status_label"])
                                   if part)
                        for row in plan_rows(replace(plan, focuses=(focus,)), summary.instrument) if row["what"])
        points.append(Point(f"{_item_word(summary)} {focus.item_id}: {shorten(statement.text, TITLE_LENGTH)} "
                            f"(score {score})", details or ("nog geen actie afgesproken",)))
    if plan.notes:
        points.append(Point("Leerlessen", tuple(line for line in plan.notes.splitlines() if line.strip())))
    subtitle = updated_text(plan) or f"Focus{'punten' if len(plan.focuses) != 1 else 'punt'} voor de volgende ronde"
    return Slide("afspraken", "Afspraken", subtitle, points,
                 notes=f"{len(plan.focuses)} {kind.items if len(plan.focuses) != 1 else kind.item} als focus.")
