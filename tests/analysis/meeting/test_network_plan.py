"""The looking organisation's verbeterplan beside the network (analysis.scoring.network_moment.own_plan), and what a
view shows of an organisation under a letter (respondents_text, organisation_rows), against values by hand.

By hand (QuickScan, statement 7; every other statement answered 3):
  Amstel   a1 2025-03-10: 6 × level 2           -> 2.00   (the plan is agreed on this round)
           a2 2025-09-15: 3 × 3, 3 × 4          -> 3.50
  Berkel   b1 2025-09-20: 9 × level 3           -> 3.00
  Cadzand  c1 2025-09-25: 11 × level 4          -> 4.00
  Dokkum   d1 2025-09-30: 3 respondents         -> too small, left out
At 1 October 2025 the network (Amstel a2, Berkel, Cadzand) has for statement 7 mean (3.5 + 3 + 4) / 3 = 3.5,
lowest 3, highest 4. Amstel's change 2.00 -> 3.50 = +1.50; s² of a1 = 0, of a2 = 6 × 0.25 / 5 = 0.3, so the
interval is 1.5 ± 1.96 · √(0.3 / 6) = 1.5 ± 0.438: progress.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from analysis.dutch import format_date
from analysis.meeting.plan import Action, Focus, Plan, empty_plan
from analysis.rounds import RoundInfo
from analysis.scoring.network_moment import NOT_SHOWN, network_at_moment, organisation_rows, own_plan
from analysis.scoring.scores import summarize_codes

QS = "quickscan-dsb"
MEMBERS = ["Gemeente Amstel", "Gemeente Berkel", "Gemeente Cadzand", "Gemeente Dokkum"]


def matrix(statement_7: list[int]) -> np.ndarray:
    codes = np.full((len(statement_7), 24), 3, dtype=np.int8)
    codes[:, 6] = statement_7
    return codes


ANSWERS = {"a1": [2] * 6, "a2": [3, 3, 3, 4, 4, 4], "b1": [3] * 9, "c1": [4] * 11, "d1": [5] * 3}
INFO = {
    "a1": ("Gemeente Amstel", "Voorjaar 2025", "2025-03-10"),
    "a2": ("Gemeente Amstel", "Najaar 2025", "2025-09-15"),
    "b1": ("Gemeente Berkel", "Najaar 2025", "2025-09-20"),
    "c1": ("Gemeente Cadzand", "Meting september", "2025-09-25"),
    "d1": ("Gemeente Dokkum", "Najaar 2025", "2025-09-30"),
}
ROUNDS = [RoundInfo(round_id=k, organisation=o, name=n, date=d, instrument_id=QS, respondents=len(ANSWERS[k]),
                    saved_at="2025-12-01T10:00:00") for k, (o, n, d) in INFO.items()]
ACTION = Action("Intervisie tolkgebruik", "teamleider", dt.date(2025, 6, 1), "klaar")
PLANS = {"a1": Plan("a1", QS, focuses=(Focus(7, (ACTION,)), Focus(12))), "b1": empty_plan("b1", QS)}


@pytest.fixture(scope="module")
def summaries(instrument):
    return {k: summarize_codes(matrix(v), instrument) for k, v in ANSWERS.items()}


def at(instrument, summaries, looking, until="2025-10-01", plans=PLANS, **extra):
    result = network_at_moment(instrument, MEMBERS, ROUNDS, lambda r: summaries[r.round_id], until=until,
                               looking=looking, name_key="sleutel", **extra)
    return result, own_plan(result, looking, ROUNDS, lambda r: plans.get(r.round_id),
                            lambda r: summaries[r.round_id])


def test_the_plan_of_the_earlier_round_beside_the_network_and_its_return_day(instrument, summaries):
    _, plan = at(instrument, summaries, "gemeente amstel")  # names as the store compares them
    assert (plan.organisation, plan.plan_round.round_id, plan.current.round_id) == ("gemeente amstel", "a1", "a2")
    assert plan.is_follow_up
    seven, twelve = plan.focuses
    assert (seven.id, seven.theme) == (7, instrument.statement(7).theme)
    assert (seven.own, seven.mean, seven.lowest, seven.highest) == pytest.approx((3.5, 3.5, 3.0, 4.0))
    assert seven.actions == ("Intervisie tolkgebruik · teamleider · 1 juni 2025 · Klaar",)
    assert (twelve.own, twelve.mean, twelve.actions) == (pytest.approx(3.0), pytest.approx(3.0), ())
    [follow_seven, follow_twelve] = plan.follow_up
    half = 1.96 * math.sqrt(0.3 / 6)
    assert (follow_seven["score_first"], follow_seven["score_last"], follow_seven["change"]) == pytest.approx(
        (2.0, 3.5, 1.5))
    assert follow_seven["verdict"] == "vooruitgang"
    assert follow_seven["interval"] == f"+{1.5 - half:.2f} tot +{1.5 + half:.2f}".replace(".", ",")
    assert follow_seven["actions"] == [("Intervisie tolkgebruik", "teamleider", "1 juni 2025", "Klaar")]
    # All 3 in both rounds: no change, and no spread to make one out of chance.
    assert (follow_twelve["change"], follow_twelve["verdict"]) == (0, "geen duidelijke verandering")


def test_at_the_plans_own_round_there_is_no_return_day(instrument, summaries):
    """On 1 April Amstel's round is a1, where the plan was made; the network has too few organisations."""
    _, plan = at(instrument, summaries, "Gemeente Amstel", until="2025-04-01")
    assert (plan.plan_round.round_id, plan.current.round_id, plan.is_follow_up, plan.follow_up) == (
        "a1", "a1", False, ())
    assert plan.focuses[0].own == pytest.approx(2.0)
    assert plan.focuses[0].mean is None  # no network figures with one organisation


