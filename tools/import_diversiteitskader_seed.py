"""Import of the Diversiteitskader wijkteams seed into the instrument YAML.

The second instrument, "WIJKTEAMS voor álle doelgroepen effectief — Een diversiteitskader met praktische
tips" (KIS / Verwey-Jonker Instituut, 2018), reached us only as a text rendering of an interactive PDF
(``shared/seeds/003_...txt``): a navigation menu after every page break, footnotes in the middle of
sentences, lists broken by blank lines and every link replaced by ``(#)``. Its checklist items are the
lines that end in an arrow (► or ▶, in the PDF a link to the paragraph that explains them). This script
carries the checklist, the block introductions and each paragraph's text, tips, examples and reading into
``instruments/diversiteitskader_wijkteams.yaml``; afterwards the YAML is the source of truth (organisations
correct and add URLs there). It is kept so the import can be checked or redone, and it is deterministic:
``python tools/import_diversiteitskader_seed.py SEED > instruments/diversiteitskader_wijkteams.yaml``
(or ``--out FILE``).

Only the structure that the text rendering cannot show is written down here as small tables: which
paragraph explains which item (the PDF's arrow links are gone), where a paragraph that has no capitalised
heading starts, and where three examples end and the running text resumes. Everything else is parsed, and
the script stops with an error when the seed does not have the shape it expects.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ARROWS = "►▶"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
LINK = re.compile(r"\[([^\]]*)\]\(#\)")
FOOTNOTE = re.compile(rf"^([{SUPERSCRIPTS}]+|\d{{1,2}}) (\S.*)$")
BARE_DOMAIN = re.compile(r"(?<![\w./@])((?:www\.)?[a-z][a-z0-9-]*\.nl)\b")
QUOTED = re.compile(r"(?<!\w)['‘“\"]([^'‘’“”\"]+?)['’”\"](?!\w)")

# Menu entries (without their arrows); a line with an arrow that names one of these is page furniture.
MENU_ENTRIES = {
    "diversiteitskader", "achtergrondinformatie", "literatuur", "colofon", "wat is een diversiteitskader?",
    "waarom aandacht hiervoor?", "obstakels", "visie jeroen olthof", "inleiding & checklist",
    "outreachend werken", "eigen kracht versterken", "methodieken op maat", "randvoorwaarden",
    "interculturele competenties", "deskundigheidsbevordering", "casuïstiekbespreking", "belang samenwerking",
    "meerwaarde samenwerking", "rollen", "meerwaarde", "voorbereiding", "vorbereiding", "verandering",
    "verankering",
}
MENU_BLOCK = re.compile(rf"^(?:[{ARROWS}]\s*)?([1-5])\. ([A-ZÀ-Ý ]+?)\s*[{ARROWS}]$")

# Headings in capitals that open a list or an example rather than a paragraph of the text.
TIP_HEADINGS = {"TIPS", "TIP"}
READING_HEADINGS = {"TOOLS EN LINKS", "METHODIEKEN", "AANVULLENDE METHODIEKEN EN TOOLS", "MEER INFORMATIE",
                    "VIDEO'S"}
EXAMPLE_HEADING = "VOORBEELD"

# The paragraphs (sections) of each block in the seed's order: the heading that opens it, its id, and the
# section it belongs to. Capitalised headings are the PDF's paragraph titles; the lower-case ones are
# sub-headings that the reference extract identifies as the material of one checklist item.
SECTIONS = [
    (1, "OUTREACHEND WERKEN", "outreachend-werken", None),
    (1, "EIGEN KRACHT VERSTERKEN", "eigen-kracht-versterken", None),
    (1, "METHODIEKEN OP MAAT", "methodieken-op-maat", None),
    (1, "RANDVOORWAARDEN VOOR EEN DIVERSITEITS-SENSITIEVE WERKWIJZE", "randvoorwaarden-werkwijze", None),
    (1, "Voldoende tijd voor vertrouwen.", "tijd-voor-vertrouwen", "randvoorwaarden-werkwijze"),
    (1, "Voldoende vaardigheden om de werkwijze aan te passen en uit te voeren.", "vaardigheden-werkwijze",
     "randvoorwaarden-werkwijze"),
    (1, "Voldoende bekendheid en een goed imago van het wijkteam bij de inwoners.", "bekendheid-en-imago",
     "randvoorwaarden-werkwijze"),
    (1, "Voldoende mogelijkheden om taalproblemen te ondervangen.", "taalproblemen-ondervangen",
     "randvoorwaarden-werkwijze"),
    (2, "INTERCULTURELE COMPETENTIES", "interculturele-competenties", None),
    (2, "DESKUNDIGHEIDSBEVORDERING", "deskundigheidsbevordering", None),
    (2, "CASUÏSTIEKBESPREKING", "casuistiekbespreking", None),
    (3, "HET BELANG VAN SAMENWERKING TUSSEN WIJKTEAMS EN INFORMELE NETWERKEN", "belang-samenwerking", None),
    (3, "DE MEERWAARDE VAN SAMENWERKING MET INFORMELE NETWERKEN", "meerwaarde-samenwerking", None),
    (3, "Het is duidelijk met wie wijkteams kunnen samenwerken", "samenwerkingspartners", None),
    (3, "ROLLEN DIE ZELFORGANISATIES EN VRIJWILLIGERS KUNNEN VERVULLEN", "rollen-zelforganisaties", None),
    (3, "RANDVOORWAARDEN DIE VAN BELANG ZIJN VOOR SUCCESVOLLE SAMENWERKING", "randvoorwaarden-samenwerking", None),
    (4, "MEERWAARDE", "meerwaarde-divers-team", None),
    (4, "RANDVOORWAARDEN", "randvoorwaarden-divers-team", None),
    (5, "VOORBEREIDING", "voorbereiding", None),
    (5, "Ontwikkeling van een gezamenlijke visie, het creëren van draagvlak", "visie-en-draagvlak", "voorbereiding"),
    (5, "Bepalen van ambities en prioriteiten", "ambities-en-prioriteiten", "voorbereiding"),
    (5, "VERANDERING", "verandering", None),
    (5, "Rol van het management van de wijkteams", "rol-management", "verandering"),
    (5, "Rol van de gemeente", "rol-gemeente", "verandering"),
    (5, "VERANKERING", "verankering", None),
]

# Item -> section, from the reference extract's mapping table (the PDF's arrow links did not survive).
ITEM_SECTIONS = {
    "1.1": "outreachend-werken", "1.2": "outreachend-werken", "1.3": "outreachend-werken",
    "1.4": "eigen-kracht-versterken", "1.5": "eigen-kracht-versterken",
    "1.6": "methodieken-op-maat", "1.7": "methodieken-op-maat",
    "1.8": "bekendheid-en-imago", "1.9": "randvoorwaarden-werkwijze", "1.10": "tijd-voor-vertrouwen",
    "1.11": "vaardigheden-werkwijze", "1.12": "taalproblemen-ondervangen",
    "2.1": "interculturele-competenties", "2.2": "deskundigheidsbevordering", "2.3": "casuistiekbespreking",
    "3.1": "belang-samenwerking", "3.2": "meerwaarde-samenwerking", "3.3": "samenwerkingspartners",
    "3.4": "rollen-zelforganisaties", "3.5": "randvoorwaarden-samenwerking",
    "4.1": "meerwaarde-divers-team", "4.2": "randvoorwaarden-divers-team",
    "5.1": "voorbereiding", "5.2": "voorbereiding", "5.3": "voorbereiding", "5.4": "visie-en-draagvlak",
    "5.5": "ambities-en-prioriteiten", "5.6": "rol-management", "5.7": "rol-management",
    "5.8": "rol-gemeente", "5.9": "rol-gemeente", "5.10": "verankering",
}
# The text of 1.11's section sends the reader on to the Competenties chapter ("Zie onderdeel
# casuïstiekbespreking in het hoofdstuk 'competenties'").
SEE_ALSO = {"1.11": ["casuistiekbespreking"]}

# Sub-group names the brief uses for the checklist's capitalised sub-headings, per block.
GROUPS = {1: ["Outreachend werken", "Eigen kracht versterken", "Methodieken op maat",
              "Organisatorische randvoorwaarden"],
          5: ["Voorbereiding", "Verandering", "Verankering"]}
# The source calls Proces's sub-groups the three phases of the change (r. 1161-1163): they come in order.
PHASED_BLOCKS = {5}
EXPECTED_ITEMS = {1: 12, 2: 3, 3: 5, 4: 2, 5: 10}

# Three examples are followed, under no new heading, by the running text of their paragraph again
# (Roermond r. 1372-1376, Nijmegen r. 1442, Amsterdam r. 1460-1462): how many paragraphs the example has.
EXAMPLE_LENGTH = {"In Roermond werken": 2, "Nijmegen heeft wel": 1, "De pilot in Amsterdam": 1}

# In Deskundigheidsbevordering the seed puts a list of trainings, models and websites under "TIPS"; it is
# read as reading material (titles, providers, the two bare web addresses) and the section says so.
TIPS_AS_READING = {"deskundigheidsbevordering": (
    "In de bron staat deze aanbodlijst van trainingen, modellen en websites onder de kop 'TIPS'; "
    "hier is ze als leesmateriaal opgenomen.")}
# Informele netwerken ends with reading lists for the whole chapter, not for its last paragraph.
BLOCK_WIDE_READING_AFTER = {"randvoorwaarden-samenwerking"}

# Organisations whose name, where a reading item mentions one, is its publisher or provider.
PUBLISHERS = ["Kennisplatform Integratie & Samenleving", "Diversiteit in Bedrijf", "Movisie", "Pharos", "VNG",
              "Dander", "Rijks Universiteit Groningen", "Lucertis", "Centraal Bureau voor de Statistiek"]
# Link labels that are no name ("lees [hier](#)"): the item's title is then taken from its text.
GENERIC_LABELS = {"hier", "dit artikel", "deze test", "deze website", "dit dossier", "een audit",
                  "deze overzichtspagina", "deze checklist", "rapport", "eindrapport"}

UNKNOWN_ALIASES = ["onbekend", "n.v.t.", "nvt", "n.v.t", "niet van toepassing", "onbekend/nvt",
                   "onbekend / n.v.t.", "weet niet", "weet ik niet", "geen idee", "geen mening",
                   "kan ik niet beoordelen", "niet bekend", "n.b.", "nb", "unknown", "n/a", "not applicable",
                   "don't know"]
ANSWERS = {
    "met": {"label": "Ja", "aliases": ["ja", "j", "yes", "y", "waar", "true", "x", "✓", "✔", "☑", "✅", "1",
                                       "voldaan", "wel voldaan", "ja, voldaan", "voldoet", "aangevinkt", "checked",
                                       "v", "☒"]},
    "not_met": {"label": "Nee", "aliases": ["nee", "n", "no", "onwaar", "false", "0", "niet voldaan",
                                            "nee, niet voldaan", "nee, nog niet", "voldoet niet", "niet aangevinkt",
                                            "unchecked", "✗", "✘", "☐"]},
    "unknown": {"label": "Onbekend", "aliases": UNKNOWN_ALIASES},
}


class SeedError(ValueError):
    """The seed does not have the shape this importer was written for."""


@dataclass
class Line:
    number: int
    raw: str
    text: str
    bullet: bool
    isolated: bool  # a blank line (or nothing) on both sides: how headings stand in the rendering
    follows_bullet: bool  # directly under a bullet line, no blank line between: a continuation of it
    labels: list[str]  # the labels of its links, which name what a reading line points to


def clean(text: str) -> str:
    text = LINK.sub(r"\1", text).replace("**", "").replace("*", "")
    text = re.sub(r"^\s*-\s*", "", text)
    text = re.sub(r"^[∞🔗⌘]\s*", "", text)
    return " ".join(text.split())


def sentence_case(heading: str) -> str:
    return heading[:1] + heading[1:].lower() if heading.isupper() else heading


def is_menu(raw: str) -> bool:
    if not any(arrow in raw for arrow in ARROWS):
        return False
    stripped = raw.strip()
    if MENU_BLOCK.match(stripped):
        return True
    return stripped.strip(f"-☰■ {ARROWS}").strip().lower() in MENU_ENTRIES


def is_item(raw: str) -> bool:
    return raw.rstrip().endswith(tuple(ARROWS)) and not is_menu(raw)


def footnote_number(marker: str) -> int:
    return int(marker.translate(str.maketrans(SUPERSCRIPTS, "0123456789")))


def index_of(lines: list[str], text: str, start: int = 0) -> int:
    for index in range(start, len(lines)):
        if lines[index].strip() == text:
            return index
    raise SeedError(f"'{text}' not found after line {start + 1}")


def footnotes_of(lines: list[str], end: int) -> dict[int, str]:
    notes: dict[int, str] = {}
    for raw in lines[:end]:
        match = FOOTNOTE.match(raw.strip())
        if match and not is_menu(raw):
            notes[footnote_number(match.group(1))] = clean(match.group(2))
    if sorted(notes) != list(range(1, len(notes) + 1)):
        raise SeedError(f"footnotes are not numbered 1..n: {sorted(notes)}")
    return notes


def block_names(lines: list[str]) -> dict[int, str]:
    names = {}
    for raw in lines:
        match = MENU_BLOCK.match(raw.strip())
        if match:
            names[int(match.group(1))] = sentence_case(match.group(2).strip())
    return names


def content_lines(lines: list[str], start: int, end: int) -> list[Line | None]:
    """The lines of the five blocks; page furniture (menus, footnotes) becomes None."""
    out: list[Line | None] = []
    for index in range(start, end):
        raw = lines[index]
        if not raw.strip():
            continue
        if is_menu(raw) or FOOTNOTE.match(raw.strip()):
            out.append(None)
            continue
        before = lines[index - 1] if index > 0 else ""
        after = lines[index + 1] if index + 1 < len(lines) else ""
        bullet = raw.lstrip().startswith("- ")
        out.append(Line(number=index + 1, raw=raw, text=clean(raw), bullet=bullet,
                        isolated=not before.strip() and not after.strip(),
                        follows_bullet=not bullet and before.lstrip().startswith("- "),
                        labels=[" ".join(label.split()).strip("'‘’ ") for label in LINK.findall(raw)]))
    return out


class Importer:
    """A small state machine over the block lines: checklist, introduction, then paragraph by paragraph."""

    def __init__(self, names: dict[int, str]):
        self.names = names
        self.blocks: list[dict] = []
        self.items: list[dict] = []
        self.sections: list[dict] = []
        self.pending_sections = list(SECTIONS)
        self.block: dict | None = None
        self.section: dict | None = None
        self.mode = "intro"
        self.text_block: dict | None = None
        self.tip_group: dict | None = None
        self.example: dict | None = None
        self.reading_heading: str | None = None
        self.reading_topic: str | None = None
        self.topic_open = False  # whether lists still belong to the current text sub-heading
        self.last: tuple | None = None  # (container, key) of the last text written, for page-split joins

    # -- writing --------------------------------------------------------------------------------------
    def put(self, container, key, text: str) -> None:
        if isinstance(container, list):
            container.append(text)
            key = len(container) - 1
        else:
            container[key] = text
        self.last = (container, key)

    def join_if_split(self, line: Line) -> bool:
        """A sentence cut by a page break (footnotes and a menu in between) goes on where it stopped."""
        if self.last is None or line.bullet:
            return False
        container, key = self.last
        previous = container[key]
        if line.follows_bullet or (line.text[:1].islower() and not previous.endswith((".", "!", "?", ":", ";"))):
            container[key] = previous + " " + line.text
            return True
        return False

    def text_paragraphs(self) -> list[str]:
        if self.text_block is None:
            self.text_block = {"heading": None, "paragraphs": []}
            self.section["text"].append(self.text_block)
        return self.text_block["paragraphs"]

    # -- structure ------------------------------------------------------------------------------------
    def start_block(self, number: int, title: str) -> None:
        self.block = {"number": number, "name": self.names[number], "title": title, "introduction": [],
                      "groups": [], "phases": number in PHASED_BLOCKS, "reading": []}
        self.blocks.append(self.block)
        self.section, self.mode, self.last = None, "intro", None

    def start_section(self, heading: str, section_id: str, parent: str | None) -> None:
        self.section = {"id": section_id, "block": self.block["name"],
                        "title": sentence_case(heading).rstrip("."), "parent": parent,
                        "text": [], "tips": [], "examples": [], "reading": []}
        if section_id in TIPS_AS_READING:
            self.section["note"] = TIPS_AS_READING[section_id]
        self.sections.append(self.section)
        self.mode, self.text_block, self.last = "text", None, None

    def next_section_heading(self, line: Line) -> tuple | None:
        if self.pending_sections and self.mode != "checklist":
            number, heading, section_id, parent = self.pending_sections[0]
            if number == self.block["number"] and line.text == heading and not line.bullet:
                return self.pending_sections.pop(0)
        return None

    def add_item(self, line: Line) -> None:
        number = self.block["number"]
        count = sum(1 for item in self.items if item["block"] == self.block["name"]) + 1
        item_id = f"{number}.{count}"
        group = self.block["groups"][-1]["name"] if self.block["groups"] else None
        text = line.text.rstrip(ARROWS).strip()
        self.items.append({"id": item_id, "block": self.block["name"], "group": group, "text": text,
                           "section": ITEM_SECTIONS[item_id], "see_also": SEE_ALSO.get(item_id, [])})
        if self.block["groups"]:
            self.block["groups"][-1]["items"].append(item_id)

    def add_group(self, line: Line) -> None:
        expected = GROUPS.get(self.block["number"], [])
        name = sentence_case(line.text)
        position = len(self.block["groups"])
        if position >= len(expected) or expected[position] != name:
            raise SeedError(f"line {line.number}: unexpected checklist sub-heading '{line.text}'")
        self.block["groups"].append({"name": name, "items": []})

    def subheading(self, line: Line) -> bool:
        text = line.text
        return (not line.bullet and line.isolated and len(text) <= 100
                and not text.endswith((".", ":", ";", ",")) and text[:1] not in "'‘\"“")

    # -- the walk -------------------------------------------------------------------------------------
    def feed(self, lines: list[Line | None]) -> None:
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if line is None:
                if self.mode == "checklist":
                    self.mode = "intro"
                continue
            if re.fullmatch(r"[1-5]", line.text) and line.isolated:
                title = lines[index] if index < len(lines) else None
                if title is None:
                    raise SeedError(f"line {line.number}: block {line.text} has no title under its number")
                index += 1
                self.start_block(int(line.text), title.text)
                continue
            self.handle(line)

    def handle(self, line: Line) -> None:
        text = line.text
        if text == "CHECKLIST":
            self.mode = "checklist"
            return
        if self.mode == "checklist":
            if is_item(line.raw):
                self.add_item(line)
            elif text.isupper():
                self.add_group(line)
            else:
                raise SeedError(f"line {line.number}: not a checklist item: '{text}'")
            return
        section = self.next_section_heading(line)
        if section:
            self.start_section(section[1], section[2], section[3])
            return
        if self.section is None:
            if text.isupper() or self.subheading(line):
                raise SeedError(f"line {line.number}: heading '{text}' before the first section of the block")
            if not self.join_if_split(line):
                self.put(self.block["introduction"], None, text)
            return
        if text.isupper() and not line.bullet:
            self.marker(line)
            return
        if self.mode == "example":
            self.example_line(line)
        elif self.mode == "tips":
            self.tip_line(line)
        elif self.mode == "reading":
            self.reading_line(line)
        else:
            self.text_line(line)

    def marker(self, line: Line) -> None:
        text = line.text
        # A list right under a sub-heading's text is about that sub-heading ("3. Discriminatie" ->
        # METHODIEKEN, MEER INFORMATIE); after a tips list or an example the lists are the paragraph's own.
        topic = self.text_block["heading"] if self.text_block and self.topic_open else None
        if text in TIP_HEADINGS or text == EXAMPLE_HEADING:
            self.topic_open = False
        if text in TIP_HEADINGS and self.section["id"] not in TIPS_AS_READING:
            self.mode = "tips"
            self.tip_group = {"heading": topic, "items": []}
            self.section["tips"].append(self.tip_group)
        elif text in READING_HEADINGS or text in TIP_HEADINGS:
            self.mode = "reading"
            self.reading_heading = sentence_case(text)
            self.reading_topic = topic
        elif text == EXAMPLE_HEADING:
            self.mode = "example"
            self.example = {"title": None, "text": []}
            self.section["examples"].append(self.example)
        else:
            raise SeedError(f"line {line.number}: unknown heading '{text}'")
        self.last = None

    def text_line(self, line: Line) -> None:
        if self.subheading(line):
            self.text_block = {"heading": line.text, "paragraphs": []}
            self.section["text"].append(self.text_block)
            self.mode, self.last, self.topic_open = "text", None, True
            return
        if not self.join_if_split(line):
            self.put(self.text_paragraphs(), None, line.text)

    def tip_line(self, line: Line) -> None:
        # Eigen kracht versterken gives five tips as a heading sentence with a paragraph under it.
        if line.isolated and not line.bullet and len(line.text) <= 100 and line.text.endswith("."):
            if self.tip_group["items"] or self.tip_group["heading"] is not None:
                self.tip_group = {"heading": line.text, "items": []}
                self.section["tips"].append(self.tip_group)
            else:
                self.tip_group["heading"] = line.text
            self.last = None
            return
        if self.subheading(line):
            self.text_line(line)
            return
        if not self.join_if_split(line):
            self.put(self.tip_group["items"], None, line.text)

    def example_line(self, line: Line) -> None:
        example = self.example
        if (not example["text"] and example["title"] is None and not line.bullet and len(line.text) <= 80
                and not line.text.endswith((".", ":"))):
            example["title"] = line.text
            return
        if example["text"] and self.subheading(line):
            self.text_line(line)
            return
        limit = next((n for start, n in EXAMPLE_LENGTH.items() if example["text"][:1]
                      and example["text"][0].startswith(start)), None)
        if limit is not None and len(example["text"]) >= limit:
            self.mode = "text"
            self.last = None
            self.text_line(line)
            return
        if not self.join_if_split(line):
            self.put(example["text"], None, line.text)

    def reading_line(self, line: Line) -> None:
        if line.follows_bullet and self.last is not None:
            self.join_if_split(line)
            self.last[0]["labels"].extend(line.labels)
            return
        if self.subheading(line):
            self.text_line(line)
            return
        if not line.bullet:
            # "Hieronder volgt een overzicht van relevante tools en links ...:" only introduces the list.
            if line.text.endswith(":"):
                return
            raise SeedError(f"line {line.number}: text in a reading list: '{line.text}'")
        item = {"heading": self.reading_heading, "topic": self.reading_topic, "text": "", "labels": list(line.labels)}
        target = self.block["reading"] if self.section["id"] in BLOCK_WIDE_READING_AFTER else self.section["reading"]
        if target is self.block["reading"]:
            item["topic"] = None
        target.append(item)
        self.put(item, "text", line.text)


def reading_item(raw: dict) -> dict:
    """Title, publisher and (only a bare web address the seed prints) URL of one reading line."""
    text = raw["text"]
    quoted = QUOTED.search(text)
    labels = [label for label in raw["labels"] if label.lower() not in GENERIC_LABELS]
    domain = BARE_DOMAIN.search(text)
    if quoted:
        title = quoted.group(1).strip()
    elif labels:
        title = labels[0]
    elif domain:
        title = domain.group(1)
    else:
        title = re.split(r"(?<=[.!?])\s", text)[0].rstrip(".")
    publisher = min(((text.find(name), name) for name in PUBLISHERS if name in text), default=(0, None))[1]
    item = {"title": title, "publisher": publisher}
    if domain:
        item["url"] = "https://" + domain.group(1)
    item.update({"text": text, "heading": raw["heading"], "topic": raw["topic"]})
    return item


def header(lines: list[str]) -> dict:
    title_at = index_of(lines, "WIJKTEAMS")
    subtitle = [lines[i].strip() for i in range(title_at, title_at + 6) if lines[i].strip()][:3]
    about = index_of(lines, "WAT IS EEN DIVERSITEITSKADER?")
    description = next(clean(raw) for raw in lines[about + 1:] if raw.strip())
    colofon = "\n".join(lines[index_of(lines, "COLOFON"):])
    isbn = re.search(r"ISBN ([\d-]+)", colofon).group(1)
    year = int(re.search(r"© Verwey-Jonker Instituut, Utrecht (\d{4})", colofon).group(1))
    site = re.search(r"via de website van het Kennisplatform Integratie & Samenleving: (www\.kis\.nl)", colofon)
    return {
        "id": "diversiteitskader-wijkteams",
        "title": "Diversiteitskader wijkteams",
        "short_title": "Diversiteitskader",
        "kind": "checklist",
        "description": description,
        "source": {"title": f"{subtitle[0]} {subtitle[1]} — {subtitle[2]}",
                   "publisher": "Kennisplatform Integratie & Samenleving / Verwey-Jonker Instituut",
                   "year": year, "isbn": isbn, "url": "https://" + site.group(1)},
        "answers": ANSWERS,
    }


def literature(lines: list[str]) -> list[str]:
    start, end = index_of(lines, "LITERATUUR"), index_of(lines, "COLOFON")
    entries = [clean(raw) for raw in lines[start + 1:end] if raw.lstrip().startswith("- ")]
    if len(entries) != 47:
        raise SeedError(f"expected 47 literature entries, found {len(entries)}")
    return entries


def build(seed: str) -> dict:
    lines = seed.splitlines()
    start = index_of(lines, "Werkwijze") - 2
    end = index_of(lines, "Achtergrondinformatie")
    importer = Importer(block_names(lines))
    importer.feed(content_lines(lines, start, end))

    counts = {block["number"]: sum(1 for item in importer.items if item["block"] == block["name"])
              for block in importer.blocks}
    if counts != EXPECTED_ITEMS:
        raise SeedError(f"checklist items per block: {counts}, expected {EXPECTED_ITEMS}")
    if importer.pending_sections:
        raise SeedError(f"sections not found: {[s[1] for s in importer.pending_sections]}")

    for owner in importer.sections + importer.blocks:
        owner["reading"] = [reading_item(raw) for raw in owner["reading"]]
    notes = footnotes_of(lines, end)
    return {**header(lines), "blocks": importer.blocks, "items": importer.items, "sections": importer.sections,
            "footnotes": [{"number": number, "text": text} for number, text in sorted(notes.items())],
            "literature": literature(lines)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=Path)
    parser.add_argument("--out", type=Path, help="write here instead of to stdout")
    args = parser.parse_args(argv)
    try:
        data = build(args.seed.read_text(encoding="utf-8"))
    except SeedError as error:
        print(f"import_diversiteitskader_seed: {error}", file=sys.stderr)
        return 2
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
