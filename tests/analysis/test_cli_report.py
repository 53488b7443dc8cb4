"""``python -m analysis report FILE --out PATH``: the suffix picks the format."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from analysis.exports.to_pdf import find_chromium
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
