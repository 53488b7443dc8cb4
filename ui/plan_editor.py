"""The verbeterplan editor on Aan de slag: focus items, their actions in a table, the leerlessen.

The editor works on the copy the user opened (kept in the session), not on whatever the store holds at
each rerun: so a save made on an outdated copy is refused by the store (who changed it, when) instead of
the other person's change or this user's edits vanishing without a word.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

import pandas as pd
import streamlit as st

from analysis.instrument import Instrument
from analysis.meeting.plan import (
    STATUSES,
    Action,
    Focus,
    Plan,
    PlanError,
    plan_columns,
    plan_rows,
    suggested_focuses,
    updated_text,
)
from analysis.rounds import RoundError, RoundInfo
from analysis.scoring.scores import Summary
from analysis.store.plans import PlanConflict, PlanStore
from ui.widgets import escape_md

COLUMNS = {"what": "Wat", "who": "Wie (rol)", "when": "Wanneer", "status": "Status"}
LABEL_TO_STATUS = {label: key for key, label in STATUSES.items()}
# The plan to read: Wat takes what Wie, Wanneer and Status leave of about 790 px (1280 px with the sidebar open).
VIEW_WIDTHS = {"what": "large", "who": 150, "when_text": 125, "status_label": 95}
WRAP_AFTER = 60     # characters of Wat that fit on one line; longer ones wrap onto rows this high:
WRAPPED_ROW = 76    # Streamlit wraps text only in rows higher than 4rem


def opened_plan(info: RoundInfo, reload: bool = False) -> Plan:
    """The copy of the round's plan this session works on (read from the store once, or again on request)."""
    plans = st.session_state.setdefault("opened_plans", {})
    if reload or info.round_id not in plans:
        plans[info.round_id] = PlanStore().get(info.round_id)
    return plans[info.round_id]


def _label(instrument: Instrument, item_id) -> str:
    text = instrument.statement(item_id).text
    return f"{item_id} · {text if len(text) <= 90 else text[:89] + '…'}"


def focus_ui(plan: Plan, summary: Summary, key: str) -> list:
    """The chosen focus items, weak ones offered first."""
    instrument = summary.instrument
    weak = suggested_focuses(summary, n=3, exclude=plan.item_ids)
    state = f"{key}_focus"
    st.session_state.setdefault(state, list(plan.item_ids))
    if weak and not st.session_state[state]:
        st.button(f"Zwakste {instrument.kind.items if len(weak) > 1 else instrument.kind.item} als focus nemen "
                  f"({', '.join(map(str, weak))})", key=f"{key}_weak", on_click=_choose, args=(state, weak))
    return st.multiselect(f"Focus: aan welke {instrument.kind.items} werkt u?", instrument.statement_ids,
                          key=state, format_func=lambda i: _label(instrument, i),
                          placeholder=f"Kies {instrument.kind.items}")


def _choose(state: str, items: list) -> None:
    st.session_state[state] = list(items)


def _frame(focus: Focus | None) -> pd.DataFrame:
    actions = focus.actions if focus else ()
    # Typed columns: an empty plan's columns would otherwise be floats, which a text column cannot edit.
    return pd.DataFrame({"what": pd.Series([a.what for a in actions], dtype="string"),
                         "who": pd.Series([a.who for a in actions], dtype="string"),
                         "when": pd.Series(pd.to_datetime([a.when for a in actions]), dtype="datetime64[ns]"),
                         "status": pd.Series([STATUSES[a.status] for a in actions], dtype="string")})


