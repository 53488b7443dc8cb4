"""The verbeterplan of one organisation's round: what it will work on, who does what by when, what it learned.

A leernetwerk turns a round's weakest statements (or items) into agreements and measures the next round
against them. This module is the plan as plain data — frozen dataclasses, their rules, their JSON form and
the tidy rows every view and export shows — so the store, the page, the command line and the files agree on
one model. It knows nothing about saving: the store keeps ``plan_to_dict`` as one JSON document and compares
``version`` to refuse an edit made on an outdated copy; this module only carries the number.

Everything here is typed by users, so every text is cleaned on the way in (control characters and
direction overrides dropped, ``analysis.safe_text``) and limited in length; each output escapes it its own way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace

from analysis.dutch import format_date
from analysis.instrument import Instrument, InstrumentError, get_instrument
from analysis.safe_text import visible_text
from analysis.scoring.scores import Summary, plain_id

# Status key (saved) -> label (shown), in the order a plan moves through them.
STATUSES = {"gepland": "Gepland", "bezig": "Bezig", "klaar": "Klaar", "gestopt": "Gestopt"}
DEFAULT_STATUS = "gepland"
MAX_FIELD = 500        # characters in wat / wie
MAX_NOTES = 5000       # characters in the leerlessen
MAX_FOCUSES = 20
MAX_ACTIONS = 20       # per focus
MAX_NAME = 200         # updated_by, round and instrument ids
FORMAT_VERSION = 1     # of plan_to_dict's document
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PlanError(ValueError):
    """A plan that breaks a rule; the message is one Dutch line saying where and what."""


@dataclass(frozen=True)
class Action:
    what: str
    who: str = ""                  # a role ("teamleider"), not necessarily a name
    when: dt.date | None = None
    status: str = DEFAULT_STATUS   # a key of STATUSES

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class Focus:
    item_id: int | str             # a statement id (7) or a checklist item id ("1.3"), as the instrument has it
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Plan:
    round_id: str
    instrument_id: str
    focuses: tuple[Focus, ...] = ()
    notes: str = ""                # the leerlessen
    version: int = 0               # 0: never saved; the store raises it on every save
    updated_at: str = ""           # ISO timestamp, set by the store
    updated_by: str = ""           # who saved it, when sign-in is on

    def focus(self, item_id) -> Focus | None:
        return next((f for f in self.focuses if str(f.item_id) == str(item_id)), None)

    @property
    def item_ids(self) -> list:
        return [f.item_id for f in self.focuses]


def empty_plan(round_id: str, instrument_id: str) -> Plan:
    return Plan(round_id=str(round_id), instrument_id=str(instrument_id))


# -- cleaning and rules ---------------------------------------------------------------------------------------

def _missing(value) -> bool:
    """None, or an empty cell as a table editor gives it (NaN, NaT)."""
    return value is None or (not isinstance(value, str) and value != value)


def clean_line(value, where: str, limit: int = MAX_FIELD) -> str:
    """One line of user text: invisible characters dropped, white space collapsed, at most LIMIT characters."""
    if _missing(value):
        return ""
    if not isinstance(value, str):
        raise PlanError(f"{where}: verwacht tekst.")
    text = " ".join(visible_text(value).split())
    if len(text) > limit:
        raise PlanError(f"{where}: de tekst is te lang ({len(text)} tekens, maximaal {limit}).")
    return text


def clean_notes(value, where: str = "Leerlessen") -> str:
    """Free text that keeps its lines: invisible characters dropped, line ends unified, ends trimmed."""
    if _missing(value):
        return ""
    if not isinstance(value, str):
        raise PlanError(f"{where}: verwacht tekst.")
    lines = visible_text(value.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip()
    if len(text) > MAX_NOTES:
        raise PlanError(f"{where}: de tekst is te lang ({len(text)} tekens, maximaal {MAX_NOTES}).")
    return text


def parse_when(value, where: str) -> dt.date | None:
    """A date, an ISO date text (JJJJ-MM-DD) or nothing."""
    if _missing(value) or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    try:
        if _ISO_DATE.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise PlanError(f"{where}: '{clean_line(str(value)[:40], where)}' is geen datum; gebruik JJJJ-MM-DD.")


def item_id_in(instrument: Instrument, value, where: str) -> int | str:
    """VALUE as the instrument's own id of one of its statements/items ("7" -> 7 on a scale)."""
    ids = {str(i): i for i in instrument.statement_ids}
    key = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    if key not in ids:
        shown = clean_line(str(value)[:40], where)
        raise PlanError(f"{where}: {instrument.kind.item} '{shown}' bestaat niet in {instrument.short_title}.")
    return ids[key]


