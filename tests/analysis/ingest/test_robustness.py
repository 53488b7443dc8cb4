"""Arbitrary bytes and arbitrary tables never escape as anything but a clear IngestError."""

import csv
import io
import resource
import tracemalloc

import hostile as h
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import IngestError
from analysis.ingest.dataset import ingest_bytes
from analysis.scoring.summary import summarize

CELL = st.one_of(st.text(max_size=30), st.sampled_from(
    ["Stelling 1", "Stelling 2", "7. x", "Gevorderd", "3", "9", "", "Onbekend", "Team", "respondent",
     "stelling", "antwoord", '{"ImportId":"x"}', "Response", "Q1", "[1. a]"]))


def _analyse(data: bytes, name: str) -> None:
    try:
        dataset = ingest_bytes(data, name)
    except IngestError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    summary = summarize(dataset)
    assert summary.respondents == dataset.n_respondents
    for column in dataset.metadata.columns[:1]:
        summarize(dataset, column)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.xlsx", "x"]))
def test_arbitrary_bytes(data, name):
    _analyse(data, name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
def test_arbitrary_tables(rows, delimiter, encoding):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    _analyse(buffer.getvalue().encode(encoding, errors="replace"), "x.csv")


WORKBOOK_NAMES = ["x.xlsx", "x.xlsm", "x.ods", "x.xls"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(WORKBOOK_NAMES),
       st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_arbitrary_bytes_named_as_workbooks(data, name, magic):
    _analyse(magic + data, name)


def _valid_workbooks() -> list[bytes]:
    rows = [["Team", "Stelling 1", "Stelling 2"], ["A", 3, "Gevorderd"], ["B", "", "n.v.t."]]
    return [h.simple_xlsx(rows), h.ods({"Blad1": rows})]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([0, 1]), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
       st.integers(0, 10_000))
def test_damaged_workbooks_fail_cleanly(which, flips, cut):
    data = bytearray(_valid_workbooks()[which])
    for position, value in flips:
        data[position % len(data)] = value
    _analyse(bytes(data[: max(cut, 30)]), ["x.xlsx", "x.ods"][which])


def test_small_zip_bomb_is_refused_without_exhausting_memory():
    bomb = h.workbook({"A": h.sheet_xml([["Stelling 1"]]).replace(
        "</sheetData>", '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "3" * 150_000_000 + "</t></is></c></row>"
        "</sheetData>")})
    assert len(bomb) < 1_000_000
    tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with pytest.raises(IngestError, match="inpakverhouding"):
            ingest_bytes(bomb, "bom.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    assert peak < 20_000_000 and grown < 100_000_000
