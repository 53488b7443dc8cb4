"""The survey tools' names and bookkeeping columns, read from ``survey_tools.yaml``.

Which columns a tool adds for its own bookkeeping (ids, timestamps, progress, language, IP,
e-mail, name) changes with tool versions and languages; keeping the names in a data file lets an
organisation add one without touching code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).with_name("survey_tools.yaml")


_FOLDED = re.compile(r"[\s_\-.:]+")
_TRAILING_NOTE = re.compile(r"\s*\(.*\)$")


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(DATA_FILE.read_text("utf-8"))


def fold(name: str) -> str:
    """Lower case with spaces, underscores, hyphens and dots folded to one space."""
    return _FOLDED.sub(" ", str(name).lower()).strip()


@lru_cache(maxsize=1)
def system_column_names() -> frozenset[str]:
    return frozenset(fold(n) for n in _data()["system_columns"])


def is_system_column(name: str) -> bool:
    """True for a survey tool's bookkeeping column (Qualtrics' "Duration (in seconds)" included)."""
    folded = fold(name)
    names = system_column_names()
    return folded in names or _TRAILING_NOTE.sub("", folded) in names


def layout_names() -> dict[str, str]:
    return {kind: tool["name"] for kind, tool in _data()["tools"].items()}


def markers(kind: str) -> frozenset[str]:
    return frozenset(fold(m) for m in _data()["tools"][kind].get("markers", []))
