"""The command line analysts script: ``python -m analysis summarize FILE ...``.

Bad input exits with status 2 and one Dutch line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from analysis.errors import IngestError
from analysis.ingest import ingest_file, issues_line
from analysis.instrument import InstrumentError
from analysis.scoring import DEFAULT_MIN_GROUP_SIZE, DEFAULT_THRESHOLD
from analysis.summary import summarize, summary_to_dict, summary_to_table

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"Fout in de opdracht: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description="Analyse van QuickScan-exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    summarize_cmd = commands.add_parser("summarize", help="scores per stelling, thema en groep")
    summarize_cmd.add_argument("file")
    summarize_cmd.add_argument("--team-column", default=None)
    summarize_cmd.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    summarize_cmd.add_argument("--min-group-size", type=int, default=DEFAULT_MIN_GROUP_SIZE)
    summarize_cmd.add_argument("--format", choices=["json", "table"], default="json")
    return parser


def run_summarize(args) -> int:
    dataset = ingest_file(args.file)
    problem = issues_line(dataset)
    if problem:
        raise IngestError(f"{args.file}: {problem}")
    for _, issue in dataset.issues[~dataset.issues["blokkerend"]].iterrows():
        column = f" '{issue['kolom']}'" if issue["kolom"] else ""
        print(f"Waarschuwing: {issue['soort']}{column} {issue['waarde']}".rstrip(), file=sys.stderr)
    summary = summarize(dataset, args.team_column, args.threshold, args.min_group_size)
    if args.format == "json":
        json.dump(summary_to_dict(summary), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(summary_to_table(summary))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "summarize":
            return run_summarize(args)
    except (IngestError, InstrumentError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
