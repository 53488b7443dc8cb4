"""Filters on respondent data (functie, afdeling, ...) without opening a back door to small groups.

Only the analyst's reporting columns filter, so a selection always takes whole cells of the
privacy partition; its figures are computed over the selected *shown* cells (``privacy``), which
makes the difference between any two selections, or between a selection and the whole, a union of
cells that each reach the minimum group size.
"""

from __future__ import annotations

import numpy as np

from analysis.ingest.dataset import Dataset
from analysis.scoring.privacy import Partition, build_partition, label_codes, label_mask, selection_rows


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
        small = _in_small_cells(partition)[selection_mask(dataset, filters)]
        if small.all():
            return (f"Deze selectie telt alleen respondenten in kleine groepen (minder dan "
                    f"{partition.min_group_size} per combinatie van groepskenmerken); de resultaten worden niet "
                    "getoond. Kies een ruimere selectie.")
        where = "in kleine groepen of in groepen" if small.any() else "in groepen"
        return (f"Deze selectie telt alleen respondenten {where} die verborgen zijn om een kleine groep te "
                "beschermen; de resultaten worden niet getoond. Kies een ruimere selectie.")
    return None


def _in_small_cells(partition: Partition) -> np.ndarray:
    """Per respondent: True when its cell is below the minimum (not merely pooled to protect another)."""
    return partition.cell_sizes[partition.cell_of_row] < partition.min_group_size


def left_out_values(dataset: Dataset, filters: dict[str, list[str]], partition: Partition) -> list[str]:
    """Each chosen filter value none of whose respondents count in the figures, and why, in Dutch (no counts):
    choosing Team Noord and Team West shows Noord alone when West is hidden to protect a small group, and the page
    must say so rather than leave it out without a word."""
    mask = selection_mask(dataset, filters)
    shown, small = partition.shown_rows, _in_small_cells(partition)
    lines = []
    for column, values in filters.items():
        if not values or column not in dataset.metadata.columns:
            continue
        for value in values:
            rows = mask & label_mask(dataset.metadata[column], [value])
            if rows.any() and not (rows & shown).any():
                why = "te weinig respondenten" if small[rows].all() else "verborgen om een kleine groep te beschermen"
                lines.append(f"{value} niet meegeteld: {why}.")
    return lines


def describe_filters(filters: dict[str, list[str]]) -> str:
    return "; ".join(f"{column}: {', '.join(values)}" for column, values in filters.items() if values)


def filter_notes(dataset: Dataset, filters: dict[str, list[str]], reporting_columns, min_group_size: int) -> list[str]:
    """``left_out_values`` for the analyst's reporting columns and the minimum in force (the sidebar's note)."""
    partition = build_partition(dataset.metadata, reporting_columns, min_group_size)
    return left_out_values(dataset, filters, partition)
