"""One-off import of the QuickScan web-page rendering into the instrument YAML.

The seed text (``shared/seeds/002_...txt``) is a markdown-ish rendering of a web page with
inconsistent heading levels, links replaced by ``(#)`` and a few glitches. This script was
used once to carry its content into ``instruments/quickscan_dsb.yaml``; the YAML is the
source of truth afterwards (organisations correct and add URLs there). Kept so the import
can be checked or redone: ``python tools/import_quickscan_seed.py SEED > out.yaml``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

THEMES = {"Competenties", "Methodiek", "Randvoorwaarden", "Proces"}
LEVEL_LABELS = ["Inactief", "Startend", "Goed op weg", "Gevorderd", "Vergevorderd"]
SECTION_WORDS = {"toelichting": "explanation", "meer lezen:": "reading", "antwoordopties": "levels"}
GREEK_TO_LATIN = str.maketrans({"δ": "d", "ο": "o"})

# Publisher home pages that are certain; deep links are never guessed.
PUBLISHER_SITES = {
    "Movisie": "https://www.movisie.nl",
    "Ministerie van SZW": "https://www.rijksoverheid.nl",
    "Verwey-Jonker Instituut": "https://www.verwey-jonker.nl",
    "VNG": "https://vng.nl",
    "Binnenlands Bestuur": "https://www.binnenlandsbestuur.nl",
    "College voor de Rechten van de Mens": "https://www.mensenrechten.nl",
    "KIS": "https://www.kis.nl",
    "Rijksoverheid": "https://www.rijksoverheid.nl",
    "SER": "https://www.ser.nl",
    "Pharos": "https://www.pharos.nl",
}
PUBLISHER_ALIASES = {"SZW": "Ministerie van SZW", "binnenlandsbestuur.nl": "Binnenlands Bestuur",
                     "mensenrechten.nl": "College voor de Rechten van de Mens"}

LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(([^)]*)\)")


def strip_markup(line: str) -> str:
    text = re.sub(r"^[\s>#*-]*", "", line)
    return text.replace("**", "").strip()


def unescape(text: str) -> str:
    return re.sub(r"\\([()\[\]])", r"\1", text)


def plain_text(text: str) -> tuple[str, list[dict]]:
    """Drop link targets, keep labels; return the text and the links found in it."""
    links = []
    for label, target in LINK.findall(text):
        link = {"label": unescape(label).strip()}
        if target.startswith("http"):
            link["url"] = target
        links.append(link)
    text = LINK.sub(lambda m: unescape(m.group(1)), text)
    return unescape(text).replace("**", "").strip(), links


def section_of(line: str) -> str | None:
    word = strip_markup(line).translate(GREEK_TO_LATIN).lower()
    return SECTION_WORDS.get(word)


def reading_item(raw: str) -> dict:
    text, links = plain_text(re.sub(r"^\s*-\s*", "", raw))
    item: dict = {"title": text, "publisher": None}
    match = re.match(r"^(Movisie|SZW|Verwey-Jonker Instituut)\s*[–-]\s*(.*)$", text)
    if match:
        item["publisher"], item["title"] = match.group(1), match.group(2).rstrip(".")
    paren = re.search(r"\s*\(([^()]*)\)\s*$", item["title"])
    if paren and paren.group(1) in {"KIS", "Rijksoverheid", "SER", "binnenlandsbestuur.nl"}:
        item["publisher"], item["title"] = paren.group(1), item["title"][: paren.start()]
    if item["title"].startswith("VNG "):
        item["publisher"] = "VNG"
    item["title"] = unquote(item["title"].strip())
    publisher = PUBLISHER_ALIASES.get(item["publisher"], item["publisher"])
    item["publisher"] = publisher
    item["url"] = next((link["url"] for link in links if "url" in link), None)
    item["publisher_url"] = PUBLISHER_SITES.get(publisher)
    return item


def unquote(title: str) -> str:
    # Only quotes around the whole title go: a title that merely ends in a quoted
    # subtitle ("Lessen van de VIA-pilot 'Intensieve ...'") keeps its closing quote.
    if len(title) > 1 and title[0] == title[-1] == "'":
        return title[1:-1].strip()
    return title


def mend_link_glitches(line: str) -> str:
    """Undo two rendering glitches around links, wherever they occur.

    The page rendering sometimes printed a link's label twice, once as text just before the
    link ("Netwerk ANE [Netwerk ANE](#)"), and once left a colon where the link met the rest
    of its sentence ("[onderzoek ...](#): blijkt namelijk").
    """
    for match in reversed(list(LINK.finditer(line))):
        before = line[: match.start()]
        label = unescape(match.group(1)).strip()
        if label and before.endswith(label + " "):
            line = before[: -len(label) - 1] + line[match.start():]
    return re.sub(r"(\]\([^)]*\)):(?= [a-z])", r"\1", line)


def split_reading_line(line: str) -> list[str]:
    # The seed glued two items together with a markdown hard break ("  \n").
    if "Vooroordelen Voorbij" in line and "Uitsluiting" in line:
        first, second = line.split("(binnenlandsbestuur.nl)")
        return [first + "(binnenlandsbestuur.nl)", second.strip()]
    return [line]


def parse(seed: str) -> list[dict]:
    statements: list[dict] = []
    theme = None
    current: dict | None = None
    section = None
    lines = [mend_link_glitches(line) for line in seed.replace("  \n", "\n").splitlines()]
    for raw in lines:
        text = strip_markup(raw)
        if not text:
            continue
        if text in THEMES:
            theme = text
            continue
        number = re.match(r"^(\d{1,2})\.\s+(.*)$", text)
        if number and int(number.group(1)) == len(statements) + 1:
            current = {"id": int(number.group(1)), "theme": theme,
                       "text": plain_text(number.group(2))[0], "explanation": [],
                       "references": [], "reading": [], "levels": []}
            statements.append(current)
            section = None
            continue
        if current is None:
            continue
        found = section_of(raw)
        if found:
            section = found
            continue
        if section == "explanation":
            add_explanation_line(current, raw)
        elif section == "reading":
            if text.startswith("Vooroordelen Voorbij"):
                current["reading"].append(
                    {"title": "Vooroordelen Voorbij", "publisher": "College voor de Rechten van de Mens",
                     "url": None, "publisher_url": PUBLISHER_SITES["College voor de Rechten van de Mens"]})
                continue
            for part in split_reading_line(raw):
                current["reading"].append(reading_item(part))
        elif section == "levels":
            add_level_line(current, raw)
    return statements


def add_explanation_line(statement: dict, raw: str) -> None:
    blocks = statement["explanation"]
    if raw.lstrip().startswith("#"):
        blocks.append({"heading": strip_markup(raw), "paragraphs": []})
        return
    if not blocks:
        blocks.append({"heading": None, "paragraphs": []})
    text, links = plain_text(raw)
    statement["references"].extend(link for link in links if link not in statement["references"])
    paragraphs = blocks[-1]["paragraphs"]
    # A paragraph split by a stray blank line mid-sentence is a rendering glitch: join it.
    if paragraphs and text[:1].islower() and not paragraphs[-1].endswith((".", ":", "!", "?")):
        paragraphs[-1] = paragraphs[-1] + " " + text
    else:
        paragraphs.append(text)


def add_level_line(statement: dict, raw: str) -> None:
    text = strip_markup(raw)
    if text.startswith("Onbekend/n.v.t."):
        return
    for label in LEVEL_LABELS:
        if text.startswith(label + " ") and raw.lstrip(" -").startswith("**"):
            statement["levels"].append(plain_text(text[len(label):])[0])
            return
    statement["levels"][-1] += " " + plain_text(text)[0]


HEADER = {
    "id": "quickscan-dsb",
    "title": "QuickScan diversiteits sensitief begeleiden",
    "short_title": "QuickScan DSB",
    "description": (
        "De scan is gericht op organisatieonderdelen van gemeenten en uitvoeringsorganisaties die "
        "klanten met een migratieachtergrond naar werk begeleiden. De scan is een hulpmiddel om een "
        "beeld te krijgen van de stand van zaken in de organisatie m.b.t. diversiteits sensitief "
        "begeleiding en om het gesprek over verbetering daarvan op gang te brengen."),
    "scale": {
        "levels": [{"value": i + 1, "label": label} for i, label in enumerate(LEVEL_LABELS)],
        "unknown_label": "Onbekend/n.v.t.",
        "unknown_aliases": ["onbekend", "n.v.t.", "nvt", "n.v.t", "niet van toepassing",
                            "onbekend/nvt", "onbekend / n.v.t.", "weet niet", "weet ik niet",
                            "geen idee", "geen mening", "kan ik niet beoordelen",
                            "niet bekend", "n.b.", "nb", "unknown", "n/a", "not applicable", "don't know"],
    },
    "themes": [{"name": name} for name in ["Competenties", "Methodiek", "Randvoorwaarden", "Proces"]],
}


# Kept verbatim, but a reader of the instrument file should know.
NOTES = {
    8: ("In de bron spreekt de beschrijving van Startend zichzelf tegen ('maar professionals houden "
        "al rekening'); vermoedelijk is bedoeld 'maar weinig professionals houden al rekening'. "
        "De tekst is ongewijzigd overgenomen."),
}


def main(path: str) -> None:
    statements = parse(Path(path).read_text(encoding="utf-8"))
    for statement in statements:
        if statement["id"] in NOTES:
            statement["note"] = NOTES[statement["id"]]
    yaml.safe_dump({**HEADER, "statements": statements}, sys.stdout, allow_unicode=True,
                   sort_keys=False, width=100)


if __name__ == "__main__":
    main(sys.argv[1])
