"""The instrument file carries the seed faithfully and the loader names what is wrong."""

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from analysis.instrument import (
    InstrumentError,
    _yaml_data,
    available_instruments,
    cache_dir,
    get_instrument,
    load_instrument,
    parse_instrument,
)
from tests.conftest import ROOT, THEME_OF

SEED = (ROOT.parent / "shared" / "seeds" / "002_e8376b12b7430e9d.txt")
INSTRUMENT_FILE = ROOT / "instruments" / "quickscan_dsb.yaml"


def test_has_24_statements_in_four_themes(instrument):
    assert [s.id for s in instrument.statements] == list(range(1, 25))
    assert {s.id: s.theme for s in instrument.statements} == THEME_OF
    assert instrument.level_labels == ("Inactief", "Startend", "Goed op weg", "Gevorderd", "Vergevorderd")
    assert all(len(s.level_descriptions) == 5 for s in instrument.statements)


@pytest.mark.skipif(not SEED.exists(), reason="seed texts live beside the repository")
def test_every_statement_and_level_text_appears_in_the_seed(instrument):
    def squash(text):
        return re.sub(r"[\s*#\\]+", " ", text).replace("(#)", "")

    seed = squash(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", SEED.read_text(encoding="utf-8")))
    for statement in instrument.statements:
        assert squash(statement.text) in seed, statement.id
        for description in statement.level_descriptions:
            # Descriptions broken over a stray blank line in the seed are joined: check the halves.
            assert all(squash(half) in seed for half in description.split(" begeleiden van klanten")), description


def test_explanations_keep_subheadings_and_reading_lists(instrument):
    first = instrument.statement(1)
    assert [b.heading for b in first.explanation] == ["Cultuurverschillen herkennen", "Cultuurverschillen overbruggen"]
    assert "culturele referentiekader" in first.explanation[0].paragraphs[0]
    assert len(first.reading) == 5
    assert instrument.statement(3).explanation[1].heading == "Migratiecontext"
    titles = [item.title for item in instrument.statement(4).reading]
    assert "Uitsluiting leidt tot wantrouwen tegen overheid" in titles and "Vooroordelen Voorbij" in titles
    assert "(#)" not in yaml.safe_dump(yaml.safe_load(INSTRUMENT_FILE.read_text(encoding="utf-8")))


def test_urls_are_only_real_addresses(instrument):
    for statement in instrument.statements:
        for item in statement.reading + statement.references:
            assert item.url is None or item.url.startswith("http"), item
    pharos = [r for r in instrument.statement(19).references if r.url]
    assert pharos and pharos[0].url == "http://www.Pharos.nl"


def test_greek_heading_glitch_did_not_leak(instrument):
    text = INSTRUMENT_FILE.read_text(encoding="utf-8")
    assert "Antwoorδοpties" not in text and "δ" not in text


def _raw():
    return yaml.safe_load(INSTRUMENT_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("breaker, message", [
    (lambda d: d["statements"][4].pop("theme"), "stelling 5: het veld 'theme' ontbreekt"),
    (lambda d: d["statements"][6]["levels"].pop(), "stelling 7: verwacht 5 niveaubeschrijvingen"),
    (lambda d: d["statements"][1].update(id=1), "dubbel"),
    (lambda d: d["statements"][0].update(theme="Onzin"), "thema 'Onzin' staat niet in de lijst"),
    (lambda d: d["statements"][0]["reading"][0].update(url="www.example"), "begint niet met http"),
])
def test_malformed_instrument_says_where(breaker, message):
    data = _raw()
    breaker(data)
    with pytest.raises(InstrumentError, match=re.escape(message)):
        parse_instrument(data)


def test_unreadable_yaml_names_the_line(tmp_path: Path):
    bad = tmp_path / "kapot.yaml"
    bad.write_text("id: x\nstatements: [\n  - a: b\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="geen geldige YAML"):
        load_instrument(bad)


def test_more_than_one_instrument_can_live_side_by_side(tmp_path: Path):
    data = _raw()
    data["id"] = "tweede-scan"
    data["statements"] = data["statements"][:3]
    data["themes"] = [{"name": "Competenties"}]
    (tmp_path / "a.yaml").write_text(INSTRUMENT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = available_instruments(tmp_path)
    assert set(found) == {"quickscan-dsb", "tweede-scan"}
    assert load_instrument(found["tweede-scan"]).statement_ids == [1, 2, 3]


# --- the parsed copy between processes ---------------------------------------------------------------------

def test_a_second_process_reads_the_parsed_copy_not_the_yaml(tmp_path: Path, monkeypatch):
    text = INSTRUMENT_FILE.read_text(encoding="utf-8")
    first = _yaml_data(text, tmp_path)
    assert first == yaml.safe_load(text)
    assert len(list(tmp_path.glob("*.json"))) == 1

    def no_yaml(*args, **kwargs):
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr("analysis.instrument.yaml.load", no_yaml)
    assert _yaml_data(text, tmp_path) == first


def test_an_edited_file_is_parsed_again(tmp_path: Path):
    text = INSTRUMENT_FILE.read_text(encoding="utf-8")
    _yaml_data(text, tmp_path)
    edited = text.replace("name: Competenties", "name: Vaardigheden", 1)
    assert edited != text
    assert any(t["name"] == "Vaardigheden" for t in _yaml_data(edited, tmp_path)["themes"])
    assert len(list(tmp_path.glob("*.json"))) == 2


def test_data_json_would_change_is_not_copied(tmp_path: Path):
    text = "id: x\ndatum: 2025-04-07\nniveaus: {1: Inactief}\n"
    data = _yaml_data(text, tmp_path)
    assert data == {"id": "x", "datum": dt.date(2025, 4, 7), "niveaus": {1: "Inactief"}}
    assert not list(tmp_path.glob("*.json"))
    assert _yaml_data(text, tmp_path) == data


def test_without_a_writable_cache_the_file_still_loads(tmp_path: Path):
    blocked = tmp_path / "geen-map"
    blocked.write_text("een bestand waar de map zou komen", encoding="utf-8")
    text = INSTRUMENT_FILE.read_text(encoding="utf-8")
    assert _yaml_data(text, blocked / "instruments") == yaml.safe_load(text)


def test_the_cache_lives_in_the_xdg_cache_directory(tmp_path: Path):
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "quickscan" / "instruments"
    assert cache_dir({"HOME": str(tmp_path)}) == tmp_path / ".cache" / "quickscan" / "instruments"


def test_cited_notes_read_superscript_numbers_of_one_or_more_digits():
    instrument = get_instrument("diversiteitskader-wijkteams")
    notes = {n["number"]: n["text"] for n in yaml.safe_load(
        (ROOT / "instruments" / "diversiteitskader_wijkteams.yaml").read_text(encoding="utf-8"))["footnotes"]}
    texts = ["eerst.⁵⁰ Dan weer⁵, en nog eens⁵⁰.", None, "zonder noot", "een nummer dat niet bestaat⁹⁹⁹"]
    assert instrument.cited_notes(texts) == [("⁵⁰", notes[50]), ("⁵", notes[5])]
    assert get_instrument("quickscan-dsb").cited_notes(["tekst⁵"]) == []
