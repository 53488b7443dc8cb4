"""Gegevens: upload an export, see what was recognised, and fix what was not."""

import datetime as dt

import pandas as pd
import streamlit as st

from analysis.dutch import FORMAT_HINT, DateError, format_date, parse_date
from analysis.ingest.dataset import IGNORE, Dataset, Overrides
from analysis.ingest.koppelingen import KoppelingError, apply_koppeling, merge_overrides
from analysis.ingest.matching import MISSING, UNKNOWN
from analysis.instrument import all_instruments
from analysis.report.charts import completeness_bars
from analysis.report.exports import csv_bytes
from analysis.rounds import RoundError, RoundInfo, round_of
from analysis.scoring.overview import completeness
from analysis.scoring.privacy import (
    PrivacySettings,
    build_partition,
    deployment_min_group_size,
    min_group_size_note,
    pooled_text,
)
from analysis.store import KoppelingStore, RoundStore, StoreError
from ui.auth import may
from ui.charts import chart, draw_chart
from ui.exports import page_file_name
from ui.state import (
    SAMPLES,
    current_overrides,
    current_upload,
    dataset_or_stop,
    max_upload_mb,
    privacy_of,
    set_overrides,
    set_privacy,
    set_reading,
    showing_sample,
    source_label,
    use_sample,
    use_upload,
)
from ui.widgets import escape_md

CHOOSE = "— kies —"
# Widths that keep the editable column in view at 1280 px with the sidebar open (about 900 px of table).
NARROW, READ_ONLY, CHOICE = 65, 150, 230
REPORT_COLUMNS = {
    "soort": st.column_config.TextColumn("Soort", width=READ_ONLY),
    "kolom": st.column_config.TextColumn("Kolom", width=READ_ONLY),
    "waarde": st.column_config.TextColumn("Waarde", width=READ_ONLY),
    "aantal": st.column_config.NumberColumn("Aantal", width=NARROW),
    "rijen": st.column_config.TextColumn("Rijen", width=110),
    "blokkerend": st.column_config.CheckboxColumn("Blokkerend", width=90)}


def upload_ui() -> None:
    left, right = st.columns([3, 1])
    uploaded = left.file_uploader("Export uploaden (csv, xlsx, xls of ods)",
                                  type=["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods"])
    # Streamlit's own hint beside the button is English ("50MB per file"): ui/dutch.css hides it; the limit here.
    left.caption(f"Maximaal {max_upload_mb()} MB per bestand.")
    if uploaded is not None and uploaded.file_id != st.session_state.get("uploaded_id"):
        st.session_state["uploaded_id"] = uploaded.file_id
        use_upload(uploaded.getvalue(), uploaded.name)
        st.rerun()  # the sidebar was drawn before this page ran: draw it again for the new file
    sample = right.selectbox("Voorbeelddata", list(SAMPLES), label_visibility="collapsed", key="sample_choice")
    if right.button("Voorbeelddata gebruiken", width="stretch"):
        # uploaded_id stays, so the file still shown in the uploader is not applied again on the next rerun.
        use_sample(sample)
        st.rerun()


def reading_ui(dataset: Dataset, upload: dict) -> None:
    """Which instrument and which sheet the file was read as; the analyst can choose others."""
    instruments = {i.id: i.title for i in all_instruments()}
    left, right = st.columns(2)
    chosen = left.selectbox("Instrument", list(instruments), index=list(instruments).index(dataset.instrument.id),
                            format_func=instruments.get, key=f"instrument_{upload['digest']}",
                            help="Herkend aan de kolomkoppen; kies een ander als het bestand bij een ander "
                                 "instrument hoort.")
    sheets = dataset.source.get("sheets") or []
    sheet = dataset.source.get("sheet")
    if len(sheets) > 1:
        sheet = right.selectbox("Werkblad", sheets, index=sheets.index(sheet) if sheet in sheets else 0,
                                key=f"sheet_{upload['digest']}",
                                help="Gekozen: het werkblad waarvan de koppen de meeste vragen noemen.")
    if chosen != dataset.instrument.id or (len(sheets) > 1 and sheet != dataset.source.get("sheet")):
        set_reading(chosen, sheet if len(sheets) > 1 else None)
        st.rerun()


