"""Recognise statements in column headers and levels in answer cells.

Survey tools write the same statement as "Stelling 7", "Q7", "7. De uitvoerende ...",
"Titel [7. ...]" or a slightly retyped text; answers come as labels in any case, as the full
option description, or as numbers. This module is where all those spellings meet the
instrument, so that the ingest and the fix-up editor agree on what a header or value means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from analysis.instrument import Instrument

MISSING = -1
UNKNOWN = 0
TEXT_MATCH_MIN = 88
TEXT_MATCH_MARGIN = 4

# Codes like Q7, Q07, SQ007, Q1_7 (matrix row 7), DSB[SQ007] or, as LimeSurvey names questions since version 4,
# G01Q02[SQ007] (G01Q02_SQ007 in its R and SPSS exports): only trusted without real text.
_CODES = [
    re.compile(r"^(?:[a-z][a-z0-9]*[_\[.])?(?:sq|q|s)0*(\d{1,3})\]?$", re.I),
    re.compile(r"^q\d+_0*(\d{1,3})$", re.I),
]
_BRACKET = re.compile(r"^(.*)\[([^\[\]]+)\]\s*$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NUMBERING = re.compile(r"^\s*(?:stelling|vraag|statement|item)?\s*\d{1,3}(?:\.\d{1,2})?\s*[.):-]?\s+", re.I)
_WHOLE_NUMBER = re.compile(r"^\s*(-?\d+)(?:[.,]0+)?\s*$")
_NUMBER_THEN_TEXT = re.compile(r"^(\d)\s+(.*)$")
_LIST_SEPARATOR = re.compile(r"\s*[;,]\s*")
_VARIATION_SELECTORS = re.compile("[\ufe0e\ufe0f]")
_ALTERNATIVES = re.compile(r"[/|()]")
# White space and invisible format characters (zero-width space and joiners, direction marks, word joiner, byte
# order mark, soft hyphen): a cell holding only those looks empty, so it is empty. Fails at the first visible one.
_LOOKS_EMPTY = re.compile("[\\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]*")


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, white space folded."""
    return _normalised(str(text))


@lru_cache(maxsize=4096)  # the same headers and answer labels are asked for by every instrument and step
def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _NOT_ALNUM.sub(" ", text.lower())
    return text.strip()


def _strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text)


def id_key(value) -> str:
    """An id as headers write it, without leading zeros: 7, "07" -> "7"; "1.03" -> "1.3"."""
    return ".".join(str(int(part)) for part in str(value).split("."))


