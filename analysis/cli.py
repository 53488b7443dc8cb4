"""The command line analysts script: ``python -m analysis summarize|rounds|compare ...``.

Bad input exits with status 2 and one Dutch line on stderr, never a traceback. Everything printed
goes through ``_out``/``_err``, which pass it through ``terminal_text``: column names, values and
sheet names come from uploaded files and may hold escape sequences or bidi overrides.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from analysis.errors import IngestError, quoted
from analysis.exports.to_html import report_html
from analysis.exports.to_pdf import ExportUnavailable, report_pdf
from analysis.exports.to_pptx import report_pptx
from analysis.exports.to_xlsx import report_xlsx
from analysis.ingest import Overrides, ingest_file, issues_line
from analysis.instrument import InstrumentError
from analysis.privacy import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_VARIABLE
from analysis.progress import comparison_to_dict, comparison_to_table, round_labels
from analysis.report import build_report
from analysis.rounds import RoundError, RoundStore, default_data_dir
from analysis.scoring import DEFAULT_THRESHOLD
from analysis.summary import privacy_settings, summarize, summary_to_dict, summary_to_table
from analysis.terminal import terminal_text

EXIT_BAD_INPUT = 2
REPORT_WRITERS = {".html": lambda report: report_html(report).encode("utf-8"), ".pdf": report_pdf,
                  ".pptx": report_pptx, ".xlsx": report_xlsx}


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="Analyse van QuickScan-exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    summarize_cmd = commands.add_parser("summarize", help="scores per stelling, thema en groep")
    summarize_cmd.add_argument("file")
    _add_sheet_argument(summarize_cmd)
    summarize_cmd.add_argument("--team-column", default=None)
    summarize_cmd.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    _add_privacy_arguments(summarize_cmd)
    summarize_cmd.add_argument("--format", choices=["json", "table"], default="json")
    report_cmd = commands.add_parser("report", help="rapport als HTML, PDF, PowerPoint of Excel")
    report_cmd.add_argument("file")
    _add_sheet_argument(report_cmd)
    report_cmd.add_argument("--team-column", default=None)
    report_cmd.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    _add_privacy_arguments(report_cmd)
    report_cmd.add_argument("--out", required=True, help="bestandsnaam; de extensie kiest het formaat: "
                            + ", ".join(sorted(REPORT_WRITERS)))
    report_cmd.add_argument("--previous", default=None, metavar="ROUND",
                            help="opgeslagen meetronde om mee te vergelijken (dia 'Voortgang')")
    report_cmd.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")
    _add_rounds_parser(commands)
    compare_cmd = commands.add_parser("compare", help="twee opgeslagen meetrondes vergelijken")
    compare_cmd.add_argument("round_a", metavar="ROUND_A", help="id, begin van het id, of naam")
    compare_cmd.add_argument("round_b", metavar="ROUND_B")
    compare_cmd.add_argument("--format", choices=["json", "table"], default="json")
    compare_cmd.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")
    return parser


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
    save.add_argument("--overrides", default=None, help="JSON-bestand met correcties (kolommen, waarden)")
    _add_privacy_arguments(save)
    rename = actions.add_parser("rename", help="een meetronde een andere naam geven")
    rename.add_argument("round")
    rename.add_argument("new_name")
    delete = actions.add_parser("delete", help="een meetronde definitief verwijderen")
    delete.add_argument("round")
    delete.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    for action in (listing, save, rename, delete):
        action.add_argument("--data-dir", default=None, help="map met meetrondes (standaard $QUICKSCAN_DATA_DIR)")


def _store(args) -> RoundStore:
    return RoundStore(args.data_dir or default_data_dir())


def _read_overrides(path: str | None) -> Overrides:
    if not path:
        return Overrides()
    try:
        with open(path, encoding="utf-8") as handle:
            return Overrides.from_dict(json.load(handle))
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise IngestError(f"Correctiebestand '{path}' kan niet worden gelezen: {exc}") from exc


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
            _out(f"{len(rounds)} meetronde(s) in {store.directory}")
        for name in store.unreadable_files():
            _err(f"Waarschuwing: {name} is geen leesbare meetronde.")
    elif args.action == "save":
        overrides = _read_overrides(args.overrides)
        dataset = ingest_file(args.file, overrides=overrides, sheet=args.sheet)
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


def run_report(args) -> int:
    suffix = os.path.splitext(args.out)[1].lower()
    if suffix not in REPORT_WRITERS:
        raise IngestError(f"Onbekend formaat '{suffix or args.out}' voor --out; kies "
                          + ", ".join(sorted(REPORT_WRITERS)) + ".")
    dataset = _checked_dataset(args.file, args.sheet)
    summary = summarize(dataset, args.team_column, args.threshold, args.min_group_size, args.reporting_column)
    report = build_report(summary, os.path.basename(args.file), previous=_previous_round(args, summary))
    try:
        data = REPORT_WRITERS[suffix](report)
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
        _out(comparison_to_table(data))
    return 0


def _checked_dataset(path: str, sheet: str | None = None):
    """The file's dataset; a blocking problem stops here, other findings are warnings on stderr."""
    dataset = ingest_file(path, sheet=sheet)
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
    absent = set(dataset.statements_not_in_file)
    lines = [f"Stelling {sid} komt in dit bestand niet voor." for sid in sorted(absent)]
    lines += [f"Stelling {sid} heeft in dit bestand geen enkel antwoord." for sid in dataset.statements_without_answers
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
    dataset = _checked_dataset(args.file, args.sheet)
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
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe must show up here, not as a complaint at exit
        return code
    except (IngestError, InstrumentError, RoundError) as exc:
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
