"""Work out which rows of a grid are headers and which survey tool wrote the export.

Qualtrics puts three header rows on top (ids, question text, ImportId), SurveyMonkey two
(matrix title above the row text); most others one. Instead of trusting a named preset we look
at the first rows: a row is a header row when it names statements, carries Qualtrics'
ImportId markers or SurveyMonkey's "Response" markers. That also copes with exports nobody
has seen, e.g. a title line above the real header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.matching import StatementMatcher

MAX_HEADER_ROWS = 6
SURVEYMONKEY_MARKERS = {"response", "open-ended response", "antwoord", "open antwoord"}

RESPONDENT_NAMES = {"respondent", "respondent id", "respondent_id", "respondentid", "respondentnummer",
                    "deelnemer", "deelnemer id", "id", "response id", "responseid", "persoon"}
STATEMENT_NAMES = {"stelling", "statement", "vraag", "item", "question", "stelling id", "stelling_id",
                   "stellingnummer", "stelling nr", "vraagnummer"}
ANSWER_NAMES = {"antwoord", "answer", "score", "waarde", "value", "niveau", "level", "response",
                "antwoordoptie"}

SYSTEM_COLUMNS = re.compile(
    r"^(id|respondent ?id|collector ?id|response ?id|responseid|start ?date|end ?date|startdate|enddate|"
    r"begintijd|start ?time|tijd van voltooien|completion ?time|e-?mail|e-?mailadres|email address|"
    r"naam|name|laatste wijzigingstijd|last modified time|tijdstempel|timestamp|ip ?address|ipaddress|"
    r"status|progress|duration.*|finished|recordeddate|recorded ?date|distributionchannel|userlanguage|"
    r"locationlatitude|locationlongitude|externalreference|externaldatareference|recipient.*|"
    r"submitdate|datum verstuurd|lastpage|laatste pagina|startlanguage|taal|seed|startdate|datestamp|"
    r"refurl|custom data 1|first name|last name|voornaam|achternaam)$", re.I)

LAYOUT_NAMES = {
    "long": "Lange tabel (respondent, stelling, antwoord)",
    "qualtrics": "Qualtrics (drie koprijen)",
    "surveymonkey": "SurveyMonkey (twee koprijen)",
    "google": "Google Forms (rasterkolommen 'Titel [rij]')",
    "msforms": "Microsoft Forms",
    "limesurvey": "LimeSurvey",
    "dutch_excel": "Excel met Nederlandse instellingen (puntkomma's)",
    "generic": "Tabel met koprij",
}


@dataclass
class Layout:
    kind: str
    header_rows: int
    headers: list[list[str]]  # per column: its header cells, most telling first
    labels: list[str]          # per column: the name shown to users

    @property
    def name(self) -> str:
        return LAYOUT_NAMES[self.kind]


def _is_import_id(cell: str) -> bool:
    return cell.strip().startswith("{") and "importid" in cell.lower()


def _is_header_row(row: list[str], matcher: StatementMatcher, index: int, is_answer) -> bool:
    if index == 0:
        return True
    if any(_is_import_id(c) for c in row):
        return True
    cells = [c.strip() for c in row if c.strip()]
    if cells and sum(c.lower() in SURVEYMONKEY_MARKERS for c in cells) >= 1 and _looks_like_row_texts(row, matcher):
        return True
    # Answer descriptions resemble statement texts, so a cell that is an answer is no header.
    return any(not c.strip().isdigit() and not is_answer(c) and matcher.match_text(c) is not None
               for c in cells)


def _looks_like_row_texts(row: list[str], matcher: StatementMatcher) -> bool:
    return any(matcher.match_text(c) is not None for c in row if len(c) > 20) or all(
        c.strip().lower() in SURVEYMONKEY_MARKERS or not c.strip() for c in row)


def find_header_rows(top: list[list[str]], matcher: StatementMatcher, is_answer) -> int:
    last = 0
    for index, row in enumerate(top[:MAX_HEADER_ROWS]):
        if _is_header_row(row, matcher, index, is_answer):
            last = index
    return last + 1


def _column_headers(top: list[list[str]], n_header: int, width: int) -> list[list[str]]:
    rows = [[(r[i] if i < len(r) else "").strip() for i in range(width)] for r in top[:n_header]]
    headers = []
    for col in range(width):
        cells = [row[col] for row in rows if row[col] and not _is_import_id(row[col])]
        # A matrix title stands only above the first of its columns; carry it to the right.
        for row in rows[:-1]:
            if not row[col] and n_header > 1:
                left = next((row[c] for c in range(col - 1, -1, -1) if row[c]), "")
                if left and not _is_import_id(left):
                    cells.append(left)
        headers.append(sorted(cells, key=lambda c: c.lower() in SURVEYMONKEY_MARKERS))
    return headers


def _label(cells: list[str], col: int) -> str:
    useful = [c for c in cells if c.lower() not in SURVEYMONKEY_MARKERS]
    if not useful:
        return f"Kolom {col + 1}"
    longest = max(useful, key=len)
    return longest if len(useful) == 1 or len(longest) > 3 else useful[0]


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result


def is_long_header(row: list[str]) -> bool:
    names = {c.strip().lower() for c in row}
    return bool(names & RESPONDENT_NAMES and names & STATEMENT_NAMES and names & ANSWER_NAMES)


def detect_layout(top: list[list[str]], matcher: StatementMatcher, info: dict, is_answer) -> Layout:
    """Header rows, per-column headers and the tool; ``is_answer(cell)`` tells answer cells apart."""
    width = max((len(r) for r in top), default=0)
    if top and is_long_header(top[0]):
        labels = _unique([c.strip() or f"Kolom {i + 1}" for i, c in enumerate(top[0])])
        return Layout("long", 1, [[c] for c in labels], labels)
    n_header = find_header_rows(top, matcher, is_answer)
    headers = _column_headers(top, n_header, width)
    labels = _unique([_label(cells, i) for i, cells in enumerate(headers)])
    return Layout(_kind(top[:n_header], headers, info), n_header, headers, labels)


def _kind(header_rows: list[list[str]], headers: list[list[str]], info: dict) -> str:
    cells = {c.strip().lower() for row in header_rows for c in row}
    if any(_is_import_id(c) for row in header_rows for c in row):
        return "qualtrics"
    if len(header_rows) >= 2 and cells & {"respondent id", "collector id", "response"}:
        return "surveymonkey"
    if cells & {"tijdstempel", "timestamp"} or any(
            re.search(r"\[[^\]]+\]\s*$", c) for c in cells if " " in c):
        return "google"
    if cells & {"begintijd", "start time", "tijd van voltooien", "completion time"}:
        return "msforms"
    if cells & {"submitdate", "lastpage", "startlanguage", "datum verstuurd", "laatste pagina"} or any(
            re.match(r"^\w+\[sq\d+\]$", c) for c in cells):
        return "limesurvey"
    if info.get("delimiter") == ";":
        return "dutch_excel"
    return "generic"
