"""Aan de slag: the weak statements (checklist items) with their next step, and the material that goes with them.

One action list for the page and for the one-page HTML. Material is listed once: a checklist's tips and examples
under the section they belong to, reading grouped per theme (block) with every title once, each naming the weak
items it helps. Several items often point to one section, and a block's reading list serves all its items: listed
per item, the checklist's page repeated the same list a dozen times.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from analysis.instrument import Example, Instrument, ReadingItem, Section, TipGroup
from analysis.kinds import Kind
from analysis.scoring.overview import next_steps
from analysis.scoring.scores import Summary

MAX_TIPS = 3  # per section in the handout; the page has them all

STYLE = """body{font-family:Arial,sans-serif;max-width:760px;margin:24px auto;font-size:12px;color:#222}
h1{font-size:20px;margin:0 0 4px}h2{font-size:14px;margin:14px 0 2px}h3{font-size:12px;margin:8px 0 2px}
p{margin:2px 0}ul{margin:2px 0;padding-left:18px}
.meta{color:#666}.step{border-left:4px solid #2166ac;padding-left:8px;margin:6px 0}
@media print{body{margin:0}}"""


@dataclass(frozen=True)
class Material:
    """A section's tips and examples, with the weak items they help."""

    title: str
    item_ids: tuple
    tips: tuple[TipGroup, ...]
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class ReadingGroup:
    """The reading of one theme (block): every title once, with the weak items it helps."""

    theme: str
    entries: tuple[tuple[ReadingItem, tuple], ...]


@dataclass(frozen=True)
class ActionList:
    intro: str
    weak: bool          # False: nothing is below the threshold and ``items`` are the lowest as focus points
    items: tuple[dict, ...]  # ``analysis.scoring.overview.statement_focus``, lowest first
    material: tuple[Material, ...]
    reading: tuple[ReadingGroup, ...]


def action_list(summary: Summary) -> ActionList:
    instrument = summary.instrument
    items, weak = next_steps(summary)
    return ActionList(_intro(instrument.kind, summary.threshold, len(items), weak), weak, tuple(items),
                      _material(instrument, items), _reading(instrument, items))


def _intro(kind: Kind, threshold: float, count: int, weak: bool) -> str:
    below = f"onder de drempel van {kind.threshold_text(threshold)}"
    if not weak:
        return f"Geen {kind.item} scoort {below}. Hieronder de laagste {kind.items} als aandachtspunten."
    return (f"1 {kind.item} scoort {below}." if count == 1
            else f"{count} {kind.items} scoren {below}, laagste eerst.")


def items_text(kind: Kind, item_ids) -> str:
    """'bij item 3.5 en 3.1', 'bij stelling 13'."""
    ids = [str(i) for i in item_ids]
    listed = ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} en {ids[-1]}"
    return f"bij {kind.item} {listed}"


def _owner(instrument: Instrument, attribute: str, value: tuple, fallback: Section) -> Section:
    """The section whose own tips (examples) these are: an item without its own gets its parent section's."""
    return next((s for s in instrument.sections if getattr(s, attribute) == value), fallback)


def _material(instrument: Instrument, items: list[dict]) -> tuple[Material, ...]:
    used: dict[str, dict] = {}  # section id -> what of it is used, by which items; in order of first use
    for item in items:
        for attribute in ("tips", "examples"):
            value = tuple(item[attribute])
            if not value:
                continue
            section = _owner(instrument, attribute, value, item["section"])
            entry = used.setdefault(section.id, {"section": section, "ids": [], "tips": (), "examples": ()})
            entry[attribute] = value
            if item["id"] not in entry["ids"]:
                entry["ids"].append(item["id"])
    in_order = _in_order(instrument)
    return tuple(Material(e["section"].title, in_order(e["ids"]), e["tips"], e["examples"]) for e in used.values())


def _reading(instrument: Instrument, items: list[dict]) -> tuple[ReadingGroup, ...]:
    """Per theme in the instrument's order; a title used in several themes stays under the first it comes in."""
    placed: dict[str, tuple[str, ReadingItem, list]] = {}  # title -> (theme, item, ids)
    for item in sorted(items, key=lambda i: instrument.themes.index(i["theme"])):
        for reading in item["reading"]:
            _, _, ids = placed.setdefault(reading.title, (item["theme"], reading, []))
            if item["id"] not in ids:
                ids.append(item["id"])
    by_theme = {theme: [] for theme in instrument.themes}
    in_order = _in_order(instrument)
    for theme, reading, ids in placed.values():
        by_theme[theme].append((reading, in_order(ids)))
    return tuple(ReadingGroup(theme, tuple(entries)) for theme, entries in by_theme.items() if entries)


def _in_order(instrument: Instrument):
    """Item ids in the instrument's order (1.2 before 1.10), as a reader looks them up."""
    position = {item_id: n for n, item_id in enumerate(instrument.statement_ids)}
    return lambda ids: tuple(sorted(ids, key=position.get))


def next_steps_html(summary: Summary) -> str:
    """The action list to hand out: self-contained HTML, printable."""
    kind = summary.instrument.kind
    actions = action_list(summary)
    parts = [f"<h1>Aan de slag — {escape(summary.instrument.title)}</h1>",
             f"<p class='meta'>{summary.respondents} respondenten. {escape(actions.intro)}</p>"]
    for item in actions.items:
        parts.append(f"<h2>{kind.item.capitalize()} {item['id']} · {escape(item['theme'])} · "
                     f"{escape(item['score_text'])}</h2><p>{escape(item['text'])}</p>")
        if item["next_description"]:
            parts.append(f"<p class='step'><b>Volgende stap ({escape(item['next_level'])}):</b> "
                         f"{escape(item['next_description'])}</p>")
        elif item["section"] is not None:
            parts.append(f"<p class='step'><b>Volgende stap — lees:</b> {escape(item['section'].title)}</p>")
    parts += _material_html(kind, actions.material)
    parts += _reading_html(kind, actions.reading)
    body = "\n".join(parts)
    return (f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>Aan de slag</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def _material_html(kind: Kind, material: tuple[Material, ...]) -> list[str]:
    parts = ["<h2>Tips</h2>"] if any(m.tips for m in material) else []
    for entry in material:
        tips = [tip for group in entry.tips for tip in group.items][:MAX_TIPS]
        if tips:
            parts.append(f"<h3>{escape(entry.title)} <span class='meta'>({escape(items_text(kind, entry.item_ids))})"
                         "</span></h3><ul>" + "".join(f"<li>{escape(tip)}</li>" for tip in tips) + "</ul>")
    return parts


def _reading_html(kind: Kind, reading: tuple[ReadingGroup, ...]) -> list[str]:
    parts = ["<h2>Meer lezen</h2>"] if reading else []
    for group in reading:
        lines = "".join(f"<li>{escape(_reading_text(r))} <span class='meta'>({escape(items_text(kind, ids))})"
                        "</span></li>" for r, ids in group.entries)
        parts.append(f"<h3>{escape(group.theme)}</h3><ul>{lines}</ul>")
    return parts


def _reading_text(reading: ReadingItem) -> str:
    return reading.title + (f" — {reading.publisher}" if reading.publisher else "")