def check_action(action: Action, where: str) -> Action:
    what = clean_line(action.what, f"{where}, wat")
    if not what:
        raise PlanError(f"{where}: vul in wat er gebeurt ('wat' is verplicht).")
    status = str(action.status or "").strip().lower()
    if status not in STATUSES:
        raise PlanError(f"{where}: status '{clean_line(str(action.status)[:40], where)}' is onbekend; "
                        f"kies uit {', '.join(STATUSES)}.")
    return Action(what=what, who=clean_line(action.who, f"{where}, wie"),
                  when=parse_when(action.when, f"{where}, wanneer"), status=status)


def check_focus(focus: Focus, instrument: Instrument, number: int) -> Focus:
    where = f"Focuspunt {number}"
    item_id = item_id_in(instrument, focus.item_id, where)
    where = f"{where} ({instrument.kind.item} {item_id})"
    actions = tuple(focus.actions or ())
    if len(actions) > MAX_ACTIONS:
        raise PlanError(f"{where}: te veel acties ({len(actions)}, maximaal {MAX_ACTIONS}).")
    return Focus(item_id=item_id,
                 actions=tuple(check_action(a, f"{where}, actie {i}") for i, a in enumerate(actions, start=1)))


def check_plan(plan: Plan, instrument: Instrument) -> Plan:
    """PLAN cleaned and checked against INSTRUMENT; raises PlanError (one Dutch line) on the first broken rule."""
    if plan.instrument_id != instrument.id:
        raise PlanError(f"Het plan hoort bij instrument '{clean_line(plan.instrument_id, 'Plan', MAX_NAME)}', "
                        f"niet bij '{instrument.id}'.")
    if len(plan.focuses) > MAX_FOCUSES:
        raise PlanError(f"Te veel focuspunten ({len(plan.focuses)}, maximaal {MAX_FOCUSES}).")
    focuses = tuple(check_focus(f, instrument, i) for i, f in enumerate(plan.focuses, start=1))
    _no_focus_twice(focuses, instrument)
    if isinstance(plan.version, bool) or not isinstance(plan.version, int) or plan.version < 0:
        raise PlanError(f"Versie '{plan.version}' van het plan is geen geheel getal van 0 of meer.")
    round_id = clean_line(plan.round_id, "Meetronde", MAX_NAME)
    if not round_id:
        raise PlanError("Het plan hoort bij geen meetronde.")
    return replace(plan, round_id=round_id, focuses=focuses, notes=clean_notes(plan.notes),
                   updated_at=clean_line(plan.updated_at, "Bijgewerkt op", MAX_NAME),
                   updated_by=clean_line(plan.updated_by, "Bijgewerkt door", MAX_NAME))


def _no_focus_twice(focuses: tuple[Focus, ...], instrument: Instrument) -> None:
    seen = set()
    for focus in focuses:
        if focus.item_id in seen:
            raise PlanError(f"{instrument.kind.item.capitalize()} {focus.item_id} staat twee keer in het plan.")
        seen.add(focus.item_id)


# -- the saved form -------------------------------------------------------------------------------------------

def plan_to_dict(plan: Plan) -> dict:
    """The plan as a JSON-safe document (dates ISO, ids as the instrument's JSON gives them)."""
    return {"format": FORMAT_VERSION, "round_id": plan.round_id, "instrument_id": plan.instrument_id,
            "version": plan.version, "updated_at": plan.updated_at, "updated_by": plan.updated_by,
            "notes": plan.notes,
            "focuses": [{"item_id": plain_id(f.item_id),
                         "actions": [{"what": a.what, "who": a.who,
                                      "when": a.when.isoformat() if a.when else None, "status": a.status}
                                     for a in f.actions]}
                        for f in plan.focuses]}


def plan_from_dict(data, instrument: Instrument | None = None) -> Plan:
    """A plan from ``plan_to_dict``'s document, checked; the instrument is looked up when not given."""
    if not isinstance(data, dict):
        raise PlanError("Het plan is geen geldig document (verwacht velden).")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise PlanError(f"Het plan heeft een onbekende opmaakversie ({data.get('format')!r}).")
    instrument_id = clean_line(data.get("instrument_id"), "Instrument", MAX_NAME)
    if instrument is None:
        try:
            instrument = get_instrument(instrument_id)
        except InstrumentError as exc:
            raise PlanError(f"Het plan hoort bij een onbekend instrument ('{instrument_id}').") from exc
    plan = Plan(round_id=data.get("round_id") or "", instrument_id=instrument_id,
                focuses=tuple(_focus_from(f, i) for i, f in enumerate(_list(data.get("focuses"), "Focuspunten"),
                                                                      start=1)),
                notes=data.get("notes") or "", version=data.get("version", 0),
                updated_at=data.get("updated_at") or "", updated_by=data.get("updated_by") or "")
    return check_plan(plan, instrument)


