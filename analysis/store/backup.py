"""Backup and restore: every round as a Parquet file plus a JSON manifest, and back.

``db export DIR`` writes ``<id>.parquet`` per round (the stored document, byte for byte) and
``manifest.json`` with each round's description, checksum and the koppelingen. ``db import DIR``
reads such a folder into any database (SQLite or PostgreSQL: this is also the way from one to the
other), and, when there is no manifest, a data directory of the older Parquet version. Every file is
checked as an opened round is; each round goes in on its own, so one bad file stops nothing else,
and a round already present (same id) is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import asdict
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from analysis.ingest.koppelingen import Koppeling
from analysis.rounds import RoundError, RoundInfo, dataset_from_table, read_document
from analysis.store.koppelingen import KoppelingStore, insert_koppeling
from analysis.store.legacy import import_legacy_files
from analysis.store.networks import NetworkStore
from analysis.store.rounds import RoundStore, insert_round
from analysis.store.schema import network_members, networks, plan_history, plans

MANIFEST = "manifest.json"
FORMAT = "quickscan-backup"
FORMAT_VERSION = 1


def export_store(database, directory: str | Path) -> dict:
    """Write the whole store into DIRECTORY (new or empty); returns what was written."""
    directory = Path(directory)
    _empty_folder(directory)
    store = RoundStore(database)
    entries = []
    for info in store.list():
        content = store.document(info.round_id)
        _write(directory / f"{info.round_id}.parquet", content)
        entries.append({**asdict(info), "file": f"{info.round_id}.parquet",
                        "sha256": hashlib.sha256(content).hexdigest()})
    koppelingen = [k.to_dict() for k in KoppelingStore(database).list()]
    with database.read() as connection:
        plan_rows = [dict(row._mapping) for row in connection.execute(sa.select(plan_history))]
    networks = [{"name": n.name, "instrument": n.instrument_id, "organisations": list(n.organisations),
                 "show_names": n.show_names, "name_secret": n.name_secret, "created_at": n.created_at}
                for n in NetworkStore(database).list()]
    manifest = {"format": FORMAT, "version": FORMAT_VERSION,
                "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "source": database.location, "rounds": entries, "koppelingen": koppelingen,
                "plans": plan_rows, "networks": networks}
    _write(directory / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return {"rounds": len(entries), "koppelingen": len(koppelingen), "plannen": len({r["round_id"] for r in plan_rows}),
            "leernetwerken": len(networks)}


def _empty_folder(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if any(directory.iterdir()):
            raise RoundError(f"Map {directory} is niet leeg; kies een nieuwe of lege map voor de back-up.")
    except OSError as exc:
        raise RoundError(f"Map {directory} kan niet worden gebruikt voor de back-up: {exc.strerror}.") from exc


def _write(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".tmp-{path.name}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise RoundError(f"Kan '{path}' niet schrijven: {exc.strerror}.") from exc


def import_store(database, directory: str | Path) -> dict:
    """Read a backup (or an older data directory) into the database; counts and one line per refused file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RoundError(f"Map {directory} bestaat niet.")
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        return import_legacy_files(database, directory)
    manifest = _read_manifest(manifest_path)
    report = {"imported": 0, "present": 0, "refused": [], "koppelingen": 0, "plannen": 0, "leernetwerken": 0}
    with database.write("teruggezet") as connection:
        for entry in manifest.get("rounds") or []:
            _restore_round(connection, directory, entry, report)
        for raw in manifest.get("koppelingen") or []:
            _restore_koppeling(connection, raw, report)
        _restore_plans(connection, manifest.get("plans") or [], report)
        for raw in manifest.get("networks") or []:
            _restore_network(connection, raw, report)
    return report


