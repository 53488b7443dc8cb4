"""Leernetwerk figures against values worked out by hand, the exclusions, the minimum of organisations,
and anonymised names that never leak a real name (nor a round name, which often contains it)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from analysis.ingest.dataset import ingest_bytes
from analysis.instrument import get_instrument
from analysis.rounds import RoundInfo
from analysis.scoring.network import (
    Member,
    anonymous_names,
    build_network,
    network_figures,
    network_to_dict,
    network_to_table,
    organisation_scores,
)
from analysis.scoring.scores import summarize_codes
from analysis.scoring.summary import summarize

CHECKLIST = "diversiteitskader-wijkteams"
THEMES = {"Competenties": range(1, 10), "Methodiek": range(10, 13), "Randvoorwaarden": range(13, 20),
          "Proces": range(20, 25)}
REAL = ("Amstelveen", "Berkel", "Cadzand", "Dokkum")
KEY = "een-geheime-sleutel-van-het-netwerk"


# -- the QuickScan: four municipalities, answers chosen so every score is plain arithmetic --------------------

def scale_matrix(n: int, base: int, changes: dict[int, list[int]]) -> np.ndarray:
    """N respondents answering BASE everywhere; CHANGES gives a statement's column answer by answer."""
    matrix = np.full((n, 24), base, dtype=np.int8)
    for statement, column in changes.items():
        matrix[:, statement - 1] = column
    return matrix


# Gemeente Amstelveen (6): 2 everywhere; statement 10: three answer 4, three Onbekend -> 4; statement 20 all 1.
# Gemeente Berkel (5): 3 everywhere; statements 5 and 13 all 1.
# Gemeente Cadzand (8): 4 everywhere; statement 7 all 1; statement 24 empty for everyone -> no score.
# Gemeente Dokkum (3): 1 everywhere, too small to count.
AMSTELVEEN = {s: 2.0 for s in range(1, 25)} | {10: 4.0, 20: 1.0}
BERKEL = {s: 3.0 for s in range(1, 25)} | {5: 1.0, 13: 1.0}
CADZAND = {s: 4.0 for s in range(1, 25)} | {7: 1.0, 24: None}


def hand_theme(scores: dict[int, float | None], theme: str) -> float:
    known = [scores[s] for s in THEMES[theme] if scores[s] is not None]
    return sum(known) / len(known)


@pytest.fixture(scope="module")
def scale_members(instrument):
    matrices = {
        "Gemeente Amstelveen": scale_matrix(6, 2, {10: [4, 4, 4, 0, 0, 0], 20: [1] * 6}),
        "Gemeente Berkel": scale_matrix(5, 3, {5: [1] * 5, 13: [1] * 5}),
        "Gemeente Cadzand": scale_matrix(8, 4, {7: [1] * 8, 24: [-1] * 8}),
        "Gemeente Dokkum": scale_matrix(3, 1, {}),
    }
    return [Member(name, f"{name.split()[1]} voorjaar 2025", f"2025-03-{10 + i}",
                   summarize_codes(matrix, instrument), round_id=f"{i:032x}")
            for i, (name, matrix) in enumerate(matrices.items())]


def by_name(result: dict) -> dict:
    return {o["organisation"]: o for o in result["organisations"]}


def test_theme_figures_are_the_mean_of_the_organisations(instrument, scale_members):
    result = network_to_dict(build_network(instrument, scale_members, looking="Gemeente Berkel", name_key=KEY))
    assert result["instrument"] == "quickscan-dsb"
    assert result["network"]["organisations"] == 3
    for figure in result["network"]["themes"]:
        scores = [hand_theme(org, figure["theme"]) for org in (AMSTELVEEN, BERKEL, CADZAND)]
        assert figure["mean"] == round(sum(scores) / 3, 2)
        assert (figure["min"], figure["max"]) == (round(min(scores), 2), round(max(scores), 2))
    methodiek = next(f for f in result["network"]["themes"] if f["theme"] == "Methodiek")
    # Amstelveen (4 + 2 + 2) / 3, Berkel 3, Cadzand 4: each organisation weighs the same, whatever its size.
    assert methodiek["mean"] == round((8 / 3 + 3 + 4) / 3, 2) == 3.22


