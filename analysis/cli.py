"""The command line analysts script: ``python -m analysis summarize|rounds|compare|network|plan ...``.

Bad input exits with status 2 and one Dutch line on stderr, never a traceback. Everything printed
goes through ``_out``/``_err``, which pass it through ``terminal_text``: column names, values and
sheet names come from uploaded files and may hold escape sequences or bidi overrides.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys

from analysis.errors import IngestError, quoted
from analysis.ingest.dataset import Overrides, ingest_file, issues_line
from analysis.ingest.koppelingen import (
    KoppelingError,
    apply_koppeling,
    check_overrides,
    fingerprint,
    ignore_spelled_out,
    merge_overrides,
)
from analysis.instrument import InstrumentError, available_instruments, get_instrument
from analysis.rounds import RoundError
from analysis.scoring.privacy import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_VARIABLE
from analysis.scoring.progress import comparison_to_dict, comparison_to_table, round_labels
from analysis.scoring.summary import privacy_settings, summarize, summary_to_dict, summary_to_table
from analysis.store import DATABASE_URL_VARIABLE, KoppelingStore, RoundStore
from analysis.terminal import terminal_text

EXIT_BAD_INPUT = 2
REPORT_SUFFIXES = (".html", ".pdf", ".pptx", ".xlsx")
PLAN_SUFFIXES = (".xlsx", ".docx")
PLAN_TEXT_WIDTH = 40  # characters of a statement's text in `plan show --format table`


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(EXIT_BAD_INPUT, terminal_text(f"Fout in de opdracht: {message}") + "\n")


def _out(text: str = "") -> None:
    sys.stdout.write(terminal_text(text) + "\n")


def _err(text: str) -> None:
    sys.stderr.write(terminal_text(text) + "\n")


def _add_sheet_argument(command) -> None:
    command.add_argument("--sheet", default=None, metavar="NAAM|NUMMER",
                         help="werkblad van een werkmap (naam of nummer, 1 = eerste); standaard het blad "
                              "waarvan de koppen de meeste stellingen noemen")
    command.add_argument("--instrument", default=None, metavar="ID",
                         help="instrument van het bestand (" + ", ".join(sorted(available_instruments())) +
                              "); standaard het instrument dat de meeste kolommen herkent")


def _instrument(args):
    """The instrument asked for with --instrument, or None to detect it from the file's columns."""
    chosen = getattr(args, "instrument", None)
    return get_instrument(chosen) if chosen else None


def _add_fix_arguments(command) -> None:
    command.add_argument("--overrides", default=None, metavar="BESTAND",
                         help="JSON-bestand met correcties: {\"columns\": {kolomkop: stelling of \"ignore\"}, "
                              "\"values\": {waarde: code}}")
    command.add_argument("--koppeling", default=None, metavar="NAAM",
                         help="opgeslagen koppeling (correcties van een eerdere ronde) toepassen; "
                              "correcties uit --overrides gaan voor")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="Analyse van QuickScan-exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    summarize_cmd = commands.add_parser("summarize", help="scores per stelling, thema en groep")
    summarize_cmd.add_argument("file")
    _add_sheet_argument(summarize_cmd)
    _add_fix_arguments(summarize_cmd)
    summarize_cmd.add_argument("--team-column", default=None)
    summarize_cmd.add_argument("--threshold", type=float, default=None,
                               help="zwak onder deze score; standaard 3,0 (stellingen) of 0,5 (checklist)")
    _add_privacy_arguments(summarize_cmd)
    summarize_cmd.add_argument("--format", choices=["json", "table"], default="json")
    summarize_cmd.add_argument("--data-dir", default=None, help="map met koppelingen (standaard $QUICKSCAN_DATA_DIR)")
    report_cmd = commands.add_parser("report", help="rapport als HTML, PDF, PowerPoint of Excel")
    report_cmd.add_argument("file")
    _add_sheet_argument(report_cmd)
    _add_fix_arguments(report_cmd)
    report_cmd.add_argument("--team-column", default=None)
    report_cmd.add_argument("--threshold", type=float, default=None,
                            help="zwak onder deze score; standaard 3,0 (stellingen) of 0,5 (checklist)")
    _add_privacy_arguments(report_cmd)
    report_cmd.add_argument("--out", required=True, help="bestandsnaam; de extensie kiest het formaat: "
                            + ", ".join(REPORT_SUFFIXES))
    report_cmd.add_argument("--previous", default=None, metavar="ROUND",
                            help="opgeslagen meetronde om mee te vergelijken (dia 'Voortgang')")
    report_cmd.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")
    _add_rounds_parser(commands)
    _add_koppelingen_parser(commands)
    _add_db_parser(commands)
    compare_cmd = commands.add_parser("compare", help="twee opgeslagen meetrondes vergelijken")
    compare_cmd.add_argument("round_a", metavar="ROUND_A", help="id, begin van het id, of naam")
    compare_cmd.add_argument("round_b", metavar="ROUND_B")
    compare_cmd.add_argument("--format", choices=["json", "table"], default="json")
    compare_cmd.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")
    _add_network_parser(commands)
    _add_plan_parser(commands)
    return parser


