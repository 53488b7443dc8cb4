"""A leernetwerk at one moment: which saved round counts for each member organisation, and the network of them.

A network holds organisations by the name on their saved rounds (case and spacing aside); a moment picks
one round per organisation, either "per organisation the latest round up to and including a date" or
rounds chosen by hand. Organisations without a round at that moment are left out and say why. Pure: the
page (or the command line) hands in the saved rounds and a way to get a round's summary (made under the
round's own saved privacy settings), so caching and the store stay at the edge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from analysis.dutch import format_date
from analysis.instrument import Instrument
from analysis.meeting.plan import Plan
from analysis.rounds import RoundInfo
from analysis.scoring.network import Member, Network, anonymous_names, build_network, is_named, respondents_text
from analysis.scoring.progress import plan_follow_up, statement_change
from analysis.scoring.scores import Summary

NO_ROUND_AT_ALL = "nog geen meetronde van dit instrument"
NO_ROUND_CHOSEN = "geen meetronde gekozen"


def normal(name: str) -> str:
    """An organisation's name as the store compares it: case and spacing aside."""
    return " ".join(str(name).split()).casefold()


def organisation_rounds(rounds: Iterable[RoundInfo], organisation: str, instrument_id: str) -> list[RoundInfo]:
    """ORGANISATION's rounds of the instrument, oldest first (same date: the one saved last comes last)."""
    own = [r for r in rounds if r.instrument_id == instrument_id and normal(r.organisation) == normal(organisation)]
    return sorted(own, key=lambda r: (r.date, r.saved_at, r.round_id))


@dataclass(frozen=True)
class Missing:
    organisation: str   # the member's name as the network holds it (real: only to be shown when names may be)
    reason: str         # why it has no round at this moment, in Dutch


@dataclass(frozen=True)
class Moment:
    rounds: tuple[RoundInfo, ...]     # one per organisation that has one, in the network's order
    missing: tuple[Missing, ...]      # the members without one


def _iso(until) -> str:
    return until.isoformat() if isinstance(until, dt.date) else str(until)[:10]


def choose_rounds(rounds: Sequence[RoundInfo], organisations: Sequence[str], instrument_id: str, *,
                  until: dt.date | str | None = None, round_ids: Iterable[str] | None = None) -> Moment:
    """Which round counts for each of ORGANISATIONS (a network's members) at a moment.

    With ROUND_IDS (chosen by hand): those rounds, at most one per organisation; an id that is not a saved round
    of this instrument and of a member, or a second one of the same organisation, is refused (ValueError, Dutch).
    Otherwise: per organisation its latest round of the instrument measured on or before UNTIL (no limit
    when None); same date, the one saved last.
    """
    chosen, missing = [], []
    if round_ids is not None:
        by_id = {r.round_id: r for r in rounds}
        picked: dict[str, RoundInfo] = {}
        members = {normal(o) for o in organisations}
        for round_id in round_ids:
            info = by_id.get(round_id)
            if info is None:
                raise ValueError(f"Meetronde {str(round_id)[:8]} bestaat niet (meer).")
            if info.instrument_id != instrument_id:
                raise ValueError(f"Meetronde '{info.name}' hoort bij een ander instrument dan het leernetwerk.")
            if normal(info.organisation) not in members:
                raise ValueError(f"Meetronde '{info.name}' is van een organisatie die niet in het leernetwerk zit.")
            if normal(info.organisation) in picked:
                raise ValueError(f"Kies één meetronde per organisatie; voor '{info.organisation}' zijn er "
                                 "twee gekozen.")
            picked[normal(info.organisation)] = info
        for organisation in organisations:
            if normal(organisation) in picked:
                chosen.append(picked[normal(organisation)])
            else:
                has_rounds = organisation_rounds(rounds, organisation, instrument_id)
                reason = NO_ROUND_CHOSEN if has_rounds else NO_ROUND_AT_ALL
                missing.append(Missing(organisation, reason))
        return Moment(tuple(chosen), tuple(missing))
    limit = None if until is None else _iso(until)
    for organisation in organisations:
        own = organisation_rounds(rounds, organisation, instrument_id)
        before = [r for r in own if limit is None or r.date <= limit]
        if before:
            chosen.append(before[-1])
        else:
            reason = NO_ROUND_AT_ALL if not own else f"geen meetronde tot en met {format_date(limit)}"
            missing.append(Missing(organisation, reason))
    return Moment(tuple(chosen), tuple(missing))