def test_a_too_small_organisation_is_left_out_and_says_so(instrument, scale_members):
    network = build_network(instrument, scale_members, looking="Gemeente Berkel", name_key=KEY)
    dokkum = next(o for o in network.organisations if o.respondents == 3)
    assert not dokkum.included and dokkum.reason == "te weinig respondenten (n<5)"
    assert all(s.score is None for s in dokkum.themes + dokkum.statements)
    competenties = network.themes[0]
    # With Dokkum (all 1) the mean would be (2 + 3 + 4 + 1) / 4 = 2.5; without it, (2 + 3 + 4) / 3.
    assert competenties.mean == pytest.approx(hand_theme(AMSTELVEEN, "Competenties") / 3
                                              + hand_theme(BERKEL, "Competenties") / 3
                                              + hand_theme(CADZAND, "Competenties") / 3)
    assert competenties.lowest == 2.0 and competenties.organisations == 3


def test_a_rounds_own_stricter_minimum_wins(instrument):
    strict = summarize_codes(scale_matrix(6, 3, {}), instrument, min_group_size=8)
    members = [Member("Strikt", "r", "2025-01-01", strict)]
    network = build_network(instrument, members, looking="Strikt", min_group_size=5)
    assert network.organisations[0].reason == "te weinig respondenten (n<8)"
    assert network.organisations[0].themes[0].score == 3.0  # its own result it always sees


def test_statement_figures_and_a_statement_two_organisations_scored(instrument, scale_members):
    network = build_network(instrument, scale_members, name_key=KEY)
    figures = {f["key"]: f for f in network_figures(network, "statements")}
    for statement in range(1, 24):
        scores = [org[statement] for org in (AMSTELVEEN, BERKEL, CADZAND)]
        assert figures[statement]["mean"] == pytest.approx(sum(scores) / 3)
        assert figures[statement]["lowest"] == min(scores) and figures[statement]["highest"] == max(scores)
    # Statement 24 has a score in two organisations only: a "mean" of two is no network figure.
    assert figures[24]["mean"] is None and figures[24]["organisations"] == 2


def test_learning_questions_weakest_first_ties_in_statement_order(instrument, scale_members):
    network = build_network(instrument, scale_members, name_key=KEY)
    # Statement 7: (2 + 3 + 1) / 3 = 2.0; 5 and 13: (2 + 1 + 4) / 3 = 2.33 each; 20: (1 + 3 + 4) / 3 = 2.67.
    # Every other statement: (2 + 3 + 4) / 3 = 3.0, not below the threshold 3.0; 10: (4 + 3 + 4) / 3.
    assert [q.id for q in network.learning_questions] == [7, 5, 13, 20]
    seven = network.learning_questions[0]
    assert (seven.mean, seven.lowest, seven.highest, seven.below, seven.organisations) == (2.0, 1.0, 3.0, 2, 3)
    assert seven.text == instrument.statement(7).text and seven.theme == "Competenties"
    limited = build_network(instrument, scale_members, name_key=KEY, max_questions=2, threshold=2.5)
    assert [q.id for q in limited.learning_questions] == [7, 5]


def test_two_organisations_included_show_no_network_and_no_other_organisation(instrument, scale_members):
    members = [scale_members[0], scale_members[1], scale_members[3]]  # Amstelveen, Berkel, Dokkum (too small)
    network = build_network(instrument, members, looking="Gemeente Amstelveen", name_key=KEY)
    result = network_to_dict(network)
    assert result["network"]["organisations"] == 2
    assert all(f["mean"] is None and f["min"] is None and f["max"] is None for f in result["network"]["themes"])
    assert all(f.mean is None for f in network.statements) and network.learning_questions == ()
    orgs = by_name(result)
    own = orgs.pop("Gemeente Amstelveen")
    assert [t["score"] for t in own["themes"]] == [2.0, round(8 / 3, 2), 2.0, round((1 + 2 * 4) / 5, 2)]
    # Berkel is included but, with two organisations, its score and the mean would give each other away.
    assert all(t["score"] is None for o in orgs.values() for t in o["themes"])
    assert [o["included"] for o in orgs.values()].count(True) == 1
    assert "pas getoond vanaf 3" in network_to_table(network)


