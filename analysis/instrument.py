"""The instruments as data: questions, their groups, the answers and the material for next steps.

Content lives in YAML files under ``instruments/`` so an organisation can correct a text or add
a URL without touching code, and so more than one instrument can exist side by side. This
module loads such a file and checks it, naming the exact place of anything that is wrong.

Two kinds share one model (``analysis.kinds``): a level scale, whose statements in themes are
answered Inactief .. Vergevorderd (level values 1..5), and a checklist, whose items in blocks are
answered Nee/Ja (level values 0 and 1, so a score is the share met). Everything downstream works on
answer codes 1..max_level and asks the instrument what a code is worth and how to say it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.kinds import KINDS, Kind

INSTRUMENT_DIR = Path(__file__).resolve().parent.parent / "instruments"
DEFAULT_INSTRUMENT_ID = "quickscan-dsb"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


_NOTE_MARK = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


class InstrumentError(ValueError):
    """A malformed instrument file; the message says where, in Dutch."""


@dataclass(frozen=True)
class ReadingItem:
    title: str
    publisher: str | None = None
    url: str | None = None
    publisher_url: str | None = None


@dataclass(frozen=True)
class ExplanationBlock:
    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class TipGroup:
    heading: str | None
    items: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    title: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A checklist's explanatory section: the material for the next step of the items that point to it."""

    id: str
    block: str
    title: str
    text: tuple[ExplanationBlock, ...] = ()
    tips: tuple[TipGroup, ...] = ()
    examples: tuple[Example, ...] = ()
    reading: tuple[ReadingItem, ...] = ()
    note: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class StepMaterial:
    """What a checklist item's next step draws on: its section, and tips, examples and reading found for it."""

    section: Section | None
    tips: tuple[TipGroup, ...]
    examples: tuple[Example, ...]
    reading: tuple[ReadingItem, ...]


@dataclass(frozen=True)
class Statement:
    """One question: a scale's statement (id 1..24) or a checklist's item (id "1.1")."""

    id: int | str
    theme: str
    text: str
    level_descriptions: tuple[str, ...]
    explanation: tuple[ExplanationBlock, ...] = ()
    reading: tuple[ReadingItem, ...] = ()
    references: tuple[ReadingItem, ...] = ()
    note: str | None = None
    group: str | None = None    # a checklist's sub-group (Outreachend werken, Voorbereiding, ...)
    section: str | None = None  # a checklist item's section with tips, examples and reading

    def level_description(self, level: int) -> str:
        return self.level_descriptions[level - 1]


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    short_title: str
    description: str
    level_labels: tuple[str, ...]
    unknown_label: str
    unknown_aliases: tuple[str, ...]
    themes: tuple[str, ...]
    statements: tuple[Statement, ...]
    source: str = field(default="", compare=False)
    kind: Kind = KINDS["scale"]
    level_values: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0)  # what each answer code 1..max is worth
    answer_aliases: tuple[tuple[str, ...], ...] = ()  # per answer code, spellings beyond its label
    sections: tuple[Section, ...] = field(default=(), compare=False)
    theme_introductions: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), compare=False)
    theme_reading: tuple[tuple[str, tuple[ReadingItem, ...]], ...] = field(default=(), compare=False)
    # Blocks whose sub-groups are phases passed in order (Proces: Voorbereiding, Verandering, Verankering).
    phases: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = field(default=(), compare=False)
    # The source's notes (number, text): its texts cite them with superscript numbers ("... achtertuintjes".⁵).
    footnotes: tuple[tuple[int, str], ...] = field(default=(), compare=False)

    def cited_notes(self, texts) -> list[tuple[str, str]]:
        """The notes TEXTS cite, in order of first citation, each as (its mark, its text): ("⁵", "Khonraad ...")."""
        notes, cited = dict(self.footnotes), {}
        for text in texts:
            for mark in _NOTE_MARK.findall(text or ""):
                number = int(mark.translate(_SUPERSCRIPT_DIGITS))
                if number in notes:
                    cited.setdefault(mark, notes[number])
        return list(cited.items())

    def step_material(self, statement: Statement) -> StepMaterial:
        """An item's section material; what its own section lacks comes from the section above it, and
        reading last from its block's list, so every item has something to go on."""
        section = self.section(statement.section)
        chain, current = [], section
        while current is not None and current not in chain:
            chain.append(current)
            current = self.section(current.parent)

        def first(attribute: str) -> tuple:
            return next((getattr(s, attribute) for s in chain if getattr(s, attribute)), ())
        reading = first("reading") or dict(self.theme_reading).get(statement.theme, ())
        return StepMaterial(section, first("tips"), first("examples"), reading)

    @property
    def score_scale(self):
        """The chart axis of this instrument's scores (``analysis.kinds.ScoreScale``)."""
        return self.kind.score_scale(self.level_labels)

    def section(self, section_id: str | None) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def introduction(self, theme: str) -> tuple[str, ...]:
        return dict(self.theme_introductions).get(theme, ())

    def score_text(self, score) -> str:
        """A score as people read it, with its level where the kind has levels: "2,80 · Goed op weg"."""
        text = self.kind.score_text(score)
        if self.kind.has_levels and score is not None and score == score:
            return f"{text} · {self.level_label(min(max(int(float(score) + 0.5), 1), self.max_level))}"
        return text

    @property
    def statement_ids(self) -> list[int]:
        return [s.id for s in self.statements]

    @property
    def max_level(self) -> int:
        return len(self.level_labels)

    def statement(self, statement_id: int) -> Statement:
        for statement in self.statements:
            if statement.id == statement_id:
                return statement
        raise KeyError(statement_id)

    def statements_in(self, theme: str) -> list[Statement]:
        return [s for s in self.statements if s.theme == theme]

    def level_label(self, level: int) -> str:
        return self.level_labels[level - 1]


