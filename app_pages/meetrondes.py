"""Meetrondes: the saved rounds, to open, rename or delete (deleting asks first).

Opening a round is for everybody; renaming and deleting change what every user of the app sees, so they are
the analyst's (``may("manage_rounds")``) and a viewer does not get the controls at all.
"""

import pandas as pd
import streamlit as st

from analysis.dutch import format_date
from analysis.rounds import RoundError, RoundInfo
from ui.auth import may
from ui.state import round_store, saved_rounds, use_round
from ui.widgets import escape_md


def rounds_table(rounds: list[RoundInfo]) -> pd.DataFrame:
    """The rounds in Dutch. The id and the source file are told for the chosen round below the table (and by
    ``rounds list``), so the columns that tell rounds apart fit at 1280 px."""
    return pd.DataFrame({
        "Organisatie": [r.organisation for r in rounds], "Meetronde": [r.name for r in rounds],
        "Datum": [format_date(r.date) for r in rounds], "Respondenten": [r.respondents for r in rounds],
        "Opgeslagen op": [format_date(r.saved_at) for r in rounds]})


# Widths that fit the main area at 1280 px with the sidebar open (about 790 px of table).
TABLE_COLUMNS = {
    "Organisatie": st.column_config.TextColumn(width=230), "Meetronde": st.column_config.TextColumn(width=170),
    "Datum": st.column_config.TextColumn(width=130), "Respondenten": st.column_config.NumberColumn(width=105),
    "Opgeslagen op": st.column_config.TextColumn(width=135)}


def chosen_round_ui(rounds: list[RoundInfo]) -> RoundInfo:
    by_label = {f"{r.label} · {r.round_id[:8]}": r for r in rounds}
    info = by_label[st.selectbox("Meetronde", list(by_label), key="manage_round")]
    details = {"Bronbestand": escape_md(info.source_name), "opgeslagen op": format_date(info.saved_at)}
    st.caption(" · ".join(f"{name}: {value}" for name, value in details.items() if value))
    return info


def rename_ui(info: RoundInfo) -> None:
    new_name = st.text_input("Nieuwe naam", value=info.name, key=f"rename_{info.round_id}")
    if st.button("Naam wijzigen", disabled=new_name.strip() == info.name):
        try:
            round_store().rename(info.round_id, new_name)
        except RoundError as exc:
            st.error(escape_md(exc))
            return
        st.session_state["rounds_message"] = f"Meetronde hernoemd tot '{new_name.strip()}'."
        st.rerun()


def delete_ui(info: RoundInfo) -> None:
    if st.session_state.get("confirm_delete") != info.round_id:
        if st.button("Verwijderen…", icon=":material/delete:"):
            st.session_state["confirm_delete"] = info.round_id
            st.rerun()
        return
    st.warning(f"**{escape_md(info.label)}** definitief verwijderen? Dit kan niet ongedaan worden gemaakt; "
               "ook voor andere gebruikers van deze app is de ronde dan weg.")
    yes, no = st.columns(2)
    if yes.button("Ja, definitief verwijderen", type="primary"):
        st.session_state.pop("confirm_delete")
        try:
            round_store().delete(info.round_id)
        except RoundError as exc:
            st.error(escape_md(exc))
            return
        if st.session_state.get("upload", {}).get("round_id") == info.round_id:
            st.session_state.pop("upload")  # the session falls back to the sample data
        st.session_state["rounds_message"] = f"Meetronde '{info.label}' is verwijderd."
        st.rerun()
    if no.button("Annuleren"):
        st.session_state.pop("confirm_delete")
        st.rerun()


st.title("Meetrondes")
rounds = saved_rounds()
manager = may("manage_rounds")
where = f"Opgeslagen in {escape_md(round_store().location)}. " if manager else ""
st.caption(where + "Een meetronde bewaart de gecontroleerde antwoorden, met de herstelacties van de pagina "
           "Gegevens, zodat de cijfers later precies gelijk blijven.")
if "rounds_message" in st.session_state:
    st.success(escape_md(st.session_state.pop("rounds_message")))
for line in round_store().problems() if manager else ():
    st.warning(f"Uit de oude map met meetrondes: {escape_md(line)}.")
if not rounds:
    st.info("Er zijn nog geen meetrondes opgeslagen. Controleer een export op de pagina **Gegevens** en "
            "sla die daar op als meetronde.")
    st.stop()

st.dataframe(rounds_table(rounds), hide_index=True, width="stretch", column_config=TABLE_COLUMNS)
info = chosen_round_ui(rounds)
open_col, rename_col, delete_col = st.columns([1, 2, 1])
with open_col:
    if st.button("Openen in het dashboard", type="primary"):
        use_round(info)
        st.switch_page("app_pages/overzicht.py")
if manager:
    with rename_col:
        rename_ui(info)
    with delete_col:
        delete_ui(info)
else:
    st.session_state.pop("confirm_delete", None)
    rename_col.caption("Alleen een analist kan meetrondes hernoemen of verwijderen.")
