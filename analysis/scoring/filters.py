"""Filters on respondent data (functie, afdeling, ...) without opening a back door to small groups.

Only the analyst's reporting columns filter, so a selection always takes whole cells of the
privacy partition; its figures are computed over the selected *shown* cells (``privacy``), which
makes the difference between any two selections, or between a selection and the whole, a union of
cells that each reach the minimum group size.
"""

from __future__ import annotations

import numpy as np

from analysis.ingest.dataset import Dataset
from analysis.scoring.privacy import Partition, label_codes, label_mask, selection_rows


def filter_columns(dataset: Dataset, reporting_columns) -> dict[str, list[str]]:
    """The reporting columns present in the dataset, with their values."""
    columns = {}
    for name in reporting_columns:
        if name in dataset.metadata.columns:
            columns[name] = sorted(str(v) for v in label_codes(dataset.metadata[name])[1])
    return columns


def selection_mask(dataset: Dataset, filters: dict[str, list[str]]) -> np.ndarray:
    """True for respondents that match every filter; a filter with no values chosen does not filter."""
    mask = np.ones(dataset.n_respondents, dtype=bool)
    for column, values in filters.items():
        if values and column in dataset.metadata.columns:
            mask &= label_mask(dataset.metadata[column], values)
    return mask


def selection_problem(dataset: Dataset, filters: dict[str, list[str]], partition: Partition) -> str | None:
    """Why a selection may not be shown, in Dutch; None when it may."""
    selected = int(selection_mask(dataset, filters).sum())
    if selected == 0:
        return "Geen enkele respondent past bij deze filters."
    if not selection_rows(dataset.metadata, filters, partition).any():
        return (f"Deze selectie telt alleen respondenten in kleine groepen (minder dan "
                f"{partition.min_group_size} per combinatie van groepskenmerken); de resultaten worden niet "
                "getoond. Kies een ruimere selectie.")
    return None


def describe_filters(filters: dict[str, list[str]]) -> str:
    return "; ".join(f"{column}: {', '.join(values)}" for column, values in filters.items() if values)
