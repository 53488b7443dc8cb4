"""Filters on respondent data (functie, afdeling, ...) without opening a back door to small groups.

A selection is only shown when it and the respondents it leaves out are both empty or at least
the minimum group size: otherwise the whole file minus the selection would reveal the answers of
the few left out. For the same reason a group is suppressed inside a selection when the part of
that group the filter leaves out is non-empty but smaller than the minimum.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from analysis.ingest import Dataset
from analysis.scoring import group_labels

MAX_FILTER_VALUES = 30


def filter_columns(dataset: Dataset, max_values: int = MAX_FILTER_VALUES) -> dict[str, list[str]]:
    """Metadata columns with a few repeated values (not ids, timestamps or free text), and their values."""
    columns = {}
    for name in dataset.metadata.columns:
        labels = group_labels(dataset.metadata[name])
        values = labels.unique()
        if 2 <= len(values) <= max_values and len(values) < len(labels):
            columns[name] = sorted(str(v) for v in values)
    return columns


def selection_mask(dataset: Dataset, filters: dict[str, list[str]]) -> np.ndarray:
    """True for respondents that match every filter; a filter with no values chosen does not filter."""
    mask = np.ones(dataset.n_respondents, dtype=bool)
    for column, values in filters.items():
        if values and column in dataset.metadata.columns:
            mask &= group_labels(dataset.metadata[column]).isin(values).to_numpy()
    return mask


def apply_filters(dataset: Dataset, mask: np.ndarray) -> Dataset:
    return replace(dataset, codes=np.asfortranarray(dataset.codes[mask]),
                   respondent_ids=[r for r, keep in zip(dataset.respondent_ids, mask) if keep],
                   metadata=dataset.metadata[mask].reset_index(drop=True))


def selection_problem(mask: np.ndarray, min_group_size: int) -> str | None:
    """Why a selection may not be shown, in Dutch; None when it may."""
    selected, left_out = int(mask.sum()), int((~mask).sum())
    if selected == 0:
        return "Geen enkele respondent past bij deze filters."
    if selected < min_group_size:
        return (f"Deze selectie telt {selected} respondent(en), minder dan de minimale groepsgrootte "
                f"({min_group_size}); de resultaten worden niet getoond.")
    if 0 < left_out < min_group_size:
        return (f"Deze selectie laat {left_out} respondent(en) weg; dan zijn hun antwoorden af te leiden uit het "
                f"verschil met het geheel. Kies een ruimere of kleinere selectie (minimaal {min_group_size} "
                "weggelaten of niemand).")
    return None


def groups_revealed_by_filter(dataset: Dataset, group_column: str, mask: np.ndarray,
                              min_group_size: int) -> frozenset[str]:
    """Groups whose left-out part is non-empty but below the minimum: hide them inside the selection."""
    labels = group_labels(dataset.metadata[group_column])
    inside, outside = labels[mask].value_counts(), labels[~mask].value_counts()
    return frozenset(str(g) for g in inside.index if 0 < outside.get(g, 0) < min_group_size)


def describe_filters(filters: dict[str, list[str]]) -> str:
    return "; ".join(f"{column}: {', '.join(values)}" for column, values in filters.items() if values)
