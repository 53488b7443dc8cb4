"""The facilitator's live view (analysis.meeting.live.live_view): what the wall may show while answers come in."""

import math

from analysis.instrument import get_instrument
from analysis.meeting.live import live_view
from tests.conftest import THEME_OF


def test_a_statement_shows_only_once_the_minimum_answered_it():
    """Six people in the room answered statement 1; one of them also statement 2; five said Onbekend to 3. The wall
    shows statement 1 and 3, and nothing of the single answer to statement 2: not its bar, score or theme."""
    instrument = get_instrument("quickscan-dsb")
    people = [(f"p{n}", "") for n in range(6)]
    codes_1 = [1, 2, 3, 4, 5, 2]
    answers = [(f"p{n}", "1", code) for n, code in enumerate(codes_1)]
    answers += [("p0", "2", 1)]
    answers += [(f"p{n}", "3", 0) for n in range(5)]
    view = live_view(instrument, people, answers, 5)
    statements = view.summary.statements.set_index("id")
    assert statements.loc[1, "n_known"] == 6 and math.isclose(statements.loc[1, "score"], sum(codes_1) / 6)
    two = statements.loc[2]
    assert (two["n_known"], two["n_unknown"], two["n_1"], two["n_missing"]) == (0, 0, 0, 6)
    assert math.isnan(two["score"]) and two["level"] is None
    assert statements.loc[3, "n_unknown"] == 5
    assert view.most_unknown["id"].tolist() == [3]
    assert view.items_waiting == 24 - 2
    theme = THEME_OF[1]
    assert THEME_OF[2] == theme
    themes = view.summary.themes.set_index("theme")
    assert math.isclose(themes.loc[theme, "score"], sum(codes_1) / 6)  # statement 2's single answer not in it
    assert themes.loc[theme, "n_statements_scored"] == 1
    assert 2 not in view.summary.weak


def test_groups_show_a_statement_only_where_room_minus_groups_leaves_none_or_the_minimum():
    """A's five answered statement 1, one of them statement 2; B's five answered both. B's statement 2 would be
    shown and the room's too (six answers): the room minus B is a0's single answer. So B's statement 2 stays
    off the wall, and for every statement the answers the groups leave out are none or at least five."""
    instrument = get_instrument("quickscan-dsb")
    people = [(f"a{n}", "A") for n in range(5)] + [(f"b{n}", "B") for n in range(5)]
    answers = [(p, "1", 4) for p, _ in people]
    answers += [("a0", "2", 5)] + [(f"b{n}", "2", 2) for n in range(5)]
    view = live_view(instrument, people, answers, 5)
    groups = {g.name: g.statements.set_index("id") for g in view.groups}
    assert set(groups) == {"A", "B"}
    assert groups["A"].loc[1, "score"] == 4 and groups["B"].loc[1, "score"] == 4
    assert math.isnan(groups["A"].loc[2, "score"]) and groups["A"].loc[2, "n_5"] == 0
    assert math.isnan(groups["B"].loc[2, "score"]) and groups["B"].loc[2, "n_2"] == 0
    room = view.summary.statements.set_index("id")
    assert math.isclose(room.loc[2, "score"], (5 + 2 * 5) / 6)  # the room's six answers, none of them alone
    for statement in instrument.statement_ids:
        answered = room.loc[statement, "n_known"] + room.loc[statement, "n_unknown"]
        covered = sum(g.loc[statement, "n_known"] + g.loc[statement, "n_unknown"] for g in groups.values())
        assert answered - covered == 0 or answered - covered >= 5, statement
    themes = {g.name: g.themes.set_index("theme") for g in view.groups}
    assert themes["B"].loc[THEME_OF[1], "score"] == 4  # statement 2 left out of B's theme score as well