@dataclass(frozen=True)
class LeftOut:
    name: str      # as displayed to this viewer
    reason: str


@dataclass(frozen=True)
class NetworkMoment:
    network: Network
    moment: Moment
    left_out: tuple[LeftOut, ...]   # every member not counted in the network figures, with why, as displayed
    missing_names: tuple[str, ...]  # the displayed names of the members without a round, in moment.missing order


def network_at_moment(instrument: Instrument, organisations: Sequence[str], rounds: Sequence[RoundInfo],
                      summary_of: Callable[[RoundInfo], Summary], *, until: dt.date | str | None = None,
                      round_ids: Iterable[str] | None = None, looking: str | None = None, show_names: bool = False,
                      name_key: str | None = None, min_organisations: int | None = None,
                      min_group_size: int | None = None, threshold: float | None = None) -> NetworkMoment:
    """The network of ORGANISATIONS at a moment (see ``choose_rounds``) as LOOKING sees it.

    SUMMARY_OF gives a chosen round's summary under its own saved privacy settings. Letters are given over all
    ORGANISATIONS with the network's NAME_KEY, so an organisation keeps its letter whichever rounds a moment takes.
    """
    moment = choose_rounds(rounds, organisations, instrument.id, until=until, round_ids=round_ids)
    members = [Member.from_round(info, summary_of(info)) for info in moment.rounds]
    extra = {} if min_organisations is None else {"min_organisations": min_organisations}
    network = build_network(instrument, members, min_group_size=min_group_size, looking=looking,
                            show_names=show_names, name_key=name_key, threshold=threshold,
                            all_members=list(organisations), **extra)
    names = displayed_names(organisations, looking, show_names, name_key)
    missing_names = tuple(names[normal(m.organisation)] for m in moment.missing)
    left_out = tuple(LeftOut(o.name, o.reason) for o in network.organisations if not o.included)
    left_out += tuple(LeftOut(name, m.reason) for name, m in zip(missing_names, moment.missing))
    return NetworkMoment(network, moment, left_out, missing_names)


def displayed_names(organisations: Sequence[str], looking: str | None, show_names: bool,
                    name_key: str | None) -> dict[str, str]:
    """Normalised name -> the name this viewer sees: its own, or all with names on, else the network's letter."""
    letters = anonymous_names(list(organisations), name_key or "")
    own = normal(looking) if looking else None
    return {normal(o): " ".join(o.split()) if show_names or normal(o) == own else letters[normal(o)]
            for o in organisations}


NOT_SHOWN = "niet getoond"


def organisation_rows(result: NetworkMoment) -> list[dict]:
    """Per member a row for the page's table: displayed name, round, respondents, counted or why not.

    A named organisation (the one looking, or all with names on) shows its round's name and date and its
    respondent count; one under a letter shows neither its round nor its exact count (``respondents_text``):
    "the one that measured on 14 April with 9 respondents" would give its name away."""
    network = result.network
    rows = [{"Organisatie": o.name,
             "Meetronde": f"{o.round} ({format_date(o.date)})" if is_named(o, network) else NOT_SHOWN,
             "Respondenten": respondents_text(o, network),
             "Meegeteld": "ja" if o.included else f"nee: {o.reason}"} for o in network.organisations]
    missing = sorted(zip(result.missing_names, result.moment.missing), key=lambda pair: (len(pair[0]), pair[0]))
    rows += [{"Organisatie": name, "Meetronde": "—", "Respondenten": "—", "Meegeteld": f"nee: {m.reason}"}
             for name, m in missing]
    return rows


