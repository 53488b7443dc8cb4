"""Reading bytes into a grid: delimiter sniffing, encodings, workbooks through calamine, terminal-safe text."""

import csv
import io

import hostile as h
import pytest

from analysis.errors import IngestError, quoted
from analysis.ingest.reading import decoded, read_grid, sniff_delimiter
from analysis.terminal import terminal_text


def _csv(rows, delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _texts(table, index):
    """A column's cells as text (a csv's columns come as binary UTF-8, checked where they are used)."""
    return decoded(table.column(index).to_pylist())


def test_multi_line_comments_with_one_semicolon_stay_comma_separated():
    rows = [["Team", "Stelling 1", "Opmerking"]]
    rows += [["A", "3", "eerste regel\ntweede; met puntkomma\nderde"] for _ in range(10)]
    assert sniff_delimiter(_csv(rows)) == ","
    table, info = read_grid(_csv(rows).encode(), "x.csv")
    assert info["delimiter"] == "," and table.num_rows == 11 and table.num_columns == 3


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_found(delimiter):
    rows = [["Team", "Stelling 1", "Stelling 2"], ["A, B; C", "3", "4"], ["D", "2", ""]]
    assert sniff_delimiter(_csv(rows, delimiter)) == delimiter


def test_utf16_tab_text_from_excel():
    text = _csv([["Team", "Stelling 1\n(toelichting)"], ["Cliëntenraad", "3"]], "\t")
    table, info = read_grid(text.encode("utf-16"), "x.txt")
    assert info["encoding"] == "utf-16" and info["delimiter"] == "\t"
    assert _texts(table, 1) == ["Stelling 1\n(toelichting)", "3"]
    assert _texts(table, 0)[1] == "Cliëntenraad"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark(encoding):
    """Some tools save UTF-16 without the mark Excel writes: recognised by its zero bytes, not refused as binary."""
    text = _csv([["Team", "Stelling 1"], ["Cliëntenraad 中", "3"], ["B", "4"]], "\t")
    data = text.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    table, info = read_grid(data, "x.txt")
    assert info["encoding"] == encoding and info["delimiter"] == "\t"
    assert _texts(table, 0) == ["Team", "Cliëntenraad 中", "B"]


def test_zero_bytes_that_are_no_utf16_are_still_binary():
    data = bytes(range(256)) * 8 + b"Team,Stelling 1\nA,3\n"
    with pytest.raises(IngestError, match="binaire gegevens"):
        read_grid(data, "x.csv")


def test_cp1252_file_is_recoded_and_a_byte_cp1252_lacks_is_an_error():
    table, info = read_grid("Team;Stelling 1\nCliënt;3\n".encode("cp1252"), "x.csv")
    assert info["encoding"] == "cp1252" and _texts(table, 0)[1] == "Cliënt"
    with pytest.raises(IngestError, match="byte 0x81 op regel 2"):
        read_grid(b"Team;Stelling 1\nCli\xebnt\x81;3\n", "x.csv")


def test_workbook_cells_become_text_like_excel_shows_them():
    data = h.simple_xlsx([["Team", "Stelling 1", "Stelling 2"], ["A", 3, 2.5], ["B", 4.0, "Gevorderd"]])
    table, info = read_grid(data, "x.xlsx")
    assert info["format"] == "xlsx" and info["sheets"] == ["Blad1"]
    assert _texts(table, 1) == ["Stelling 1", "3", "4"]
    assert _texts(table, 2) == ["Stelling 2", "2.5", "Gevorderd"]


def test_ods_sheets_are_listed_and_the_best_one_chosen():
    data = h.ods({"Uitleg": [["Lees dit eerst"]], "Data": [["Team", "Stelling 1"], ["A", 3]]})
    table, info = read_grid(data, "x.ods", score=lambda top: sum("Stelling" in c for r in top for c in r))
    assert info["format"] == "ods" and info["sheets"] == ["Uitleg", "Data"] and info["sheet"] == "Data"
    assert _texts(table, 1)[:2] == ["Stelling 1", "3"]


def test_terminal_text_removes_escapes_controls_and_bidi_overrides():
    raw = "\x1b[31mRood\x1b[0m \x1b]0;titel\x07Team\u202eNoord\x00\x08 \u2066x\u2069"
    assert terminal_text(raw) == "Rood TeamNoord x"
    assert terminal_text("a" * 200, 80) == "a" * 79 + "…"
    assert terminal_text("regel 1\nregel 2") == "regel 1\nregel 2"


def test_quoted_values_are_capped_and_on_one_line():
    assert quoted("x" * 500) == "x" * 79 + "…"
    assert quoted("een\ntwee") == "een twee"