def test_the_facilitator_with_two_included_sees_no_score_at_all(instrument, scale_members):
    network = build_network(instrument, [scale_members[0], scale_members[1]], name_key=KEY)
    assert all(s.score is None for o in network.organisations for s in o.themes + o.statements)
    assert all(row["score"] is None for row in organisation_scores(network, "statements"))


def test_a_higher_minimum_of_organisations_and_never_below_three(instrument, scale_members):
    network = build_network(instrument, scale_members, min_organisations=4, name_key=KEY)
    assert network.included == 3 and not network.shown and network.themes[0].mean is None
    with pytest.raises(ValueError, match="minimum aantal organisaties is 3"):
        build_network(instrument, scale_members, min_organisations=2)


def test_one_instrument_and_one_round_per_organisation(instrument, scale_members):
    checklist = get_instrument(CHECKLIST)
    other = Member("Wijkteam", "r", "2025-01-01", summarize_codes(np.full((5, 32), 2, dtype=np.int8), checklist))
    with pytest.raises(ValueError, match="ander instrument"):
        build_network(instrument, [*scale_members, other])
    twice = Member(" gemeente  BERKEL", "r", "2025-01-01", scale_members[1].summary)
    with pytest.raises(ValueError, match="twee keer"):
        build_network(instrument, [*scale_members, twice])


# -- names ------------------------------------------------------------------------------------------------

def leaks(text: str, allowed: str | None = None) -> list[str]:
    return [name for name in REAL if name.lower() in text.lower() and (allowed is None or name not in allowed)]


@pytest.mark.parametrize("looking", [None, "Gemeente Berkel"])
def test_real_names_appear_nowhere(instrument, scale_members, looking):
    network = build_network(instrument, scale_members, looking=looking, name_key=KEY)
    outputs = [json.dumps(network_to_dict(network), ensure_ascii=False), network_to_table(network),
               repr(network.organisations), repr(network.learning_questions),
               json.dumps(organisation_scores(network, "statements"), default=str)]
    for text in outputs:
        assert leaks(text, allowed=looking) == []
    names = [o.name for o in network.organisations]
    expected = ["Organisatie A", "Organisatie B", "Organisatie C", "Organisatie D"]
    if looking:
        assert names[0] == "Gemeente Berkel" and network.organisations[0].round == "Berkel voorjaar 2025"
        assert len(set(names[1:]) & set(expected)) == 3
    else:
        assert names == expected
    # Another organisation's round is shown by its date: its name often carries the organisation's name.
    assert {o.round for o in network.organisations if not o.own} <= {"10 maart 2025", "11 maart 2025",
                                                                     "12 maart 2025", "13 maart 2025"}


def test_letters_are_stable_and_the_same_for_every_viewer(instrument, scale_members):
    def letters(members, looking=None):
        network = build_network(instrument, members, looking=looking, name_key=KEY)
        return {o.respondents: o.name for o in network.organisations}  # respondents tell them apart here

    first = letters(scale_members)
    shuffled = scale_members[:]
    random.Random(7).shuffle(shuffled)
    assert letters(shuffled) == first == letters(scale_members)
    seen_by_berkel = letters(scale_members, looking="Gemeente Berkel")
    assert seen_by_berkel[5] == "Gemeente Berkel"
    assert {n: name for n, name in seen_by_berkel.items() if n != 5} == {n: name for n, name in first.items()
                                                                          if n != 5}


def test_letters_do_not_follow_the_alphabet_or_the_order_of_joining(instrument):
    names = ["Gemeente Amstelveen", "Gemeente Berkel", "Gemeente Cadzand", "Gemeente Dokkum", "Gemeente Edam"]
    def order(key: str) -> tuple[str, ...]:
        letters = anonymous_names(names, key)
        return tuple(sorted(names, key=lambda name: letters[name.casefold()]))

    orders = [order(f"sleutel {k}") for k in range(12)]
    assert len(set(orders)) > 1 and any(order != tuple(names) for order in orders)
    # The same key gives the same letters, whatever the case or spacing of a name.
    assert anonymous_names(names, KEY) == anonymous_names([n.upper().replace(" ", "  ") for n in names], KEY)