def test_no_plan_for_the_facilitator_for_an_organisation_without_one_or_with_an_empty_one(instrument, summaries):
    assert at(instrument, summaries, None)[1] is None
    assert at(instrument, summaries, "Gemeente Berkel")[1] is None       # an empty plan is no plan
    assert at(instrument, summaries, "Gemeente Cadzand")[1] is None      # none at all
    later_only = {"a2": PLANS["a1"]}  # a plan on a later round than the moment's never counts
    assert at(instrument, summaries, "Gemeente Amstel", until="2025-04-01", plans=later_only)[1] is None
    # Its plan on the current round itself wins over an earlier one.
    both = {"a1": PLANS["a1"], "a2": Plan("a2", QS, focuses=(Focus(3),))}
    _, plan = at(instrument, summaries, "Gemeente Amstel", plans=both)
    assert (plan.plan_round.round_id, [f.id for f in plan.focuses], plan.follow_up) == ("a2", [3], ())


def test_an_organisation_under_a_letter_shows_no_round_and_no_exact_count(instrument, summaries):
    result, _ = at(instrument, summaries, "Gemeente Amstel")
    rows = {r["Organisatie"]: r for r in organisation_rows(result)}
    assert rows["Gemeente Amstel"]["Meetronde"] == "Najaar 2025 (15 september 2025)"
    assert rows["Gemeente Amstel"]["Respondenten"] == "6"
    lettered = [r for name, r in rows.items() if name != "Gemeente Amstel"]
    assert sorted(r["Respondenten"] for r in lettered) == ["<5", "≥5", "≥5"]  # Dokkum's 3; Berkel's 9, Cadzand's 11
    assert all(r["Meetronde"] == NOT_SHOWN for r in lettered)
    text = repr(organisation_rows(result))
    for key in ("b1", "c1", "d1"):
        organisation, name, date = INFO[key]
        assert organisation not in text and name not in text.replace("Najaar 2025 (15", "")
        assert format_date(date) not in text and date not in text
        assert f"'{len(ANSWERS[key])}'" not in text


