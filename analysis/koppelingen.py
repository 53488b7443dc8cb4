"""Reusable fixes ("koppelingen"): an analyst's column and value fixes, saved under a name.

The next round of the same form comes with the same headers and the same quirks (a retyped question,
a tool's own answer spelling). Fixing them again by hand each round is work and a source of
differences between rounds, so the fixes (``Overrides``) are kept as small JSON files in the data
directory, next to the rounds (``<data dir>/koppelingen/``), and found again by a fingerprint of the
file's column headers.

The fingerprint is the sorted list of normalised column labels (case, accents, punctuation and
spacing aside). Sorted, so order-insensitive: fixes name columns by their header, never by position,
so a form whose questions were moved, or a file re-saved with its columns rearranged, gets the very
same fixes; a form with a column more or less is a different form and is not matched.

Applying one is explicit data (``AppliedKoppeling``): which fixes were taken over, which did not fit this
file and why, and a Dutch line to show, so a page can say what happened and let the analyst undo it.
Nothing here applies fixes silently; ``find_koppeling`` only finds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis.ingest import IGNORE, Dataset, Overrides
from analysis.matching import MISSING, UNKNOWN

SUBDIRECTORY = "koppelingen"
SUFFIX = ".json"
TEMP_PREFIX = ".tmp-"
FORMAT_VERSION = 1
MAX_NAME = 80
MAX_FILE_BYTES = 2_000_000  # a koppeling is a few kB; a bigger file in the folder is not one of ours


class KoppelingError(ValueError):
    """A Dutch, single-line message about a koppeling or the folder they live in."""


@dataclass(frozen=True)
class Koppeling:
    name: str
    fingerprint: str
    labels: tuple[str, ...]        # the column labels of the file it was made on, in file order
    columns: dict                  # column label (as in that file) -> statement id or IGNORE
    values: dict                   # raw value -> answer code
    instrument_id: str = ""
    saved_at: str = ""
    source_name: str = ""

    @property
    def overrides(self) -> Overrides:
        return Overrides(columns=dict(self.columns), values=dict(self.values))

    def to_dict(self) -> dict:
        return {"format": FORMAT_VERSION, "name": self.name, "fingerprint": self.fingerprint,
                "labels": list(self.labels), "columns": self.columns, "values": self.values,
                "instrument": self.instrument_id, "saved_at": self.saved_at, "source": self.source_name}

    @classmethod
    def from_dict(cls, data: dict) -> Koppeling:
        return cls(name=str(data["name"]), fingerprint=str(data["fingerprint"]),
                   labels=tuple(str(label) for label in data["labels"]),
                   columns={str(k): v for k, v in dict(data.get("columns") or {}).items()},
                   values={str(k): int(v) for k, v in dict(data.get("values") or {}).items()},
                   instrument_id=str(data.get("instrument") or ""), saved_at=str(data.get("saved_at") or ""),
                   source_name=str(data.get("source") or ""))


@dataclass(frozen=True)
class AppliedKoppeling:
    """What applying a koppeling to one file does: the fixes to ingest with, and what did not fit."""

    name: str
    overrides: Overrides
    skipped: tuple[str, ...] = field(default_factory=tuple)  # Dutch reasons, one per fix left out

    @property
    def n_columns(self) -> int:
        return len(self.overrides.columns)

    @property
    def n_values(self) -> int:
        return len(self.overrides.values)

    @property
    def message(self) -> str:
        """"Koppeling 'Forms najaar' toegepast: 3 kolommen, 2 waarden" (plus what was left out)."""
        text = f"Koppeling '{self.name}' toegepast: {_count(self.n_columns, 'kolom', 'kolommen')}, " \
               f"{_count(self.n_values, 'waarde', 'waarden')}"
        if self.skipped:
            text += f" ({_count(len(self.skipped), 'correctie', 'correcties')} niet toegepast: " \
                    + "; ".join(self.skipped) + ")"
        return text


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_NOT_WORD = re.compile(r"[\W_]+")


def normalise_header(text: str) -> str:
    """A header as the same form writes it again: case, accents, punctuation and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = _NOT_WORD.sub(" ", plain).strip()
    # A header of punctuation only ("?", "#") still counts as itself.
    return folded or " ".join(plain.split())


def header_labels(dataset_or_headers: Dataset | Sequence[str]) -> list[str]:
    if isinstance(dataset_or_headers, Dataset):
        return [c.label for c in dataset_or_headers.columns]
    if isinstance(dataset_or_headers, str):
        raise TypeError("headers: a sequence of column labels, not one string")
    return [str(h) for h in dataset_or_headers]


