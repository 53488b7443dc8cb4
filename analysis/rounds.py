"""A saved measurement round as data: its description, and its answers as one Parquet document.

A round is one checked upload frozen as answer codes: the analyst's value fixes are already
applied, so its numbers never change when it is opened again, whatever later versions of the
ingest do. This module converts between a Dataset and that document (the answer codes as columns,
the description, ingest report and privacy settings in the schema metadata) and checks a document
read back before any page or command sees it. Where rounds are kept is ``analysis.store``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.dutch import format_date
from analysis.errors import RoundError
from analysis.ingest.dataset import ISSUE_COLUMNS, ColumnInfo, Dataset
from analysis.ingest.matching import MISSING
from analysis.instrument import InstrumentError, get_instrument

META_KEY = b"quickscan.round"
FORMAT_VERSION = 1
PARQUET_FORMAT = "parquet-v1"
MAX_TEXT = 120
RESPONDENT_COLUMN = "respondent"
METADATA_PREFIX = "meta:"
ROUND_LAYOUT = "Opgeslagen meetronde"


@dataclass(frozen=True)
class RoundInfo:
    round_id: str
    organisation: str
    name: str
    date: str  # ISO date of the measurement
    instrument_id: str
    respondents: int
    source_name: str = ""
    saved_at: str = ""
    overrides: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.organisation} · {self.name} ({format_date(self.date)})"

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes a round the same round to a person: organisation, name and date (case and spaces aside)."""
        return self.organisation.casefold(), self.name.casefold(), self.date


def _statement_column(statement_id: int) -> str:
    return f"stelling_{statement_id}"


