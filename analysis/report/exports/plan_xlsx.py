"""The verbeterplan as an Excel sheet: one row per action, under the plan's title, with the leerlessen below.

Organisations keep their plans next to their other spreadsheets; the report workbook adds the same sheet
as "Afspraken" through ``write_plan_sheet``. Every text comes from users, so it is written as a string,
made inert (``analysis.report.exports.inert``) and never read as a formula, link or number; dates are real dates.
"""

from __future__ import annotations

import io

import xlsxwriter

from analysis.instrument import Instrument
from analysis.meeting.plan import Plan, check_plan, plan_columns, plan_rows, plan_title, updated_text
from analysis.report.exports import WORKBOOK_OPTIONS, inert
from analysis.scoring.scores import Summary, level_of

SHEET_NAME = "Verbeterplan"
NO_FOCUS = "Nog geen focuspunten gekozen."
NO_NOTES = "Nog geen leerlessen genoteerd."
WIDTHS = {"item_id": 9, "theme": 18, "item_text": 60, "score": 9, "level": 14, "what": 45, "who": 22,
          "when": 14, "status_label": 10}
DATE_FORMAT = "dd-mm-yyyy"
MAX_ROW_HEIGHT = 409  # Excel's own maximum, in points


def _columns(instrument: Instrument, summary: Summary | None) -> dict[str, str]:
    """Row key -> heading; the score (and a scale's level) only when the round's figures are given."""
    words = plan_columns(instrument)
    columns = {key: words[key] for key in ("item_id", "theme", "item_text")}
    if summary is not None:
        columns["score"] = words["score_text"]
        if instrument.kind.has_levels:
            columns["level"] = "Niveau"
    columns.update({"what": "Wat", "who": "Wie", "when": "Wanneer", "status_label": "Status"})
    return columns


def _formats(book, instrument: Instrument) -> dict:
    wrap = {"text_wrap": True, "valign": "top"}
    return {"title": book.add_format({"bold": True, "font_size": 14}),
            "header": book.add_format({"bold": True, "bg_color": "#dfe7f1", **wrap}),
            "text": book.add_format(wrap), "bold": book.add_format({"bold": True}),
            "score": book.add_format({"num_format": instrument.kind.number_format, "valign": "top"}),
            "date": book.add_format({"num_format": DATE_FORMAT, "valign": "top", "align": "left"})}


def _write_cell(sheet, row: int, column: int, key: str, value, formats: dict) -> None:
    if key == "when" and value is not None:
        sheet.write_datetime(row, column, value, formats["date"])
    elif key == "score" and isinstance(value, float):
        sheet.write_number(row, column, value, formats["score"])
    elif key == "item_id" and isinstance(value, int):
        sheet.write_number(row, column, value, formats["text"])
    elif value is None or value == "":
        sheet.write_blank(row, column, None, formats["text"])
    else:
        sheet.write_string(row, column, inert(str(value)), formats["text"])


def _cell_value(row: dict, key: str, instrument: Instrument):
    if key == "score" and row["score"] is None:
        return row["score_text"]  # "geen oordeel": a reader sees why the cell has no number
    if key == "level":
        return level_of(row["score"], instrument) or ""
    return row[key]


def _write_table(sheet, top: int, rows: list[dict], columns: dict[str, str], instrument, formats) -> int:
    """The header and the rows from TOP; returns the first row below the table."""
    for column, (key, heading) in enumerate(columns.items()):
        sheet.write_string(top, column, heading, formats["header"])
        sheet.set_column(column, column, WIDTHS.get(key, 14))
    for offset, row in enumerate(rows, start=1):
        for column, key in enumerate(columns):
            _write_cell(sheet, top + offset, column, key, _cell_value(row, key, instrument), formats)
    if not rows:
        sheet.write_string(top + 1, 0, NO_FOCUS, formats["text"])
    else:
        sheet.autofilter(top, 0, top + len(rows), len(columns) - 1)
    return top + max(len(rows), 1) + 1


def _write_notes(sheet, top: int, notes: str, width: int, formats: dict) -> None:
    sheet.write_string(top, 0, "Leerlessen", formats["bold"])
    text = notes or NO_NOTES
    sheet.merge_range(top + 1, 0, top + 1, width - 1, "", formats["text"])
    sheet.write_string(top + 1, 0, inert(text), formats["text"])
    characters_per_line = 150
    lines = sum(1 + len(line) // characters_per_line for line in text.split("\n"))
    sheet.set_row(top + 1, min(15 * lines, MAX_ROW_HEIGHT))


def write_plan_sheet(book, plan: Plan, instrument: Instrument, title: str, summary: Summary | None = None,
                     name: str = SHEET_NAME) -> None:
    """The plan as one sheet of BOOK (an xlsxwriter Workbook made with WORKBOOK_OPTIONS)."""
    plan = check_plan(plan, instrument)
    sheet = book.add_worksheet(name)
    formats = _formats(book, instrument)
    sheet.write_string(0, 0, inert(title), formats["title"])
    sheet.write_string(1, 0, inert(instrument.title))
    if updated_text(plan):
        sheet.write_string(2, 0, inert(updated_text(plan)))
    columns = _columns(instrument, summary)
    below = _write_table(sheet, 4, plan_rows(plan, instrument, summary), columns, instrument, formats)
    sheet.freeze_panes(5, 0)
    _write_notes(sheet, below + 1, plan.notes, len(columns), formats)


def plan_xlsx(plan: Plan, instrument: Instrument, *, organisation: str = "", round_name: str = "",
              round_date=None, summary: Summary | None = None) -> bytes:
    """The plan as an Excel workbook of one sheet; raises PlanError for a plan that breaks the rules."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    write_plan_sheet(book, plan, instrument, plan_title(organisation, round_name, round_date), summary)
    book.close()
    return buffer.getvalue()
