"""Work out which rows of a grid are headers and which survey tool wrote the export.

Qualtrics puts three header rows on top (ids, question text, ImportId), SurveyMonkey two
(matrix title above the row text); most others one, sometimes below a title line. Instead of
trusting a named preset the decision is made on evidence from whole rows: the *main* header row
is the one that names the most statements; rows directly above it that look like headers (several
cells, no answers under statements) join it, lines further up are titles; a row below it joins
only when it carries Qualtrics' ImportId markers or names as many statements itself. So an answer
such as "3.5" or a value "2. Klantmanager" can never turn answer rows into headers. The rows
taken as headers and titles are part of the result, so the ingest can report them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.ingest.matching import StatementMatcher
from analysis.ingest.survey_tools import fold, is_system_column, layout_names, markers

TOP_ROWS = 12
SURVEYMONKEY_MARKERS = {"response", "open-ended response", "antwoord", "open antwoord"}

# A long file's column names, compared as ``long_name`` gives them ("Respondent-ID", "Stelling nr.", "Antwoord
# (niveau)" are "respondent id", "stelling nr", "antwoord").
RESPONDENT_NAMES = {"respondent", "respondent id", "respondent_id", "respondentid", "respondentnummer",
                    "deelnemer", "deelnemer id", "id", "response id", "responseid", "persoon", "naam", "medewerker",
                    "respondent nr", "deelnemersnummer"}
STATEMENT_NAMES = {"stelling", "statement", "vraag", "item", "question", "stelling id", "stelling_id",
                   "stellingnummer", "stelling nr", "vraagnummer", "vraag nr", "item id", "itemnummer"}
ANSWER_NAMES = {"antwoord", "answer", "score", "waarde", "value", "niveau", "level", "response",
                "antwoordoptie", "keuze", "antwoordkeuze"}
_NOTE = re.compile(r"\s*\(.*\)$")

LAYOUT_NAMES = layout_names()


@dataclass
class Layout:
    kind: str
    header_rows: int                # grid rows up to and including the last header row
    headers: list[list[str]]        # per column: its header cells, most telling first
    labels: list[str]               # per column: the name shown to users
    header_row_numbers: list[int] = field(default_factory=list)  # 1-based rows taken as headers
    title_row_numbers: list[int] = field(default_factory=list)   # 1-based rows above them, skipped

    @property
    def name(self) -> str:
        return LAYOUT_NAMES[self.kind]


def _is_import_id(cell: str) -> bool:
    return cell.strip().startswith("{") and "importid" in cell.lower()


def _filled(row: list[str]) -> list[int]:
    return [i for i, c in enumerate(row) if c.strip()]


def _statements_in(row: list[str], matcher: StatementMatcher, is_answer, memo: dict | None = None,
                   codes: bool = False) -> dict[int, int]:
    """Column -> statement for the cells of ROW that name a statement and are no answer or bare number.

    By text or number ("Stelling 7", "7. ..."); with CODES also by bare codes such as "Q7" or "SQ007".
    """
    memo = {} if memo is None else memo
    found = {}
    for i, cell in enumerate(row):
        text = cell.strip()
        if text not in memo:
            plain = not text or text.isdigit() or _is_import_id(text) or is_answer(text)
            memo[text] = (None, None) if plain else (matcher.match_text(text), matcher.match([text]))
        statement = memo[text][1] if codes else memo[text][0]
        if statement is not None:
            found[i] = statement
    return found


def _evidence(top, matcher, is_answer) -> list[dict[int, int]]:
    """Per row the statements it names: by text or number, or by codes when no row names any otherwise."""
    memo: dict = {}
    found = [_statements_in(r, matcher, is_answer, memo) for r in top[:TOP_ROWS]]
    if not any(found):
        found = [_statements_in(r, matcher, is_answer, memo, codes=True) for r in top[:TOP_ROWS]]
    return found


def statement_evidence(top: list[list[str]], matcher: StatementMatcher, is_answer) -> int:
    """How many different statements the best row of TOP names: used to choose among sheets."""
    return max((len(set(f.values())) for f in _evidence(top, matcher, is_answer)), default=0)


def _main_row(top, found) -> int | None:
    counts = [len(set(f.values())) for f in found]
    if not any(counts):
        return next((i for i, r in enumerate(top) if _filled(r)), None)
    return max(range(len(counts)), key=lambda i: (counts[i], -i))


def _joins_above(row: list[str], statement_columns: set[int], is_answer) -> bool:
    cells = _filled(row)
    if len(cells) < 2:
        return False
    return not any(is_answer(row[i]) for i in cells if i in statement_columns)


def _joins_below(row: list[str], found: dict[int, int], main_count: int) -> bool:
    if any(_is_import_id(c) for c in row):
        return True
    return main_count > 0 and len(set(found.values())) * 2 >= main_count


def find_header_rows(top: list[list[str]], matcher: StatementMatcher, is_answer) -> tuple[list[int], list[int], int]:
    """Indices of the header rows, of the title rows above them, and of the main header row."""
    top = top[:TOP_ROWS]
    found = _evidence(top, matcher, is_answer)
    main = _main_row(top, found)
    if main is None:
        return [], [], 0
    statement_columns = set(found[main])
    first = main
    while first > 0 and _filled(top[first - 1]) and _joins_above(top[first - 1], statement_columns, is_answer):
        first -= 1
    last = main
    main_count = len(set(found[main].values()))
    while last + 1 < len(top) and _filled(top[last + 1]) and _joins_below(top[last + 1], found[last + 1],
                                                                           main_count):
        last += 1
    titles = [i for i in range(first) if _filled(top[i])]
    return list(range(first, last + 1)), titles, main


def _carried(row: list[str]) -> list[str]:
    """A matrix title stands only above the first of its columns: carry it to the right in one pass."""
    carried, current = [], ""
    for cell in row:
        if cell and not _is_import_id(cell):
            current = cell
        carried.append(cell or current)
    return carried


def _column_headers(top: list[list[str]], rows: list[int], width: int) -> list[list[str]]:
    # A header cell may hold a line break (question plus subtitle): one line with single spaces.
    grid = [[" ".join((top[r][i] if i < len(top[r]) else "").split()) for i in range(width)] for r in rows]
    upper = [_carried(row) if len(rows) > 1 else row for row in grid[:-1]]
    headers = []
    for col in range(width):
        cells = [row[col] for row in grid if row[col] and not _is_import_id(row[col])]
        cells += [row[col] for row, raw in zip(upper, grid[:-1]) if row[col] and not raw[col]]
        headers.append(sorted(cells, key=lambda c: c.lower() in SURVEYMONKEY_MARKERS))
    return headers


def _label(main_cell: str, cells: list[str], col: int) -> str:
    if main_cell and main_cell.lower() not in SURVEYMONKEY_MARKERS and not _is_import_id(main_cell):
        return main_cell
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


def long_name(cell: str) -> str:
    """A header cell as a long file's column name: lower case, spaces, underscores, hyphens and dots folded, and a
    note in brackets at the end left off."""
    return fold(_NOTE.sub("", fold(cell)))


def is_long_header(row: list[str]) -> bool:
    names = {long_name(c) for c in row}
    return bool(names & _folded(RESPONDENT_NAMES) and names & _folded(STATEMENT_NAMES)
                and names & _folded(ANSWER_NAMES))


def _folded(names: set[str]) -> set[str]:
    return {fold(n) for n in names}


def detect_layout(top: list[list[str]], matcher: StatementMatcher, info: dict, is_answer) -> Layout:
    """Header rows, per-column headers and the tool; ``is_answer(cell)`` tells answer cells apart."""
    width = max((len(r) for r in top), default=0)
    first = next((i for i, r in enumerate(top) if _filled(r)), 0)
    if top and is_long_header(top[first]):
        labels = _unique([c.strip() or f"Kolom {i + 1}" for i, c in enumerate(top[first])])
        return Layout("long", first + 1, [[c] for c in labels], labels, [first + 1],
                      [i + 1 for i in range(first) if _filled(top[i])])
    rows, titles, main = find_header_rows(top, matcher, is_answer)
    if not rows:
        return Layout("generic", 0, [[] for _ in range(width)], [f"Kolom {i + 1}" for i in range(width)])
    headers = _column_headers(top, rows, width)
    main_row = [" ".join((top[main][i] if i < len(top[main]) else "").split()) for i in range(width)]
    labels = _unique([_label(main_row[i], cells, i) for i, cells in enumerate(headers)])
    kind = _kind([top[r] for r in rows], info)
    return Layout(kind, rows[-1] + 1, headers, labels, [r + 1 for r in rows], [t + 1 for t in titles])


_LIMESURVEY_CODE = re.compile(r"^\w+\[sq\d+\]$", re.I)


def _kind(header_rows: list[list[str]], info: dict) -> str:
    cells = {fold(c) for row in header_rows for c in row if c.strip()}
    raw = [c.strip() for row in header_rows for c in row if c.strip()]
    if any(_is_import_id(c) for c in raw):
        return "qualtrics"
    if len(header_rows) >= 2 and (cells & markers("surveymonkey") or cells & SURVEYMONKEY_MARKERS):
        return "surveymonkey"
    if cells & markers("limesurvey") or any(_LIMESURVEY_CODE.match(c) for c in raw):
        return "limesurvey"
    if cells & markers("msforms"):
        return "msforms"
    if cells & markers("surveymonkey"):
        return "surveymonkey"
    if cells & markers("google"):
        return "google"
    if info.get("delimiter") == ";":
        return "dutch_excel"
    return "generic"


def is_bookkeeping(label: str, headers: list[str]) -> bool:
    """A survey tool's own column (ids, timestamps, language, ...), by its label or any header cell."""
    return is_system_column(label) or any(is_system_column(h) for h in headers)