def fingerprint(dataset_or_headers: Dataset | Sequence[str]) -> str:
    """The same for two files whose column labels are the same up to order, case, accents and punctuation."""
    keys = sorted(normalise_header(label) for label in header_labels(dataset_or_headers))
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


def apply_koppeling(koppeling: Koppeling, dataset_or_headers: Dataset | Sequence[str]) -> AppliedKoppeling:
    """The koppeling's fixes translated to this file's column labels, and the fixes that do not fit it.

    Column fixes are found by normalised label (the file may spell a header in other case or spacing);
    with a Dataset, fixes naming a statement its instrument does not have, or an answer code out of its
    range, are left out and said in ``skipped``.
    """
    labels = header_labels(dataset_or_headers)
    by_key: dict[str, list[str]] = {}
    for label in labels:
        by_key.setdefault(normalise_header(label), []).append(label)
    instrument = dataset_or_headers.instrument if isinstance(dataset_or_headers, Dataset) else None
    ids = {str(i): i for i in instrument.statement_ids} if instrument else None
    skipped, columns = [], {}
    for saved_label, target in koppeling.columns.items():
        matches = by_key.get(normalise_header(saved_label), [])
        if len(matches) != 1:
            why = "komt niet voor" if not matches else "komt meer dan eens voor"
            skipped.append(f"kolom '{saved_label}' {why}")
            continue
        if target == IGNORE:
            columns[matches[0]] = IGNORE
        elif ids is None:
            columns[matches[0]] = target
        elif str(target) in ids:
            columns[matches[0]] = ids[str(target)]
        else:
            skipped.append(f"kolom '{saved_label}': stelling {target} bestaat niet in dit instrument")
    values = {}
    top = instrument.max_level if instrument else None
    for raw, code in koppeling.values.items():
        if top is not None and not (code in (MISSING, UNKNOWN) or 1 <= code <= top):
            skipped.append(f"waarde '{raw}': code {code} bestaat niet in dit instrument")
        else:
            values[raw] = code
    return AppliedKoppeling(koppeling.name, Overrides(columns=columns, values=values), tuple(skipped))


def check_overrides(overrides: Overrides, instrument) -> Overrides:
    """OVERRIDES with column targets as the instrument's ids; a target or code it lacks is a KoppelingError.

    The page's editors only offer valid choices; fixes read from a file are checked here, so a typo gives one
    clear line instead of a fix that is quietly not applied (or a level 9).
    """
    ids = {str(i): i for i in instrument.statement_ids}
    columns = {}
    for label, target in overrides.columns.items():
        if isinstance(target, str) and target.strip().casefold() in (IGNORE, "negeren"):
            columns[label] = IGNORE
        elif str(target).strip() in ids and not isinstance(target, bool):
            columns[label] = ids[str(target).strip()]
        else:
            first, last = instrument.statement_ids[0], instrument.statement_ids[-1]
            raise KoppelingError(f"Correctie voor kolom '{label}': '{target}' is geen {instrument.kind.item} van "
                                 f"{instrument.short_title} (kies {first}..{last} of 'ignore').")
    for raw, code in overrides.values.items():
        if not (code in (MISSING, UNKNOWN) or 1 <= code <= instrument.max_level):
            raise KoppelingError(f"Correctie voor waarde '{raw}': code {code} bestaat niet (gebruik 1.."
                                 f"{instrument.max_level}, 0 voor onbekend of -1 voor leeg).")
    return Overrides(columns=columns, values=dict(overrides.values))


def ignore_spelled_out(overrides: Overrides) -> Overrides:
    """"Negeren" / "IGNORE" in a hand-written file mean IGNORE, before the ingest sees them."""
    columns = {label: IGNORE if isinstance(target, str) and target.strip().casefold() in (IGNORE, "negeren")
               else target for label, target in overrides.columns.items()}
    return Overrides(columns=columns, values=dict(overrides.values))


def merge_overrides(base: Overrides, own: Overrides) -> Overrides:
    """A koppeling's fixes with the analyst's own on top (the analyst's choice wins per column or value)."""
    return Overrides(columns={**base.columns, **own.columns}, values={**base.values, **own.values})


def _clean_name(name: str) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise KoppelingError("Geef de koppeling een naam.")
    if len(text) > MAX_NAME:
        raise KoppelingError(f"De naam van de koppeling is te lang (meer dan {MAX_NAME} tekens).")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise KoppelingError("De naam van de koppeling bevat stuurtekens; gebruik gewone letters en cijfers.")
    return text


def _file_name(name: str) -> str:
    # Names are free text; the file is named by a hash so no name can escape the folder.
    return hashlib.sha256(name.casefold().encode("utf-8")).hexdigest()[:24] + SUFFIX


