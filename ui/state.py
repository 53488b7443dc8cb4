"""Which dataset the session looks at, and the bounded caches at the page edge.

The upload lives in ``st.session_state`` as bytes plus the analyst's overrides; ingest and
scoring are cached on a digest of those, so switching pages never re-reads a file. Every change to the upload or
its choices is also kept for the session's browser (``ui.kept_upload``, in memory), so a reload or a typed URL
starts where the user was instead of on the sample.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import streamlit as st

from analysis.errors import IngestError, RoundMissing
from analysis.ingest.dataset import Dataset, Overrides, ingest_bytes
from analysis.instrument import get_instrument
from analysis.kinds import Kind
from analysis.meeting.plan import Plan, plan_from_dict, plan_title
from analysis.report.model import Report, build_report
from analysis.rounds import RoundError, RoundInfo, mark_sample, round_of
from analysis.scoring.filters import describe_filters, filter_columns
from analysis.scoring.privacy import PrivacySettings, default_settings, deployment_min_group_size
from analysis.scoring.scores import DEFAULT_THRESHOLD, Summary
from analysis.scoring.summary import SelectionError, privacy_settings, suggest_group_column, summarize
from ui import kept_upload
from ui.widgets import escape_md

# The store (SQLAlchemy, Alembic) is imported where a round is saved, listed or opened, not by every page: a first
# visit to the overview never loads it.
if TYPE_CHECKING:
    from analysis.store import RoundStore, StoreError

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
# The samples a user can try, one per instrument: file and the column that names the team.
SAMPLES = {"QuickScan diversiteits sensitief begeleiden": ("quickscan_voorbeeld.xlsx", "In welk team werkt u?"),
           "Diversiteitskader wijkteams": ("diversiteitskader_najaar_2025.xlsx", "In welk wijkteam werkt u?")}
DEFAULT_SAMPLE = next(iter(SAMPLES))
SAMPLE_FILE = SAMPLE_DIR / SAMPLES[DEFAULT_SAMPLE][0]
SAMPLE_GROUP_COLUMN = SAMPLES[DEFAULT_SAMPLE][1]
# A fictitious verbeterplan per instrument, shown with its sample so a new user sees the plan views filled.
SAMPLE_PLANS = {"quickscan-dsb": "voorbeeldplan.json"}
SAMPLE_PLAN_TITLE = "Verbeterplan (voorbeeld, fictief)"
SAMPLE_LABEL = "Voorbeelddata (fictief)"


@dataclass
class Settings:
    group_column: str | None
    threshold: float
    min_group_size: int  # what a viewer asked for; never below the dataset's privacy minimum (see privacy_of)


def max_upload_mb() -> int:
    """The largest upload the server takes (``server.maxUploadSize``, .streamlit/config.toml), in MB."""
    return int(st.get_option("server.maxUploadSize"))


def use_upload(data: bytes, name: str) -> None:
    _set_upload(data, name)
    kept_upload.keep()


def _set_upload(data: bytes, name: str) -> None:
    st.session_state["upload"] = {"data": data, "name": name, "digest": hashlib.sha256(data).hexdigest()}
    _fresh_choices()


def _fresh_choices() -> None:
    st.session_state["overrides"] = Overrides().to_dict()
    st.session_state.pop("group_column", None)
    st.session_state.pop("privacy", None)


def set_reading(instrument_id: str | None, sheet: str | None) -> None:
    """The analyst's choice of instrument (None: detected) and sheet (None: the best one) for the upload.

    Part of the digest, so caches and the widgets keyed by it start afresh: other columns, other fixes.
    """
    upload = st.session_state["upload"]
    upload["instrument"], upload["sheet"] = instrument_id, sheet
    base = hashlib.sha256(upload["data"]).hexdigest()
    upload["digest"] = base if instrument_id is None and sheet is None else f"{base}:{instrument_id}:{sheet}"
    # The choosers remember their last value per digest: forget them, or a reset would choose again.
    for key in [k for k in st.session_state if str(k).startswith(("instrument_", "sheet_"))]:
        del st.session_state[key]
    _fresh_choices()
    kept_upload.keep()


def use_round(info: RoundInfo) -> None:
    """Make a saved round the session's dataset; its fixes are frozen into it, so no overrides."""
    st.session_state["upload"] = {"name": info.label, "digest": f"round:{info.round_id}", "round_id": info.round_id,
                                  "round_instrument": info.instrument_id}
    _fresh_choices()
    kept_upload.keep()


