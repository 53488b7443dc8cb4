"""The facilitator's live view (analysis.meeting.live.live_view): what the wall may show while answers come in.

The wall refreshes every few seconds. It counts submitted answers only, and each figure grows in whole steps of the
minimum group size, so no refresh shows one person's answer as the difference with the refresh before."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.instrument import get_instrument
from analysis.meeting.live import live_view
from tests.conftest import THEME_OF

QUICKSCAN = get_instrument("quickscan-dsb")


def test_the_wall_counts_submitted_answers_in_steps_of_the_minimum():
    """Six people answered statement 1; p0 also statement 2; p0-p4 said Onbekend to statement 3. They submit from p5
    down to p0. A sixth answer to statement 1 changes nothing on the wall; ten do."""
    people = [(f"p{n}", "") for n in range(10)]
    codes_1 = [1, 2, 3, 4, 5, 2]
    answers = [(f"p{n}", "1", code) for n, code in enumerate(codes_1)]
    answers += [("p0", "2", 1)]
    answers += [(f"p{n}", "3", 0) for n in range(5)]
    order = [f"p{n}" for n in range(5, -1, -1)]

    assert live_view(QUICKSCAN, people, answers, 5, submitted=order[:4]).summary is None
    assert live_view(QUICKSCAN, people, answers, 5).summary is None  # answers given, nobody submitted

    five = live_view(QUICKSCAN, people, answers, 5, submitted=order[:5])
    statements = five.summary.statements.set_index("id")
    assert math.isclose(statements.loc[1, "score"], (2 + 3 + 4 + 5 + 2) / 5)  # p5 .. p1, not p0
    assert statements.loc[3, "n_unknown"] == 0  # four of the five who said Onbekend submitted: not yet
    assert (five.submitted, five.counted, five.items_waiting) == (5, 5, 23)

    six = live_view(QUICKSCAN, people, answers, 5, submitted=order)
    statements = six.summary.statements.set_index("id")
    assert statements.loc[1, "n_known"] == 5 and math.isclose(statements.loc[1, "score"], 16 / 5)  # unchanged
    two = statements.loc[2]
    assert (two["n_known"], two["n_1"], two["n_missing"]) == (0, 0, 6) and math.isnan(two["score"])
    assert statements.loc[3, "n_unknown"] == 5
    assert six.most_unknown["id"].tolist() == [3]
    assert (six.submitted, six.counted, six.items_waiting) == (6, 6, 22)
    themes = six.summary.themes.set_index("theme")
    assert THEME_OF[2] == THEME_OF[1]
    assert math.isclose(themes.loc[THEME_OF[1], "score"], 16 / 5)  # p0's single answer to 2 not in it
    assert 2 not in six.summary.weak

    answers += [(f"p{n}", "1", 1) for n in range(6, 10)]
    ten = live_view(QUICKSCAN, people, answers, 5, submitted=order + [f"p{n}" for n in range(6, 10)])
    assert math.isclose(ten.summary.statements.set_index("id").loc[1, "score"], (sum(codes_1) + 4) / 10)


def test_each_group_shows_its_submitted_answers_in_steps_and_the_room_is_their_sum():
    """A's five and B's five answered statement 1 (4); a0 and B's five answered statement 2. Statement 2 shows B's
    five (all 2) and nothing of a0, in B's figure and in the room's; A's single answer waits for four more."""
    people = [(f"a{n}", "A") for n in range(5)] + [(f"b{n}", "B") for n in range(5)]
    answers = [(p, "1", 4) for p, _ in people]
    answers += [("a0", "2", 5)] + [(f"b{n}", "2", 2) for n in range(5)]
    view = live_view(QUICKSCAN, people, answers, 5, submitted=[p for p, _ in people])
    groups = {g.name: g.statements.set_index("id") for g in view.groups}
    assert set(groups) == {"A", "B"}
    assert groups["A"].loc[1, "score"] == 4 and groups["B"].loc[1, "score"] == 4
    assert math.isnan(groups["A"].loc[2, "score"]) and groups["A"].loc[2, "n_5"] == 0
    assert groups["B"].loc[2, "score"] == 2 and groups["B"].loc[2, "n_2"] == 5
    room = view.summary.statements.set_index("id")
    assert room.loc[1, "n_known"] == 10 and room.loc[2, "n_known"] == 5 and room.loc[2, "score"] == 2
    assert room.loc[2, "n_5"] == 0  # a0's answer is nowhere on the wall
    themes = {g.name: g.themes.set_index("theme") for g in view.groups}
    assert themes["A"].loc[THEME_OF[1], "score"] == 4  # a0's answer to 2 left out of A's theme score as well
    assert themes["B"].loc[THEME_OF[1], "score"] == (4 + 2) / 2


