"""Arbitrary bytes and arbitrary tables never escape as anything but a clear IngestError."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import IngestError
from analysis.ingest import ingest_bytes
from analysis.summary import summarize

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
