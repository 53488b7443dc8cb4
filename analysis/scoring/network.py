"""A leernetwerk's figures: several organisations' rounds side by side, without giving any of them away.

A leernetwerk compares organisations that each measured themselves. This module turns one summary per
organisation (made with that round's own saved privacy settings, ``analysis.scoring.summary.summarize``) into
the network view of the brief: per theme/block and per statement/item every organisation's score, the
network mean (each organisation weighs the same: the mean of the organisations' scores), the lowest and
highest, and the "gezamenlijke leervragen" (where the network as a whole is weakest). It is pure: no
store, no Streamlit; pages, the command line and exports all read the same frozen ``Network``.

Privacy, in order:
- An organisation whose round has fewer respondents than the minimum group size (the network's, or the
  round's own when that is stricter) is left out of every network figure, and says why.
- Network figures, and any other organisation's score, are shown only when at least
  ``min_organisations`` (at least 3) organisations are included: with two, one's own score and the mean
  give away the other's. A single figure (one theme, one statement) likewise needs that many
  organisations with a score, so no mean is ever a mean of one or two others.
- The organisation looking always sees its own scores: its overall result is its own self-assessment.
  A summary's overall figures are never suppressed (only its groups are); a statement without known
  answers has no score (None) and stays None here.
- Other organisations are "Organisatie A", "Organisatie B", ... unless ``show_names`` is on, which the
  facilitator may do only when all members agreed. The model never holds another organisation's real
  name, nor the free-text name of its round (which often contains the organisation's name): their
  round is shown by its date. The views (the page) go further for an organisation under a letter: no
  date and only "≥5" / "<5" for its respondents (``respondents_text``), as an exact count or date can
  identify it too; the command line's JSON (an analyst's tool, on rounds the analyst has) keeps both.

Letters: ordered by a keyed hash (HMAC-SHA256) of the normalised organisation name. Alphabetical order
would give names away ("A" is the one whose name comes first) and so would the order of joining to
anyone who saw the network grow; a keyed hash is unrelated to either, and without the key nobody can
recompute it from a list of candidate names. The key should be a secret stored with the network
(``new_name_key()``), so the letters stay the same across moments and calls; without one, the key
is made from the members' round ids (random, never shown), stable for the same choice of rounds.
Letters are given over all members, the looking organisation included (its own letter is simply not
used in its view), so every viewer and the facilitator use the same letter for the same organisation.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import textwrap
from dataclasses import dataclass

from analysis.dutch import format_date
from analysis.instrument import Instrument
from analysis.kinds import Kind
from analysis.scoring.privacy import REASON_TOO_SMALL, deployment_min_group_size, size_text, suppression_text
from analysis.scoring.scores import Summary, plain_id
from analysis.scoring.summary import score_cell

MIN_ORGANISATIONS = 3  # the default, and the floor: with two, one's own score and the mean give the other's
MAX_LEARNING_QUESTIONS = 5
ANONYMOUS = "Organisatie"
NETWORK_MEAN = "Netwerkgemiddelde"


@dataclass(frozen=True)
class Member:
    """One organisation's round in the network: its summary made with the round's own privacy settings."""

    organisation: str
    round: str          # the round's name, shown only to the organisation itself (or with names on)
    date: str           # ISO date of the measurement
    summary: Summary
    round_id: str = ""  # never shown; seeds the letters when the network has no key of its own

    @classmethod
    def from_round(cls, info, summary: Summary) -> Member:
        """From a saved round's ``RoundInfo`` and its summary."""
        return cls(info.organisation, info.name, info.date, summary, info.round_id)


@dataclass(frozen=True)
class Score:
    key: int | str        # a theme/block name, or a statement/item id
    score: float | None   # None: no score, or not to be shown to this viewer


@dataclass(frozen=True)
class OrganisationResult:
    name: str             # as displayed: its own name for the organisation looking, else a letter
    own: bool             # the organisation looking
    round: str            # as displayed
    date: str
    respondents: int
    included: bool        # counts in the network figures
    reason: str | None    # why not, in Dutch
    shown: bool           # its scores may be shown to this viewer
    themes: tuple[Score, ...]
    statements: tuple[Score, ...]
    needed: int = 0       # the minimum group size its round had to meet (the network's, or its own when stricter)


@dataclass(frozen=True)
class NetworkFigure:
    key: int | str
    mean: float | None    # mean of the organisations' scores; None when not shown
    lowest: float | None
    highest: float | None
    organisations: int    # included organisations with a score


@dataclass(frozen=True)
class LearningQuestion:
    id: int | str
    theme: str
    text: str
    mean: float
    lowest: float
    highest: float
    below: int            # included organisations scoring below the threshold
    organisations: int