def round_store() -> RoundStore:
    """The store of this deployment; a database that cannot be reached stops the page with one Dutch line."""
    from analysis.store import RoundStore, StoreError

    try:
        return RoundStore()
    except StoreError as exc:
        _store_down(exc)


def saved_rounds(required: bool = True) -> list[RoundInfo]:
    """Every saved round. Without the store a page that needs rounds stops with its Dutch message; one that
    only offers them (a comparison) says so and goes on without."""
    from analysis.store import RoundStore, StoreError

    try:
        return RoundStore().list()
    except StoreError as exc:
        _store_down(exc, stop=required)
        return []


def _store_down(exc: StoreError, stop: bool = True):
    message = escape_md(exc) + " Probeer het later opnieuw of vraag de beheerder de database te controleren."
    if not stop:
        st.warning(message, icon=":material/database:")
        return
    st.error(message, icon=":material/database:")
    st.stop()


@st.cache_data(max_entries=24, show_spinner="Meetronde openen…")
def _load_round(location: str, round_id: str, version: int) -> Dataset:
    return round_store().load(round_id)


def load_round(round_id: str) -> Dataset:
    """A saved round, cached by its version (which a rename or replacement changes)."""
    store = round_store()
    return _load_round(store.location, round_id, store.version(round_id))


@st.cache_data(max_entries=48, show_spinner=False)
def _round_summary(_dataset: Dataset, round_id: str, version: int, group_column: str | None, threshold: float,
                   min_group_size: int) -> Summary:
    return summarize(_dataset, group_column, threshold, min_group_size)


def round_summary(round_id: str, group_column: str | None, threshold: float, min_group_size: int) -> Summary:
    """A saved round's figures under its own saved privacy settings; a viewer may only raise the minimum."""
    store = round_store()
    version = store.version(round_id)
    dataset = _load_round(store.location, round_id, version)
    saved = privacy_settings(dataset)
    group = group_column if group_column in saved.reporting_columns else None
    minimum = max(saved.min_group_size, min_group_size)
    return _round_summary(dataset, round_id, version, group, threshold, minimum)


def use_sample(label: str = DEFAULT_SAMPLE) -> None:
    """The user chose a sample: it replaces the upload, which the browser no longer keeps either."""
    _open_sample(label)
    kept_upload.forget(chosen=True)


def _open_sample(label: str) -> None:
    """A sample as an analyst would set it up: grouped and filtered by team only (see privacy)."""
    file_name, group_column = SAMPLES[label]
    _set_upload((SAMPLE_DIR / file_name).read_bytes(), file_name)
    st.session_state["upload"]["sample"] = True
    st.session_state["group_column"] = group_column
    st.session_state["privacy"] = PrivacySettings((group_column,), deployment_min_group_size()).to_dict()


def _round_gone() -> NoReturn:
    """The open round was deleted (elsewhere, or before a reload found it): the sample, with the banner saying
    why, and the whole run again so the menu and sidebar follow the sample too."""
    _open_sample(DEFAULT_SAMPLE)
    kept_upload.forget()
    kept_upload.note_round_gone()
    st.rerun()


def current_upload() -> dict:
    """The session's upload. A new session first looks for the one its browser had (a reload, a typed URL), else
    opens on the sample; a session whose upload was dropped (the open round was deleted) forgets the kept one."""
    if "upload" not in st.session_state and not kept_upload.restore():
        _open_sample(DEFAULT_SAMPLE)
        kept_upload.forget()
    return st.session_state["upload"]


def showing_sample(upload: dict | None = None) -> bool:
    """True when the session looks at the fictitious sample it opened with (or chose by its button).

    A flag, not the file's digest: the sample rounds in sample_data/ share bytes with it and are meant to be saved.
    """
    upload = upload or current_upload()
    return bool(upload.get("sample"))


def source_label(upload: dict | None = None) -> str:
    """The name every view and export gives the data: the file or round, and plainly so when it is the sample."""
    upload = upload or current_upload()
    return f"{SAMPLE_LABEL} — {upload['name']}" if showing_sample(upload) else upload["name"]


def current_overrides() -> Overrides:
    return Overrides.from_dict(st.session_state.get("overrides"))