def test_without_a_key_the_letters_come_from_the_round_ids(instrument, scale_members):
    a = build_network(instrument, scale_members)
    b = build_network(instrument, list(reversed(scale_members)))
    assert [(o.respondents, o.name) for o in a.organisations] == [(o.respondents, o.name) for o in b.organisations]


def test_names_on_shows_every_name_and_round(instrument, scale_members):
    network = build_network(instrument, scale_members, looking="Gemeente Berkel", show_names=True)
    assert [o.name for o in network.organisations] == ["Gemeente Berkel", "Gemeente Amstelveen", "Gemeente Cadzand",
                                                      "Gemeente Dokkum"]
    assert network.organisations[1].round == "Amstelveen voorjaar 2025"
    assert "onder een letter" not in network_to_table(network)


# -- the table ----------------------------------------------------------------------------------------------

def test_table_in_dutch_with_aligned_columns(instrument, scale_members):
    table = network_to_table(build_network(instrument, scale_members, looking="Gemeente Berkel", name_key=KEY))
    lines = table.splitlines()
    assert lines[0] == "Leernetwerk: QuickScan diversiteits sensitief begeleiden"
    assert "Organisaties meegeteld: 3 van 4" in lines[1]
    header = next(line for line in lines if line.startswith("Organisatie ") and "Competenties" in line)
    mean_line = next(line for line in lines if line.startswith("Netwerkgemiddelde"))
    # Competenties: Amstelveen 2, Berkel (8 * 3 + 1) / 9, Cadzand (8 * 4 + 1) / 9: (18 + 25 + 33) / 27 = 2.81
    assert mean_line.split()[1] == "2,81"
    # Right-aligned under their headers: each number ends where its header ends.
    assert header.index("Competenties") + len("Competenties") == mean_line.index("2,81") + 4
    assert "<5" in table and "nee: te weinig respondenten (n<5)" in table
    assert "Gezamenlijke leervragen (netwerkgemiddelde onder 3,0):" in table
    assert "   7  Competenties: gemiddeld 2,00 (1,00 tot 3,00), 2 van 3 organisaties onder 3,0" in table


# -- the Diversiteitskader: shares of Ja, blocks -------------------------------------------------------------

def checklist_matrix(checklist, n_yes: int, n_no: int, no_items=(), yes_items=()) -> np.ndarray:
    """N_YES respondents ticking Ja and N_NO ticking Nee on every item, except items all Nee / all Ja."""
    ids = checklist.statement_ids
    matrix = np.array([[2] * len(ids)] * n_yes + [[1] * len(ids)] * n_no, dtype=np.int8)
    for item in no_items:
        matrix[:, ids.index(item)] = 1
    for item in yes_items:
        matrix[:, ids.index(item)] = 2
    return matrix


@pytest.fixture(scope="module")
def checklist_network():
    checklist = get_instrument(CHECKLIST)
    werkwijze = [f"1.{i}" for i in range(1, 13)]
    matrices = {
        "Wijkteam Noord": checklist_matrix(checklist, 5, 0, no_items=("3.1", "4.2")),  # all Ja but 3.1 and 4.2
        "Wijkteam Oost": checklist_matrix(checklist, 0, 6, yes_items=werkwijze),       # only Werkwijze met
        "Wijkteam Zuid": checklist_matrix(checklist, 3, 2),                            # 60% everywhere
        "Wijkteam West": checklist_matrix(checklist, 2, 0),                            # too small
    }
    members = [Member(name, name, "2025-10-01", summarize_codes(m, checklist), f"{i:032x}")
               for i, (name, m) in enumerate(matrices.items())]
    return checklist, build_network(checklist, members, looking="Wijkteam Zuid", name_key=KEY)