def test_a_group_alone_below_the_minimum_is_hidden_with_its_size():
    people = [(f"a{n}", "A") for n in range(5)] + [("b0", "B")]
    answers = [(p, "1", 2) for p, _ in people]
    view = live_view(QUICKSCAN, people, answers, 5, submitted=[p for p, _ in people])
    hidden = {g.name: g for g in view.summary.groups if g.suppressed}
    assert [g.name for g in view.groups] == ["A"] and hidden["B"].respondents == 1
    room = view.summary.statements.set_index("id")
    assert room.loc[1, "n_known"] == 5  # A's five; b0 waits for four more of B


def _figures(view) -> dict:
    """Per shown figure (room or group, statement): its answer counts."""
    if view.summary is None:
        return {}
    frames = {"": view.summary.statements, **{g.name: g.statements for g in view.groups}}
    columns = ["n_unknown"] + [f"n_{level}" for level in range(1, 6)]
    return {(name, row.id): tuple(int(getattr(row, c)) for c in columns)
            for name, frame in frames.items() for row in frame.itertuples()}


PEOPLE = st.lists(st.tuples(st.sampled_from(["", "A", "B", "C"]),
                            st.dictionaries(st.sampled_from(["1", "2", "3"]), st.sampled_from([0, 1, 2, 3, 4, 5]),
                                            min_size=1)),
                  min_size=1, max_size=18)


@settings(max_examples=60, deadline=None)
@given(PEOPLE, st.randoms(use_true_random=False), st.sampled_from([2, 3, 5]))
def test_between_two_refreshes_no_figure_moves_by_fewer_than_the_minimum(people, random, minimum):
    """People submit one after another. After every submission each figure on the wall (the room's or a group's,
    per statement), and the room minus the groups on the wall, holds none or at least the minimum of answers, and
    differs from what it was at any earlier refresh by nothing or by at least the minimum answers added (never
    any taken away): so no difference of figures, now or over time, is about fewer than the minimum."""
    participants = [(f"p{i}", group) for i, (group, _) in enumerate(people)]
    answers = [(f"p{i}", item, code) for i, (_, given_) in enumerate(people) for item, code in given_.items()]
    order = [p for p, _ in participants]
    random.shuffle(order)
    history: list[dict] = []
    for n in range(len(order) + 1):
        view = live_view(QUICKSCAN, participants, answers, minimum, submitted=order[:n])
        now = _figures(view)
        if view.summary is not None:
            for statement in (1, 2, 3):
                room = now[("", statement)]
                rest = tuple(r - sum(now[(g.name, statement)][k] for g in view.groups) for k, r in enumerate(room))
                now[("rest", statement)] = rest
        for earlier in history:  # a figure once on the wall stays there
            assert all(key in now for key, counts in earlier.items() if sum(counts)), (earlier, now)
        for key, counts in now.items():
            assert sum(counts) == 0 or sum(counts) >= minimum, key
            for earlier in history:
                before = earlier.get(key, (0,) * 6)
                assert all(c >= b for c, b in zip(counts, before)), (key, before, counts)  # only added
                assert sum(counts) == sum(before) or sum(counts) - sum(before) >= minimum, (key, before, counts)
        history.append(now)
