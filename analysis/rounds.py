"""Saved measurement rounds: an embedded store of Parquet files that needs no server.

A round is one checked upload frozen as answer codes: the analyst's value fixes are already
applied, so its numbers never change when it is opened again, whatever later versions of the
ingest do. Each round is a single Parquet file whose schema metadata carries the round's
description; a save writes a temporary file and renames it into place, so a crash leaves either
the whole round or nothing, and two saves at once never touch the same file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.dutch import format_date
from analysis.ingest import ISSUE_COLUMNS, ColumnInfo, Dataset
from analysis.instrument import InstrumentError, get_instrument
from analysis.privacy import default_settings

META_KEY = b"quickscan.round"
FORMAT_VERSION = 1
SUFFIX = ".parquet"
TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600
DATA_DIR_VARIABLE = "QUICKSCAN_DATA_DIR"
RESPONDENT_COLUMN = "respondent"
METADATA_PREFIX = "meta:"
ROUND_LAYOUT = "Opgeslagen meetronde"


class RoundError(ValueError):
    """A Dutch, single-line message about the store or a round in it."""


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


def default_data_dir(environ: dict | None = None) -> Path:
    """QUICKSCAN_DATA_DIR, else the user's data folder (XDG), so rounds outlive a checkout."""
    environ = os.environ if environ is None else environ
    if environ.get(DATA_DIR_VARIABLE):
        return Path(environ[DATA_DIR_VARIABLE]).expanduser()
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", "~")) / ".local" / "share")
    return Path(base).expanduser() / "quickscan-dashboard"


def _statement_column(statement_id: int) -> str:
    return f"stelling_{statement_id}"