def actions_ui(plan: Plan, item_id, instrument: Instrument, key: str) -> tuple[Action, ...]:
    st.markdown(f"**{instrument.kind.item.capitalize()} {escape_md(_label(instrument, item_id))}**")
    edited = st.data_editor(
        _frame(plan.focus(item_id)), key=f"{key}_actions_{item_id}", num_rows="dynamic", hide_index=True,
        width="stretch", column_config={
            "what": st.column_config.TextColumn(COLUMNS["what"], width="large", max_chars=500, default=""),
            "who": st.column_config.TextColumn(COLUMNS["who"], max_chars=500, default=""),
            "when": st.column_config.DateColumn(COLUMNS["when"], format="DD-MM-YYYY"),
            "status": st.column_config.SelectboxColumn(COLUMNS["status"], options=list(STATUSES.values()),
                                                       default=STATUSES["gepland"], required=True)})
    return tuple(_action(row) for row in edited.to_dict("records") if _filled(row))


def _filled(row: dict) -> bool:
    return any(_text(row.get(c)) for c in ("what", "who")) or _date(row.get("when")) is not None


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value if isinstance(value, dt.date) else pd.Timestamp(value).date()


def _action(row: dict) -> Action:
    return Action(what=_text(row.get("what")), who=_text(row.get("who")), when=_date(row.get("when")),
                  status=LABEL_TO_STATUS.get(row.get("status"), "gepland"))


def plan_editor_ui(info: RoundInfo, summary: Summary, user: str) -> None:
    """Edit and save the round's plan; a stale copy or a broken rule is said in Dutch, nothing is lost."""
    plan = opened_plan(info)
    key = f"plan_{info.round_id}_{plan.version}"
    st.caption(updated_text(plan) or "Nog geen verbeterplan opgeslagen voor deze meetronde.")
    chosen = focus_ui(plan, summary, key)
    with st.form(f"{key}_form", border=False):
        focuses = tuple(Focus(item_id, actions_ui(plan, item_id, summary.instrument, key)) for item_id in chosen)
        notes = st.text_area("Leerlessen", value=plan.notes, key=f"{key}_notes", max_chars=5000,
                             placeholder="Wat hebben we geleerd? Wat nemen we mee naar de volgende ronde?")
        submitted = st.form_submit_button("Plan opslaan", type="primary", icon=":material/save:")
    if submitted:
        _save(info, Plan(plan.round_id, plan.instrument_id, focuses, notes, plan.version), user)
    if st.session_state.get("plan_conflict") == info.round_id and st.button("Nieuwste versie laden"):
        st.session_state.pop("plan_conflict")
        opened_plan(info, reload=True)
        st.rerun()


def _save(info: RoundInfo, plan: Plan, user: str) -> None:
    try:
        saved = PlanStore().save(plan, user=user)
    except PlanConflict as exc:
        st.session_state["plan_conflict"] = info.round_id
        st.error(escape_md(exc), icon=":material/sync_problem:")
        return
    except (PlanError, RoundError) as exc:
        st.error(escape_md(exc))
        return
    st.session_state["opened_plans"][info.round_id] = saved
    st.session_state["plan_saved"] = f"Verbeterplan opgeslagen (versie {saved.version})."
    st.rerun()


def plan_view_ui(plan: Plan, summary: Summary) -> None:
    """The plan to read (the sample's, or a round's for a viewer): per focus its statement, then its actions."""
    instrument = summary.instrument
    names = plan_columns(instrument)
    config = {names[key]: st.column_config.TextColumn(width=width) for key, width in VIEW_WIDTHS.items()}
    for _, rows in groupby(plan_rows(plan, instrument, summary), key=lambda row: row["focus"]):
        rows = list(rows)
        first = rows[0]
        st.markdown(f"**{instrument.kind.item.capitalize()} {first['item_id']}** · {first['item_text']} "
                    f"({first['score_text'] or 'geen oordeel'})")
        actions = [{names[key]: row[key] for key in VIEW_WIDTHS} for row in rows if row["status"]]
        if not actions:
            st.caption("Nog geen acties.")
            continue
        long_text = any(len(row["what"]) > WRAP_AFTER for row in rows)
        st.dataframe(actions, hide_index=True, width="stretch", column_config=config,
                     row_height=WRAPPED_ROW if long_text else None)
