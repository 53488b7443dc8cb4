"""The one-page action list to hand out: self-contained HTML that prints on one A4."""

from __future__ import annotations

from html import escape

from analysis.scoring.overview import next_steps
from analysis.scoring.scores import Summary

STYLE = """body{font-family:Arial,sans-serif;max-width:760px;margin:24px auto;font-size:12px;color:#222}
h1{font-size:20px;margin:0 0 4px}h2{font-size:14px;margin:14px 0 2px}p{margin:2px 0}
.meta{color:#666}.step{border-left:4px solid #2166ac;padding-left:8px;margin:6px 0}
@media print{body{margin:0}}"""


def next_steps_html(summary: Summary) -> str:
    kind = summary.instrument.kind
    items, weak = next_steps(summary)
    intro = (f"{kind.items.capitalize()} met een score onder {kind.threshold_text(summary.threshold)}, laagste "
             "eerst." if weak else f"Geen {kind.item} scoort onder de drempel; de drie laagste als aandachtspunten.")
    parts = [f"<h1>Aan de slag — {escape(summary.instrument.title)}</h1>",
             f"<p class='meta'>{summary.respondents} respondenten. {escape(intro)}</p>"]
    for item in items:
        reading = "; ".join(escape(r.title + (f" ({r.publisher})" if r.publisher else "")) for r in item["reading"])
        parts.append(f"<h2>{kind.item.capitalize()} {item['id']} · {escape(item['theme'])} · "
                     f"{escape(item['score_text'])}</h2><p>{escape(item['text'])}</p>")
        if item["next_description"]:
            parts.append(f"<p class='step'><b>Volgende stap ({escape(item['next_level'])}):</b> "
                         f"{escape(item['next_description'])}</p>")
        parts += _section_step_html(item)
        if reading:
            parts.append(f"<p class='meta'>Meer lezen: {reading}</p>")
    body = "\n".join(parts)
    return (f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>Aan de slag</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def _section_step_html(item: dict) -> list[str]:
    """A checklist item's next step: the section to read and its tips."""
    if item["section"] is None:
        return []
    tips = [tip for group in item["tips"] for tip in group.items][:3]
    parts = [f"<p class='step'><b>Volgende stap — lees:</b> {escape(item['section'].title)}</p>"]
    parts += [f"<p class='meta'>Tip: {escape(tip)}</p>" for tip in tips]
    return parts