@dataclass
class StatementMatcher:
    """Maps header texts to statement ids of one instrument."""

    instrument: Instrument

    def __post_init__(self):
        self._ids = self.instrument.statement_ids
        self._texts = [normalise(s.text) for s in self.instrument.statements]
        self._word_counts = [len(t.split()) for t in self._texts]
        self._fewest_words = min(self._word_counts, default=0)
        self._by_key = {id_key(i): i for i in self._ids}
        kind = self.instrument.kind
        self._numbered = [re.compile(p.replace("{id}", kind.header_id), re.I) for p in kind.header_patterns]

    def by_text(self, header: str) -> int | None:
        text = normalise(_strip_numbering(header))
        if len(text) < 20:
            return None
        best = process.extract(text, self._texts, scorer=fuzz.ratio, limit=2)
        if best and best[0][1] >= TEXT_MATCH_MIN and (
                len(best) < 2 or best[0][1] - best[1][1] >= TEXT_MATCH_MARGIN):
            return self._ids[best[0][2]]
        # Exports that cut long question texts keep a prefix of the statement.
        if len(text) >= 60:
            prefixed = [i for i, t in enumerate(self._texts) if t.startswith(text)]
            if len(prefixed) == 1:
                return self._ids[prefixed[0]]
        return self._by_tail(text)

    def _by_tail(self, text: str) -> int | None:
        """A question title before the statement in one cell, joined by whatever the tool or analyst used
        ("Hoe ver is uw organisatie?.<statement>", a line break, a space): the header's last words are the
        statement's (a word more or less, as in a retyped text)."""
        words = text.split()
        if len(words) <= self._fewest_words:
            return None
        best: dict[int, float] = {}
        for index, (statement, count) in enumerate(zip(self._texts, self._word_counts)):
            tails = (" ".join(words[-n:]) for n in (count - 1, count, count + 1) if 0 < n < len(words))
            best[index] = max((fuzz.ratio(tail, statement) for tail in tails), default=0)
        ranked = sorted(best, key=best.get, reverse=True)
        first = ranked[0]
        if best[first] >= TEXT_MATCH_MIN and (len(ranked) < 2 or best[first] - best[ranked[1]] >= TEXT_MATCH_MARGIN):
            return self._ids[first]
        return None

    def known_id(self, value) -> int | str | None:
        """VALUE as one of the instrument's ids (7, "07" or "Stelling 7"; "1.3"), or None."""
        try:
            return self._by_key.get(id_key(value))
        except ValueError:
            return self.by_number(str(value))

    def by_number(self, header: str) -> int | str | None:
        for pattern in self._numbered:
            match = pattern.match(header.strip())
            if match and id_key(match.group(1)) in self._by_key:
                return self._by_key[id_key(match.group(1))]
        return None

    def by_code(self, header: str) -> int | None:
        if not self.instrument.kind.code_headers:
            return None
        for pattern in _CODES:
            match = pattern.match(header.strip())
            if match and int(match.group(1)) in self._ids:
                return int(match.group(1))
        return None

    @staticmethod
    def _parts(header: str) -> list[str]:
        header = " ".join(str(header).split())  # line breaks inside a header cell are spaces
        if not header:
            return []
        parts = [header]
        bracket = _BRACKET.match(header)
        if bracket:
            parts = [bracket.group(2), bracket.group(1)]
        for separator in (" - ", " – ", ": "):
            if separator in header:
                parts.extend(p for p in header.split(separator) if len(p) > 20)
        return parts

    def match_text(self, header: str) -> int | None:
        """Statement id for one header cell, by its text or its number; None if neither."""
        return self.match([header], allow_codes=False)

    def match(self, headers: list[str], allow_codes: bool = True) -> int | None:
        """Statement id for a column described by one or more header cells (multi-row headers).

        Text wins over numbers, numbers over bare codes: a matrix title such as "Stelling 1-24"
        or a Qualtrics id "Q1" must not outrank the statement's own text.
        """
        parts = [part for header in headers for part in self._parts(header)]
        for finder in (self.by_text, self.by_number):
            for part in parts:
                found = finder(part)
                if found is not None:
                    return found
        if allow_codes and all(len(h.strip()) < 15 for h in headers):
            for header in headers:
                found = self.by_code(header)
                if found is not None:
                    return found
        return None


def is_unknown_pair(text: str, unknown: set[str]) -> bool:
    """Whether TEXT joins spellings of 'unknown' ("Weet ik niet / n.v.t.", "Niet van toepassing (n.v.t.)"), as
    survey options often do: every part between slashes or brackets is one."""
    parts = [normalise(part) for part in _ALTERNATIVES.split(text)]
    parts = [part for part in parts if part]
    return len(parts) >= 2 and all(part in unknown for part in parts)


def _number_level(text: str, max_level: int) -> int | None:
    match = _WHOLE_NUMBER.match(text)
    if not match:
        return None
    return int(match.group(1))


