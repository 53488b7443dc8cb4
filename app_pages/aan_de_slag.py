"""Aan de slag: the weak statements (or checklist items) with their next step and what to read, and the
round's verbeterplan: what the organisation will work on, who does what by when."""

import streamlit as st

from analysis.report.exports.plan_docx import plan_docx
from analysis.report.exports.plan_xlsx import plan_xlsx
from analysis.report.next_steps import action_list, next_steps_html
from analysis.rounds import round_of
from ui.auth import current_user, may
from ui.exports import page_file_name
from ui.plan_editor import opened_plan, plan_editor_ui, plan_view_ui
from ui.state import SAMPLE_PLAN_TITLE, current_dataset, sample_plan, showing_sample, summary_or_stop
from ui.widgets import escape_md, material_ui, next_steps_ui, reading_ui

st.title("Aan de slag")
summary = summary_or_stop()
kind = summary.instrument.kind
actions = action_list(summary)
if actions.weak:
    st.write(actions.intro)
else:
    st.success(actions.intro)

next_steps_ui(summary.instrument, actions.items)
if actions.material:
    st.subheader("Tips en voorbeelden")
    material_ui(kind, actions.material)
if actions.reading:
    st.subheader("Meer lezen")
    reading_ui(kind, actions.reading)

st.download_button("Actielijst downloaden (HTML)", data=next_steps_html(summary).encode("utf-8"),
                   file_name=page_file_name(summary.instrument.id, "aan de slag", "html"), mime="text/html")

st.header("Verbeterplan", anchor="verbeterplan")
info = round_of(current_dataset())
example = sample_plan(summary.instrument.id) if info is None and showing_sample() else None
if example is not None:
    st.caption(f"{SAMPLE_PLAN_TITLE}: zo ziet een plan eruit. Bij een opgeslagen meetronde maakt u hier uw eigen "
               "plan; het komt als dia *Afspraken* in de presentatie en in elke export.")
    plan_view_ui(example, summary)
    st.caption(f"Leerlessen: {escape_md(example.notes)}")
    st.stop()
if info is None:
    st.info("Een verbeterplan hoort bij een opgeslagen meetronde, zodat de volgende ronde ertegen gemeten kan "
            "worden. Sla deze gegevens op de pagina **Gegevens** op als meetronde, of open er een op **Meetrondes**.")
    st.stop()
if "plan_saved" in st.session_state:
    st.success(st.session_state.pop("plan_saved"), icon=":material/check_circle:")
if may("edit_plan"):
    plan_editor_ui(info, summary, current_user())
plan = opened_plan(info)
if not plan.focuses:
    st.stop()
if not may("edit_plan"):
    plan_view_ui(plan, summary)
fields = {"organisation": info.organisation, "round_name": info.name, "round_date": info.date, "summary": summary}
plan_round = f"{info.organisation} {info.name} {info.date}"
word, excel = st.columns(2)
word.download_button("Plan als Word", data=plan_docx(plan, summary.instrument, **fields),
                     file_name=page_file_name(summary.instrument.id, "verbeterplan", "docx", plan_round),
                     icon=":material/description:",
                     mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
excel.download_button("Plan als Excel", data=plan_xlsx(plan, summary.instrument, **fields),
                      file_name=page_file_name(summary.instrument.id, "verbeterplan", "xlsx", plan_round),
                      icon=":material/table:",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