def set_overrides(overrides: Overrides) -> None:
    st.session_state["overrides"] = overrides.to_dict()
    kept_upload.keep()


@st.cache_data(max_entries=6, show_spinner="Bestand inlezen…")
def _ingest(_data: bytes, name: str, digest: str, overrides_json: str, sample: bool = False,
            instrument_id: str | None = None, sheet: str | None = None) -> Dataset:
    instrument = get_instrument(instrument_id) if instrument_id else None
    dataset = ingest_bytes(_data, name, instrument, Overrides.from_dict(json.loads(overrides_json)), sheet)
    return mark_sample(dataset) if sample else dataset


@st.cache_data(max_entries=24, show_spinner=False)
def _summary(_dataset: Dataset, digest: str, overrides_json: str, group_column: str | None, threshold: float,
             privacy_json: str, filters_json: str = "{}") -> Summary:
    privacy = PrivacySettings.from_dict(json.loads(privacy_json))
    return summarize(_dataset, group_column, threshold, privacy.min_group_size, privacy.reporting_columns,
                     json.loads(filters_json))


def _key() -> tuple[dict, str]:
    upload = current_upload()
    return upload, json.dumps(current_overrides().to_dict(), sort_keys=True)


def current_dataset() -> Dataset:
    """The session's dataset; raises IngestError with a Dutch message for an unusable upload."""
    upload, overrides_json = _key()
    if "round_id" in upload:
        try:
            return load_round(upload["round_id"])
        except RoundMissing:
            _round_gone()
        except RoundError as exc:
            raise IngestError(str(exc)) from exc
    try:
        return _ingest(upload["data"], upload["name"], upload["digest"], overrides_json, showing_sample(upload),
                       upload.get("instrument"), upload.get("sheet"))
    except MemoryError as exc:
        raise IngestError("Dit bestand is te groot om in het geheugen te verwerken.") from exc
    except BaseException as exc:
        # The spreadsheet reader is written in Rust; its panics are no Exception, and must not end the session.
        if type(exc).__name__ != "PanicException":
            raise
        raise IngestError("Dit werkblad kon niet worden gelezen: het bestand is beschadigd.") from exc


def session_kind() -> Kind | None:
    """The kind of the session's instrument, for the menu, without stopping the run: a saved round's is known
    without its store; None when the data cannot be read (the page then says why)."""
    upload = current_upload()
    if "round_id" in upload:
        return get_instrument(upload["round_instrument"]).kind if upload.get("round_instrument") else None
    try:
        return current_dataset().instrument.kind
    except IngestError:
        return None


@st.cache_data(max_entries=6, show_spinner=False)
def _suggested_group(_dataset: Dataset, digest: str, overrides_json: str) -> str | None:
    return suggest_group_column(_dataset)


def suggested_group_column() -> str | None:
    """Once per dataset, not on every rerun: it counts distinct values in every metadata column."""
    upload, overrides_json = _key()
    return _suggested_group(current_dataset(), upload["digest"], overrides_json)


@st.cache_data(max_entries=6, show_spinner=False)
def _filter_options(_dataset: Dataset, digest: str, overrides_json: str, columns: tuple[str, ...]) -> dict:
    return filter_columns(_dataset, columns)


def filter_options() -> dict[str, list[str]]:
    """The reporting columns with their values: the only columns a viewer may filter on."""
    upload, overrides_json = _key()
    dataset = current_dataset()
    return _filter_options(dataset, upload["digest"], overrides_json, privacy_of(dataset).reporting_columns)


@st.cache_data(max_entries=6, show_spinner=False)
def _default_privacy(_dataset: Dataset, digest: str, overrides_json: str) -> dict:
    return privacy_settings(_dataset).to_dict()


def privacy_of(dataset: Dataset) -> PrivacySettings:
    """The dataset's privacy settings: saved with a round, else the analyst's choice on Gegevens, else defaults.

    The minimum here is the floor: viewers can raise it in the sidebar, never lower it.
    """
    upload, overrides_json = _key()
    settings = PrivacySettings.from_dict(_default_privacy(dataset, upload["digest"], overrides_json))
    chosen = st.session_state.get("privacy")
    if "round_id" in upload or not chosen:
        return settings
    chosen = PrivacySettings.from_dict(chosen)
    columns = tuple(c for c in chosen.reporting_columns if c in dataset.metadata.columns)
    return PrivacySettings(columns, chosen.min_group_size)