@dataclass(frozen=True)
class Network:
    instrument: Instrument
    organisations: tuple[OrganisationResult, ...]
    included: int
    min_organisations: int
    min_group_size: int
    threshold: float
    shown: bool           # network figures (and others' scores) may be shown
    names_shown: bool
    themes: tuple[NetworkFigure, ...]
    statements: tuple[NetworkFigure, ...]
    learning_questions: tuple[LearningQuestion, ...]

    @property
    def kind(self) -> Kind:
        return self.instrument.kind

    @property
    def note(self) -> str | None:
        """Why there are no network figures, in Dutch; None when there are."""
        if self.shown:
            return None
        return (f"Netwerkcijfers worden pas getoond vanaf {self.min_organisations} meegetelde organisaties "
                f"(nu {self.included}): bij minder zijn de eigen score en het gemiddelde samen de score van een ander.")


def new_name_key() -> str:
    """A secret for a new network's letters: store it with the network, never show it."""
    return secrets.token_hex(16)


def _normal(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as spreadsheet columns."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def anonymous_names(organisations: list[str], key: str) -> dict[str, str]:
    """Normalised name -> "Organisatie A", ... in the order of a keyed hash of the name (see the module)."""
    secret = key.encode()
    order = sorted({_normal(o) for o in organisations},
                   key=lambda n: hmac.new(secret, n.encode(), hashlib.sha256).hexdigest())
    return {name: f"{ANONYMOUS} {_letters(i)}" for i, name in enumerate(order)}


def _check_members(instrument: Instrument, members: list[Member]) -> None:
    seen = set()
    for member in members:
        if member.summary.instrument.id != instrument.id:
            raise ValueError(f"Meetronde van '{member.organisation}' hoort bij een ander instrument "
                             f"({member.summary.instrument.id}) dan het leernetwerk ({instrument.id}).")
        if _normal(member.organisation) in seen:
            raise ValueError(f"'{member.organisation}' komt twee keer voor; kies één meetronde per organisatie.")
        seen.add(_normal(member.organisation))


def _is_number(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _scores(table, key_column: str, keys: list, shown: bool) -> tuple[Score, ...]:
    values = dict(zip(table[key_column], table["score"]))
    return tuple(Score(plain_id(k) if key_column == "id" else k,
                       float(values[k]) if shown and _is_number(values.get(k)) else None) for k in keys)


def _organisation(member: Member, name: str, own: bool, minimum: int, network_shown: bool,
                  show_names: bool) -> OrganisationResult:
    summary, instrument = member.summary, member.summary.instrument
    needed = max(minimum, summary.min_group_size)
    included = summary.respondents >= needed
    shown = own or (network_shown and included)
    round_text = member.round if own or show_names else format_date(member.date)
    return OrganisationResult(
        name=name, own=own, round=round_text, date=member.date, respondents=summary.respondents,
        included=included, reason=None if included else suppression_text(REASON_TOO_SMALL, needed), shown=shown,
        themes=_scores(summary.themes, "theme", list(instrument.themes), shown),
        statements=_scores(summary.statements, "id", instrument.statement_ids, shown), needed=needed)


def _figures(organisations: list[OrganisationResult], attribute: str, keys: list, minimum: int,
             shown: bool) -> tuple[NetworkFigure, ...]:
    """Per key the mean, lowest and highest of the included organisations' scores (each weighs the same)."""
    figures = []
    for index, key in enumerate(keys):
        scores = [getattr(o, attribute)[index].score for o in organisations if o.included]
        scores = [s for s in scores if s is not None]
        if shown and len(scores) >= minimum:
            figures.append(NetworkFigure(key, sum(scores) / len(scores), min(scores), max(scores), len(scores)))
        else:
            figures.append(NetworkFigure(key, None, None, None, len(scores) if shown else 0))
    return tuple(figures)


def _learning_questions(instrument: Instrument, organisations, figures, threshold: float,
                        limit: int) -> tuple[LearningQuestion, ...]:
    """The statements whose network mean is below the threshold, weakest first, ties in instrument order."""
    weak = sorted((i for i, f in enumerate(figures) if f.mean is not None and f.mean < threshold),
                  key=lambda i: figures[i].mean)
    questions = []
    for index in weak[:limit]:
        figure, statement = figures[index], instrument.statements[index]
        scores = [o.statements[index].score for o in organisations if o.included]
        below = sum(1 for s in scores if s is not None and s < threshold)
        questions.append(LearningQuestion(plain_id(statement.id), statement.theme, statement.text, figure.mean,
                                          figure.lowest, figure.highest, below, figure.organisations))
    return tuple(questions)


def _display_names(members: list[Member], looking: str | None, show_names: bool, name_key: str | None,
                   everyone: list[str] | None = None) -> list[str]:
    if show_names:
        return [" ".join(m.organisation.split()) for m in members]
    key = name_key if name_key is not None else "".join(sorted(m.round_id for m in members))
    letters = anonymous_names([m.organisation for m in members] + list(everyone or []), key)
    own = _normal(looking) if looking else None
    return [" ".join(m.organisation.split()) if _normal(m.organisation) == own else letters[_normal(m.organisation)]
            for m in members]


def _order(result: OrganisationResult, show_names: bool) -> tuple:
    """The organisation looking first; then by letter (A, B, ..., Z, AA) or, with names on, by name."""
    if show_names:
        return (not result.own, result.name.casefold())
    return (not result.own, len(result.name), result.name)


def build_network(instrument: Instrument, members: list[Member], *, min_group_size: int | None = None,
                  min_organisations: int = MIN_ORGANISATIONS, looking: str | None = None, show_names: bool = False,
                  name_key: str | None = None, threshold: float | None = None,
                  max_questions: int = MAX_LEARNING_QUESTIONS, all_members: list[str] | None = None) -> Network:
    """The network view for LOOKING (an organisation's name; None for the facilitator) over MEMBERS.

    MIN_GROUP_SIZE defaults to the deployment's minimum; a round's own saved minimum wins when stricter.
    MIN_ORGANISATIONS may be raised, never below 3. SHOW_NAMES only when all members agreed. NAME_KEY is
    the network's secret for the letters (see the module). THRESHOLD defaults to the kind's. ALL_MEMBERS, when
    given, are all the network's organisations: letters are given over them, so a member keeps its letter at a moment
    when some others have no round.
    """
    if min_organisations < MIN_ORGANISATIONS:
        raise ValueError(f"Het minimum aantal organisaties is {MIN_ORGANISATIONS}: met twee zijn de eigen score en "
                         "het gemiddelde samen de score van de ander.")
    _check_members(instrument, members)
    minimum = deployment_min_group_size() if min_group_size is None else int(min_group_size)
    threshold = instrument.kind.default_threshold if threshold is None else float(threshold)
    included = sum(m.summary.respondents >= max(minimum, m.summary.min_group_size) for m in members)
    shown = included >= min_organisations
    own = _normal(looking) if looking else None
    names = _display_names(members, looking, show_names, name_key, all_members)
    organisations = sorted((_organisation(m, name, _normal(m.organisation) == own, minimum, shown, show_names)
                            for m, name in zip(members, names)), key=lambda o: _order(o, show_names))
    statements = _figures(organisations, "statements", [plain_id(i) for i in instrument.statement_ids],
                          min_organisations, shown)
    return Network(instrument=instrument, organisations=tuple(organisations), included=included,
                   min_organisations=min_organisations, min_group_size=minimum, threshold=threshold, shown=shown,
                   names_shown=show_names,
                   themes=_figures(organisations, "themes", list(instrument.themes), min_organisations, shown),
                   statements=statements,
                   learning_questions=_learning_questions(instrument, organisations, statements, threshold,
                                                          max_questions))


def is_named(organisation: OrganisationResult, network: Network) -> bool:
    """Whether this viewer sees the organisation by its real name: its own, or every one when names are on."""
    return organisation.own or network.names_shown


def respondents_text(organisation: OrganisationResult, network: Network) -> str:
    """The respondent count as a view may show it.

    A named organisation: its count ("24"), or "<5" when it is left out for being too small. One under a letter:
    only "≥5" (at least the network's minimum group size) or "<5": an exact count, like the date or name of its
    round, can tell the others who it is ("the one with 9 respondents is Testland").
    """
    if not organisation.included:
        return f"<{organisation.needed or network.min_group_size}"
    return str(organisation.respondents) if is_named(organisation, network) else f"≥{network.min_group_size}"


# -- tidy data for charts and tables ----------------------------------------------------------------------

def organisation_scores(network: Network, level: str = "themes") -> list[dict]:
    """Tidy rows [organisation, own, included, shown, status, key, score] per theme ("themes") or statement
    ("statements"); a score the viewer may not see is None, with the reason in ``status``."""
    rows = []
    for o in network.organisations:
        status = "" if o.shown else (o.reason or "niet getoond: te weinig organisaties meegeteld")
        rows += [{"organisation": o.name, "own": o.own, "included": o.included, "shown": o.shown, "status": status,
                  "key": s.key, "score": s.score} for s in getattr(o, level)]
    return rows


def network_figures(network: Network, level: str = "themes") -> list[dict]:
    """Tidy rows [key, mean, lowest, highest, organisations] per theme or statement."""
    return [{"key": f.key, "mean": f.mean, "lowest": f.lowest, "highest": f.highest,
             "organisations": f.organisations} for f in getattr(network, level)]


# -- the command line's JSON and table ----------------------------------------------------------------------

def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


def network_to_dict(network: Network) -> dict:
    """The command line's JSON, in the issue's shape, with the kind's keys (themes/theme or blocks/block)."""
    kind = network.kind
    groups, group = kind.json_groups, kind.json_group_field
    return {
        "instrument": network.instrument.id,
        "organisations": [{"organisation": o.name, "round": o.round, "respondents": o.respondents,
                           "included": o.included,
                           groups: [{group: s.key, "score": _round(s.score)} for s in o.themes]}
                          for o in network.organisations],
        "network": {"organisations": network.included,
                    groups: [{group: f.key, "mean": _round(f.mean), "min": _round(f.lowest),
                              "max": _round(f.highest)} for f in network.themes]},
    }


def _cell(score, kind: Kind) -> str:
    return "-" if score is None else score_cell(score, kind)


def _aligned(rows: list[list[str]], text_columns: tuple[int, ...] = (0,)) -> list[str]:
    """Rows of cells as aligned columns: TEXT_COLUMNS left-aligned, numbers right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) if i in text_columns else c.rjust(w)
                      for i, (c, w) in enumerate(zip(row, widths))).rstrip() for row in rows]


def _member_lines(network: Network) -> list[str]:
    rows = [["Organisatie", "Meetronde", "Respondenten", "Meegeteld"]]
    for o in network.organisations:
        rows.append([o.name, o.round, size_text(o.respondents, None if o.included else REASON_TOO_SMALL,
                                                network.min_group_size), "ja" if o.included else f"nee: {o.reason}"])
    return _aligned(rows, text_columns=(0, 1, 3))


def _theme_lines(network: Network) -> list[str]:
    kind = network.kind
    rows = [["Organisatie", *network.instrument.themes]]
    rows += [[o.name, *(_cell(s.score, kind) for s in o.themes)] for o in network.organisations if o.shown]
    if network.shown:
        for label, attribute in ((NETWORK_MEAN, "mean"), ("Laagste", "lowest"), ("Hoogste", "highest")):
            rows.append([label, *(_cell(getattr(f, attribute), kind) for f in network.themes)])
    return _aligned(rows)


def _statement_lines(network: Network) -> list[str]:
    kind = network.kind
    rows = [["Nr", kind.group.capitalize(), "Gemiddelde", "Laagste", "Hoogste", "Organisaties"]]
    rows += [[str(f.key), s.theme, _cell(f.mean, kind), _cell(f.lowest, kind), _cell(f.highest, kind),
              str(f.organisations)] for f, s in zip(network.statements, network.instrument.statements)]
    return _aligned(rows, text_columns=(0, 1))


def _question_lines(network: Network) -> list[str]:
    kind = network.kind
    lines = [f"Gezamenlijke leervragen (netwerkgemiddelde onder {kind.threshold_text(network.threshold)}):"]
    if not network.learning_questions:
        return lines + ["  geen"]
    width = max(len(str(q.id)) for q in network.learning_questions)
    for q in network.learning_questions:
        lines.append(f"  {q.id!s:>{width}}  {q.theme}: gemiddeld {_cell(q.mean, kind)} ({_cell(q.lowest, kind)} tot "
                     f"{_cell(q.highest, kind)}), {q.below} van {q.organisations} organisaties onder "
                     f"{kind.threshold_text(network.threshold)}")
        lines += textwrap.wrap(q.text, 100, initial_indent=" " * (width + 4), subsequent_indent=" " * (width + 4))
    return lines


def network_to_table(network: Network) -> str:
    """A plain-text view of the network for people at a terminal, in the instrument kind's words."""
    kind = network.kind
    lines = [f"Leernetwerk: {network.instrument.title}",
             f"Organisaties meegeteld: {network.included} van {len(network.organisations)} (netwerkcijfers vanaf "
             f"{network.min_organisations}; minimale groepsgrootte {network.min_group_size})", ""]
    lines += _member_lines(network)
    if any(o.shown for o in network.organisations):
        lines += ["", f"Scores per {kind.group}:"] + _theme_lines(network)
    if not network.shown:
        return "\n".join([*lines, "", network.note])
    lines += ["", f"Netwerk per {kind.item}:"] + _statement_lines(network) + [""] + _question_lines(network)
    if not network.names_shown:
        lines += ["", "Andere organisaties staan onder een letter; hun naam en de naam van hun meetronde worden "
                      "niet getoond."]
    return "\n".join(lines)
