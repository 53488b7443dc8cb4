"""Reusable fixes ("koppelingen"): an analyst's column and value fixes, saved under a name.

The next round of the same form comes with the same headers and the same quirks (a retyped question,
a tool's own answer spelling). Fixing them again by hand each round is work and a source of
differences between rounds, so the fixes (``Overrides``) are kept in the store next to the rounds
(``analysis.store.koppelingen``), and found again by a fingerprint of the file's column headers.

The fingerprint is the sorted list of normalised column labels (case, accents, punctuation and
spacing aside). Sorted, so order-insensitive: fixes name columns by their header, never by position,
so a form whose questions were moved, or a file re-saved with its columns rearranged, gets the very
same fixes; a form with a column more or less is a different form and is not matched.

Applying one is explicit data (``AppliedKoppeling``): which fixes were taken over, which did not fit this
file and why, and a Dutch line to show, so a page can say what happened and let the analyst undo it.
Nothing here applies fixes silently; ``best_match`` only finds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.ingest.dataset import IGNORE, Dataset, Overrides
from analysis.ingest.matching import MISSING, UNKNOWN

FORMAT_VERSION = 1
MAX_NAME = 80


class KoppelingError(ValueError):
    """A Dutch, single-line message about a koppeling."""


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


def clean_koppeling_name(name: str) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise KoppelingError("Geef de koppeling een naam.")
    if len(text) > MAX_NAME:
        raise KoppelingError(f"De naam van de koppeling is te lang (meer dan {MAX_NAME} tekens).")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise KoppelingError("De naam van de koppeling bevat stuurtekens; gebruik gewone letters en cijfers.")
    return text


def new_koppeling(name: str, overrides: Overrides, dataset_or_headers: Dataset | Sequence[str],
                  source_name: str = "") -> Koppeling:
    """OVERRIDES, made on a file with these headers, as a koppeling named NAME (checked; Dutch errors).

    Every column fix must name a column of that file: a fix for a column the file lacks could never
    be applied, so it is refused rather than kept unused.
    """
    name = clean_koppeling_name(name)
    if not overrides.columns and not overrides.values:
        raise KoppelingError("Er zijn geen correcties om op te slaan als koppeling.")
    labels = header_labels(dataset_or_headers)
    absent = [label for label in overrides.columns if label not in labels]
    if absent:
        raise KoppelingError(f"Kolom '{absent[0]}' uit de correcties komt in het bestand niet voor"
                             + (f" (en {len(absent) - 1} andere)." if len(absent) > 1 else "."))
    instrument = dataset_or_headers.instrument.id if isinstance(dataset_or_headers, Dataset) else ""
    return Koppeling(name=name, fingerprint=fingerprint(labels), labels=tuple(labels),
                     columns=dict(overrides.columns), values={str(k): int(v) for k, v in overrides.values.items()},
                     instrument_id=instrument, source_name=str(source_name),
                     saved_at=dt.datetime.now(dt.UTC).isoformat())


def best_match(koppelingen: Sequence[Koppeling], dataset_or_headers: Dataset | Sequence[str]) -> Koppeling | None:
    """The koppeling made on a file with these headers (the newest if several), or None.

    With a Dataset, only one made for the same instrument.
    """
    key = fingerprint(dataset_or_headers)
    instrument = dataset_or_headers.instrument.id if isinstance(dataset_or_headers, Dataset) else None
    matches = [k for k in koppelingen if k.fingerprint == key
               and (instrument is None or not k.instrument_id or k.instrument_id == instrument)]
    return max(matches, key=lambda k: (k.saved_at, k.name), default=None)
