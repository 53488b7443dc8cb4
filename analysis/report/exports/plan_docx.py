"""The verbeterplan as a Word document: the form in which many organisations file and circulate their plans.

Per focus the statement or item (its text and its score in the round), a table of its actions (Wat, Wie,
Wanneer, Status), and the leerlessen at the end. Texts typed by users go into runs as plain text: python-docx
escapes them as XML, and nothing here makes a field, a link or a style from them; control characters that
XML cannot hold were dropped when the plan was checked.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from analysis.dutch import format_date
from analysis.instrument import Instrument
from analysis.meeting.plan import Plan, check_plan, item_score, plan_title, updated_text
from analysis.scoring.scores import Summary

ACTION_HEADINGS = ("Wat", "Wie", "Wanneer", "Status")
NO_FOCUS = "Nog geen focuspunten gekozen."
NO_ACTIONS = "Nog geen acties afgesproken."
NO_NOTES = "Nog geen leerlessen genoteerd."
LANGUAGE = "nl-NL"


def _dutch(document) -> None:
    """Spelling and hyphenation in Dutch for the whole document."""
    properties = document.styles["Normal"].element.get_or_add_rPr()
    language = properties.find(qn("w:lang"))
    if language is None:
        language = properties.makeelement(qn("w:lang"), {})
        properties.append(language)
    language.set(qn("w:val"), LANGUAGE)


def _actions_table(document, actions) -> None:
    table = document.add_table(rows=1, cols=len(ACTION_HEADINGS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, ACTION_HEADINGS):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for action in actions:
        when = format_date(action.when) if action.when else ""
        for cell, text in zip(table.add_row().cells, (action.what, action.who, when, action.status_label)):
            cell.text = text


def _focus(document, focus, instrument: Instrument, summary: Summary | None) -> None:
    statement = instrument.statement(focus.item_id)
    document.add_heading(f"{instrument.kind.item.capitalize()} {focus.item_id} · {statement.theme}", level=1)
    document.add_paragraph(statement.text)
    if summary is not None:
        score = instrument.score_text(item_score(summary, focus.item_id))
        document.add_paragraph().add_run(f"Score in deze ronde: {score}").italic = True
    if focus.actions:
        _actions_table(document, focus.actions)
    else:
        document.add_paragraph(NO_ACTIONS)


def _notes(document, notes: str) -> None:
    document.add_heading("Leerlessen", level=1)
    paragraphs = [p.strip() for p in notes.split("\n\n") if p.strip()] or [NO_NOTES]
    for text in paragraphs:
        document.add_paragraph(text)  # a single line end stays a line break inside the paragraph


def plan_docx(plan: Plan, instrument: Instrument, *, organisation: str = "", round_name: str = "",
              round_date=None, summary: Summary | None = None) -> bytes:
    """The plan as a .docx file; raises PlanError for a plan that breaks the rules."""
    plan = check_plan(plan, instrument)
    title = plan_title(organisation, round_name, round_date)
    document = Document()
    _dutch(document)
    document.core_properties.title = title
    document.core_properties.language = LANGUAGE
    document.add_heading(title, level=0)
    intro = document.add_paragraph(instrument.title)
    if updated_text(plan):
        intro.add_run("\n" + updated_text(plan)).font.size = Pt(9)
    for focus in plan.focuses:
        _focus(document, focus, instrument, summary)
    if not plan.focuses:
        document.add_paragraph(NO_FOCUS)
    _notes(document, plan.notes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