def _clean_text(value: str, what: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise RoundError(f"Vul de {what} van de meetronde in.")
    if len(text) > 120:
        raise RoundError(f"De {what} van de meetronde is te lang (meer dan 120 tekens).")
    return text


def _iso_date(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise RoundError(f"Datum '{value}' is geen geldige datum; gebruik JJJJ-MM-DD.") from exc


class RoundStore:
    """The rounds in one data directory. Every method reads the directory afresh, so several
    sessions and processes can share it."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    # -- reading ---------------------------------------------------------------------------
    def _round_files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir()
                      if p.suffix == SUFFIX and not p.name.startswith(TEMP_PREFIX))

    def list(self) -> list[RoundInfo]:
        """Every complete round, oldest measurement first."""
        rounds = []
        for path in self._round_files():
            info = self._read_info(path)
            if info is not None:
                rounds.append(info)
        return sorted(rounds, key=lambda r: (r.organisation.lower(), r.date, r.name.lower(), r.round_id))

    @staticmethod
    def _read_info(path: Path) -> RoundInfo | None:
        try:
            metadata = pq.read_schema(path).metadata or {}
            raw = json.loads(metadata[META_KEY])
            return RoundInfo(**raw["info"])
        except (OSError, KeyError, ValueError, TypeError, pa.ArrowException):
            return None  # a deleted-meanwhile or foreign file is not a round

    def unreadable_files(self) -> list[str]:
        """Files in the directory that look like rounds but cannot be read: reported, not hidden."""
        return [p.name for p in self._round_files() if self._read_info(p) is None]

    def find(self, reference: str) -> RoundInfo:
        """A round by id, unique id prefix (at least 4 characters) or exact name."""
        reference = str(reference).strip()
        rounds = self.list()
        exact = [r for r in rounds if r.round_id == reference]
        if exact:
            return exact[0]
        matches = [r for r in rounds if len(reference) >= 4 and r.round_id.startswith(reference)]
        matches = matches or [r for r in rounds if r.name.lower() == reference.lower()]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise RoundError(f"Meetronde '{reference}' niet gevonden in {self.directory}.")
        ids = ", ".join(r.round_id[:8] for r in matches)
        raise RoundError(f"'{reference}' past op meer dan één meetronde ({ids}); gebruik het id.")

    def path_of(self, round_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", round_id):
            raise RoundError(f"'{round_id}' is geen geldig id van een meetronde.")
        return self.directory / f"{round_id}{SUFFIX}"

    def load(self, round_id: str) -> Dataset:
        path = self.path_of(round_id)
        try:
            table = pq.read_table(path)
        except FileNotFoundError as exc:
            raise RoundError(f"Meetronde {round_id[:8]} bestaat niet (meer).") from exc
        except (OSError, pa.ArrowException) as exc:
            raise RoundError(f"Meetronde {round_id[:8]} kan niet worden gelezen: het bestand is beschadigd.") from exc
        return dataset_from_table(table)

    # -- writing ---------------------------------------------------------------------------
    def save(self, dataset: Dataset, organisation: str, name: str, date, overrides: dict | None = None,
             source_name: str = "", privacy: dict | None = None, replace: bool = False) -> RoundInfo:
        """Store DATASET as a new round with the analyst's privacy settings (reporting columns, minimum).

        Refuses sample data, a dataset the report still blocks, and a second round with the same organisation,
        name and date (a double click, or the same export saved twice) unless REPLACE says to put the new one
        in place of the old. Without PRIVACY the defaults of ``analysis.privacy`` are frozen in, so the round's
        figures never depend on a later default.
        """
        if is_sample(dataset):
            raise RoundError("Dit is voorbeelddata (fictief); voorbeelddata wordt nooit als meetronde opgeslagen. "
                             "Upload de export van uw eigen vragenlijst.")
        if not dataset.blocking_issues.empty:
            raise RoundError("Deze gegevens hebben nog onopgeloste punten in het rapport; los die eerst op "
                             "op de pagina Gegevens.")
        info = RoundInfo(round_id=uuid.uuid4().hex, organisation=_clean_text(organisation, "organisatie"),
                         name=_clean_text(name, "naam"), date=_iso_date(date),
                         instrument_id=dataset.instrument.id, respondents=dataset.n_respondents,
                         source_name=source_name,
                         saved_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                         overrides=overrides or {})
        existing = self.same_round(info)
        if existing and not replace:
            raise RoundError(f"Er is al een meetronde '{existing[0].label}'; kies een andere naam of datum, "
                             "of vervang de bestaande.")
        privacy = privacy or default_settings(dataset.metadata).to_dict()
        self._write(info, table_from_dataset(dataset, info, privacy))
        for old in existing:  # only once the new round is whole: a crash in between leaves both, never neither
            self.path_of(old.round_id).unlink(missing_ok=True)
        return info

    def existing(self, organisation: str, name: str, date) -> list[RoundInfo]:
        """Saved rounds a new round with this organisation, name and date would duplicate."""
        identity = (_clean_text(organisation, "organisatie").casefold(), _clean_text(name, "naam").casefold(),
                    _iso_date(date))
        return [r for r in self.list() if r.identity == identity]

    def same_round(self, info: RoundInfo) -> list[RoundInfo]:
        """Saved rounds with INFO's organisation, name and date, other than INFO itself."""
        return [r for r in self.list() if r.identity == info.identity and r.round_id != info.round_id]

    def rename(self, round_id: str, new_name: str) -> RoundInfo:
        table = pq.read_table(self.path_of(self.find(round_id).round_id))
        old = json.loads(table.schema.metadata[META_KEY])
        info = RoundInfo(**{**old["info"], "name": _clean_text(new_name, "naam")})
        existing = self.same_round(info)
        if existing:
            raise RoundError(f"Er is al een meetronde '{existing[0].label}'; kies een andere naam.")
        self._write(info, _with_info(table, info, old))
        return info

    def delete(self, round_id: str) -> RoundInfo:
        """Permanent: the file is removed, there is no bin."""
        info = self.find(round_id)
        try:
            self.path_of(info.round_id).unlink()
        except FileNotFoundError as exc:
            raise RoundError(f"Meetronde {info.round_id[:8]} was al verwijderd.") from exc
        return info

    def _write(self, info: RoundInfo, table: pa.Table) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RoundError(f"Map voor meetrondes {self.directory} kan niet worden aangemaakt: "
                             f"{exc.strerror}.") from exc
        self._remove_stale_temporaries()
        final = self.path_of(info.round_id)
        temporary = self.directory / f"{TEMP_PREFIX}{uuid.uuid4().hex}{SUFFIX}"
        try:
            with open(temporary, "wb") as handle:
                pq.write_table(table, handle, compression="zstd")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
            _fsync_directory(self.directory)
        except OSError as exc:
            raise RoundError(f"Meetronde kon niet worden opgeslagen in {self.directory}: {exc.strerror}.") from exc
        finally:
            temporary.unlink(missing_ok=True)

    def _remove_stale_temporaries(self) -> None:
        """Left-overs of killed saves; young ones may belong to a save that is still running."""
        cutoff = time.time() - STALE_TEMP_SECONDS
        for path in self.directory.glob(f"{TEMP_PREFIX}*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); not every platform can open a directory."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


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


def dataset_from_table(table: pa.Table) -> Dataset:
    payload = json.loads(table.schema.metadata[META_KEY])
    info = RoundInfo(**payload["info"])
    try:
        instrument = get_instrument(info.instrument_id)
    except InstrumentError as exc:
        raise RoundError(f"Meetronde '{info.name}' hoort bij instrument '{info.instrument_id}', "
                         "dat hier niet beschikbaar is.") from exc
    codes = np.empty((table.num_rows, len(instrument.statements)), dtype=np.int8, order="F")
    for index, statement_id in enumerate(instrument.statement_ids):
        codes[:, index] = table.column(_statement_column(statement_id)).to_numpy()
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


def mark_sample(dataset: Dataset) -> Dataset:
    """Label DATASET as the fictitious sample, so every view can say so and the store can refuse it."""
    dataset.source["sample"] = True
    return dataset


def is_sample(dataset: Dataset) -> bool:
    return bool(dataset.source.get("sample"))


def round_of(dataset: Dataset) -> RoundInfo | None:
    raw = dataset.source.get("round")
    return RoundInfo(**raw) if raw else None

