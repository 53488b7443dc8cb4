"""Ingest of long (tidy) exports: one row per respondent and statement.

Such files come from data warehouses and from analysts who reshaped a survey themselves. A
statement without a row for a respondent counts as missing for that respondent (brief).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.errors import IngestError
from analysis.ingest.dataset import (
    ISSUE_COLUMNS,
    ISSUE_DUPLICATE_ANSWER,
    ISSUE_UNKNOWN_STATEMENT,
    NOT_UNDERSTOOD,
    ColumnInfo,
    Dataset,
    Overrides,
    _encode_column,
    _issue,
    _missing_statements,
    _row_numbers,
    _value_issues,
    map_values,
)
from analysis.ingest.layout import ANSWER_NAMES, RESPONDENT_NAMES, STATEMENT_NAMES, Layout, long_name
from analysis.ingest.matching import MISSING, AnswerMapper, StatementMatcher
from analysis.ingest.reading import as_text
from analysis.ingest.survey_tools import fold
from analysis.instrument import Instrument


def _role_columns(labels: list[str]) -> dict[str, int]:
    roles = {}
    for role, names in (("respondent", RESPONDENT_NAMES), ("statement", STATEMENT_NAMES),
                        ("answer", ANSWER_NAMES)):
        folded = {fold(n) for n in names}
        roles[role] = next(i for i, label in enumerate(labels)
                           if long_name(label) in folded and i not in roles.values())
    return roles


def ingest_long(body: pa.Table, layout: Layout, info: dict, instrument: Instrument, overrides: Overrides,
                matcher: StatementMatcher, mapper: AnswerMapper, row_numbers: np.ndarray) -> Dataset:
    roles = _role_columns(layout.labels)
    frame = pd.DataFrame({label: as_text(body.column(i)).to_pandas() for i, label in enumerate(layout.labels)})
    respondents = frame.iloc[:, roles["respondent"]].str.strip()
    keep = (respondents != "").to_numpy()
    frame, respondents, row_numbers = frame[keep], respondents[keep], row_numbers[keep]
    if frame.empty:
        raise IngestError("De lange tabel bevat geen rijen met een respondent.")
    issues: list[dict] = []
    ids = instrument.statement_ids
    # Per row the statement's position in the instrument (-1: not recognised). Positions, not the ids themselves:
    # a checklist's ids are texts such as "1.10".
    positions = _statement_positions(frame.iloc[:, roles["statement"]], layout, roles, matcher, ids, issues,
                                     row_numbers)
    answers = _answer_codes(frame.iloc[:, roles["answer"]], positions, ids, layout, roles, mapper,
                            overrides, issues, row_numbers)
    respondent_codes, respondent_ids = pd.factorize(respondents)
    codes = np.full((len(respondent_ids), len(ids)), MISSING, dtype=np.int8)
    valid = positions >= 0
    position = positions[valid]
    pairs = pd.DataFrame({"r": respondent_codes[valid], "s": position})
    duplicated = pairs.duplicated(keep="first").to_numpy()
    if duplicated.any():
        rows = np.flatnonzero(valid)[duplicated]
        issues.append(_issue(ISSUE_DUPLICATE_ANSWER, layout.labels[roles["statement"]],
                             "meer dan één antwoord op dezelfde stelling", int(duplicated.sum()),
                             _row_numbers(rows, row_numbers)))
    first = ~duplicated
    codes[pairs["r"].to_numpy()[first], position[first]] = answers[valid][first]
    if not valid.any():
        raise IngestError("Geen enkele stelling herkend in de kolom "
                          f"'{layout.labels[roles['statement']]}' van de lange tabel.")
    seen = {ids[int(p)]: layout.labels[roles["statement"]] for p in np.unique(position)}
    issues.extend(_missing_statements(ids, seen))
    metadata = _metadata(frame, respondent_codes, len(respondent_ids), roles, layout.labels)
    columns = [ColumnInfo(i, label, [label], "statement" if i == roles["statement"] else "metadata")
               for i, label in enumerate(layout.labels)]
    return Dataset(instrument=instrument, layout=layout.name, layout_kind="long", source=info,
                   codes=codes, respondent_ids=list(respondent_ids), metadata=metadata,
                   columns=columns, issues=pd.DataFrame(issues, columns=ISSUE_COLUMNS),
                   found=[i for i in ids if i in seen])


def _statement_positions(column: pd.Series, layout, roles, matcher: StatementMatcher, ids: list, issues,
                         row_numbers) -> np.ndarray:
    values, indices = _encode_column(pa.chunked_array([pa.array(column, pa.string())]))
    found = np.array([_match_statement(matcher, ids, v) for v in values], dtype=np.int64)
    for i in np.flatnonzero(found < 0):
        positions = np.flatnonzero(indices == i)
        issues.append(_issue(ISSUE_UNKNOWN_STATEMENT, layout.labels[roles["statement"]], values[i],
                             len(positions), _row_numbers(positions, row_numbers)))
    return found[indices] if len(indices) else np.empty(0, dtype=np.int64)


def _match_statement(matcher: StatementMatcher, ids: list, value: str) -> int:
    """VALUE's position in IDS, or -1."""
    found = matcher.match([value])
    return -1 if found is None else ids.index(found)


def _answer_codes(column, statement_positions, ids, layout, roles, mapper: AnswerMapper, overrides, issues,
                  row_numbers) -> np.ndarray:
    codes = np.full(len(column), MISSING, dtype=np.int8)
    label = layout.labels[roles["answer"]]
    for position in np.unique(statement_positions):
        rows = np.flatnonzero(statement_positions == position)
        values, indices = _encode_column(pa.chunked_array([pa.array(column.iloc[rows], pa.string())]))
        lookup = map_values(values, ids[int(position)] if position >= 0 else None, mapper, overrides)
        for issue in _value_issues(values, lookup, indices, label, mapper, row_numbers[rows]):
            positions = rows[indices == values.index(issue["waarde"])]
            issue["rijen"] = _row_numbers(positions, row_numbers)
            issues.append(issue)
        mapped = lookup[indices]
        codes[rows] = np.where(mapped == NOT_UNDERSTOOD, MISSING, mapped)
    return codes


def _metadata(frame, respondent_codes, n, roles, labels) -> pd.DataFrame:
    extra = [label for i, label in enumerate(labels) if i not in roles.values()]
    if not extra:
        return pd.DataFrame(index=range(n))
    firsts = frame[extra].groupby(respondent_codes, sort=True).first()
    return firsts.reset_index(drop=True)
