"""Entry point for ``python -m analysis``.

The command's work is done when ``main()`` returns; what is left is tearing the interpreter down. Arrow's native
thread pools (Parquet rounds, CSV reading) can abort that teardown now and then with "terminate called without an
active exception" and exit code -6 (apache/arrow#34314, open), turning a finished, correct command into a failure
for the script that called it. So the exit is done by hand: the registered clean-ups run (Chromium closed, its
profile removed, logging flushed), the database connections are closed, the output flushed, and the process ends
without native library destructors.
"""

import atexit
import os
import sys

from analysis.cli import main


def _exit(code: int) -> None:
    store = sys.modules.get("analysis.store.database")
    if store is not None:
        store.forget_open_databases()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away was reported by main() already
            pass
    os._exit(code)


try:
    _code = main()
except SystemExit as exc:  # argparse's refusals and --help
    _code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    if not isinstance(exc.code, int | type(None)):
        print(exc.code, file=sys.stderr)
_exit(_code or 0)