class KoppelingStore:
    """The koppelingen of one data directory, read afresh by every call (several sessions share it)."""

    def __init__(self, data_dir: str | Path | None = None):
        if data_dir is None:
            from analysis.rounds import default_data_dir

            data_dir = default_data_dir()
        self.directory = Path(data_dir) / SUBDIRECTORY

    def _files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir() if p.suffix == SUFFIX and not p.name.startswith(TEMP_PREFIX))

    @staticmethod
    def _read(path: Path) -> Koppeling | None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            return Koppeling.from_dict(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # deleted meanwhile, or not a koppeling

    def list(self) -> list[Koppeling]:
        """Every readable koppeling, by name."""
        found = [k for k in map(self._read, self._files()) if k is not None]
        return sorted(found, key=lambda k: k.name.casefold())

    def unreadable_files(self) -> list[str]:
        return [p.name for p in self._files() if self._read(p) is None]

    def get(self, name: str) -> Koppeling:
        wanted = " ".join(str(name).split()).casefold()
        for koppeling in self.list():
            if koppeling.name.casefold() == wanted:
                return koppeling
        known = ", ".join(f"'{k.name}'" for k in self.list()) or "geen"
        raise KoppelingError(f"Koppeling '{name}' bestaat niet (opgeslagen: {known}).")

    def find(self, dataset_or_headers: Dataset | Sequence[str]) -> Koppeling | None:
        """The koppeling made on a file with these headers (the newest if several), or None.

        With a Dataset, only one made for the same instrument.
        """
        key = fingerprint(dataset_or_headers)
        instrument = dataset_or_headers.instrument.id if isinstance(dataset_or_headers, Dataset) else None
        matches = [k for k in self.list() if k.fingerprint == key
                   and (instrument is None or not k.instrument_id or k.instrument_id == instrument)]
        return max(matches, key=lambda k: (k.saved_at, k.name), default=None)

    def save(self, name: str, overrides: Overrides, dataset_or_headers: Dataset | Sequence[str],
             source_name: str = "", replace: bool = False) -> Koppeling:
        """Save OVERRIDES, made on a file with these headers, under NAME (one name, one koppeling).

        Every column fix must name a column of that file: a fix for a column the file lacks could never
        be applied, so it is refused rather than kept unused.
        """
        name = _clean_name(name)
        if not overrides.columns and not overrides.values:
            raise KoppelingError("Er zijn geen correcties om op te slaan als koppeling.")
        labels = header_labels(dataset_or_headers)
        absent = [label for label in overrides.columns if label not in labels]
        if absent:
            raise KoppelingError(f"Kolom '{absent[0]}' uit de correcties komt in het bestand niet voor"
                                 + (f" (en {len(absent) - 1} andere)." if len(absent) > 1 else "."))
        path = self.directory / _file_name(name)
        existing = self._read(path) if path.exists() else None
        if existing is not None and not replace:
            raise KoppelingError(f"Er bestaat al een koppeling '{existing.name}'; kies een andere naam of vervang "
                                 f"hem.")
        instrument = dataset_or_headers.instrument.id if isinstance(dataset_or_headers, Dataset) else ""
        koppeling = Koppeling(name=name, fingerprint=fingerprint(labels), labels=tuple(labels),
                              columns=dict(overrides.columns), values={str(k): int(v) for k, v in
                                                                       overrides.values.items()},
                              instrument_id=instrument, source_name=str(source_name),
                              saved_at=dt.datetime.now(dt.UTC).isoformat())
        self._write(path, koppeling)
        return koppeling

    def delete(self, name: str) -> Koppeling:
        koppeling = self.get(name)
        try:
            (self.directory / _file_name(koppeling.name)).unlink()
        except FileNotFoundError as exc:
            raise KoppelingError(f"Koppeling '{koppeling.name}' was al verwijderd.") from exc
        return koppeling

    def _write(self, path: Path, koppeling: Koppeling) -> None:
        temporary = self.directory / f"{TEMP_PREFIX}{uuid.uuid4().hex}{SUFFIX}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(koppeling.to_dict(), handle, ensure_ascii=False, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)  # a reader sees the old file or the new one, never half of one
        except OSError as exc:
            raise KoppelingError(f"Koppeling kon niet worden opgeslagen in {self.directory}: {exc.strerror}.") from exc
        finally:
            temporary.unlink(missing_ok=True)


def find_koppeling(dataset_or_headers: Dataset | Sequence[str], data_dir: str | Path | None = None) -> Koppeling | None:
    """The saved koppeling for a file with these headers, or None; see ``KoppelingStore.find``."""
    return KoppelingStore(data_dir).find(dataset_or_headers)