def missing_ui(dataset: Dataset) -> list:
    """Statements (items) the file leaves out or never answers, said by number; returned for the save check."""
    kind = dataset.instrument.kind
    absent = dataset.statements_not_in_file
    unanswered = [i for i in dataset.statements_without_answers if i not in absent]
    lines = [f"{kind.item.capitalize()} {i} komt in dit bestand niet voor." for i in absent]
    lines += [f"{kind.item.capitalize()} {i} heeft in dit bestand geen enkel antwoord." for i in unanswered]
    if lines:
        st.warning("  \n".join(lines) + f"  \nDeze {kind.items} krijgen geen score. Wijs op de pagina hieronder "
                   "een kolom toe als een kop niet herkend werd.", icon=":material/report:")
    return absent + unanswered


def value_options(dataset: Dataset) -> dict[str, int]:
    levels = {f"{i}. {label}": i for i, label in enumerate(dataset.instrument.level_labels, start=1)}
    return {**levels, dataset.instrument.unknown_label: UNKNOWN, "Leeg (niet ingevuld)": MISSING}


def column_options(dataset: Dataset) -> dict[str, int | str]:
    item = dataset.instrument.kind.item.capitalize()
    return {**{f"{item} {s.id}": s.id for s in dataset.instrument.statements}, "Negeren": IGNORE}


def value_fix_ui(dataset: Dataset, overrides: Overrides) -> Overrides:
    issues = dataset.issues[dataset.issues["soort"].isin(["Antwoord niet herkend", "Getal buiten bereik"])]
    if issues.empty:
        return overrides
    st.subheader("Antwoorden die niet herkend werden")
    options = value_options(dataset)
    table = issues[["kolom", "waarde", "aantal", "rijen"]].assign(oplossing=CHOOSE)
    edited = st.data_editor(table, hide_index=True, width="stretch", key=f"value_editor_{_fingerprint(table)}",
                            disabled=["kolom", "waarde", "aantal", "rijen"],
                            column_order=["waarde", "oplossing", "aantal", "kolom", "rijen"],
                            column_config={
                                "waarde": st.column_config.TextColumn("Waarde", width=READ_ONLY),
                                "oplossing": st.column_config.SelectboxColumn(
                                    "Oplossing", options=[CHOOSE, *options], required=True, width=CHOICE),
                                "aantal": st.column_config.NumberColumn("Aantal", width=NARROW),
                                "kolom": st.column_config.TextColumn("Kolom", width=READ_ONLY),
                                "rijen": st.column_config.TextColumn("Rijen", width=READ_ONLY)})
    chosen = {row.waarde: options[row.oplossing] for row in edited.itertuples() if row.oplossing in options}
    return Overrides(columns=overrides.columns, values={**overrides.values, **chosen})


def column_fix_ui(dataset: Dataset, overrides: Overrides) -> Overrides:
    st.subheader("Kolommen")
    options = column_options(dataset)
    reverse = {v: k for k, v in options.items()}
    rows = []
    for column in dataset.columns:
        role = {"statement": reverse.get(column.statement_id, ""), "ignored": "Negeren"}.get(column.role, "")
        rows.append({"kolom": column.label, "herkend als": _role_text(column, dataset.instrument.kind.item),
                     "toewijzen": role or CHOOSE})
    table = pd.DataFrame(rows)
    edited = st.data_editor(table, hide_index=True, width="stretch",
                            key=f"column_editor_{_fingerprint(table)}",
                            disabled=["kolom", "herkend als"],
                            column_order=["kolom", "toewijzen", "herkend als"],
                            column_config={
                                "kolom": st.column_config.TextColumn("Kolom", width=2 * READ_ONLY),
                                "toewijzen": st.column_config.SelectboxColumn(
                                    "Toewijzen aan", options=[CHOOSE, *options], required=True, width=CHOICE),
                                "herkend als": st.column_config.TextColumn("Herkend als", width=READ_ONLY)})
    columns = dict(overrides.columns)
    for row, column in zip(edited.itertuples(), dataset.columns):
        automatic = {"statement": reverse.get(column.statement_id), "ignored": "Negeren"}.get(column.role)
        if row.toewijzen in options and row.toewijzen != automatic:
            columns[column.label] = options[row.toewijzen]
    return Overrides(columns=columns, values=overrides.values)


