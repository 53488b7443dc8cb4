"""Hostile and broken files: each is refused with one clear Dutch line, in bounded time and memory.

The files are built in tmp_path by tests/fixtures/hostile.py (never committed). Most cases run the
command line in-process (``analysis.cli.main``) so the exit status and stderr are what a user sees.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import zipfile

import hostile as h
import pytest

from analysis.cli import main
from analysis.errors import IngestError
from analysis.ingest.dataset import ingest_bytes
from analysis.ingest.limits import MAX_COLUMNS
from tests.conftest import ROOT

HEADER = ["Team"] + [f"Stelling {i}" for i in range(1, 25)]
BODY = [["A"] + [3] * 24, ["B"] + ["Gevorderd"] * 24]
LAUGHS = ('<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")


def _sheet_with(extra_cells: str = "", **options) -> bytes:
    return h.workbook({"Antwoorden": h.sheet_xml([HEADER] + BODY, extra_cells=extra_cells, **options)})


def _lying_zip(real: bytes, declared: int) -> bytes:
    """A zip whose sheet says it unpacks to DECLARED bytes while it unpacks to far more."""
    data = bytearray(h.workbook({"Antwoorden": real.decode()}))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    real_size = info.file_size.to_bytes(4, "little")
    fake = declared.to_bytes(4, "little")
    # The size sits in the local header and in the central directory: change both.
    return bytes(data).replace(real_size, fake)


CASES = {
    "last_cell.xlsx": (lambda: _sheet_with('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
                       "aantal cellen"),
    "far_cell_in_early_row.xlsx": (lambda: _sheet_with('<row r="4"><c r="A1048000"><v>1</v></c></row>'),
                                   "aantal cellen"),
    "wide_cell.xlsx": (lambda: _sheet_with('<row r="4"><c r="ZZZ4"><v>1</v></c></row>'.replace(
        "ZZZ4", "XFD1300")), "aantal cellen"),
    # calamine reads any XML spelling of a cell reference, so the scan must too.
    "last_cell_single_quotes.xlsx": (lambda: _sheet_with("<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"),
                                     "aantal cellen"),
    "last_cell_tab_before.xlsx": (lambda: _sheet_with('<row r="4"><c\tr="XFD1048576"><v>1</v></c></row>'),
                                  "aantal cellen"),
    "last_cell_line_break_before.xlsx": (lambda: _sheet_with('<row r="4"><c\nr="XFD1048576"><v>1</v></c></row>'),
                                         "aantal cellen"),
    "last_cell_spaces_around_is.xlsx": (lambda: _sheet_with('<row r="4"><c r = "XFD1048576"><v>1</v></c></row>'),
                                        "aantal cellen"),
    "last_cell_space_in_value.xlsx": (lambda: _sheet_with('<row r="4"><c r="XFD1048576 "><v>1</v></c></row>'),
                                      "aantal cellen"),
    # A cell further down than its row element, with as many digits as the highest row element.
    "far_cell_same_digits.xlsx": (lambda: _sheet_with('<row r="100000"><c r="A900000"><v>1</v></c></row>'),
                                  "aantal cellen"),
    "giant_shared_string.xlsx": (lambda: h.workbook(
        {"A": h.sheet_xml([HEADER]).replace("</sheetData>", '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
                                            "</sheetData>")},
        shared_strings=h.shared_strings_xml(["x" * 60_000_000])), "inpakverhouding"),
    "zip_bomb.xlsx": (lambda: h.workbook({"A": h.sheet_xml([HEADER]).replace(
        "</sheetData>", "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>" + "A" * 80_000_000 + "</t></is></c></row>"
        "</sheetData>")}), "inpakverhouding"),
    "lying_sizes.xlsx": (lambda: _lying_zip(h.sheet_xml([HEADER] + BODY * 2000).encode(), 300), "beschadigd"),
    "billion_laughs.xlsx": (lambda: h.workbook({"A": h.sheet_xml([["&i;"] + HEADER[1:]] + BODY, prolog=LAUGHS)
                                                .replace("&amp;i;", "&i;")}), "beschadigd"),
    "truncated_sheet.xlsx": (lambda: h.workbook({"A": h.sheet_xml([HEADER] + BODY)[:900]}), "beschadigd"),
    "bad_workbook_xml.xlsx": (lambda: h.workbook({"A": h.sheet_xml([HEADER])}, workbook_xml="<workbook><sheets"),
                              "kan niet worden geopend"),
    "shared_string_out_of_range.xlsx": (lambda: h.workbook(
        {"A": h.sheet_xml([HEADER] + BODY).replace("</sheetData>", '<row r="4"><c r="A4" t="s"><v>99</v></c>'
                                                   "</row></sheetData>")},
        shared_strings=h.shared_strings_xml(["a"])), "beschadigd"),
    "chartsheet_only.xlsx": (lambda: h.workbook({}, chartsheets={"Grafiek": f"<chartsheet {h.NS}/>"}),
                             "geen werkblad met gegevens"),
    "number_cell_abc.xlsx": (lambda: h.workbook({"A": h.sheet_xml([HEADER] + BODY).replace(
        "<v>3</v>", "<v>abc</v>", 1)}), "'abc'"),
    "not_a_workbook.xlsx": (lambda: _zip({"readme.txt": "hallo"}), "geen werkmap"),
    "xlsb.xlsx": (lambda: _zip({"xl/workbook.bin": "x"}), ".xlsb"),
    "too_many_columns.csv": (lambda: (",".join(["Stelling 1"] + ["x"] * (MAX_COLUMNS + 5)) + "\n").encode(),
                             "aantal kolommen"),
    "utf8_then_bad_byte.csv": (lambda: ",".join(HEADER).encode() + b"\n" + (
        "Cliëntenraad," + ",".join(["3"] * 24) + "\n").encode() * 3000 + b"B\x81," + b",".join([b"3"] * 24),
                               "byte 0x81 op regel 3002"),
    "unterminated_quote.csv": (lambda: ('"' + ",".join(HEADER) + "\nA," + ",".join(["3"] * 24) + "\n").encode(),
                               "aanhalingsteken"),
    "huge_cell.csv": (lambda: (",".join(HEADER) + "\nA," + ",".join(["3"] * 23) + ",\"" + "x" * 40_000 + "\"\n")
                      .encode(), "lengte van een cel"),
    "headers_only.xlsx": (lambda: h.simple_xlsx([HEADER]), "Geen respondenten"),
    "empty_rows_only.csv": (lambda: (",".join(HEADER) + "\n" + "," * 24 + "\n" + " ," * 24 + "\n").encode(),
                            "Geen respondenten"),
}


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_exits_2_with_one_dutch_line(tmp_path, capsys, name):
    build, message = CASES[name]
    path = tmp_path / name
    path.write_bytes(build())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    status = main(["summarize", str(path)])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    out, err = capsys.readouterr()
    assert status == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fout:") and message in lines[0], err
    assert "Traceback" not in err and len(lines[0]) < 600
    assert grown_mb < 400, f"{name} made the process grow by {grown_mb:.0f} MB"


def test_the_limit_that_was_hit_is_named_with_where():
    with pytest.raises(IngestError) as caught:
        ingest_bytes(CASES["last_cell.xlsx"][0](), "x.xlsx")
    text = str(caught.value)
    assert "xl/worksheets/sheet1.xml" in text and "17.179.869.184" in text and "20.000.000" in text


def test_a_huge_declared_dimension_alone_is_harmless():
    dataset = ingest_bytes(_sheet_with(dimension="A1:XFD1048576"), "x.xlsx")
    assert dataset.n_respondents == 2 and dataset.codes[:, 0].tolist() == [3, 4]


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-123")
    prolog = f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
    data = h.workbook({"A": h.sheet_xml([HEADER, ["&e;"] + [3] * 24], prolog=prolog).replace("&amp;e;", "&e;")})
    try:
        dataset = ingest_bytes(data, "x.xlsx")
    except IngestError as exc:
        assert "GEHEIM" not in str(exc)
    else:
        assert "GEHEIM-123" not in " ".join(map(str, dataset.metadata.to_numpy().ravel()))


def test_error_lines_cap_quoted_cells_and_strip_terminal_controls(tmp_path, capsys):
    value = "\x1b[2J\x1b]0;titel\x07Mis\u202elukt" + "y" * 500
    path = tmp_path / "x.csv"
    path.write_text(f'Team,Stelling 1\nA,"{value}"\n', encoding="utf-8")
    assert main(["summarize", str(path)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err
    assert "Mislukt" in err and "y" * 100 not in err


def test_header_detection_with_fifty_thousand_columns_is_refused_quickly_or_read(tmp_path):
    # Over the column limit: refused from the first line, before pyarrow parses anything.
    wide = (",".join(f"Kolom {i}" for i in range(50_000)) + "\n") * 2 + ",".join("3" for _ in range(50_000)) + "\n"
    with pytest.raises(IngestError, match="aantal kolommen"):
        ingest_bytes(wide.encode(), "x.csv")


def test_two_header_rows_at_the_column_limit_are_read(tmp_path):
    width = MAX_COLUMNS - 1
    top = ["Vragenlijst"] + [""] * (width - 1) + ["Team"]
    second = [f"Stelling {1 + i % 24}" if i < 24 else f"Extra {i}" for i in range(width)] + ["Response"]
    rows = [top, second, ["3"] * 24 + ["x"] * (width - 24) + ["Noord"]]
    data = "\n".join(",".join(r) for r in rows).encode()
    dataset = ingest_bytes(data, "x.csv")
    assert dataset.source["header_rows"] == [1, 2]
    assert dataset.codes[0, :].tolist() == [3] * 24


def test_broken_pipe_gives_exit_2_and_one_line():
    process = subprocess.Popen([sys.executable, "-m", "analysis", "summarize", "tests/fixtures/msforms.xlsx"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 2
    assert err.count("\n") == 1 and "afgebroken" in err and "Traceback" not in err