def _iso_date(text: str) -> str:
    """JJJJ-MM-DD, as the rounds' dates are saved."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{quoted(text, 40)}' is geen datum; gebruik JJJJ-MM-DD")


def _add_network_parser(commands) -> None:
    command = commands.add_parser(
        "network", help="leernetwerk: organisaties naast elkaar per thema of bouwsteen",
        description="Per thema (of bouwsteen) de score van elke organisatie, het netwerkgemiddelde (elke organisatie "
                    "telt even zwaar), de laagste en de hoogste. Een organisatie met minder respondenten dan de "
                    "minimale groepsgrootte telt niet mee; netwerkcijfers pas vanaf --min-organisations meegetelde "
                    "organisaties. Andere organisaties heten 'Organisatie A, B, ...'.")
    command.add_argument("rounds", nargs="*", metavar="ROUND",
                         help="meetronde per organisatie: id, begin van het id, of naam")
    command.add_argument("--network", default=None, metavar="NAAM",
                         help="opgeslagen leernetwerk (naam of id) in plaats van ROUNDs: per organisatie de laatste "
                              "meetronde van het instrument van het netwerk")
    command.add_argument("--until", type=_iso_date, default=None, metavar="JJJJ-MM-DD",
                         help="met --network: per organisatie de laatste meetronde tot en met deze datum")
    command.add_argument("--min-organisations", type=int, default=3, metavar="N",
                         help="netwerkcijfers pas vanaf zoveel meegetelde organisaties (standaard en minimaal 3)")
    command.add_argument("--min-group-size", type=_positive_int, default=None,
                         help=f"een organisatie met minder respondenten telt niet mee (standaard "
                              f"${MIN_GROUP_SIZE_VARIABLE} of {DEFAULT_MIN_GROUP_SIZE}; de eigen minimale "
                              "groepsgrootte van een ronde geldt als die strenger is)")
    command.add_argument("--names", action="store_true",
                         help="organisaties bij naam noemen in plaats van met een letter; alleen als alle "
                              "organisaties van het netwerk daarmee hebben ingestemd")
    command.add_argument("--format", choices=["json", "table"], default="json")
    command.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")


def _add_plan_parser(commands) -> None:
    command = commands.add_parser("plan", help="het verbeterplan van een meetronde tonen of exporteren")
    actions = command.add_subparsers(dest="action", required=True, parser_class=_Parser)
    show = actions.add_parser("show", help="het verbeterplan: focuspunten, acties en leerlessen")
    show.add_argument("round", metavar="ROUND", help="id, begin van het id, of naam")
    show.add_argument("--format", choices=["json", "table"], default="json")
    export = actions.add_parser("export", help="het verbeterplan als Excel- of Word-bestand")
    export.add_argument("round", metavar="ROUND", help="id, begin van het id, of naam")
    export.add_argument("--out", required=True, help="bestandsnaam; de extensie kiest het formaat: "
                        + ", ".join(PLAN_SUFFIXES))
    for action in (show, export):
        action.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")


def _add_privacy_arguments(command) -> None:
    command.add_argument("--min-group-size", type=_positive_int, default=None,
                         help=f"minimale groepsgrootte (standaard ${MIN_GROUP_SIZE_VARIABLE} of "
                              f"{DEFAULT_MIN_GROUP_SIZE})")
    command.add_argument("--reporting-column", action="append", default=None, metavar="NAME",
                         help="groepskenmerk (herhaalbaar); groepen en filters worden berekend over de combinaties "
                              "van alle groepskenmerken. Standaard: elke kolom die respondenten groepeert.")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("moet minstens 1 zijn")
    return value


def _add_rounds_parser(commands) -> None:
    rounds_cmd = commands.add_parser("rounds", help="opgeslagen meetrondes beheren")
    actions = rounds_cmd.add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = actions.add_parser("list", help="alle meetrondes")
    listing.add_argument("--format", choices=["json", "table"], default="table")
    save = actions.add_parser("save", help="een export opslaan als meetronde")
    save.add_argument("file")
    _add_sheet_argument(save)
    save.add_argument("--organisation", required=True)
    save.add_argument("--name", required=True)
    save.add_argument("--date", required=True, help="JJJJ-MM-DD")
    _add_fix_arguments(save)
    _add_privacy_arguments(save)
    rename = actions.add_parser("rename", help="een meetronde een andere naam geven")
    rename.add_argument("round")
    rename.add_argument("new_name")
    delete = actions.add_parser("delete", help="een meetronde definitief verwijderen")
    delete.add_argument("round")
    delete.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    for action in (listing, save, rename, delete):
        action.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")


def _add_koppelingen_parser(commands) -> None:
    command = commands.add_parser("koppelingen", help="opgeslagen correcties (koppelingen) beheren",
                                  description="Een koppeling bewaart de kolom- en waardecorrecties van een export "
                                              "onder een naam, zodat de volgende ronde van hetzelfde formulier ze "
                                              "opnieuw kan gebruiken (--koppeling NAAM).")
    actions = command.add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = actions.add_parser("list", help="alle koppelingen")
    listing.add_argument("--format", choices=["json", "table"], default="table")
    show = actions.add_parser("show", help="de correcties van een koppeling als JSON (bruikbaar als --overrides)")
    show.add_argument("name", metavar="NAAM")
    save = actions.add_parser("save", help="correcties opslaan als koppeling voor bestanden met deze kolomkoppen")
    save.add_argument("name", metavar="NAAM")
    save.add_argument("--overrides", required=True, metavar="BESTAND", help="JSON-bestand met de correcties")
    save.add_argument("--from", dest="source", required=True, metavar="BESTAND",
                      help="de export waarvoor de correcties gemaakt zijn (zijn kolomkoppen herkennen later "
                           "hetzelfde formulier)")
    _add_sheet_argument(save)
    save.add_argument("--replace", action="store_true", help="een bestaande koppeling met deze naam vervangen")
    find = actions.add_parser("find", help="welke koppeling past bij de kolomkoppen van een export")
    find.add_argument("file")
    _add_sheet_argument(find)
    delete = actions.add_parser("delete", help="een koppeling verwijderen")
    delete.add_argument("name", metavar="NAAM")
    for action in (listing, show, save, find, delete):
        action.add_argument("--data-dir", default=None, help="map met koppelingen (standaard $QUICKSCAN_DATA_DIR)")


def _add_db_parser(commands) -> None:
    command = commands.add_parser("db", help="de database: bijwerken, back-up maken en terugzetten",
                                  description="De meetrondes en koppelingen staan in SQLite in de datamap, of in "
                                              f"PostgreSQL als ${DATABASE_URL_VARIABLE} is gezet.")
    actions = command.add_subparsers(dest="action", required=True, parser_class=_Parser)
    actions.add_parser("upgrade", help="het schema bijwerken naar de nieuwste versie (gebeurt ook bij het starten)")
    actions.add_parser("status", help="waar de database is, schemaversie en aantallen")
    export = actions.add_parser("export", help="elke meetronde als Parquet plus manifest.json in een lege map")
    export.add_argument("directory", metavar="MAP")
    restore = actions.add_parser("import", help="een back-up (of een oude datamap met .parquet-bestanden) inlezen")
    restore.add_argument("directory", metavar="MAP")
    for action in actions.choices.values():
        action.add_argument("--data-dir", default=None,
                            help=f"SQLite in deze map (standaard ${DATABASE_URL_VARIABLE} of $QUICKSCAN_DATA_DIR)")


def run_db(args) -> int:
    from analysis.store import open_database
    from analysis.store.backup import export_store, import_store
    from analysis.store.migrate import current_revision, upgrade

    database = open_database(args.data_dir)  # opening migrates already; `upgrade` says so
    if args.action == "upgrade":
        changed = upgrade(database)
        _out(f"Schema van {database.location} is " + ("bijgewerkt." if changed else "al bij.")
             + f" Versie: {current_revision(database)}.")
    elif args.action == "status":
        rounds, koppelingen = RoundStore(database).list(), KoppelingStore(database).list()
        _out(f"Database: {database.location}\nSchemaversie: {current_revision(database)}\n"
             f"Meetrondes: {len(rounds)}\nKoppelingen: {len(koppelingen)}")
    elif args.action == "export":
        written = export_store(database, args.directory)
        _out(f"Back-up geschreven naar {args.directory}: {written['rounds']} meetronde(s), "
             f"{written['koppelingen']} koppeling(en), {written['plannen']} verbeterplan(nen), "
             f"{written['leernetwerken']} leernetwerk(en).")
    else:
        report = import_store(database, args.directory)
        _out(f"Ingelezen uit {args.directory}: {report['imported']} meetronde(s) nieuw, {report['present']} al "
             f"aanwezig, {report['koppelingen']} koppeling(en), {report.get('plannen', 0)} verbeterplan(nen), "
             f"{report.get('leernetwerken', 0)} leernetwerk(en).")
        for line in report["refused"]:
            _err(f"Niet ingelezen: {line}")
        return 1 if report["refused"] else 0
    return 0


def _koppelingen(args) -> KoppelingStore:
    return KoppelingStore(getattr(args, "data_dir", None))


def run_koppelingen(args) -> int:
    store = _koppelingen(args)
    if args.action == "list":
        found = store.list()
        if args.format == "json":
            _out(json.dumps([{"name": k.name, "columns": len(k.columns), "values": len(k.values),
                              "instrument": k.instrument_id, "source": k.source_name, "saved_at": k.saved_at}
                             for k in found], ensure_ascii=False, indent=2))
        else:
            _out(f"{'kolommen':>8}{'waarden':>9}  {'opgeslagen':<27}naam (bestand)")
            for k in found:
                source = f" ({k.source_name})" if k.source_name else ""
                _out(f"{len(k.columns):>8}{len(k.values):>9}  {k.saved_at:<27}{k.name}{source}")
            _out(f"{len(found)} koppeling(en) in {store.location}")
    elif args.action == "show":
        _out(json.dumps(store.get(args.name).overrides.to_dict(), ensure_ascii=False, indent=2))
    elif args.action == "save":
        overrides = _read_overrides(args.overrides)
        dataset = ingest_file(args.source, overrides=overrides, sheet=args.sheet, instrument=_instrument(args))
        _check_against(overrides, dataset, args.overrides)
        koppeling = store.save(args.name, overrides, dataset, source_name=os.path.basename(args.source),
                               replace=args.replace)
        _out(f"Koppeling '{koppeling.name}' opgeslagen: {len(koppeling.columns)} kolom(men), "
             f"{len(koppeling.values)} waarde(n).")
        problem = issues_line(dataset)
        if problem:
            _err(f"Waarschuwing: met deze correcties blijft er een probleem in {args.source}: {problem}")
    elif args.action == "find":
        koppeling = store.find(ingest_file(args.file, sheet=args.sheet, instrument=_instrument(args)))
        if koppeling is None:
            _out("Geen koppeling past bij de kolomkoppen van dit bestand.")
            return 1
        _out(koppeling.name)
    else:
        koppeling = store.delete(args.name)
        _out(f"Koppeling '{koppeling.name}' verwijderd.")
    return 0


def _fixed_dataset(path: str, args):
    """The file ingested with --overrides and/or --koppeling; what a koppeling did is said on stderr."""
    source = getattr(args, "overrides", None)
    own = _read_overrides(source)
    name = getattr(args, "koppeling", None)
    if not name:
        dataset = ingest_file(path, overrides=own, sheet=args.sheet, instrument=_instrument(args))
        _check_against(own, dataset, source)
        return dataset, own
    koppeling = _koppelingen(args).get(name)
    # Its fixes name the columns as the file it was made on spelled them: first ingest with those, then with
    # the labels this file really has (the same up to case and spacing when the fingerprint matches).
    dataset = ingest_file(path, overrides=merge_overrides(koppeling.overrides, own), sheet=args.sheet,
                          instrument=_instrument(args))
    applied = apply_koppeling(koppeling, dataset)
    overrides = merge_overrides(applied.overrides, own)
    if overrides != merge_overrides(koppeling.overrides, own):
        dataset = ingest_file(path, overrides=overrides, sheet=args.sheet, instrument=_instrument(args))
    if fingerprint(dataset) != koppeling.fingerprint:
        _err(f"Waarschuwing: koppeling '{koppeling.name}' is gemaakt voor een bestand met andere kolomkoppen.")
    _check_against(own, dataset, source)
    _err(applied.message + ".")
    return dataset, overrides


def _check_against(overrides: Overrides, dataset, source: str | None) -> None:
    # Checked against the instrument the file turned out to belong to (it is detected from the columns).
    try:
        check_overrides(overrides, dataset.instrument)
    except KoppelingError as exc:
        raise KoppelingError(f"Correctiebestand '{source}': {exc}") from exc


def _store(args) -> RoundStore:
    return RoundStore(args.data_dir)


def _read_overrides(path: str | None) -> Overrides:
    if not path:
        return Overrides()
    try:
        with open(path, encoding="utf-8") as handle:
            overrides = Overrides.from_dict(json.load(handle))
        if not isinstance(overrides.columns, dict):
            raise TypeError("'columns' is geen tabel van kolomkop naar stelling")
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise IngestError(f"Correctiebestand '{path}' kan niet worden gelezen: {exc}") from exc
    return ignore_spelled_out(overrides)


def _round_json(info) -> dict:
    return {"id": info.round_id, "organisation": info.organisation, "name": info.name, "date": info.date,
            "instrument": info.instrument_id, "respondents": info.respondents, "source": info.source_name,
            "saved_at": info.saved_at}


def run_rounds(args) -> int:
    store = _store(args)
    if args.action == "list":
        rounds = store.list()
        if args.format == "json":
            _out(json.dumps([_round_json(r) for r in rounds], ensure_ascii=False, indent=2))
        else:
            _out(f"{'id':<10}{'datum':<12}{'resp.':>6}  organisatie / ronde")
            for r in rounds:
                _out(f"{r.round_id[:8]:<10}{r.date:<12}{r.respondents:>6}  {r.organisation} / {r.name}")
            _out(f"{len(rounds)} meetronde(s) in {store.location}")
        for line in store.problems():
            _err(f"Waarschuwing: {line}.")
    elif args.action == "save":
        dataset, overrides = _fixed_dataset(args.file, args)
        problem = issues_line(dataset)
        if problem:
            raise IngestError(f"{args.file}: {problem}")
        _warn_about(dataset)
        privacy = privacy_settings(dataset, args.reporting_column, args.min_group_size).to_dict()
        info = store.save(dataset, args.organisation, args.name, args.date, overrides.to_dict(),
                          source_name=os.path.basename(args.file), privacy=privacy)
        _out(f"Opgeslagen: {info.round_id} ({info.label}, {info.respondents} respondenten)")
    elif args.action == "rename":
        info = store.rename(args.round, args.new_name)
        _out(f"Hernoemd: {info.round_id[:8]} heet nu '{info.name}'")
    else:
        return _delete(store, args)
    return 0


def _delete(store: RoundStore, args) -> int:
    info = store.find(args.round)
    if not args.yes:
        if not sys.stdin.isatty():
            raise RoundError(f"Verwijderen van '{info.label}' is definitief; bevestig met --yes.")
        answer = input(terminal_text(f"'{info.label}' definitief verwijderen? [j/N] "))
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            _out("Niet verwijderd.")
            return 1
    store.delete(info.round_id)
    _out(f"Verwijderd: {info.round_id[:8]} ({info.label})")
    return 0


def _previous_round(args, summary):
    if not args.previous:
        return None
    store = _store(args)
    info = store.find(args.previous)
    if info.instrument_id != summary.instrument.id:
        raise RoundError(f"Meetronde '{info.name}' hoort bij een ander instrument en is niet te vergelijken.")
    # The progress slide compares themes and statements, so the earlier round needs no groups.
    return round_labels([info])[0], summarize(store.load(info.round_id), None, args.threshold)


def _report_writers() -> dict:
    # Imported here: the writers pull in python-pptx, plotly and more (over a second at start-up) that only
    # `report` needs.
    from analysis.report.exports.to_html import report_html
    from analysis.report.exports.to_pdf import report_pdf
    from analysis.report.exports.to_pptx import report_pptx
    from analysis.report.exports.to_xlsx import report_xlsx

    return {".html": lambda report: report_html(report).encode("utf-8"), ".pdf": report_pdf,
            ".pptx": report_pptx, ".xlsx": report_xlsx}


def run_report(args) -> int:
    from analysis.report.exports.to_pdf import ExportUnavailable
    from analysis.report.model import build_report

    suffix = os.path.splitext(args.out)[1].lower()
    if suffix not in REPORT_SUFFIXES:
        raise IngestError(f"Onbekend formaat '{suffix or args.out}' voor --out; kies "
                          + ", ".join(REPORT_SUFFIXES) + ".")
    dataset = _checked_dataset(args.file, args)
    summary = summarize(dataset, args.team_column, args.threshold, args.min_group_size, args.reporting_column)
    report = build_report(summary, os.path.basename(args.file), previous=_previous_round(args, summary))
    try:
        data = _report_writers()[suffix](report)
    except ExportUnavailable as exc:
        raise IngestError(str(exc)) from exc
    try:
        with open(args.out, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise IngestError(f"Kan '{args.out}' niet schrijven: {exc.strerror}.") from exc
    _out(f"Rapport geschreven: {args.out} ({len(report.slides)} onderdelen)")
    return 0


def run_compare(args) -> int:
    store = _store(args)
    first, last = store.find(args.round_a), store.find(args.round_b)
    if first.round_id == last.round_id:
        raise RoundError("Kies twee verschillende meetrondes om te vergelijken.")
    summaries = [summarize(store.load(info.round_id)) for info in (first, last)]
    if first.instrument_id != last.instrument_id:
        raise RoundError("Deze meetrondes horen bij verschillende instrumenten en zijn niet te vergelijken.")
    labels = round_labels([first, last])
    data = comparison_to_dict(labels[0], summaries[0], labels[1], summaries[1])
    if args.format == "json":
        _out(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _out(comparison_to_table(data, summaries[0].instrument.kind))
    return 0


def _network_members(args, store: RoundStore) -> tuple[list, dict]:
    """(RoundInfos, build_network's naming options) from the ROUNDs given or the --network's organisations."""
    if args.network and args.rounds:
        raise RoundError("Noem meetrondes óf --network, niet allebei.")
    if args.until and not args.network:
        raise RoundError("--until hoort bij --network (per organisatie de laatste meetronde tot die datum).")
    if not args.network:
        if not args.rounds:
            raise RoundError("Noem de meetrondes van de organisaties (ROUND ...) of een leernetwerk met --network.")
        return [store.find(reference) for reference in args.rounds], {"show_names": args.names}
    from analysis.scoring.network_moment import choose_rounds
    from analysis.store.networks import NetworkStore

    network = NetworkStore(store.database).find(args.network)
    if not network.organisations:
        raise RoundError(f"Leernetwerk '{network.name}' heeft nog geen organisaties.")
    moment = choose_rounds(store.list(), network.organisations, network.instrument_id, until=args.until)
    if not moment.rounds:
        until = f" tot en met {args.until}" if args.until else ""
        raise RoundError(f"Geen enkele organisatie van leernetwerk '{network.name}' heeft een meetronde van "
                         f"{network.instrument_id}{until}.")
    for missing in moment.missing:
        _err(f"Waarschuwing: {missing.organisation} niet meegenomen: {missing.reason}.")
    # Letters over all members with the network's secret: the same letter as on the page, at every moment.
    return list(moment.rounds), {"show_names": network.show_names or args.names, "name_key": network.name_secret,
                                 "all_members": list(network.organisations)}


def run_network(args) -> int:
    from analysis.scoring.network import Member, build_network, network_to_dict, network_to_table

    store = _store(args)
    infos, naming = _network_members(args, store)
    # Each round under its own saved privacy settings (summarize reads them from the dataset).
    members = [Member.from_round(info, summarize(store.load(info.round_id))) for info in infos]
    try:
        network = build_network(get_instrument(infos[0].instrument_id), members, min_group_size=args.min_group_size,
                                min_organisations=args.min_organisations, looking=None, **naming)
    except RoundError:
        raise
    except ValueError as exc:  # build_network's rules: one Dutch line
        raise RoundError(str(exc)) from exc
    if args.format == "json":
        _out(json.dumps(network_to_dict(network), ensure_ascii=False, indent=2))
    else:
        _out(network_to_table(network))
    return 0


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _plan_table(plan, instrument, info, summary) -> str:
    from analysis.meeting.plan import plan_columns, plan_rows, plan_title, updated_text

    lines = [plan_title(info.organisation, info.name, info.date)]
    if updated_text(plan):
        lines.append(updated_text(plan))
    lines.append("")
    words = plan_columns(instrument)
    keys = ("item_id", "item_text", "score_text", "what", "who", "when_text", "status_label")
    rows = [["Focus", *(words[k] for k in keys)]]
    previous = None
    for row in plan_rows(plan, instrument, summary):
        first = row["focus"] != previous
        previous = row["focus"]
        cells = {k: str(row[k]) for k in keys}
        cells["item_text"] = _cut(" ".join(row["item_text"].split()), PLAN_TEXT_WIDTH)
        if not row["what"]:
            cells["what"] = "(nog geen acties)"
        if not first:  # further actions of the same focus: the focus is said once
            cells.update(item_id="", item_text="", score_text="")
        rows.append([str(row["focus"]) if first else "", *(cells[k] for k in keys)])
    if len(rows) > 1:
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines += ["  ".join(cell.ljust(width) for cell, width in zip(r, widths)).rstrip() for r in rows]
    else:
        lines.append("Nog geen focuspunten gekozen.")
    lines += ["", "Leerlessen:"]
    lines += ["  " + line if line else "" for line in plan.notes.split("\n")] if plan.notes else \
        ["  Nog geen leerlessen genoteerd."]
    return "\n".join(lines)


def run_plan(args) -> int:
    from analysis.meeting.plan import PlanError, plan_to_dict
    from analysis.store.plans import PlanStore

    suffix = os.path.splitext(args.out)[1].lower() if args.action == "export" else ""
    if args.action == "export" and suffix not in PLAN_SUFFIXES:
        raise RoundError(f"Onbekend formaat '{suffix or args.out}' voor --out; kies " + " of ".join(PLAN_SUFFIXES)
                         + ".")
    store = _store(args)
    info = store.find(args.round)
    try:
        plan = PlanStore(store.database).get(info.round_id)
    except PlanError as exc:
        raise RoundError(f"Het opgeslagen verbeterplan van '{info.label}' is onleesbaar: {exc}") from exc
    if args.action == "show" and args.format == "json":
        _out(json.dumps({**plan_to_dict(plan), "round": info.label}, ensure_ascii=False, indent=2))
        return 0
    instrument = get_instrument(info.instrument_id)
    summary = summarize(store.load(info.round_id))  # the scores under the round's own privacy settings
    if args.action == "show":
        if plan.version == 0:
            _out(f"Er is nog geen verbeterplan opgeslagen voor {info.label}.")
        else:
            _out(_plan_table(plan, instrument, info, summary))
        return 0
    return _export_plan(args.out, suffix, plan, instrument, info, summary)


def _export_plan(path: str, suffix: str, plan, instrument, info, summary) -> int:
    from analysis.meeting.plan import PlanError

    if suffix == ".docx":
        from analysis.report.exports.plan_docx import plan_docx as writer
    else:
        from analysis.report.exports.plan_xlsx import plan_xlsx as writer
    try:
        data = writer(plan, instrument, organisation=info.organisation, round_name=info.name, round_date=info.date,
                      summary=summary)
    except PlanError as exc:
        raise RoundError(f"Het verbeterplan van '{info.label}' kan niet worden geëxporteerd: {exc}") from exc
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise RoundError(f"Kan '{path}' niet schrijven: {exc.strerror or exc}.") from exc
    actions = sum(len(f.actions) for f in plan.focuses)
    _out(f"Verbeterplan geschreven: {path} ({len(plan.focuses)} focuspunt(en), {actions} actie(s))")
    return 0


def _checked_dataset(path: str, args):
    """The file's dataset (with the fixes asked for); a blocking problem stops here, other findings are warnings."""
    dataset, _ = _fixed_dataset(path, args)
    problem = issues_line(dataset)
    if problem:
        raise IngestError(f"{path}: {problem}")
    _warn_about(dataset)
    return dataset


def _warn_about(dataset) -> None:
    for _, issue in dataset.issues[~dataset.issues["blokkerend"]].iterrows():
        column = f" '{quoted(issue['kolom'])}'" if issue["kolom"] else ""
        _err(f"Waarschuwing: {issue['soort']}{column} {quoted(issue['waarde'])}".rstrip())


def statement_lines(dataset) -> list[str]:
    """Statements the file holds no answer for, in words, for the table output."""
    absent = dataset.statements_not_in_file
    item = dataset.instrument.kind.item.capitalize()
    lines = [f"{item} {sid} komt in dit bestand niet voor." for sid in absent]
    lines += [f"{item} {sid} heeft in dit bestand geen enkel antwoord." for sid in dataset.statements_without_answers
              if sid not in absent]
    return lines


def _source_lines(dataset) -> list[str]:
    source = dataset.source
    lines = [f"Indeling: {dataset.layout}"]
    if source.get("sheet"):
        others = len(source.get("sheets", [])) - 1
        more = f" (de werkmap heeft nog {others} ander(e) blad(en); kies met --sheet)" if others > 0 else ""
        lines.append(f"Werkblad: '{quoted(source['sheet'])}'{more}")
    if source.get("header_rows"):
        lines.append("Kopregel(s): rij " + ", ".join(map(str, source["header_rows"])))
    if source.get("title_rows"):
        lines.append("Overgeslagen titelregel(s): rij " + ", ".join(map(str, source["title_rows"])))
    return lines


def run_summarize(args) -> int:
    dataset = _checked_dataset(args.file, args)
    summary = summarize(dataset, args.team_column, args.threshold, args.min_group_size, args.reporting_column)
    if args.format == "json":
        _out(json.dumps(summary_to_dict(summary), ensure_ascii=False, indent=2))
    else:
        _out(summary_to_table(summary))
        _out("\n".join(["", *_source_lines(dataset), *statement_lines(dataset)]))
    return 0


def _dispatch(args) -> int:
    if args.command == "summarize":
        return run_summarize(args)
    if args.command == "rounds":
        return run_rounds(args)
    if args.command == "compare":
        return run_compare(args)
    if args.command == "report":
        return run_report(args)
    if args.command == "koppelingen":
        return run_koppelingen(args)
    if args.command == "db":
        return run_db(args)
    if args.command == "network":
        return run_network(args)
    if args.command == "plan":
        return run_plan(args)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe must show up here, not as a complaint at exit
        return code
    except (IngestError, InstrumentError, RoundError, KoppelingError) as exc:
        _err(f"Fout: {quoted(exc, 400)}")
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop writing, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _err("Fout: de uitvoer werd afgebroken (de ontvangende opdracht stopte met lezen).")
    except MemoryError:
        _err("Fout: het bestand is te groot om in het geheugen te verwerken.")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a reader's panic must not reach the user as a traceback
        _err(f"Fout: het bestand kon niet worden verwerkt door een onverwachte fout ({type(exc).__name__}: "
             f"{quoted(exc)}).")
    return EXIT_BAD_INPUT