@dataclass
class AnswerMapper:
    """Maps raw answer cells to levels (1..max), UNKNOWN or MISSING; None when not understood."""

    instrument: Instrument

    def __post_init__(self):
        scale = self.instrument
        self._labels = {normalise(label): i + 1 for i, label in enumerate(scale.level_labels)}
        # A checklist's spellings (ja, x, ✓, waar, 1 ...): symbols have no normalised form, so raw too.
        self._aliases = {key: level for level, aliases in enumerate(scale.answer_aliases, start=1)
                         for alias in aliases for key in {normalise(alias), alias.strip().lower()} if key}
        self._unknown = {normalise(a) for a in (scale.unknown_label, *scale.unknown_aliases)}
        self._descriptions = {
            s.id: {normalise(d): i + 1 for i, d in enumerate(s.level_descriptions)}
            for s in scale.statements}
        self._label_pattern = re.compile(
            r"^\s*(?:(\d)\s*[-.:)]?\s*)?(" + "|".join(sorted(map(re.escape, self._labels), key=len,
                                                             reverse=True)) + r")\b(.*)$")

    def map_value(self, raw: str, statement_id: int | None = None) -> int | None:
        text = _VARIATION_SELECTORS.sub("", str(raw)).strip()  # "✔️" is "✔" drawn as an emoji
        if not text or text in {"-", "—"} or _LOOKS_EMPTY.fullmatch(text):
            return MISSING
        key = normalise(text)
        if key in self._labels:
            return self._labels[key]
        alias = self._aliases.get(text.lower()) or self._aliases.get(key)
        if alias is not None:
            return alias
        if key in self._unknown or text.lower().startswith("onbekend") or is_unknown_pair(text, self._unknown):
            return UNKNOWN
        number = _number_level(text, self.instrument.max_level) if self.instrument.kind.numeric_answers else None
        if number is not None:
            return number if 1 <= number <= self.instrument.max_level else None
        return self._by_label_prefix(key) or self._by_description(key, statement_id)

    def _by_label_prefix(self, key: str) -> int | None:
        # "4 - Gevorderd", "Gevorderd (4)", "Gevorderd: een groot deel van ..."
        match = self._label_pattern.match(key)
        if match:
            level = self._labels[match.group(2)]
            if match.group(1) is None or int(match.group(1)) == level:
                rest = match.group(3).strip()
                if not rest or rest == str(level) or len(rest) > 15:
                    return level
        match = _NUMBER_THEN_TEXT.match(key)
        if match and match.group(2) in self._labels and self._labels[match.group(2)] == int(match.group(1)):
            return int(match.group(1))
        return None

    def _by_description(self, key: str, statement_id: int | None) -> int | None:
        tables = ([self._descriptions[statement_id]] if statement_id in self._descriptions
                  else list(self._descriptions.values()))
        for table in tables:
            if key in table:
                return table[key]
        if len(key) < 25:
            return None
        for table in tables:
            best = process.extractOne(key, list(table), scorer=fuzz.ratio, score_cutoff=90)
            if best:
                return table[best[0]]
        return None

    def is_out_of_range(self, raw: str) -> bool:
        if not self.instrument.kind.numeric_answers:
            return False
        number = _number_level(str(raw), self.instrument.max_level)
        return number is not None and not 1 <= number <= self.instrument.max_level


@dataclass
class TickedItems:
    """What one multi-select cell says: the items ticked, whether 'unknown' was chosen, and what was left over."""

    items: frozenset
    unknown: bool
    leftovers: tuple[str, ...]


MAX_REMEMBERED = 4096


@lru_cache(maxsize=8)
def statement_matcher(instrument: Instrument) -> StatementMatcher:
    """One matcher per instrument and process (it only reads the instrument): choosing the sheet, the instrument
    and the layout of one file asked for a new one four times."""
    return StatementMatcher(instrument)


@lru_cache(maxsize=8)
def answer_mapper(instrument: Instrument) -> AnswerMapper:
    """One mapper per instrument and process, for the same reason as ``statement_matcher``."""
    return AnswerMapper(instrument)


@lru_cache(maxsize=8)
def item_finder(instrument: Instrument) -> ItemFinder:
    """One finder per instrument and process: its patterns take a while to compile."""
    return ItemFinder(instrument)


