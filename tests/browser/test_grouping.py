"""test.sh's two pytest-xdist workers (--dist loadgroup) run the browser tests one after another on one of them
(tests/conftest.py): a small suite of its own, run the same way, shows on which worker each test ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

SUITE = '''
import json
import os
import time

import pytest

RAN = os.path.join(os.path.dirname(__file__), "ran")


def note(name):
    with open(os.path.join(RAN, name), "w") as handle:
        json.dump(os.environ["PYTEST_XDIST_WORKER"], handle)
    time.sleep(0.2)


@pytest.mark.browser
@pytest.mark.parametrize("n", range(6))
def test_in_the_browser(n):
    note(f"browser-{n}")


@pytest.mark.parametrize("n", range(6))
def test_elsewhere(n):
    note(f"other-{n}")
'''


def test_the_browser_tests_run_on_one_worker(tmp_path):
    (tmp_path / "ran").mkdir()
    (tmp_path / "test_suite.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    browser: a browser test\n", encoding="utf-8")
    environ = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-n", "2",
         "--dist", "loadgroup", "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=ROOT, env={**environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    ran = {path.name: json.loads(path.read_text()) for path in (tmp_path / "ran").iterdir()}
    assert len(ran) == 12, ran
    browser = {worker for name, worker in ran.items() if name.startswith("browser-")}
    assert len(browser) == 1, ran  # together, one after another
    assert set(ran.values()) == {"gw0", "gw1"}, ran  # while the other worker takes the rest