def privacy_ui(dataset: Dataset, digest: str) -> PrivacySettings:
    """The analyst's reporting columns and minimum group size; both are saved with a round.

    Widget keys carry the upload's digest, so a choice for one file never lands on the next.
    """
    st.subheader("Privacy: groepskenmerken")
    current = privacy_of(dataset)
    st.caption("Alleen op deze kenmerken kan worden gegroepeerd en gefilterd. Respondenten worden ingedeeld "
               "naar de combinatie van alle gekozen kenmerken; combinaties met te weinig respondenten tellen "
               "alleen mee in het totaal. Kies er daarom weinig.")
    columns = st.multiselect("Groepskenmerken", list(dataset.metadata.columns),
                             default=list(current.reporting_columns), key=f"privacy_columns_{digest}")
    floor = 1 if may("lower_minimum") else deployment_min_group_size()
    minimum = st.number_input("Minimale groepsgrootte", min_value=floor, max_value=50,
                              value=max(current.min_group_size, floor), key=f"privacy_minimum_{digest}",
                              help="Kijkers kunnen deze grens verhogen, nooit verlagen.")
    chosen = PrivacySettings(tuple(columns), int(minimum))
    if chosen != current:
        set_privacy(chosen)
        st.rerun()
    note = min_group_size_note(chosen.min_group_size)
    if note:
        st.warning(note + " Dit staat op elke pagina en in elke export.", icon="⚠️")
    pooled = pooled_text(build_partition(dataset.metadata, chosen.reporting_columns, chosen.min_group_size),
                         dataset.n_respondents)
    if pooled:
        st.info(pooled)
    return chosen


def save_round_ui(dataset: Dataset, upload: dict, overrides: Overrides, missing: list) -> None:
    """The save form; every answer to a click (saved, refused, replace?) appears right under the button."""
    st.subheader("Opslaan als meetronde")
    if showing_sample(upload):
        st.info("Dit is voorbeelddata (fictief): die wordt niet als meetronde opgeslagen. Upload de export van "
                "uw eigen vragenlijst om een meetronde op te slaan.")
        return
    if not dataset.blocking_issues.empty:
        st.info("Los eerst de open problemen hierboven op; daarna kunt u deze gegevens opslaan als meetronde.")
        return
    generation = st.session_state.get("save_form_generation", 0)  # a new number gives an empty form
    with st.form(f"save_round_{generation}"):
        organisation = st.text_input("Organisatie of eenheid", value=st.session_state.get("last_organisation", ""))
        name = st.text_input("Naam van de meetronde", placeholder="bijv. Nulmeting voorjaar 2025")
        date_text = st.text_input("Datum van de meting", value=format_date(dt.date.today()),
                                  help=f"De dag waarop de vragenlijst werd ingevuld, {FORMAT_HINT}.")
        kind = dataset.instrument.kind
        confirmed = not missing or st.checkbox(
            f"Ik weet dat {kind.items} {', '.join(map(str, missing))} geen antwoorden hebben; toch opslaan")
        submitted = st.form_submit_button("Meetronde opslaan", type="primary")
    if submitted and not confirmed:
        st.error(f"Niet opgeslagen: bevestig eerst dat {kind.items} {', '.join(map(str, missing))} zonder "
                 "antwoorden in deze meetronde mogen.")
    elif submitted:
        st.session_state.pop("replace_round", None)
        _save(dataset, upload, overrides, {"organisation": organisation, "name": name, "date": date_text})
    pending = st.session_state.get("replace_round")
    if pending and pending["digest"] == upload["digest"]:
        replace_ui(dataset, upload, overrides, pending)
    if "saved_round_message" in st.session_state:
        st.success(escape_md(st.session_state.pop("saved_round_message")), icon=":material/check_circle:")


def _save(dataset: Dataset, upload: dict, overrides: Overrides, form: dict, replace: bool = False) -> None:
    try:
        date = parse_date(form["date"])
        store = RoundStore()
        existing = store.existing(form["organisation"], form["name"], date)
        if existing and not replace:
            st.session_state["replace_round"] = {**form, "digest": upload["digest"], "existing": existing[0].label}
            return
        info = store.save(dataset, form["organisation"], form["name"], date, overrides.to_dict(),
                          source_name=upload["name"], privacy=privacy_of(dataset).to_dict(), replace=replace)
    except (RoundError, DateError) as exc:
        st.error(escape_md(exc))
        return
    _saved(info, replaced=bool(replace))