def test_checklist_blocks_are_the_mean_of_the_shares(checklist_network):
    checklist, network = checklist_network
    result = network_to_dict(network)
    assert set(result) == {"instrument", "organisations", "network"} and result["instrument"] == CHECKLIST
    assert set(result["network"]) == {"organisations", "blocks"}
    assert set(result["organisations"][0]) == {"organisation", "round", "respondents", "included", "blocks"}
    blocks = {b["block"]: b for b in result["network"]["blocks"]}
    # Noord: Informele netwerken (5 items, 3.1 Nee) 4/5; Diversiteit team (4.1 Ja, 4.2 Nee) 1/2.
    noord = {"Werkwijze": 1.0, "Competenties": 1.0, "Informele netwerken": 0.8, "Diversiteit team": 0.5,
             "Proces": 1.0}
    oost = {"Werkwijze": 1.0, "Competenties": 0.0, "Informele netwerken": 0.0, "Diversiteit team": 0.0,
            "Proces": 0.0}
    for block, figure in blocks.items():
        scores = [noord[block], oost[block], 0.6]
        assert figure["mean"] == round(sum(scores) / 3, 2), block
        assert (figure["min"], figure["max"]) == (min(scores), max(scores))
    assert blocks["Werkwijze"]["mean"] == 0.87 and blocks["Diversiteit team"]["mean"] == 0.37
    west = next(o for o in result["organisations"] if o["respondents"] == 2)
    assert not west["included"] and all(b["score"] is None for b in west["blocks"])


def test_checklist_learning_questions_below_half(checklist_network):
    _, network = checklist_network
    # 3.1 and 4.2: (0 + 0 + 0.6) / 3 = 0.2, a tie in item order; every other item at least (0 + 0.6 + 1) / 3.
    assert [q.id for q in network.learning_questions] == ["3.1", "4.2"]
    assert network.learning_questions[0].mean == pytest.approx(0.2) and network.learning_questions[0].below == 2


def test_checklist_table_in_the_kinds_words(checklist_network):
    _, network = checklist_network
    table = network_to_table(network)
    assert "Scores per bouwsteen:" in table and "Netwerk per item:" in table
    assert "(netwerkgemiddelde onder 50%)" in table and "gemiddeld 20% (0% tot 60%)" in table
    assert next(line for line in table.splitlines() if line.startswith("Netwerkgemiddelde")).split()[1] == "87%"
    assert leaks(table) == [] and "Noord" not in table and "Oost" not in table and "West" not in table


def test_checklist_with_two_included_gives_null_blocks():
    checklist = get_instrument(CHECKLIST)
    members = [Member(name, name, "2025-10-01", summarize_codes(checklist_matrix(checklist, n, 0), checklist))
               for name, n in (("Wijkteam Noord", 5), ("Wijkteam Oost", 5), ("Wijkteam West", 4))]
    result = network_to_dict(build_network(checklist, members, looking="Wijkteam Oost", name_key=KEY))
    assert result["network"]["organisations"] == 2
    assert all(b["mean"] is None and b["min"] is None and b["max"] is None for b in result["network"]["blocks"])
    assert [o["organisation"] for o in result["organisations"]][0] == "Wijkteam Oost"
    assert all(b["score"] is None for o in result["organisations"][1:] for b in o["blocks"])


# -- the way the page and the command line will call it: rounds, their summaries with saved settings ----------

def test_members_from_saved_rounds_and_their_own_privacy_settings(instrument):
    header = ",".join(f"Stelling {i}" for i in range(1, 25))
    members = []
    for i, (name, level, n) in enumerate((("Gemeente Amstelveen", "Startend", 5),
                                          ("Gemeente Berkel", "Goed op weg", 6),
                                          ("Gemeente Cadzand", "Gevorderd", 7))):
        dataset = ingest_bytes(("\n".join([header] + [",".join([level] * 24)] * n) + "\n").encode(), "r.csv")
        dataset.source["privacy"] = {"reporting_columns": [], "min_group_size": 5}
        info = RoundInfo(f"{i:032x}", name, f"{name} najaar", "2025-11-0" + str(i + 1), instrument.id, n)
        members.append(Member.from_round(info, summarize(dataset)))
    result = network_to_dict(build_network(instrument, members, name_key=KEY))
    assert [t["mean"] for t in result["network"]["themes"]] == [3.0] * 4  # (2 + 3 + 4) / 3
    assert sorted(o["respondents"] for o in result["organisations"]) == [5, 6, 7]
    assert leaks(json.dumps(result)) == []