def left_out_text(result: NetworkMoment) -> str | None:
    """One Dutch sentence naming (as displayed) every member left out of the network figures and why."""
    if not result.left_out:
        return None
    return "Niet meegeteld in de netwerkcijfers: " + "; ".join(f"{o.name} — {o.reason}" for o in result.left_out) + "."


# -- the looking organisation's own verbeterplan beside the network ------------------------------------------

@dataclass(frozen=True)
class FocusFigure:
    """One focus of the looking organisation's plan beside the network: its own score now and the network's."""

    id: int | str
    theme: str
    text: str
    own: float | None        # the organisation's score in its round at this moment
    mean: float | None       # the network's figures for the statement (None when not shown)
    lowest: float | None
    highest: float | None
    actions: tuple[str, ...]  # "wat · wie · wanneer · status", as agreed


@dataclass(frozen=True)
class OwnPlan:
    organisation: str                  # the looking organisation (named: it is its own view)
    plan: Plan
    plan_round: RoundInfo              # the round the plan was agreed on
    current: RoundInfo                 # its round in the network at this moment
    focuses: tuple[FocusFigure, ...]
    follow_up: tuple[dict, ...]        # plan_follow_up rows (plan_round -> current); () when they are one round

    @property
    def is_follow_up(self) -> bool:
        return self.plan_round.round_id != self.current.round_id


def action_text(action) -> str:
    """"wat · wie · wanneer · status" of one action, empty parts left out."""
    parts = (action.what, action.who, format_date(action.when) if action.when else "", action.status_label)
    return " · ".join(part for part in parts if part)


def own_plan(result: NetworkMoment, looking: str | None, rounds: Sequence[RoundInfo],
             plan_of: Callable[[RoundInfo], Plan | None],
             summary_of: Callable[[RoundInfo], Summary]) -> OwnPlan | None:
    """The verbeterplan the LOOKING organisation works on at this moment, beside the network; None for the
    facilitator, an organisation without a round at this moment, or one without a plan.

    The plan is that of its round in the network, or else of its latest earlier round that has one (the plan
    the new round is measured against: then ``follow_up`` holds the return day, per focus the change since).
    PLAN_OF gives a round's plan (None or an empty plan: none); SUMMARY_OF a round's summary.
    """
    if not looking:
        return None
    network = result.network
    current = next((r for r in result.moment.rounds if normal(r.organisation) == normal(looking)), None)
    own = next((o for o in network.organisations if o.own), None)
    if current is None or own is None:
        return None
    own_rounds = organisation_rounds(rounds, looking, network.instrument.id)
    earlier = own_rounds[:next(i for i, r in enumerate(own_rounds) if r.round_id == current.round_id) + 1]
    for plan_round in reversed(earlier):
        plan = plan_of(plan_round)
        if plan is not None and plan.focuses:
            break
    else:
        return None
    instrument = network.instrument
    scores = {str(s.key): s.score for s in own.statements}
    figures = {str(f.key): f for f in network.statements}
    focuses = tuple(FocusFigure(
        id=focus.item_id, theme=instrument.statement(focus.item_id).theme,
        text=instrument.statement(focus.item_id).text, own=scores.get(str(focus.item_id)),
        mean=figures[str(focus.item_id)].mean, lowest=figures[str(focus.item_id)].lowest,
        highest=figures[str(focus.item_id)].highest, actions=tuple(action_text(a) for a in focus.actions))
        for focus in plan.focuses)
    follow_up = ()
    if plan_round.round_id != current.round_id:
        change = statement_change(summary_of(plan_round), summary_of(current))
        follow_up = tuple(plan_follow_up(plan, change, instrument))
    return OwnPlan(" ".join(looking.split()), plan, plan_round, current, focuses, follow_up)
