"""The QuickScan instrument file is free of the seed's link glitches, and the importer reproduces it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT

SEED = ROOT.parent / "shared" / "seeds" / "002_e8376b12b7430e9d.txt"
SCRIPT = ROOT / "tools" / "import_quickscan_seed.py"
INSTRUMENT_FILE = ROOT / "instruments" / "quickscan_dsb.yaml"


@pytest.fixture(scope="module")
def statements():
    return {s["id"]: s for s in yaml.safe_load(INSTRUMENT_FILE.read_text(encoding="utf-8"))["statements"]}


def _paragraphs(statement):
    return [p for block in statement["explanation"] for p in block["paragraphs"]]


def test_no_statement_lists_a_reading_item_twice(statements):
    for statement in statements.values():
        titles = [item["title"] for item in statement["reading"]]
        assert len(titles) == len(set(titles)), statement["id"]
        labels = [ref["label"] for ref in statement["references"]]
        assert len(labels) == len(set(labels)), statement["id"]


def test_statement_18_names_the_amsterdam_network_once(statements):
    text = " ".join(_paragraphs(statements[18]))
    assert text.count("Amsterdams Netwerk Ervaringskennis ANE") == 1
    assert "het Amsterdams Netwerk Ervaringskennis ANE opgericht." in text


def test_no_explanation_repeats_a_phrase_back_to_back(statements):
    # A link rendered as its label twice ("X [X](#)") shows up as a phrase said twice in a row.
    for statement in statements.values():
        repeated = re.search(r"\b(\w+(?: \w+){2,}) \1\b", " ".join(_paragraphs(statement)))
        assert repeated is None, (statement["id"], repeated and repeated.group(0))


def test_every_quote_opened_in_a_reading_title_is_closed(statements):
    for statement in statements.values():
        for item in statement["reading"]:
            assert item["title"].count("'") % 2 == 0, (statement["id"], item["title"])
    via = [item["title"] for s in statements.values() for item in s["reading"] if "VIA-pilot" in item["title"]]
    assert len(via) == 8
    assert set(via) == {"Handreiking Lessen van de VIA-pilot 'Intensieve begeleiding van langdurig "
                        "werkzoekenden met een migratieachtergrond'"}


def test_statement_13_has_no_stray_colon_where_the_link_was(statements):
    text = " ".join(_paragraphs(statements[13]))
    assert ": blijkt" not in text
    assert "Uit dit onderzoek in opdracht van het Ministerie van SZW blijkt namelijk dat" in text
    assert {"label": "onderzoek in opdracht van het Ministerie van SZW"} in statements[13]["references"]


@pytest.mark.skipif(not SEED.exists(), reason="seed texts live beside the repository")
def test_the_importer_reproduces_the_committed_file():
    produced = subprocess.run([sys.executable, str(SCRIPT), str(SEED)], capture_output=True, check=True).stdout
    assert produced == INSTRUMENT_FILE.read_bytes()
