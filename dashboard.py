"""Entry point: the page router, the sign-in gate and the sidebar every page shares. No analysis here."""

from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from analysis.errors import IngestError
from analysis.kinds import Kind
from analysis.scoring.filters import filter_notes
from analysis.scoring.privacy import min_group_size_note
from ui.auth import access_notice_ui, auth_providers, sign_in_page
from ui.charts import preload_charts
from ui.sample_banner import sample_banner, sample_sidebar_notice
from ui.state import (
    current_dataset,
    current_filters,
    current_upload,
    filter_options,
    privacy_of,
    source_label,
    suggested_group_column,
)
from ui.widgets import escape_md

# A local icon: a ":material/...:" page icon makes every viewer's browser fetch it from Google's font servers.
st.set_page_config(page_title="QuickScan-dashboard", page_icon=str(Path(__file__).parent / "ui" / "icon.png"),
                   layout="wide")

PAGES = [
    st.Page("app_pages/gegevens.py", title="Gegevens", icon=":material/upload_file:", url_path="gegevens"),
    st.Page("app_pages/overzicht.py", title="Overzicht", icon=":material/radar:", url_path="overzicht", default=True),
    st.Page("app_pages/teams.py", title="Teams", icon=":material/groups:", url_path="teams"),
    st.Page("app_pages/stellingen.py", title="Stellingen", icon=":material/list:", url_path="stellingen"),
    st.Page("app_pages/aan_de_slag.py", title="Aan de slag", icon=":material/flag:", url_path="aan-de-slag"),
    st.Page("app_pages/presentatie.py", title="Presentatie", icon=":material/slideshow:", url_path="presentatie"),
    st.Page("app_pages/meetrondes.py", title="Meetrondes", icon=":material/inventory_2:", url_path="meetrondes"),
    st.Page("app_pages/voortgang.py", title="Voortgang", icon=":material/trending_up:", url_path="voortgang"),
    st.Page("app_pages/leernetwerk.py", title="Leernetwerk", icon=":material/hub:", url_path="leernetwerk"),
    st.Page("app_pages/live.py", title="Live", icon=":material/cell_tower:", url_path="live"),
]
def participant_request() -> bool:
    """A phone with a join code reached the dashboard itself: only when it runs without ``app.py``."""
    path = urlparse(st.context.url or "").path.rstrip("/")
    return path.endswith("/deelnemen") or "code" in st.query_params


def participant_page_missing() -> None:
    st.title("Deelnemen")
    st.error("De pagina voor deelnemers van een live sessie draait hier niet. Vraag de begeleider om het dashboard "
             "te starten met `streamlit run app.py` (zoals `run.sh` doet).", icon=":material/block:")


def group_column_ui(columns: list[str], suggested: str | None) -> str | None:
    """Only the analyst's reporting columns ('groepskenmerken') can group or filter."""
    options = ["(geen)"] + columns
    current = st.session_state.get("group_column", suggested)
    index = options.index(current) if current in options else 0
    choice = st.sidebar.selectbox("Groepskolom (team, afdeling, …)", options, index=index,
                                  help="De groepskenmerken die de analist op de pagina Gegevens koos.")
    return None if choice == "(geen)" else choice


def threshold_ui(kind: Kind) -> float:
    """The weak threshold on the kind's own scale: 1,5-4,5 for levels, 5-95% for a checklist.

    Remembered per kind, so switching between a QuickScan and a checklist never carries 3,0 over as 300%.
    """
    # A select_slider with labels of our own: st.slider can only write "3.00", with a decimal point.
    low, high = (0.05, 0.95) if kind.percent else (1.5, 4.5)
    steps = [round(low + n * kind.threshold_step, 2) for n in range(round((high - low) / kind.threshold_step) + 1)]
    current = float(st.session_state.get(f"threshold_{kind.name}", kind.default_threshold))
    threshold = st.sidebar.select_slider(f"Drempel {kind.weak}", steps, key=f"threshold_choice_{kind.name}",
                                         value=min(steps, key=lambda step: abs(step - current)),
                                         format_func=kind.threshold_text)
    st.session_state[f"threshold_{kind.name}"] = threshold
    return threshold


def thresholds_ui(floor: int, kind: Kind) -> tuple[float, int]:
    """The weak threshold, and a minimum group size a viewer can raise but never set below FLOOR."""
    threshold = threshold_ui(kind)
    requested = max(int(st.session_state.get("min_group_size") or floor), floor)
    min_size = st.sidebar.number_input(
        "Minimale groepsgrootte", min_value=floor, max_value=max(50, floor), value=requested,
        help=f"Groepen kleiner dan dit aantal worden niet getoond. Hoger kan altijd; lager dan {floor} alleen "
             "door de analist, op de pagina Gegevens.")
    note = min_group_size_note(floor)
    if note:
        st.sidebar.warning(note, icon="⚠️")
    return threshold, int(min_size)


def filters_ui(columns: dict[str, list[str]], digest: str) -> dict[str, list[str]]:
    """Multiselects for columns with a few repeated values; keys per dataset so old choices never linger."""
    chosen = {}
    with st.sidebar.expander("Filters", icon=":material/filter_alt:"):
        if not columns:
            st.caption("Dit bestand heeft geen kolommen om op te filteren.")
        for column, values in columns.items():
            # select_all=False: Streamlit's own "Select all" option is English (and choosing all is no filter).
            chosen[column] = st.multiselect(escape_md(column), values, key=f"filter_{digest}_{column}",
                                            placeholder="alle", select_all=False)
    return {column: values for column, values in chosen.items() if values}


def current_page_path() -> str | None:
    """The page about to run; ``navigation`` is the module's router, made before the sidebar is drawn."""
    page = globals().get("navigation")
    return getattr(page, "url_path", None)


def sidebar() -> None:
    upload = current_upload()
    st.sidebar.caption("Bestand")
    st.sidebar.text(source_label(upload))
    sample_sidebar_notice()
    sample_banner(current_page_path())
    try:
        dataset = current_dataset()
    except IngestError:
        return
    privacy = privacy_of(dataset)
    st.session_state["group_column"] = group_column_ui(list(privacy.reporting_columns), suggested_group_column())
    st.session_state["threshold"], st.session_state["min_group_size"] = thresholds_ui(
        privacy.min_group_size, dataset.instrument.kind)
    st.session_state["filters"] = filters_ui(filter_options(), upload["digest"])
    filters = current_filters(dataset)
    if filters:
        st.sidebar.info("Filter actief: de pagina's tonen alleen de gekozen respondenten.",
                        icon=":material/filter_alt:")
        for line in filter_notes(dataset, filters, privacy.reporting_columns, st.session_state["min_group_size"]):
            st.sidebar.warning(escape_md(line), icon=":material/visibility_off:")


if participant_request():  # participants never see the dashboard, signed in or not
    participant_page_missing()
    st.stop()
providers = auth_providers()
signed_out = providers is not None and not st.user.is_logged_in
# Every page stays registered (so a deep link is kept), but signed out none of them runs.
navigation = st.navigation(PAGES, position="hidden" if signed_out else "sidebar")
if signed_out:
    sign_in_page()
    st.stop()
with st.sidebar:
    preload_charts()  # the browser fetches plotly.js while this run reads the data and builds the page's figures
sidebar()
access_notice_ui(providers is not None)
navigation.run()