def _require(mapping: dict, key: str, where: str, kind: type = str):
    if not isinstance(mapping, dict):
        raise InstrumentError(f"{where}: verwacht een lijst van velden, gevonden: {type(mapping).__name__}.")
    if key not in mapping or mapping[key] in (None, ""):
        raise InstrumentError(f"{where}: het veld '{key}' ontbreekt.")
    value = mapping[key]
    if not isinstance(value, kind):
        raise InstrumentError(f"{where}: het veld '{key}' heeft een onjuist type ({type(value).__name__}).")
    return value


def _reading_items(raw: list | None, where: str) -> tuple[ReadingItem, ...]:
    items = []
    for index, item in enumerate(raw or [], start=1):
        here = f"{where}, item {index}"
        title = item.get("title") if isinstance(item, dict) else None
        if not title:
            title = _require(item, "label", here)
        url = item.get("url")
        if url is not None and not str(url).startswith(("http://", "https://")):
            raise InstrumentError(f"{here}: de URL '{url}' begint niet met http:// of https://.")
        items.append(ReadingItem(title=str(title), publisher=item.get("publisher"), url=url,
                                 publisher_url=item.get("publisher_url")))
    return tuple(items)


def _statement(raw: dict, index: int, themes: tuple[str, ...], n_levels: int) -> Statement:
    where = f"stelling {index}"
    statement_id = _require(raw, "id", where, int)
    where = f"stelling {statement_id}"
    theme = _require(raw, "theme", where)
    if theme not in themes:
        raise InstrumentError(f"{where}: thema '{theme}' staat niet in de lijst met thema's {list(themes)}.")
    levels = _require(raw, "levels", where, list)
    if len(levels) != n_levels or not all(isinstance(t, str) and t.strip() for t in levels):
        raise InstrumentError(
            f"{where}: verwacht {n_levels} niveaubeschrijvingen (tekst), gevonden: {len(levels)}.")
    blocks = tuple(
        ExplanationBlock(heading=b.get("heading"), paragraphs=tuple(b.get("paragraphs") or ()))
        for b in raw.get("explanation") or ())
    return Statement(
        id=statement_id, theme=theme, text=_require(raw, "text", where),
        level_descriptions=tuple(levels), explanation=blocks,
        reading=_reading_items(raw.get("reading"), f"{where}, meer lezen"),
        references=_reading_items(raw.get("references"), f"{where}, verwijzingen"),
        note=raw.get("note"))


def parse_instrument(data: dict, source: str = "") -> Instrument:
    """Build an instrument from parsed YAML, raising InstrumentError on any defect."""
    if not isinstance(data, dict):
        raise InstrumentError("Het instrumentbestand bevat geen velden (verwacht een YAML-mapping).")
    kind = data.get("kind", "scale")
    if kind not in KINDS:
        raise InstrumentError(f"instrument: soort '{kind}' is onbekend; kies uit {sorted(KINDS)}.")
    return _PARSERS[kind](data, source)


