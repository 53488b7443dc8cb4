"""The two kinds of instrument: a level scale (the QuickScan) and a checklist (the Diversiteitskader).

Everything that differs between them — words, score range and display, default threshold, the
command line's JSON keys — is one row of ``KINDS``. Code asks the instrument's kind; it never
checks which instrument it has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ScoreScale:
    """How a kind's scores sit on a chart axis: range, ticks, the faint bands behind the data, hover format."""

    low: float
    high: float                 # a little beyond the highest score, so rings and labels have room
    ticks: tuple[float, ...]
    tick_labels: tuple[str, ...]
    bands: tuple[tuple[float, float, str], ...]  # (from, to, name), lowest first
    hover: str                  # d3 format of a score in a hover: ".2f" or ".0%"
    percent: bool

    def short(self, score) -> str:
        """A score as a label on a chart: "3,1" or "62%"."""
        if score is None or (isinstance(score, float) and math.isnan(score)):
            return ""
        return f"{round(float(score) * 100):d}%" if self.percent else f"{float(score):.1f}".replace(".", ",")


@dataclass(frozen=True)
class Kind:
    name: str
    item: str                 # what one question is called: "stelling" / "item"
    items: str
    group: str                # what a set of questions is called: "thema" / "bouwsteen"
    groups: str
    weak: str                 # "zwakke stelling" / "zwak item": Dutch inflects the adjective by gender
    default_threshold: float  # weak below this
    score_min: float
    score_max: float
    threshold_step: float
    percent: bool             # scores shown as a share met ("62% voldaan") instead of a level score
    has_levels: bool          # scores map to level labels (Inactief .. Vergevorderd)
    json_items: str           # the command line's keys
    json_groups: str
    json_group_field: str
    json_weak: str
    json_counts: tuple[tuple[str, str], ...]  # JSON key -> column of the statement table
    # How a header names a question by its number: "{id}" stands for the id's own pattern.
    header_patterns: tuple[str, ...]
    header_id: str
    numeric_answers: bool     # a bare number 1..5 in an answer cell is a level
    code_headers: bool        # short survey codes (Q7, SQ007) name statements
    multi_select: bool        # one multi-select column per group may hold the ticked questions
    # A question's reading belongs to its group (a checklist's items share their section's and block's list), so
    # slides list it once per group; on a scale each statement has its own.
    reading_per_group: bool
    # The report (analysis.report.model) and its exports:
    score_name: str           # what a score is called on a chart or in a table: "Niveau" / "Voldaan"
    score_words: str          # what a score says, in a subtitle: "score en niveau" / "aandeel voldaan"
    score_label: str          # a score's tile on a page, above score_number: "Score" / "Voldaan"
    count_columns: tuple[tuple[str, str], ...]  # statement-table column -> word, in lists and workbooks
    number_format: str        # a score in Excel and on PowerPoint chart axes
    # "The room is split" on a question: the answers' standard deviation (of the answer values) at least
    # this, over at least this many known answers.
    min_spread: float
    min_spread_answers: int

    @property
    def items_title(self) -> str:
        """The name of the page (and menu entry) that lists every question: "Stellingen" / "Items"."""
        return self.items.capitalize()

    def score_text(self, score) -> str:
        """A score as people read it: "2,80" on a scale, "62% voldaan" on a checklist; none -> "geen oordeel"."""
        if score is None or (isinstance(score, float) and math.isnan(score)):
            return "geen oordeel"
        if self.percent:
            return f"{round(float(score) * 100):d}% voldaan"
        return f"{float(score):.2f}".replace(".", ",")

    def score_scale(self, level_labels: tuple[str, ...]) -> ScoreScale:
        if self.percent:
            quarters = (0.0, 0.25, 0.5, 0.75, 1.0)
            names = tuple(f"{round(a * 100)}-{round(b * 100)}%" for a, b in zip(quarters, quarters[1:]))
            return ScoreScale(0.0, 1.12, quarters, tuple(f"{round(q * 100)}%" for q in quarters),
                              tuple(zip(quarters, quarters[1:], names)), ".0%", True)
        levels = tuple(float(n) for n in range(1, len(level_labels) + 1))
        return ScoreScale(0.5, len(level_labels) + 0.5, levels, tuple(level_labels),
                          tuple((n - 0.5, n + 0.5, label) for n, label in zip(levels, level_labels)), ".2f", False)

    def score_number(self, score) -> str:
        """A score as a tile shows it, short enough for a quarter of a 1280 px page: "2,80", "62%"; none -> "–"."""
        if score is None or (isinstance(score, float) and math.isnan(score)):
            return "–"
        return f"{round(float(score) * 100):d}%" if self.percent else f"{float(score):.2f}".replace(".", ",")

    def threshold_text(self, threshold: float) -> str:
        return f"{round(threshold * 100):d}%" if self.percent else f"{threshold:.1f}".replace(".", ",")

    def change_text(self, change) -> str:
        """A change between two scores: "+0,45" on a scale, "+12 procentpunt" on a checklist."""
        if self.percent:
            return f"{round(float(change) * 100):+d} procentpunt"
        return f"{float(change):+.2f}".replace(".", ",")


KINDS = {
    "scale": Kind(name="scale", item="stelling", items="stellingen", group="thema", groups="thema's",
                  weak="zwakke stelling", default_threshold=3.0, score_min=1.0, score_max=5.0, threshold_step=0.1,
                  percent=False,
                  has_levels=True, json_items="statements", json_groups="themes", json_group_field="theme",
                  json_weak="weak_statements", json_counts=(("n_known", "n_known"),),
                  header_patterns=(r"^(?:stelling|vraag|statement|item|question|st)\s*[-_ .:#]?\s*{id}\b"
                                   r"(?!\s*[-–]\s*\d)", r"^{id}\s*[.):]\s*\S", r"^{id}\s*$"),
                  header_id=r"0*(\d{1,3})(?![.,]\d)", numeric_answers=True, code_headers=True, multi_select=False,
                  reading_per_group=False,
                  score_name="Niveau", score_words="score en niveau", score_label="Score",
                  count_columns=(("n_known", "met oordeel"),),
                  number_format="0.00",
                  # About one level apart on average: the room does not agree where it stands.
                  min_spread=0.9, min_spread_answers=3),
    "checklist": Kind(name="checklist", item="item", items="items", group="bouwsteen", groups="bouwstenen",
                      weak="zwak item", default_threshold=0.5, score_min=0.0, score_max=1.0, threshold_step=0.05,
                      percent=True,
                      has_levels=False, json_items="items", json_groups="blocks", json_group_field="block",
                      json_weak="weak_items", json_counts=(("n_yes", "n_2"), ("n_no", "n_1")),
                      header_patterns=(r"^(?:item|vraag|stelling|checklist)\s*[-_ .:#]?\s*{id}\b",
                                       r"^{id}\.?(?:\s*[):]|\s)\s*\S", r"^{id}\.?\s*$"),
                      header_id=r"(\d{1,2}\.\d{1,2})", numeric_answers=False, code_headers=False,
                      multi_select=True, reading_per_group=True,
                      score_name="Voldaan", score_words="aandeel voldaan", score_label="Voldaan",
                      count_columns=(("n_2", "ja"), ("n_1", "nee")), number_format="0%",
                      # Yes/no answers split between 35% and 65% met: sqrt(p(1-p)) >= sqrt(0.35 * 0.65).
                      min_spread=math.sqrt(0.35 * 0.65), min_spread_answers=4),
}
