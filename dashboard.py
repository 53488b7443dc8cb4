"""Entry point: the page router and the sidebar every page shares. No analysis happens here."""

import streamlit as st

from analysis.errors import IngestError
from analysis.scoring import DEFAULT_MIN_GROUP_SIZE, DEFAULT_THRESHOLD
from ui.state import current_dataset, current_upload, suggested_group_column

st.set_page_config(page_title="QuickScan-dashboard", page_icon=":material/radar:", layout="wide")

PAGES = [
    st.Page("app_pages/gegevens.py", title="Gegevens", icon=":material/upload_file:", url_path="gegevens"),
    st.Page("app_pages/overzicht.py", title="Overzicht", icon=":material/radar:", url_path="overzicht", default=True),
    st.Page("app_pages/teams.py", title="Teams", icon=":material/groups:", url_path="teams"),
    st.Page("app_pages/stellingen.py", title="Stellingen", icon=":material/list:", url_path="stellingen"),
    st.Page("app_pages/aan_de_slag.py", title="Aan de slag", icon=":material/flag:", url_path="aan-de-slag"),
]


def group_column_ui(columns: list[str], suggested: str | None) -> str | None:
    options = ["(geen)"] + columns
    current = st.session_state.get("group_column", suggested)
    index = options.index(current) if current in options else 0
    choice = st.sidebar.selectbox("Groepskolom (team, afdeling, …)", options, index=index)
    return None if choice == "(geen)" else choice


def thresholds_ui() -> tuple[float, int]:
    threshold = st.sidebar.slider("Drempel zwakke stelling", 1.5, 4.5,
                                  float(st.session_state.get("threshold", DEFAULT_THRESHOLD)), 0.1)
    min_size = st.sidebar.number_input("Minimale groepsgrootte", min_value=1, max_value=50,
                                       value=int(st.session_state.get("min_group_size", DEFAULT_MIN_GROUP_SIZE)))
    if min_size < 3:
        st.sidebar.warning("Privacy: bij groepen kleiner dan 3 zijn antwoorden van personen te herleiden. "
                           "Gebruik dit alleen als iedereen daarmee heeft ingestemd.", icon="⚠️")
    return threshold, int(min_size)


def sidebar() -> None:
    upload = current_upload()
    st.sidebar.caption("Bestand")
    st.sidebar.text(upload["name"])
    try:
        dataset = current_dataset()
    except IngestError:
        return
    st.session_state["group_column"] = group_column_ui(list(dataset.metadata.columns), suggested_group_column())
    st.session_state["threshold"], st.session_state["min_group_size"] = thresholds_ui()


navigation = st.navigation(PAGES)
sidebar()
navigation.run()