def _check_complete(statements: tuple[Statement, ...], groups: tuple[str, ...], kind: Kind) -> None:
    """No number twice, no group without questions; said in the kind's words."""
    ids = [s.id for s in statements]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InstrumentError(f"{kind.item.capitalize()}nummer(s) komen dubbel voor: {duplicates}.")
    empty = [g for g in groups if not any(s.theme == g for s in statements)]
    if empty:
        raise InstrumentError(f"{kind.groups.capitalize()} zonder {kind.items}: {empty}.")


def _parse_scale(data: dict, source: str) -> Instrument:
    scale = _require(data, "scale", "instrument", dict)
    labels = tuple(lv["label"] for lv in _require(scale, "levels", "scale", list))
    themes = tuple(_require(t, "name", f"thema {i}") for i, t in
                   enumerate(_require(data, "themes", "instrument", list), start=1))
    raw_statements = _require(data, "statements", "instrument", list)
    statements = tuple(_statement(raw, i, themes, len(labels))
                       for i, raw in enumerate(raw_statements, start=1))
    _check_complete(statements, themes, KINDS["scale"])
    return Instrument(
        id=_require(data, "id", "instrument"), title=_require(data, "title", "instrument"),
        short_title=data.get("short_title") or data["title"], description=data.get("description", ""),
        level_labels=labels, unknown_label=_require(scale, "unknown_label", "scale"),
        unknown_aliases=tuple(scale.get("unknown_aliases") or ()), themes=themes,
        statements=statements, source=source, kind=KINDS["scale"],
        level_values=tuple(float(i) for i in range(1, len(labels) + 1)))


def _section(raw: dict, index: int, blocks: tuple[str, ...]) -> Section:
    where = f"sectie {index}"
    section_id = _require(raw, "id", where)
    where = f"sectie {section_id}"
    block = _require(raw, "block", where)
    if block not in blocks:
        raise InstrumentError(f"{where}: bouwsteen '{block}' staat niet in de lijst met bouwstenen {list(blocks)}.")
    return Section(
        id=section_id, block=block, title=_require(raw, "title", where),
        text=tuple(ExplanationBlock(b.get("heading"), tuple(b.get("paragraphs") or ())) for b in raw.get("text") or ()),
        tips=tuple(TipGroup(t.get("heading"), tuple(t.get("items") or ())) for t in raw.get("tips") or ()),
        examples=tuple(Example(e.get("title"), tuple(e.get("text") or ())) for e in raw.get("examples") or ()),
        reading=_reading_items(raw.get("reading"), f"{where}, leesmateriaal"), note=raw.get("note"),
        parent=raw.get("parent"))


def _item(raw: dict, index: int, blocks: tuple[str, ...], sections: set[str]) -> Statement:
    where = f"item {index}"
    item_id = str(_require(raw, "id", where))
    where = f"item {item_id}"
    block = _require(raw, "block", where)
    if block not in blocks:
        raise InstrumentError(f"{where}: bouwsteen '{block}' staat niet in de lijst met bouwstenen {list(blocks)}.")
    section = raw.get("section")
    if section is not None and section not in sections:
        raise InstrumentError(f"{where}: sectie '{section}' bestaat niet.")
    return Statement(id=item_id, theme=block, text=_require(raw, "text", where), level_descriptions=(),
                     group=raw.get("group"), section=section)


