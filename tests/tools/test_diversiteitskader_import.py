"""The Diversiteitskader instrument file against figures worked out by hand from the reference extract.

The file is read with PyYAML only, not through the instrument loader, so these checks stay about the data.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "003_38b1a7e5faf64e8e.txt"
REFERENCE = SHARED / "reference" / "diversiteitskader_extract.md"
SCRIPT = ROOT / "tools" / "import_diversiteitskader_seed.py"
INSTRUMENT_FILE = ROOT / "instruments" / "diversiteitskader_wijkteams.yaml"
QUICKSCAN_FILE = ROOT / "instruments" / "quickscan_dsb.yaml"

BLOCKS = [("Werkwijze", 12), ("Competenties", 3), ("Informele netwerken", 5), ("Diversiteit team", 2),
          ("Proces", 10)]
ITEM_IDS = [f"{block}.{n}" for block, (_, count) in enumerate(BLOCKS, start=1) for n in range(1, count + 1)]
GROUPS = {"Werkwijze": [("Outreachend werken", 3), ("Eigen kracht versterken", 2), ("Methodieken op maat", 2),
                        ("Organisatorische randvoorwaarden", 5)],
          "Proces": [("Voorbereiding", 5), ("Verandering", 4), ("Verankering", 1)]}
# The reference's item -> paragraph table, one row per paragraph, with a word its title must contain.
MAPPING = [(["1.1", "1.2", "1.3"], "outreachend werken"), (["1.4", "1.5"], "eigen kracht"),
           (["1.6", "1.7"], "methodieken op maat"), (["1.8"], "bekendheid en een goed imago"),
           (["1.9"], "randvoorwaarden"), (["1.10"], "tijd voor vertrouwen"), (["1.11"], "voldoende vaardigheden"),
           (["1.12"], "taalproblemen"), (["2.1"], "interculturele competenties"),
           (["2.2"], "deskundigheidsbevordering"), (["2.3"], "casuïstiekbespreking"),
           (["3.1"], "belang van samenwerking"), (["3.2"], "meerwaarde van samenwerking"),
           (["3.3"], "met wie wijkteams kunnen samenwerken"), (["3.4"], "rollen"), (["3.5"], "randvoorwaarden"),
           (["4.1"], "meerwaarde"), (["4.2"], "randvoorwaarden"), (["5.1", "5.2", "5.3"], "voorbereiding"),
           (["5.4"], "visie"), (["5.5"], "ambities en prioriteiten"), (["5.6", "5.7"], "management"),
           (["5.8", "5.9"], "gemeente"), (["5.10"], "verankering")]
ALLOWED_URLS = {"https://www.kis.nl", "https://intercultureelvakmanschap.nl", "https://bijscholingwmo.nl"}

needs_seed = pytest.mark.skipif(not SEED.exists(), reason="seed texts live beside the repository")
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="the reference extract lives beside the repository")


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load(INSTRUMENT_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items(data):
    return {item["id"]: item for item in data["items"]}


@pytest.fixture(scope="module")
def sections(data):
    return {section["id"]: section for section in data["sections"]}


def squash(text: str) -> str:
    return " ".join(text.split())


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def test_identity_and_kind(data):
    assert data["id"] == "diversiteitskader-wijkteams"
    assert data["title"] == "Diversiteitskader wijkteams"
    assert data["kind"] == "checklist"
    assert data["short_title"] and data["description"].startswith("Dit kader is een totaalpakket")
    assert data["source"]["year"] == 2018
    assert "Kennisplatform Integratie & Samenleving" in data["source"]["publisher"]
    assert "Verwey-Jonker" in data["source"]["publisher"]


def test_32_items_with_the_exact_ids_in_five_blocks(data, items):
    assert [item["id"] for item in data["items"]] == ITEM_IDS
    assert len(ITEM_IDS) == 32 and all(isinstance(item_id, str) for item_id in items)
    assert [(block["number"], block["name"]) for block in data["blocks"]] == [
        (n, name) for n, (name, _) in enumerate(BLOCKS, start=1)]
    for name, count in BLOCKS:
        assert sum(1 for item in data["items"] if item["block"] == name) == count, name
    for item in data["items"]:
        number = int(item["id"].split(".")[0])
        assert item["block"] == BLOCKS[number - 1][0]
    assert [b["title"] for b in data["blocks"]][2:4] == ["Samenwerken met informele netwerken",
                                                          "Diversiteit van het team"]
    assert all(block["introduction"] for block in data["blocks"])


def test_sub_groups(data, items):
    for block in data["blocks"]:
        expected = GROUPS.get(block["name"], [])
        assert [(g["name"], len(g["items"])) for g in block["groups"]] == expected, block["name"]
        for group in block["groups"]:
            assert all(items[item_id]["group"] == group["name"] for item_id in group["items"])
        if not expected:
            assert all(item["group"] is None for item in data["items"] if item["block"] == block["name"])
    werkwijze = data["blocks"][0]["groups"]
    assert werkwijze[0]["items"] == ["1.1", "1.2", "1.3"] and werkwijze[3]["items"][-1] == "1.12"
    assert data["blocks"][4]["groups"][2]["items"] == ["5.10"]


def test_answer_vocabulary(data):
    answers = data["answers"]
    assert [answers[key]["label"] for key in ("met", "not_met", "unknown")] == ["Ja", "Nee", "Onbekend"]
    met, not_met = set(answers["met"]["aliases"]), set(answers["not_met"]["aliases"])
    assert {"ja", "yes", "waar", "true", "x", "✓", "1", "voldaan"} <= met
    assert {"nee", "no", "onwaar", "false", "0", "niet voldaan"} <= not_met
    quickscan = yaml.safe_load(QUICKSCAN_FILE.read_text(encoding="utf-8"))
    assert answers["unknown"]["aliases"] == quickscan["scale"]["unknown_aliases"]
    unknown = set(answers["unknown"]["aliases"])
    assert not (met & not_met) and not (met & unknown) and not (not_met & unknown)
    assert all(isinstance(alias, str) for alias in met | not_met | unknown)


def test_every_item_points_to_an_existing_section_of_its_block(items, sections):
    for item in items.values():
        assert item["section"] in sections, item["id"]
        assert sections[item["section"]]["block"] == item["block"], item["id"]
        assert all(other in sections for other in item["see_also"]), item["id"]
    assert items["1.11"]["see_also"] == ["casuistiekbespreking"]


def test_item_to_section_mapping_follows_the_reference(items, sections):
    seen = set()
    for row, word in MAPPING:
        targets = {items[item_id]["section"] for item_id in row}
        assert len(targets) == 1, row
        target = targets.pop()
        assert target not in seen, (row, target)
        seen.add(target)
        assert word in sections[target]["title"].lower(), (row, sections[target]["title"])
    assert sorted(item_id for row, _ in MAPPING for item_id in row) == sorted(ITEM_IDS)


@needs_reference
def test_mapping_rows_match_the_reference_table():
    text = REFERENCE.read_text(encoding="utf-8")
    table = text[text.index("## Koppeling checklist-item"):]
    rows = []
    for line in table.splitlines():
        match = re.match(r"^\| (\d\.\d+)(?:-(\d\.\d+))? \| ([^|]*)\|", line)
        if not match or match.group(3).strip().startswith("hoofdstukbreed"):
            continue
        first, last = match.group(1), match.group(2) or match.group(1)
        block = first.split(".")[0]
        rows.append([f"{block}.{n}" for n in range(int(first.split(".")[1]), int(last.split(".")[1]) + 1)])
    assert rows == [row for row, _ in MAPPING]


def test_sections_have_their_material(data, sections):
    for section in data["sections"]:
        assert re.fullmatch(r"[a-z0-9-]+", section["id"]), section["id"]
        assert section["text"] and all(block["paragraphs"] for block in section["text"]), section["id"]
        for key in ("tips", "examples", "reading"):
            assert isinstance(section[key], list)
        for example in section["examples"]:
            assert example["text"], section["id"]
        for item in section["reading"]:
            assert item["title"] and "(#)" not in item["text"], section["id"]
    assert len(data["sections"]) == len({s["id"] for s in data["sections"]})
    # Counts from the reference extract.
    competences = sections["interculturele-competenties"]["tips"]
    assert [(g["heading"], len(g["items"])) for g in competences] == [("Kennis", 4), ("Vaardigheden", 3),
                                                                     ("Houding", 4)]
    assert len(sections["eigen-kracht-versterken"]["tips"]) == 5
    assert sections["eigen-kracht-versterken"]["tips"][2]["heading"] == "Geef een goede uitleg."
    assert [len(g["items"]) for g in sections["voorbereiding"]["tips"]] == [4, 6]
    assert len(sections["randvoorwaarden-divers-team"]["tips"][0]["items"]) == 8
    assert len(sections["casuistiekbespreking"]["tips"][0]["items"]) == 3
    assert len(sections["deskundigheidsbevordering"]["reading"]) == 11
    assert len(sections["ambities-en-prioriteiten"]["reading"]) == 4
    assert len(sections["outreachend-werken"]["reading"]) == 5
    informal = data["blocks"][2]["reading"]
    assert [item["heading"] for item in informal].count("Meer informatie") == 10
    assert [item["heading"] for item in informal].count("Video's") == 2
    assert sections["meerwaarde-samenwerking"]["examples"][0]["title"].startswith("Schilderswijk Moeders")
    assert len(sections["ambities-en-prioriteiten"]["examples"][0]["text"]) == 2


def test_page_breaks_do_not_cut_sentences(sections):
    uitleg = sections["eigen-kracht-versterken"]["tips"][2]["items"][0]
    assert "eigen kracht van de cliënt te versterken. Zonder uitleg" in uitleg
    behoud = next(p for p in sections["randvoorwaarden-divers-team"]["text"][0]["paragraphs"]
                  if p.startswith("Behoud"))
    assert "bij de rijksoverheid blijkt dat zij hun werkgever" in behoud


def test_no_page_furniture_left(data):
    text = INSTRUMENT_FILE.read_text(encoding="utf-8")
    for noise in ("►", "▶", "☰", "■", "∞", "🔗", "⌘", "(#)", "](", "**", "Inleiding & checklist"):
        assert noise not in text, noise
    assert len(data["literature"]) == 47
    assert [note["number"] for note in data["footnotes"]] == list(range(1, 60))


def test_no_url_but_the_three_bare_domains(data):
    urls = set()

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "url" and value is not None:
                    urls.add(value)
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(data)
    assert urls <= ALLOWED_URLS
    assert data["source"]["url"] == "https://www.kis.nl"
    for text in strings(data):
        for found in re.findall(r"https?://\S+", text):
            assert found in ALLOWED_URLS, found


@needs_seed
def test_urls_only_where_the_seed_prints_the_address(data):
    seed = SEED.read_text(encoding="utf-8")
    for section in data["sections"]:
        for item in section["reading"]:
            if "url" in item:
                domain = item["url"].removeprefix("https://")
                assert domain in seed and domain in item["text"], item


@needs_seed
def test_every_item_text_appears_word_for_word_in_the_seed(data):
    seed = squash(SEED.read_text(encoding="utf-8"))
    for item in data["items"]:
        assert squash(item["text"]) in seed, item["id"]


@needs_reference
def test_item_texts_equal_the_reference(items):
    found = re.findall(r"^- \[ \] (\d\.\d+)\. (.*?)\s+\(r\. \d+\)$", REFERENCE.read_text(encoding="utf-8"), re.M)
    assert [item_id for item_id, _ in found] == ITEM_IDS
    for item_id, text in found:
        assert items[item_id]["text"] == squash(text), item_id


@needs_seed
def test_the_importer_reproduces_the_committed_file():
    produced = subprocess.run([sys.executable, str(SCRIPT), str(SEED)], capture_output=True, check=True).stdout
    assert produced == INSTRUMENT_FILE.read_bytes()
