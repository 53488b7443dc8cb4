"""The numbers as an Excel workbook: statements, themes, groups (suppression respected), answers.

Sheets and columns speak the instrument kind's words ("Stellingen"/"Thema's" or "Items"/"Bouwstenen"),
and scores carry the kind's number format (2,80 or 62%) while staying plain numbers.

Every cell is written with an explicit type: numbers as numbers, text as text. Text that a
spreadsheet could run as a formula (a team name such as ``=HYPERLINK(...)``) is made inert with
a leading apostrophe, and the workbook never turns strings into formulas or links.
"""

from __future__ import annotations

import io
import math

import pandas as pd
import xlsxwriter

from analysis.report.exports import WORKBOOK_OPTIONS, inert
from analysis.report.exports.plan_xlsx import write_plan_sheet
from analysis.report.model import Report
from analysis.scoring.overview import group_download, group_scores, shown_text
from analysis.scoring.privacy import size_text
from analysis.scoring.scores import distribution
from analysis.scoring.summary import privacy_lines


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _write_table(book, name: str, frame: pd.DataFrame, widths: dict[str, int] | None = None,
                 number_format: str = "0.00") -> None:
    sheet = book.add_worksheet(name)
    header = book.add_format({"bold": True, "bg_color": "#dfe7f1", "text_wrap": True, "valign": "top"})
    decimal = book.add_format({"num_format": number_format})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for column, title in enumerate(frame.columns):
        sheet.write_string(0, column, inert(str(title)), header)
        sheet.set_column(column, column, (widths or {}).get(title, 14), wrap if (widths or {}).get(title, 0) > 40
                         else None)
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for column, value in enumerate(values):
            if _is_missing(value):
                sheet.write_blank(row, column, None)
            elif isinstance(value, bool):
                sheet.write_string(row, column, "ja" if value else "nee")
            elif isinstance(value, int) or (hasattr(value, "dtype") and "int" in str(value.dtype)):
                sheet.write_number(row, column, int(value))
            elif isinstance(value, float):
                sheet.write_number(row, column, value, decimal)
            else:
                sheet.write_string(row, column, inert(str(value)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)


def _info(report: Report) -> pd.DataFrame:
    summary = report.summary
    kind = report.instrument.kind
    rows = [("Instrument", report.title), ("Bron", report.source), ("Datum", report.date),
            ("Respondenten", summary.respondents),
            (f"Drempel {kind.weak}", kind.threshold_text(summary.threshold)),
            ("Minimale groepsgrootte", summary.min_group_size), ("Groepskolom", summary.group_column or ""),
            ("Selectie", report.filters or "alle respondenten"),
            ("Let op", "Verborgen groepen hebben geen scores: zo is niemand te herkennen."),
            *[("Privacy", line) for line in privacy_lines(summary)]]
    return pd.DataFrame(rows, columns=["Onderdeel", "Waarde"])


def _levels(report: Report, table: pd.DataFrame) -> dict:
    """The level column, on a kind that has levels (a checklist's score says it all)."""
    if not report.instrument.kind.has_levels:
        return {}
    return {"Niveau": table["level"].fillna("geen oordeel")}


def _statements(report: Report) -> pd.DataFrame:
    kind = report.instrument.kind
    table = report.summary.statements
    counts = {word.capitalize(): table[column] for column, word in kind.count_columns}
    return pd.DataFrame({kind.item.capitalize(): table["id"], kind.group.capitalize(): table["theme"],
                         "Tekst": table["text"], "Score": table["score"], **_levels(report, table), **counts,
                         "Onbekend": table["n_unknown"], "Niet ingevuld": table["n_missing"],
                         "Zwak": table["id"].isin(report.summary.weak).tolist()})


def _themes(report: Report) -> pd.DataFrame:
    table = report.summary.themes
    return pd.DataFrame({report.instrument.kind.group.capitalize(): table["theme"], "Score": table["score"],
                         **_levels(report, table)})


def _groups(report: Report) -> pd.DataFrame:
    themes = list(report.instrument.themes)
    rows = []
    for group in report.summary.groups:
        scores = {} if group.suppressed else dict(zip(group.themes["theme"], group.themes["score"]))
        rows.append({"Groep": group.name,
                     "Respondenten": size_text(group.respondents, group.reason, report.summary.min_group_size),
                     "Status": group.status_text(report.summary.min_group_size) or shown_text(group),
                     **{theme: scores.get(theme, math.nan) for theme in themes}})
    return pd.DataFrame(rows, columns=["Groep", "Respondenten", "Status", *themes])


def _group_statements(report: Report) -> pd.DataFrame:
    return group_download(group_scores(report.summary), report.instrument.kind)


def _answers(report: Report) -> pd.DataFrame:
    kind = report.instrument.kind
    frame = distribution(report.summary.statements, report.instrument)
    return pd.DataFrame({kind.item.capitalize(): frame["id"], kind.group.capitalize(): frame["theme"],
                         "Antwoord": frame["answer"], "Aantal": frame["count"],
                         "Aandeel van wie antwoordde": frame["share"]})


def report_xlsx(report: Report) -> bytes:
    kind = report.instrument.kind
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    _write_table(book, "Info", _info(report), {"Onderdeel": 26, "Waarde": 70})
    _write_table(book, kind.items.capitalize(), _statements(report), {"Tekst": 70}, kind.number_format)
    _write_table(book, kind.groups.capitalize(), _themes(report), {kind.group.capitalize(): 20}, kind.number_format)
    if report.summary.groups:
        _write_table(book, "Groepen", _groups(report), {"Groep": 24, "Status": 22}, kind.number_format)
        _write_table(book, f"Groepen per {kind.item}", _group_statements(report), {"groep": 24, "status": 22},
                     kind.number_format)
    _write_table(book, "Verdeling", _answers(report), {"Antwoord": 18}, "0%")
    if report.plan is not None:
        write_plan_sheet(book, report.plan, report.instrument, report.plan_title or "Verbeterplan", report.summary,
                         name="Afspraken")
    book.close()
    return buffer.getvalue()