class ItemFinder:
    """Reads a multi-select ("selectievakjes") cell by finding the instrument's item texts in it.

    Google Forms joins ticked options with ", " and Microsoft Forms with ";", but item texts contain
    commas themselves, so a cell is never split on the separator first: known texts are found (any
    case, spacing or punctuation between the words), and only what remains is split and matched
    loosely against the items not yet found (a retyped option). Anything still left is reported.
    """

    def __init__(self, instrument: Instrument):
        self.instrument = instrument
        # Compiled only for a cell that holds every word of the item: most cells hold none, and compiling all
        # of an instrument's patterns costs more than reading a 10,000-row file's other columns.
        self._items = [(s.id, tuple(s.text.split()), [_fold(word) for word in s.text.split()])
                       for s in instrument.statements]
        self._texts = {s.id: normalise(s.text) for s in instrument.statements}
        self._unknown = {normalise(a) for a in (instrument.unknown_label, *instrument.unknown_aliases)}
        self._named: dict[str, bool] = {}

    def read(self, cell: str) -> TickedItems:
        rest, found = str(cell), set()
        for item_id, pattern in self._candidates(rest):
            rest, hits = pattern.subn(" ; ", rest)
            if hits:
                found.add(item_id)
        fragments = [f for f in _LIST_SEPARATOR.split(rest) if normalise(f)]
        said_unknown = [normalise(f) in self._unknown or is_unknown_pair(f, self._unknown) for f in fragments]
        unknown = any(said_unknown)
        fragments = [f for f, said in zip(fragments, said_unknown) if not said]
        leftovers = self._loose(fragments, found)
        return TickedItems(frozenset(found), unknown, tuple(leftovers))

    def _loose(self, fragments: list[str], found: set) -> list[str]:
        """Join neighbouring fragments (an option with commas) and match them to items not found yet."""
        leftovers, start = [], 0
        while start < len(fragments):
            for end in range(len(fragments), start, -1):
                joined = normalise(" ".join(fragments[start:end]))
                candidates = {i: t for i, t in self._texts.items() if i not in found}
                best = process.extractOne(joined, candidates, scorer=fuzz.ratio, score_cutoff=TEXT_MATCH_MIN)
                if len(joined) >= 20 and best:
                    found.add(best[2])
                    start = end
                    break
            else:
                leftovers.append(fragments[start].strip())
                start += 1
        return leftovers

    def ticks_in(self, cells: list[str]) -> int:
        """How many of CELLS name at least one item: evidence that a column is a multi-select one."""
        return sum(1 for c in cells if self._names_item(c))

    def items_named(self, cell: str) -> int:
        """How many items CELL names by their text (as ``read`` finds them first, without its loose matching)."""
        return len(self.named_items(cell))

    def named_items(self, cell: str) -> frozenset:
        """The items CELL names by their text (as ``read`` finds them first, without its loose matching)."""
        if not self._names_item(cell):
            return frozenset()
        return frozenset(item_id for item_id, pattern in self._candidates(cell) if pattern.search(cell))

    def _names_item(self, cell: str) -> bool:
        """Whether CELL names an item, worked out once per distinct text: the top rows that choose the instrument
        and the sheet repeat the same few answers in every column."""
        named = self._named.get(cell)
        if named is None:
            named = bool(cell.strip()) and any(p.search(cell) for _, p in self._candidates(cell))
            if len(self._named) >= MAX_REMEMBERED:
                self._named.clear()  # the finder lives as long as the process: keep what it remembers bounded
            self._named[cell] = named
        return named

    def _candidates(self, cell: str):
        """(item id, pattern) of the items whose every word CELL holds, in the instrument's order."""
        folded = _fold(cell)
        for item_id, words, folded_words in self._items:
            if all(word in folded for word in folded_words):
                yield item_id, _item_pattern(words, str(item_id))


def _fold(text: str) -> str:
    """TEXT for a quick look whether a pattern with re.I can match: the Turkish dotted and dotless i first
    become i (re.I lets 'i' match them, casefold does not)."""
    return text.translate(_TURKISH_I).casefold()


_TURKISH_I = {0x130: "i", 0x131: "i"}


@lru_cache(maxsize=512)
def _item_pattern(words: tuple[str, ...], item_id: str) -> re.Pattern:
    """An item's text with any case, spacing or punctuation between its words; with its own id before it
    ("1.3 ...", "1.3. ...", "(1.3) ...", "Item 1.3: ...") or after it ("... (1.3)") when the form numbers its
    options, so the number is part of the tick and not a value left over."""
    number = re.escape(item_id)
    before = rf"(?:(?:item\s*)?\(?{number}\)?[.:)]?\s*(?:[-\u2013]\s+)?)?"
    after = rf"(?:\s*\(\s*{number}\s*\))?"
    return re.compile(r"(?<!\w)" + before + r"[\W_]+".join(map(re.escape, words)) + r"(?!\w)" + after, re.I)