def _saved(info: RoundInfo, replaced: bool) -> None:
    st.session_state["last_organisation"] = info.organisation
    st.session_state["save_form_generation"] = st.session_state.get("save_form_generation", 0) + 1
    st.session_state.pop("replace_round", None)
    verb = "Vervangen door" if replaced else "Opgeslagen als"
    st.session_state["saved_round_message"] = (f"{verb} meetronde '{info.label}'. U vindt hem op de pagina "
                                               "Meetrondes.")
    st.rerun()


def replace_ui(dataset: Dataset, upload: dict, overrides: Overrides, pending: dict) -> None:
    st.warning(f"Er is al een meetronde **{escape_md(pending['existing'])}**. Wilt u die vervangen door deze "
               "gegevens? De bestaande ronde verdwijnt dan definitief.")
    yes, no = st.columns(2)
    if yes.button("Ja, bestaande vervangen", type="primary"):
        _save(dataset, upload, overrides, pending, replace=True)
    if no.button("Niet opslaan"):
        st.session_state.pop("replace_round", None)
        st.rerun()


def reading_text(source: dict) -> str:
    """Where in the file the answers were found: sheet, header rows, title rows skipped above them."""
    parts = []
    if source.get("sheet"):
        parts.append(f"werkblad '{escape_md(source['sheet'])}'")
    if source.get("header_rows"):
        parts.append("kopregel(s): rij " + ", ".join(map(str, source["header_rows"])))
    if source.get("title_rows"):
        parts.append("titelregel(s) overgeslagen: rij " + ", ".join(map(str, source["title_rows"])))
    return (" · " + " · ".join(parts)) if parts else ""


def _fingerprint(table: pd.DataFrame) -> int:
    # A fresh editor whenever its rows change, so an earlier choice never lands on another row.
    return int(pd.util.hash_pandas_object(table, index=False).sum())


def _role_text(column, item: str) -> str:
    return {"statement": f"{item} {column.statement_id}", "multi": f"aangevinkte items van {column.block}",
            "metadata": "gegevens respondent", "system": "systeemkolom (genegeerd)",
            "ignored": "genegeerd"}[column.role]


st.title("Gegevens")
if may("upload"):
    upload_ui()
upload = current_upload()
if upload.get("instrument") or upload.get("sheet"):
    # Shown before the file is read: a choice that makes the file unreadable must be easy to undo.
    if st.button("Instrument en werkblad weer automatisch kiezen", icon=":material/undo:"):
        set_reading(None, None)
        st.rerun()
dataset = dataset_or_stop()
kind = dataset.instrument.kind
if "round_id" not in upload and may("upload"):
    reading_ui(dataset, upload)
tiles = st.columns(4)
tiles[0].metric("Respondenten", dataset.n_respondents)
tiles[1].metric(f"{kind.items.capitalize()} herkend",
                f"{len(dataset.statements_found)} van {len(dataset.instrument.statements)}")
tiles[2].metric("Gegevenskolommen", len(dataset.metadata.columns))
tiles[3].metric("Open problemen", int(dataset.blocking_issues["aantal"].sum()) if len(dataset.blocking_issues) else 0)
st.caption(f"{'Meetronde' if 'round_id' in upload else 'Bestand'}: {escape_md(source_label(upload))} · "
           f"Instrument: {escape_md(dataset.instrument.title)} · Herkend formaat: {escape_md(dataset.layout)}"
           + reading_text(dataset.source))
st.text("Gegevens over respondenten: " + (", ".join(dataset.metadata.columns) or "geen"))
draw_chart(chart(completeness_bars, completeness(dataset.codes, dataset.instrument), f"Ingevuld per {kind.item}",
                 kind.item),
           key="completeness")
missing = missing_ui(dataset)

if dataset.issues.empty:
    st.success("Alles herkend: elke kolom en elke waarde is begrepen.")