def _clean_text(value: str, what: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise RoundError(f"Vul de {what} van de meetronde in.")
    if len(text) > MAX_TEXT:
        raise RoundError(f"De {what} van de meetronde is te lang (meer dan {MAX_TEXT} tekens).")
    return text


def _iso_date(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise RoundError(f"Datum '{value}' is geen geldige datum; gebruik JJJJ-MM-DD.") from exc


def table_from_dataset(dataset: Dataset, info: RoundInfo, privacy: dict | None = None) -> pa.Table:
    columns = {RESPONDENT_COLUMN: pa.array([str(r) for r in dataset.respondent_ids], pa.string())}
    for index, statement_id in enumerate(dataset.instrument.statement_ids):
        columns[_statement_column(statement_id)] = pa.array(np.ascontiguousarray(dataset.codes[:, index]), pa.int8())
    for label in dataset.metadata.columns:
        columns[METADATA_PREFIX + label] = pa.array(dataset.metadata[label].astype(str).tolist(), pa.string())
    extra = {"format": FORMAT_VERSION,
             "found": dataset.statements_found,
             "columns": [asdict(c) for c in dataset.columns if c.role in ("metadata", "system")],
             "issues": json.loads(dataset.issues.to_json(orient="records")),
             "layout": dataset.layout,
             "privacy": privacy}
    return _with_info(pa.table(columns), info, extra)


def _with_info(table: pa.Table, info: RoundInfo, extra: dict) -> pa.Table:
    payload = {**extra, "info": asdict(info)}
    return table.replace_schema_metadata({META_KEY: json.dumps(payload, ensure_ascii=False).encode()})


def dataset_from_table(table: pa.Table, info: RoundInfo | None = None) -> Dataset:
    """The Dataset of a round document; INFO (the store's current description) wins over the embedded one.

    The document is checked first: a round that lacks a statement column or holds a code the instrument
    does not know is refused with a Dutch line, instead of breaking every page that opens it.
    """
    payload = json.loads(table.schema.metadata[META_KEY])
    info = info or RoundInfo(**payload["info"])
    try:
        instrument = get_instrument(info.instrument_id)
    except InstrumentError as exc:
        raise RoundError(f"Meetronde '{info.name}' hoort bij instrument '{info.instrument_id}', "
                         "dat hier niet beschikbaar is.") from exc
    codes = _checked_codes(table, instrument, info)
    metadata = pd.DataFrame({name[len(METADATA_PREFIX):]: table.column(name).to_pylist()
                             for name in table.column_names if name.startswith(METADATA_PREFIX)},
                            index=pd.RangeIndex(table.num_rows))
    issues = pd.DataFrame(payload.get("issues") or [], columns=ISSUE_COLUMNS)
    issues["blokkerend"] = issues["blokkerend"].astype(bool)
    return Dataset(instrument=instrument, layout=ROUND_LAYOUT, layout_kind="round",
                   source={"filename": info.source_name, "round": asdict(info),
                           "privacy": payload.get("privacy")},
                   codes=codes, respondent_ids=table.column(RESPONDENT_COLUMN).to_pylist(), metadata=metadata,
                   columns=[ColumnInfo(**c) for c in payload.get("columns") or []], issues=issues,
                   found=list(payload.get("found") or []))


def _checked_codes(table: pa.Table, instrument, info: RoundInfo) -> np.ndarray:
    if RESPONDENT_COLUMN not in table.column_names:
        raise RoundError(f"Meetronde '{info.name}' is beschadigd: de kolom met respondenten ontbreekt.")
    codes = np.empty((table.num_rows, len(instrument.statements)), dtype=np.int8, order="F")
    item = instrument.kind.item
    for index, statement_id in enumerate(instrument.statement_ids):
        name = _statement_column(statement_id)
        if name not in table.column_names:
            raise RoundError(f"Meetronde '{info.name}' is beschadigd: {item} {statement_id} ontbreekt.")
        column = table.column(name).to_numpy(zero_copy_only=False)
        if column.dtype.kind not in "iu" or ((column < MISSING) | (column > instrument.max_level)).any():
            raise RoundError(f"Meetronde '{info.name}' is beschadigd: {item} {statement_id} bevat codes "
                             f"buiten {MISSING}..{instrument.max_level}.")
        codes[:, index] = column
    return codes


def round_document(dataset: Dataset, info: RoundInfo, privacy: dict | None = None) -> bytes:
    """The round as the Parquet bytes the store keeps (zstd: a 1,000-respondent round is a few kB)."""
    sink = io.BytesIO()
    pq.write_table(table_from_dataset(dataset, info, privacy), sink, compression="zstd")
    return sink.getvalue()


def read_document(content: bytes) -> pa.Table:
    try:
        table = pq.read_table(io.BytesIO(content))
        json.loads(table.schema.metadata[META_KEY])
        return table
    except (OSError, KeyError, ValueError, TypeError, pa.ArrowException) as exc:
        raise RoundError("Meetronde kan niet worden gelezen: de opgeslagen gegevens zijn beschadigd.") from exc


def new_round_info(dataset: Dataset, organisation: str, name: str, date, overrides: dict | None = None,
                   source_name: str = "") -> RoundInfo:
    """A fresh description for DATASET, its texts and date checked (Dutch errors)."""
    return RoundInfo(round_id=uuid.uuid4().hex, organisation=_clean_text(organisation, "organisatie"),
                     name=_clean_text(name, "naam"), date=_iso_date(date), instrument_id=dataset.instrument.id,
                     respondents=dataset.n_respondents, source_name=source_name,
                     saved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), overrides=overrides or {})


def check_savable(dataset: Dataset) -> None:
    if is_sample(dataset):
        raise RoundError("Dit is voorbeelddata (fictief); voorbeelddata wordt nooit als meetronde opgeslagen. "
                         "Upload de export van uw eigen vragenlijst.")
    if not dataset.blocking_issues.empty:
        raise RoundError("Deze gegevens hebben nog onopgeloste punten in het rapport; los die eerst op "
                         "op de pagina Gegevens.")


def identity_of(organisation: str, name: str, date) -> tuple[str, str, str]:
    """What a new round with this description would be the same as (see RoundInfo.identity)."""
    return (_clean_text(organisation, "organisatie").casefold(), _clean_text(name, "naam").casefold(),
            _iso_date(date))


def clean_name(name: str) -> str:
    return _clean_text(name, "naam")


def is_round_id(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{32}", str(text)))


def info_from_payload(table: pa.Table) -> RoundInfo:
    return RoundInfo(**json.loads(table.schema.metadata[META_KEY])["info"])


def mark_sample(dataset: Dataset) -> Dataset:
    """Label DATASET as the fictitious sample, so every view can say so and the store can refuse it."""
    dataset.source["sample"] = True
    return dataset


def is_sample(dataset: Dataset) -> bool:
    return bool(dataset.source.get("sample"))


def round_of(dataset: Dataset) -> RoundInfo | None:
    raw = dataset.source.get("round")
    return RoundInfo(**raw) if raw else None