def _parse_checklist(data: dict, source: str) -> Instrument:
    answers = _require(data, "answers", "instrument", dict)
    met, not_met = _require(answers, "met", "answers", dict), _require(answers, "not_met", "answers", dict)
    unknown = _require(answers, "unknown", "answers", dict)
    raw_blocks = _require(data, "blocks", "instrument", list)
    blocks = tuple(_require(b, "name", f"bouwsteen {i}") for i, b in enumerate(raw_blocks, start=1))
    sections = tuple(_section(raw, i, blocks) for i, raw in enumerate(data.get("sections") or (), start=1))
    items = tuple(_item(raw, i, blocks, {s.id for s in sections})
                  for i, raw in enumerate(_require(data, "items", "instrument", list), start=1))
    _check_complete(items, blocks, KINDS["checklist"])
    # Answer code 1 is "not met" (worth 0), code 2 "met" (worth 1): an item's score is the share met.
    return Instrument(
        id=_require(data, "id", "instrument"), title=_require(data, "title", "instrument"),
        short_title=data.get("short_title") or data["title"], description=data.get("description", ""),
        level_labels=(_require(not_met, "label", "answers.not_met"), _require(met, "label", "answers.met")),
        unknown_label=_require(unknown, "label", "answers.unknown"),
        unknown_aliases=tuple(str(a) for a in unknown.get("aliases") or ()), themes=blocks, statements=items,
        source=source, kind=KINDS["checklist"], level_values=(0.0, 1.0),
        answer_aliases=(tuple(str(a) for a in not_met.get("aliases") or ()),
                        tuple(str(a) for a in met.get("aliases") or ())),
        sections=sections,
        theme_introductions=tuple((b["name"], tuple(b.get("introduction") or ())) for b in raw_blocks),
        theme_reading=tuple((b["name"], _reading_items(b.get("reading"), f"bouwsteen {b['name']}, leesmateriaal"))
                            for b in raw_blocks),
        footnotes=tuple((int(n["number"]), str(n["text"])) for n in data.get("footnotes") or ()),
        phases=tuple((b["name"], tuple((g["name"], tuple(str(i) for i in g.get("items") or ()))
                                       for g in b.get("groups") or ()))
                     for b in raw_blocks if b.get("phases")))


_PARSERS = {"scale": _parse_scale, "checklist": _parse_checklist}


def load_instrument(path: str | Path) -> Instrument:
    path = Path(path)
    try:
        data = _yaml_data(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InstrumentError(f"Instrumentbestand '{path}' kan niet worden gelezen: {exc.strerror}.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark else ""
        raise InstrumentError(f"Instrumentbestand '{path.name}' is geen geldige YAML{where}.") from exc
    try:
        return parse_instrument(data, source=str(path))
    except InstrumentError as exc:
        raise InstrumentError(f"{path.name}: {exc}") from exc


def cache_dir(environ: dict | None = None) -> Path:
    """Where parsed instrument files are kept between processes (the XDG cache directory)."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("XDG_CACHE_HOME") or Path(environ.get("HOME", "~")) / ".cache").expanduser() \
        / "quickscan" / "instruments"


def _yaml_data(text: str, directory: Path | None = None) -> object:
    """TEXT's YAML data, from a JSON copy made the first time this exact text was parsed.

    Parsing the two instrument files takes about 12 ms even with libyaml, which every command pays before it
    reads a single answer; the JSON copy loads in well under 1 ms. The copy is keyed by the text's hash, so an
    edited file is parsed again, and it is only made when JSON gives back exactly the same data (YAML dates and
    number keys do not survive JSON). Without a writable cache everything still works, just slower.
    """
    directory = cache_dir() if directory is None else directory
    copy = directory / f"{hashlib.blake2b(text.encode('utf-8'), digest_size=16).hexdigest()}.json"
    try:
        return json.loads(copy.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = yaml.load(text, Loader=_LOADER)
    encoded = json.dumps(data, ensure_ascii=False, default=str)
    if json.loads(encoded) == data:
        _write_quietly(copy, encoded)
    return data


def _write_quietly(path: Path, text: str) -> None:
    """PATH written whole (a reader never sees half a file), or not at all when the cache is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    except OSError:
        pass


_ID_LINE = re.compile(r"^id:\s*['\"]?([^'\"\s#]+)", re.M)


@lru_cache(maxsize=4)
def available_instruments(directory: Path = INSTRUMENT_DIR) -> dict[str, Path]:
    """Instrument id -> file, for every instrument file in the directory (read once per process).

    Only the top-level ``id:`` line is read here; parsing a whole file waits until it is used.
    """
    found = {}
    for path in sorted(directory.glob("*.yaml")):
        match = _ID_LINE.search(path.read_text(encoding="utf-8"))
        if match:
            found[match.group(1)] = path
    return found


def all_instruments() -> list[Instrument]:
    """Every instrument in the instruments folder, the default one first."""
    ids = sorted(available_instruments(), key=lambda i: (i != DEFAULT_INSTRUMENT_ID, i))
    return [get_instrument(i) for i in ids]


@lru_cache(maxsize=8)
def get_instrument(instrument_id: str = DEFAULT_INSTRUMENT_ID) -> Instrument:
    paths = available_instruments()
    if instrument_id not in paths:
        raise InstrumentError(f"Onbekend instrument '{instrument_id}'; beschikbaar: {sorted(paths)}.")
    return load_instrument(paths[instrument_id])
