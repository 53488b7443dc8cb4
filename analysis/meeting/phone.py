"""What a participant's phone shows of an instrument, as plain data the participant page draws by itself.

The participant page of a live session is a small static page (``ui/participant``) that asks the server for
this once and then draws every screen without a round trip: sixty phones in one room must not each run the
dashboard. Everything here is the instrument's own content; nothing of any answer or result.
"""

from __future__ import annotations

from analysis.instrument import Instrument
from analysis.meeting.live import answer_options

UNKNOWN_CAPTION = "Als u het niet weet of het niet van toepassing is."


def _explanation(statement) -> list[dict]:
    return [{"heading": block.heading or "", "paragraphs": list(block.paragraphs)}
            for block in statement.explanation]


def _statement(statement, codes: list[int], has_levels: bool) -> dict:
    shown = {"id": str(statement.id), "text": statement.text, "group": statement.group or "",
             "explanation": _explanation(statement), "note": statement.note or ""}
    if has_levels:
        shown["captions"] = [statement.level_description(code) if code else UNKNOWN_CAPTION for code in codes]
    return shown


def steps_of(instrument: Instrument) -> list[list]:
    """One statement per screen on a scale; one block (with all its items) per screen on a checklist."""
    if instrument.kind.has_levels:
        return [[s] for s in instrument.statements]
    return [instrument.statements_in(block) for block in instrument.themes]


def phone_content(instrument: Instrument) -> dict:
    """The screens of INSTRUMENT for a phone: the words of its kind, the answer options, and per screen its
    theme and statements (with toelichting and, on a scale, what each level means for that statement)."""
    kind = instrument.kind
    options = answer_options(instrument)
    codes = [code for code, _ in options]
    return {
        "instrument": instrument.id,
        "title": instrument.short_title,
        "kind": {"item": kind.item, "items": kind.items, "group": kind.group, "levels": kind.has_levels},
        "options": [{"code": code, "label": label} for code, label in options],
        "steps": [{"theme": step[0].theme, "statements": [_statement(s, codes, kind.has_levels) for s in step]}
                  for step in steps_of(instrument)],
        "total": len(instrument.statements),
    }


def answer_codes(instrument: Instrument) -> frozenset[int]:
    """The codes a phone may send: the levels and Onbekend."""
    return frozenset(code for code, _ in answer_options(instrument))