def set_privacy(settings: PrivacySettings) -> None:
    """The analyst's choice for the current upload (Gegevens); it is saved with a round."""
    st.session_state["privacy"] = settings.to_dict()
    kept_upload.keep()


def default_privacy(dataset: Dataset) -> PrivacySettings:
    return default_settings(dataset.metadata)


def current_settings() -> Settings:
    requested = st.session_state.get("min_group_size")
    return Settings(group_column=st.session_state.get("group_column"),
                    threshold=float(st.session_state.get("threshold", DEFAULT_THRESHOLD)),
                    min_group_size=int(requested) if requested is not None else 0)


def current_filters(dataset: Dataset) -> dict[str, list[str]]:
    """The sidebar's filters that apply to this dataset (chosen values only)."""
    chosen = st.session_state.get("filters") or {}
    allowed = privacy_of(dataset).reporting_columns
    return {column: sorted(values) for column, values in chosen.items() if values and column in allowed}


def effective_privacy(dataset: Dataset) -> PrivacySettings:
    """The dataset's settings with the viewer's minimum where it is higher."""
    privacy = privacy_of(dataset)
    minimum = max(privacy.min_group_size, current_settings().min_group_size)
    return PrivacySettings(privacy.reporting_columns, minimum)


def current_summary() -> Summary:
    """Raises SelectionError when the filters select only respondents in cells too small to show."""
    dataset = current_dataset()
    upload, overrides_json = _key()
    settings = current_settings()
    privacy = effective_privacy(dataset)
    group = settings.group_column if settings.group_column in privacy.reporting_columns else None
    filters_json = json.dumps(current_filters(dataset), sort_keys=True)
    return _summary(dataset, upload["digest"], overrides_json, group, settings.threshold,
                    json.dumps(privacy.to_dict(), sort_keys=True), filters_json)


def report_maker(summary: Summary, previous: tuple[str, Summary] | None = None,
                 previous_plan: Plan | None = None) -> Callable[[], Report]:
    """Builds the session's report when called; everything it needs from the session is read now, so it
    can run later on a download thread."""
    dataset = current_dataset()
    filters = describe_filters(current_filters(dataset))
    plan, title = round_plan(round_of(dataset))
    return partial(build_report, summary, source_label(), filters=filters, previous=previous, plan=plan,
                   plan_title=title, previous_plan=previous_plan)


def previous_round_plan(round_id: str | None) -> Plan | None:
    """The verbeterplan agreed on an earlier round, for the return-day slide; None when there is none."""
    if not round_id:
        return None
    from analysis.store.plans import PlanStore

    try:
        plan = PlanStore().get(round_id)
    except RoundError:
        return None
    return plan if plan.focuses else None


def sample_plan(instrument_id: str) -> Plan | None:
    """The sample's fictitious plan (sample_data/), or None for an instrument without one."""
    name = SAMPLE_PLANS.get(instrument_id)
    if name is None:
        return None
    return plan_from_dict(json.loads((SAMPLE_DIR / name).read_text(encoding="utf-8")), get_instrument(instrument_id))


def round_plan(info: RoundInfo | None) -> tuple[Plan | None, str]:
    """A saved round's verbeterplan and its title, for the Afspraken slide; the sample's own; none for an upload."""
    if info is None:
        if showing_sample():
            return sample_plan(current_dataset().instrument.id), SAMPLE_PLAN_TITLE
        return None, ""
    from analysis.store.plans import PlanStore

    try:
        plan = PlanStore().get(info.round_id)
    except RoundError:  # the store is down or the round just went: the report goes on without agreements
        return None, ""
    return plan, plan_title(info.organisation, info.name, info.date)


def dataset_or_stop() -> Dataset:
    """For pages: the dataset, or a friendly message and a stop when the upload is unusable."""
    try:
        return current_dataset()
    except IngestError as exc:
        st.error(f"Dit bestand kan niet worden geanalyseerd: {escape_md(exc)}")
        st.info("Kies op de pagina **Gegevens** een ander bestand of gebruik de voorbeelddata.")
        st.stop()


def summary_or_stop() -> Summary:
    dataset_or_stop()
    try:
        return current_summary()
    except SelectionError as exc:
        st.warning(escape_md(exc), icon=":material/visibility_off:")
        st.info("Pas de filters in de zijbalk aan.")
        st.stop()