def _list(value, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PlanError(f"{where}: verwacht een lijst.")
    return value


def _focus_from(raw, number: int) -> Focus:
    where = f"Focuspunt {number}"
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: verwacht velden.")
    actions = _list(raw.get("actions"), f"{where}, acties")
    if len(actions) > MAX_ACTIONS:
        raise PlanError(f"{where}: te veel acties ({len(actions)}, maximaal {MAX_ACTIONS}).")
    return Focus(item_id=raw.get("item_id"), actions=tuple(_action_from(a, f"{where}, actie {i}")
                                                         for i, a in enumerate(actions, start=1)))


def _action_from(raw, where: str) -> Action:
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: verwacht velden.")
    return Action(what=raw.get("what") or "", who=raw.get("who") or "", when=parse_when(raw.get("when"), where),
                  status=raw.get("status") or DEFAULT_STATUS)


# -- what views and exports show ------------------------------------------------------------------------------

def suggested_focuses(summary: Summary, n: int = 3, exclude=()) -> list:
    """The weakest statements/items of the round (lowest first) to offer as focus, leaving out EXCLUDE."""
    taken = {str(i) for i in exclude}
    return [i for i in summary.weak if str(i) not in taken][:n]


def item_score(summary: Summary | None, item_id) -> float | None:
    """The round's score of one statement/item, or None: no summary, not scored, or not shown."""
    if summary is None:
        return None
    table = summary.statements
    match = table.loc[table["id"].astype(str) == str(item_id), "score"]
    if match.empty:
        return None
    score = match.iloc[0]
    return None if score is None or (isinstance(score, float) and math.isnan(score)) else float(score)


def plan_columns(instrument: Instrument) -> dict[str, str]:
    """plan_rows' keys -> the heading a table shows, in the instrument kind's words."""
    kind = instrument.kind
    return {"item_id": kind.item.capitalize(), "theme": kind.group.capitalize(), "item_text": "Tekst",
            "score_text": "Score", "what": "Wat", "who": "Wie", "when_text": "Wanneer", "status_label": "Status"}


def plan_rows(plan: Plan, instrument: Instrument, summary: Summary | None = None) -> list[dict]:
    """One row per action (a focus without actions: one row without action fields), in plan order.

    PLAN as ``check_plan`` returns it; SUMMARY is the round's, for the scores (none given: no scores)."""
    rows = []
    for number, focus in enumerate(plan.focuses, start=1):
        statement = instrument.statement(focus.item_id)
        score = item_score(summary, focus.item_id)
        base = {"focus": number, "item_id": focus.item_id, "theme": statement.theme, "item_text": statement.text,
                "score": score, "score_text": instrument.score_text(score) if summary is not None else ""}
        for action in focus.actions or (None,):
            rows.append({**base, **_action_fields(action)})
    return rows


def _action_fields(action: Action | None) -> dict:
    if action is None:
        return {"what": "", "who": "", "when": None, "when_text": "", "status": "", "status_label": ""}
    return {"what": action.what, "who": action.who, "when": action.when,
            "when_text": format_date(action.when) if action.when else "", "status": action.status,
            "status_label": action.status_label}


def plan_title(organisation: str, round_name: str, round_date) -> str:
    """"Verbeterplan Gemeente Oost – Voorjaar 2025 (7 april 2025)"; the names cleaned of invisible characters."""
    organisation, round_name = (" ".join(visible_text(t or "").split()) for t in (organisation, round_name))
    title = " – ".join(part for part in (f"Verbeterplan {organisation}".strip(), round_name) if part)
    return f"{title} ({format_date(round_date)})" if round_date else title


def updated_text(plan: Plan) -> str:
    """"Bijgewerkt op 7 april 2025 door M. Jansen", or "" for a plan never saved."""
    if not plan.updated_at:
        return ""
    by = f" door {plan.updated_by}" if plan.updated_by else ""
    return f"Bijgewerkt op {format_date(plan.updated_at)}{by}"
