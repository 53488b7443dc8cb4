"""Entry point: the page router, the sign-in gate and the sidebar every page shares. No analysis here."""

import re
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from analysis.errors import IngestError
from analysis.kinds import Kind
from analysis.scoring.filters import filter_notes
from analysis.scoring.privacy import min_group_size_note
from ui.auth import access_notice_ui, auth_providers, sign_in_page
from ui.charts import preload_charts
from ui.kept_upload import kept_upload_ui
from ui.sample_banner import sample_banner, sample_sidebar_notice
from ui.state import (
    current_dataset,
    current_filters,
    current_upload,
    filter_options,
    privacy_of,
    session_kind,
    source_label,
    suggested_group_column,
)
from ui.widgets import dutch_ui, escape_md

# A local icon: a ":material/...:" page icon makes every viewer's browser fetch it from Google's font servers.
st.set_page_config(page_title="QuickScan-dashboard", page_icon=str(Path(__file__).parent / "ui" / "icon.png"),
                   layout="wide")

# (file in app_pages/, menu title, icon, URL path). The statements page is named for the session's instrument
# (Stellingen, or Items for a checklist: see items_title); its URL stays /stellingen, and /items leads there too.
PAGE_TABLE = [
    ("gegevens", "Gegevens", ":material/upload_file:", "gegevens"),
    ("overzicht", "Overzicht", ":material/radar:", "overzicht"),
    ("teams", "Teams", ":material/groups:", "teams"),
    ("stellingen", None, ":material/list:", "stellingen"),
    ("aan_de_slag", "Aan de slag", ":material/flag:", "aan-de-slag"),
    ("presentatie", "Presentatie", ":material/slideshow:", "presentatie"),
    ("meetrondes", "Meetrondes", ":material/inventory_2:", "meetrondes"),
    ("voortgang", "Voortgang", ":material/trending_up:", "voortgang"),
    ("leernetwerk", "Leernetwerk", ":material/hub:", "leernetwerk"),
    ("live", "Live", ":material/cell_tower:", "live"),
]
HOME = "overzicht"  # served at the app's root URL; /overzicht, as people type it, leads there too
# Other paths people type for a page (compared in lower case), beside each page's own path and file name.
ALIASES = {"items": "stellingen", "home": HOME, "start": HOME}
SLUG = re.compile(r"[A-Za-z0-9_-]{1,60}")


def build_pages(items_title: str) -> dict[str, st.Page]:
    """The dashboard's pages by URL path. The home page's own path is empty, so /overzicht can lead to it."""
    return {path: st.Page(f"app_pages/{file}.py", title=title or items_title, icon=icon,
                          url_path="" if path == HOME else path, default=path == HOME)
            for file, title, icon, path in PAGE_TABLE}


def page_for(typed: str) -> str | None:
    """The page a typed path means: its URL path, file name or an alias, in any case."""
    typed = typed.lower()
    known = {path: path for *_, path in PAGE_TABLE} | {file: path for file, *_, path in PAGE_TABLE} | ALIASES
    return known.get(typed)


def items_title(signed_out: bool) -> str:
    """'Stellingen' or 'Items', as the session's instrument calls its questions. Signed out, or with data that
    cannot be read now, the word of the page's URL."""
    kind = None if signed_out else session_kind()
    return kind.items_title if kind else "Stellingen"


def requested_path() -> str:
    """The path the browser asked for, below the app's base URL: "overzicht", "Teams", "" for the root."""
    path = urlparse(st.context.url or "").path.strip("/")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return path[len(base):].strip("/") if base and (path + "/").startswith(base + "/") else path


def typed_page(requested: str, pages: dict[str, st.Page]) -> st.Page | None:
    """A hidden page for a path no page has: it leads to the page meant (/overzicht, /Teams, /items), or says
    in Dutch that there is no such page (Streamlit's own answer is an English dialog)."""
    own = {page.url_path for page in pages.values()}
    if not SLUG.fullmatch(requested) or requested in own:
        return None
    target = page_for(requested)
    if target is not None:
        def lead_on() -> None:
            st.switch_page(pages[target])
        return st.Page(lead_on, title=pages[target].title, url_path=requested, visibility="hidden")

    def not_found() -> None:
        st.title("Pagina niet gevonden")
        st.write(f"Het dashboard heeft geen pagina '/{escape_md(requested)}'. Kies een pagina:")
        for page in pages.values():
            st.page_link(page)
    return st.Page(not_found, title="Pagina niet gevonden", url_path=requested, visibility="hidden")


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
    asked = int(st.session_state.get("min_group_size") or floor)
    # A value still at the floor it was shown with was never raised by the viewer: it follows the floor when the
    # analyst lowers it on Gegevens (it stayed at 5 while every page said the minimum was lowered to 3).
    requested = floor if asked == st.session_state.get("min_group_size_floor", floor) else max(asked, floor)
    st.session_state["min_group_size_floor"] = floor
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
    if current_page_path() in {page.url_path for page in PAGES.values()}:  # not on "Pagina niet gevonden"
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
PAGES = build_pages(items_title(signed_out))
typed = typed_page(requested_path(), PAGES)
# Every page stays registered (so a deep link is kept), but signed out none of them runs.
navigation = st.navigation([*PAGES.values(), *([typed] if typed else [])],
                           position="hidden" if signed_out else "sidebar")
dutch_ui()
if signed_out:
    sign_in_page()
    st.stop()
with st.sidebar:
    preload_charts()  # the browser fetches plotly.js while this run reads the data and builds the page's figures
sidebar()
kept_upload_ui()  # the upload and its choices kept for this browser: a reload finds them
access_notice_ui(providers is not None)
navigation.run()