else:
    st.subheader("Rapport")
    st.dataframe(dataset.issues, hide_index=True, width="stretch", column_config=REPORT_COLUMNS)
    st.download_button("Rapport downloaden (csv)", data=csv_bytes(dataset.issues),
                       file_name=page_file_name(dataset.instrument.id, "invoerrapport", "csv"),
                       mime="text/csv", icon=":material/download:")
    if not dataset.blocking_issues.empty:
        st.warning("Niet herkende antwoorden tellen niet mee in de scores (ze gelden als leeg) tot ze "
                   "hieronder een oplossing krijgen.")

def koppeling_ui(dataset: Dataset, upload: dict) -> None:
    """Fixes saved from an earlier round of the same form: applied when the headers match, always said, undoable."""
    state = st.session_state.setdefault("koppelingen", {})
    decided = state.get(upload["digest"])
    if decided is None:
        try:
            koppeling = KoppelingStore().find(dataset)
        except StoreError as exc:
            st.warning(f"Opgeslagen koppelingen konden niet worden gezocht: {escape_md(exc)}",
                       icon=":material/database:")
            return
        if koppeling is None:
            state[upload["digest"]] = {"applied": None}
        else:
            applied = apply_koppeling(koppeling, dataset)
            state[upload["digest"]] = {"applied": applied.message}
            set_overrides(merge_overrides(applied.overrides, current_overrides()))
            st.rerun()
    elif decided["applied"]:
        st.info(escape_md(decided["applied"]) + ". Gevonden omdat de kolomkoppen gelijk zijn aan die van een eerder "
                "bestand.", icon=":material/link:")
        if st.button("Koppeling ongedaan maken"):
            state[upload["digest"]] = {"applied": None}
            set_overrides(Overrides())
            st.rerun()


def save_koppeling_ui(dataset: Dataset, upload: dict, overrides: Overrides) -> None:
    """Keep this file's fixes under a name, so the next round of the same form gets them at once."""
    if not (overrides.columns or overrides.values):
        return
    with st.expander("Herstelacties bewaren als koppeling voor de volgende ronde", icon=":material/link:"):
        with st.form(f"koppeling_{upload['digest']}"):
            name = st.text_input("Naam van de koppeling", placeholder="bijv. Forms wijkteams")
            replace = st.checkbox("Een bestaande koppeling met deze naam vervangen")
            submitted = st.form_submit_button("Koppeling opslaan")
        if submitted:
            try:
                saved = KoppelingStore().save(name, overrides, dataset, source_name=upload["name"],
                                              replace=replace)
            except (KoppelingError, RoundError) as exc:
                st.error(escape_md(exc))
            else:
                st.success(f"Koppeling '{escape_md(saved.name)}' opgeslagen: een bestand met dezelfde kolomkoppen "
                           "krijgt deze herstelacties voortaan vanzelf (en dat wordt gemeld).")


def fixes_ui(dataset: Dataset) -> Overrides:
    """The editors for values and columns, and the fixes applied so far."""
    overrides = current_overrides()
    updated = column_fix_ui(dataset, value_fix_ui(dataset, overrides))
    if updated != overrides:
        set_overrides(updated)
        st.rerun()
    if overrides.values or overrides.columns:
        st.info(f"Toegepaste herstelacties: {len(overrides.values)} waarde(n), {len(overrides.columns)} kolom(men).")
        if st.button("Herstelacties wissen"):
            set_overrides(Overrides())
            st.session_state.setdefault("koppelingen", {})[current_upload()["digest"]] = {"applied": None}
            st.rerun()
    return overrides


if "round_id" in upload:
    fixes = round_of(dataset).overrides if round_of(dataset) else {}
    st.info("Dit is een opgeslagen meetronde: de antwoorden staan vast zoals ze zijn opgeslagen, met "
            f"{len((fixes or {}).get('values', {}))} herstelde waarde(n). Upload de export opnieuw om iets "
            "anders te herstellen.")
    saved = privacy_of(dataset)
    st.caption(f"Groepskenmerken van deze meetronde: {escape_md(', '.join(saved.reporting_columns) or 'geen')}; "
               f"minimale groepsgrootte {saved.min_group_size}.")
elif may("upload"):
    if not showing_sample(upload):
        koppeling_ui(dataset, upload)
    overrides = fixes_ui(dataset)
    if not showing_sample(upload):
        save_koppeling_ui(dataset, upload, overrides)
    privacy_ui(dataset, upload["digest"])
    if may("save_round"):
        save_round_ui(dataset, upload, overrides, missing)
