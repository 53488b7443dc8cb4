"""The in-memory keeper of a browser's upload: bounded by count and bytes, least recently used out first, expiring
after idle time (on a clock of the test's own), and bound to the user who stored it."""

import threading

import pytest

from analysis.kept_uploads import Found, KeptLimits, KeptUploads


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def store(entries=10, size=1000, idle=60.0, clock=None) -> KeptUploads:
    return KeptUploads(KeptLimits(max_entries=entries, max_bytes=size, idle_seconds=idle), clock or Clock())


def test_a_value_is_found_by_its_token_for_its_owner():
    kept = store()
    assert kept.put("t1", "", {"name": "a.csv"}, 10)
    assert kept.get("t1", "") == (Found.KEPT, {"name": "a.csv"})
    assert kept.get("t2", "") == (Found.MISSING, None)


def test_the_count_bound_evicts_the_least_recently_used():
    kept = store(entries=3)
    for token in ["a", "b", "c"]:
        kept.put(token, "", token, 1)
    kept.get("a", "")  # a is now the most recently used: b is the oldest
    kept.put("d", "", "d", 1)
    assert kept.tokens() == ["c", "a", "d"]
    assert kept.get("b", "")[0] is Found.MISSING
    assert len(kept) == 3


def test_the_byte_bound_evicts_as_many_as_needed_oldest_first():
    kept = store(size=100)
    kept.put("a", "", "a", 40)
    kept.put("b", "", "b", 30)
    kept.put("c", "", "c", 20)
    assert kept.total_bytes == 90
    kept.put("d", "", "d", 55)  # 145 bytes: a (40) and b (30) must go, leaving c + d = 75
    assert kept.tokens() == ["c", "d"]
    assert kept.total_bytes == 75


def test_replacing_an_entry_counts_its_new_size_only():
    kept = store(size=100)
    kept.put("a", "", "old", 60)
    kept.put("b", "", "b", 30)
    kept.put("a", "", "new", 65)  # 65 + 30 = 95: nothing evicted, a is now the most recent
    assert kept.tokens() == ["b", "a"]
    assert kept.total_bytes == 95
    assert kept.get("a", "") == (Found.KEPT, "new")


def test_a_value_larger_than_the_whole_store_is_not_kept_and_drops_its_old_entry():
    kept = store(size=100)
    kept.put("a", "", "small", 10)
    kept.put("b", "", "b", 10)
    assert not kept.put("a", "", "huge", 101)
    assert kept.get("a", "")[0] is Found.MISSING  # not the stale small one: the session has moved on
    assert kept.tokens() == ["b"] and kept.total_bytes == 10


def test_zero_entries_keeps_nothing():
    kept = store(entries=0)
    assert not kept.put("a", "", "a", 1)
    assert len(kept) == 0


def test_an_entry_expires_after_idle_time_and_a_use_restarts_the_clock():
    clock = Clock()
    kept = store(idle=60, clock=clock)
    kept.put("a", "", "a", 5)
    kept.put("b", "", "b", 7)
    clock.now += 50
    assert kept.get("a", "")[0] is Found.KEPT  # used at 1050: fresh until 1110
    clock.now += 10.5  # 1060.5: b (last used at 1000) has been idle 60.5 s
    assert kept.get("b", "")[0] is Found.MISSING
    assert kept.total_bytes == 5
    clock.now += 49  # 1109.5: a idle 59.5 s
    assert kept.touch("a", "")
    clock.now += 60  # exactly the idle time since the touch: still kept
    assert kept.tokens() == ["a"]
    clock.now += 0.01
    assert kept.tokens() == [] and kept.total_bytes == 0
    assert not kept.touch("a", "")


def test_an_entry_is_bound_to_its_owner():
    kept = store()
    kept.put("t", "https://login.example|anna", "anna's file", 10)
    assert kept.get("t", "https://login.example|bert") == (Found.OTHER_USER, None)
    assert kept.get("t", "") == (Found.OTHER_USER, None)  # no identity is not anna's either
    assert not kept.touch("t", "https://login.example|bert")
    assert not kept.forget("t", "https://login.example|bert")  # another user cannot drop it
    assert not kept.put("t", "https://login.example|bert", "bert's file", 10)  # nor replace it
    assert kept.get("t", "https://login.example|anna") == (Found.KEPT, "anna's file")


def test_another_users_lookup_is_no_use_of_the_entry():
    clock = Clock()
    kept = store(entries=2, idle=60, clock=clock)
    kept.put("a", "anna", "a", 1)
    kept.put("b", "bert", "b", 1)
    clock.now += 30
    kept.get("a", "bert")  # neither refreshes a's idle clock nor makes it the most recent
    kept.put("c", "bert", "c", 1)
    assert kept.tokens() == ["b", "c"]


def test_forget_drops_the_owners_entry():
    kept = store()
    kept.put("a", "", "a", 10)
    assert kept.forget("a", "")
    assert kept.get("a", "")[0] is Found.MISSING and kept.total_bytes == 0
    assert not kept.forget("a", "")


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, KeptLimits(100, 256 * 1024 * 1024, 8 * 3600)),
    ({"QUICKSCAN_KEPT_UPLOADS": "5", "QUICKSCAN_KEPT_UPLOADS_MB": "1.5", "QUICKSCAN_KEPT_UPLOADS_HOURS": "0.5"},
     KeptLimits(5, 1572864, 1800)),
    ({"QUICKSCAN_KEPT_UPLOADS": "0"}, KeptLimits(0, 256 * 1024 * 1024, 8 * 3600)),
    ({"QUICKSCAN_KEPT_UPLOADS": "veel", "QUICKSCAN_KEPT_UPLOADS_MB": "-3", "QUICKSCAN_KEPT_UPLOADS_HOURS": "nan"},
     KeptLimits(100, 256 * 1024 * 1024, 8 * 3600)),
])
def test_limits_from_the_environment(environ, expected):
    assert KeptLimits.from_environ(environ) == expected


def test_sessions_in_threads_keep_the_byte_count_right():
    kept = store(entries=50, size=10_000)

    def work(n: int) -> None:
        for i in range(200):
            kept.put(f"{n}-{i % 20}", "", i, 7)
            kept.get(f"{n}-{(i * 7) % 20}", "")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kept) == 50 and kept.total_bytes == 50 * 7