def _read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise RoundError(f"{path} is geen leesbaar overzicht van een back-up.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RoundError(f"{path} is geen overzicht van een QuickScan-back-up.")
    if int(manifest.get("version") or 0) > FORMAT_VERSION:
        raise RoundError(f"{path} komt van een nieuwere versie van het dashboard; werk eerst bij.")
    return manifest


def _restore_round(connection, directory: Path, entry: dict, report: dict) -> None:
    name = str(entry.get("file") or "?")
    try:
        info = RoundInfo(**{k: entry[k] for k in RoundInfo.__dataclass_fields__ if k in entry})
        path = directory / Path(name).name  # a manifest cannot point outside its folder
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != entry.get("sha256"):
            raise RoundError("het bestand is na de back-up veranderd (controlegetal klopt niet)")
        dataset_from_table(read_document(content), info)
        with connection.begin_nested():
            insert_round(connection, info, content)
        report["imported"] += 1
    except sa_exc.IntegrityError:
        present = connection.execute(sa.text("SELECT 1 FROM rounds WHERE id = :id"),
                                     {"id": entry.get("round_id")}).first()
        if present:
            report["present"] += 1
        else:
            report["refused"].append(f"{name}: er is al een meetronde met dezelfde organisatie, naam en datum")
    except (RoundError, OSError, TypeError, KeyError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        report["refused"].append(f"{name}: {reason}")


def _restore_koppeling(connection, raw: dict, report: dict) -> None:
    try:
        koppeling = Koppeling.from_dict(raw)
        with connection.begin_nested():
            insert_koppeling(connection, koppeling, replace=False)
        report["koppelingen"] += 1
    except sa_exc.IntegrityError:
        pass  # a koppeling of that name is already there: the one in use wins
    except (ValueError, TypeError, KeyError, AttributeError):
        report["refused"].append(f"koppeling {str(raw.get('name', '?'))[:80]}: niet leesbaar")


def _restore_plans(connection, rows: list, report: dict) -> None:
    """Every saved version of every plan whose round is there; the newest becomes the current plan."""
    newest: dict[str, dict] = {}
    for row in rows:
        try:
            values = {key: row[key] for key in ("round_id", "version", "body", "updated_at", "updated_by")}
            with connection.begin_nested():
                connection.execute(sa.insert(plan_history).values(values))
        except sa_exc.IntegrityError:
            continue  # the round is not there, or this version already is
        except (KeyError, TypeError):
            report["refused"].append("een versie van een verbeterplan: niet leesbaar")
            continue
        if values["version"] > newest.get(values["round_id"], {}).get("version", 0):
            newest[values["round_id"]] = values
    for values in newest.values():
        with connection.begin_nested():
            connection.execute(sa.delete(plans).where(plans.c.round_id == values["round_id"],
                                                      plans.c.version < values["version"]))
            if not connection.execute(sa.select(plans.c.version).where(plans.c.round_id == values["round_id"])).first():
                connection.execute(sa.insert(plans).values(values))
        report["plannen"] = report.get("plannen", 0) + 1


def _restore_network(connection, raw: dict, report: dict) -> None:
    try:
        name = str(raw["name"])
        values = {"id": uuid.uuid4().hex, "name": name, "name_key": name.casefold(),
                  "instrument_id": str(raw["instrument"]), "show_names": bool(raw.get("show_names")),
                  "name_secret": str(raw["name_secret"]), "created_at": str(raw.get("created_at") or "")}
        with connection.begin_nested():
            connection.execute(sa.insert(networks).values(values))
            for organisation in dict.fromkeys(str(o) for o in raw.get("organisations") or []):
                connection.execute(sa.insert(network_members).values(
                    network_id=values["id"], organisation_key=organisation.casefold(), organisation=organisation))
        report["leernetwerken"] = report.get("leernetwerken", 0) + 1
    except sa_exc.IntegrityError:
        pass  # a network of that name is already there
    except (KeyError, TypeError, ValueError):
        report["refused"].append(f"leernetwerk {str(raw.get('name', '?'))[:80]}: niet leesbaar")
