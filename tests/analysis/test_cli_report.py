"""``python -m analysis report FILE --out PATH``: the suffix picks the format."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from analysis.report.exports.to_pdf import find_chromium
from tests.analysis.test_cli import run
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "quickscan_voorbeeld.xlsx"
TEAM = "In welk team werkt u?"


@pytest.mark.parametrize("suffix", [".html", ".pptx", ".xlsx", ".pdf"])
def test_report_writes_the_format_of_the_suffix(tmp_path, suffix):
    if suffix == ".pdf" and find_chromium() is None:
        pytest.skip("no Chromium for the PDF")
    out = tmp_path / f"rapport{suffix}"
    result = run("report", SAMPLE, "--team-column", TEAM, "--out", out)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    if suffix == ".html":
        assert data.startswith(b"<!DOCTYPE html>") and b"Plotly.newPlot" in data
    elif suffix == ".pptx":
        assert len(Presentation(str(out)).slides) >= 10
    elif suffix == ".xlsx":
        assert "Groepen" in load_workbook(out).sheetnames
    else:
        assert data.startswith(b"%PDF")


def test_unknown_suffix_is_one_dutch_line(tmp_path):
    result = run("report", SAMPLE, "--out", tmp_path / "rapport.docx")
    assert result.returncode == 2
    assert result.stderr.strip() == "Fout: Onbekend formaat '.docx' voor --out; kies .html, .pdf, .pptx, .xlsx."


def test_unwritable_target_is_reported(tmp_path):
    result = run("report", SAMPLE, "--out", tmp_path / "bestaat-niet" / "rapport.html")
    assert result.returncode == 2 and "Kan" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_report_with_an_earlier_round_gets_a_progress_slide(tmp_path):
    store = tmp_path / "rondes"
    saved = run("rounds", "save", SAMPLES / "ronde_2025_voorjaar.xlsx", "--organisation", "Gemeente",
                "--name", "Voorjaar 2025", "--date", "2025-04-07", "--data-dir", store)
    assert saved.returncode == 0, saved.stderr
    out = tmp_path / "terugkomdag.pptx"
    result = run("report", SAMPLES / "ronde_2025_najaar.xlsx", "--previous", "Voorjaar 2025", "--data-dir", store,
                 "--out", out)
    assert result.returncode == 0, result.stderr
    deck = Presentation(str(out))
    titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert titles[2] == "Voortgang sinds Voorjaar 2025 (7 april 2025)"  # dates in words, as on every page
    missing = run("report", SAMPLE, "--previous", "Zomer", "--data-dir", store, "--out", tmp_path / "x.html")
    assert missing.returncode == 2 and "niet gevonden" in missing.stderr
