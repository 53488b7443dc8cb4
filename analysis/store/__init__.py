"""The transactional store: rounds, koppelingen and what later features keep, in SQLite or PostgreSQL.

Pages and the command line use the small classes exported here and never see SQL. See docs/store.md.
The names are loaded on first use, so a process that only records live answers does not import the
ingest and its libraries.
"""

import importlib

_EXPORTS = {
    "DATA_DIR_VARIABLE": "analysis.store.database", "DATABASE_URL_VARIABLE": "analysis.store.database",
    "Database": "analysis.store.database", "default_data_dir": "analysis.store.database",
    "open_database": "analysis.store.database", "StoreError": "analysis.store.errors",
    "KoppelingStore": "analysis.store.koppelingen", "RoundStore": "analysis.store.rounds",
    "LiveStore": "analysis.store.live",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'analysis.store' has no attribute '{name}'")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
