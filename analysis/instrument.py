"""The maturity scan as data: statements, themes, answer scale and reading lists.

Content lives in YAML files under ``instruments/`` so an organisation can correct a text or add
a URL without touching code, and so more than one instrument can exist side by side. This
module loads such a file and checks it, naming the exact place of anything that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

INSTRUMENT_DIR = Path(__file__).resolve().parent.parent / "instruments"
DEFAULT_INSTRUMENT_ID = "quickscan-dsb"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


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
class Statement:
    id: int
    theme: str
    text: str
    level_descriptions: tuple[str, ...]
    explanation: tuple[ExplanationBlock, ...] = ()
    reading: tuple[ReadingItem, ...] = ()
    references: tuple[ReadingItem, ...] = ()
    note: str | None = None

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
    scale = _require(data, "scale", "instrument", dict)
    labels = tuple(lv["label"] for lv in _require(scale, "levels", "scale", list))
    themes = tuple(_require(t, "name", f"thema {i}") for i, t in
                   enumerate(_require(data, "themes", "instrument", list), start=1))
    raw_statements = _require(data, "statements", "instrument", list)
    statements = tuple(_statement(raw, i, themes, len(labels))
                       for i, raw in enumerate(raw_statements, start=1))
    ids = [s.id for s in statements]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InstrumentError(f"Stellingnummer(s) komen dubbel voor: {duplicates}.")
    empty = [t for t in themes if not any(s.theme == t for s in statements)]
    if empty:
        raise InstrumentError(f"Thema('s) zonder stellingen: {empty}.")
    return Instrument(
        id=_require(data, "id", "instrument"), title=_require(data, "title", "instrument"),
        short_title=data.get("short_title") or data["title"], description=data.get("description", ""),
        level_labels=labels, unknown_label=_require(scale, "unknown_label", "scale"),
        unknown_aliases=tuple(scale.get("unknown_aliases") or ()), themes=themes,
        statements=statements, source=source)


def load_instrument(path: str | Path) -> Instrument:
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
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


def available_instruments(directory: Path = INSTRUMENT_DIR) -> dict[str, Path]:
    """Instrument id -> file, for every instrument file in the directory."""
    found = {}
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        if isinstance(data, dict) and "id" in data:
            found[data["id"]] = path
    return found


@lru_cache(maxsize=8)
def get_instrument(instrument_id: str = DEFAULT_INSTRUMENT_ID) -> Instrument:
    paths = available_instruments()
    if instrument_id not in paths:
        raise InstrumentError(f"Onbekend instrument '{instrument_id}'; beschikbaar: {sorted(paths)}.")
    return load_instrument(paths[instrument_id])