def test_with_names_on_every_round_and_count_is_shown(instrument, summaries):
    result, _ = at(instrument, summaries, None, show_names=True)
    rows = {r["Organisatie"]: r for r in organisation_rows(result)}
    assert rows["Gemeente Cadzand"]["Meetronde"] == "Meting september (25 september 2025)"
    assert rows["Gemeente Cadzand"]["Respondenten"] == "11"
    assert rows["Gemeente Dokkum"]["Respondenten"] == "<5"  # too small: never its count
    # A round's own stricter minimum is what it had to meet.
    result, _ = at(instrument, summaries, None, show_names=True, min_group_size=10)
    rows = {r["Organisatie"]: r for r in organisation_rows(result)}
    assert rows["Gemeente Berkel"]["Respondenten"] == "<10"
    assert rows["Gemeente Berkel"]["Meegeteld"] == "nee: te weinig respondenten (n<10)"


def test_a_checklist_members_plan_in_shares():
    """Diversiteitskader: item "1.10" (Ja = 2, Nee = 1). By hand: Noord 4 of 8 Ja in spring -> 7 of 8 in autumn;
    Oost 6 of 8, West 2 of 8 in autumn; network mean (7/8 + 6/8 + 2/8) / 3 = 0.625, lowest 0.25, highest 0.875."""
    from analysis.instrument import get_instrument

    checklist = get_instrument("diversiteitskader-wijkteams")
    column = checklist.statement_ids.index("1.10")

    def rounds_matrix(yes: int) -> np.ndarray:
        codes = np.full((8, len(checklist.statement_ids)), 2, dtype=np.int8)
        codes[:, column] = [2] * yes + [1] * (8 - yes)
        return codes

    answers = {"n1": 4, "n2": 7, "o1": 6, "w1": 2}
    info = {"n1": ("Wijkteam Noord", "2025-03-01"), "n2": ("Wijkteam Noord", "2025-09-01"),
            "o1": ("Wijkteam Oost", "2025-09-02"), "w1": ("Wijkteam West", "2025-09-03")}
    rounds = [RoundInfo(round_id=k, organisation=o, name=f"Ronde {k}", date=d, instrument_id=checklist.id,
                        respondents=8, saved_at="2025-12-01T10:00:00") for k, (o, d) in info.items()]
    summaries = {k: summarize_codes(rounds_matrix(v), checklist) for k, v in answers.items()}
    plan = Plan("n1", checklist.id, focuses=(Focus("1.10", (Action("Intake ruimer plannen", "coördinator"),)),))
    result = network_at_moment(checklist, ["Wijkteam Noord", "Wijkteam Oost", "Wijkteam West"], rounds,
                               lambda r: summaries[r.round_id], until="2025-10-01", looking="Wijkteam Noord",
                               name_key="sleutel")
    own = own_plan(result, "Wijkteam Noord", rounds, lambda r: plan if r.round_id == "n1" else None,
                   lambda r: summaries[r.round_id])
    [focus] = own.focuses
    assert focus.id == "1.10" and focus.theme == "Werkwijze"
    assert (focus.own, focus.mean, focus.lowest, focus.highest) == pytest.approx((7 / 8, 0.625, 0.25, 0.875))
    [row] = own.follow_up
    assert row["change_text"] == "+38 procentpunt"  # 0.875 - 0.5 = 0.375
    first, last = [1] * 4 + [0] * 4, [1] * 7 + [0]
    var = (sum((x - 0.5) ** 2 for x in first) / 7 / 8) + (sum((x - 0.875) ** 2 for x in last) / 7 / 8)
    low, high = 0.375 - 1.96 * math.sqrt(var), 0.375 + 1.96 * math.sqrt(var)
    assert row["interval"] == f"{round(low * 100):+d} tot {round(high * 100):+d} procentpunt"
    assert row["verdict"] == ("vooruitgang" if low > 0 else "geen duidelijke verandering")
    assert own.focuses[0].actions == ("Intake ruimer plannen · coördinator · Gepland",)
