"""A real dashboard server on a free localhost port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Debian's chromium is required (REQUIRE_BROWSER) but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory):
    """The server's own round store, shared by the browser tests of one run."""
    return tmp_path_factory.mktemp("server-meetrondes")


@contextlib.contextmanager
def dashboard_server(data_dir, environ: dict | None = None):
    """`streamlit run app.py` (the dashboard and the participant page) on a free localhost port with its own round
    store (ENVIRON may point it at a
    PostgreSQL database instead); yields its URL.

    The port is free when chosen, not reserved: should another process take it before Streamlit binds it,
    Streamlit stops at once, and it is started again on another port."""
    for _ in range(3):
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "QUICKSCAN_DATA_DIR": str(data_dir), **(environ or {})})
        url = f"http://127.0.0.1:{port}"
        if _healthy(url, process):
            break
    else:
        pytest.fail(f"streamlit stopped at start three times (exit code {process.returncode})")
    try:
        yield url
    finally:
        _stop(process)


def _healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> bool:
    """True once Streamlit answers its health check; False when it stopped (its port was taken)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            return False
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"streamlit did not start within {seconds:.0f} s")


@pytest.fixture(scope="session")
def server(server_data_dir):
    with dashboard_server(server_data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def wait_idle(page, timeout_ms: int = 30000) -> None:
    """Until Streamlit has finished its rerun and charts have drawn.

    The app's own run state (data-test-script-state on stApp, as Streamlit's own browser tests wait for it) is what
    counts: the running indicator (stStatusWidget) shows only once a run has taken 500 ms, so a run that began
    just before the check went unseen and a click that followed could land in the middle of it."""
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=timeout_ms)
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return !!app && app.dataset.testScriptState === 'notRunning'"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]'); }", timeout=timeout_ms)


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# --- Sign-in against a real OpenID Connect provider (tests/browser/test_signin_flow.py) ---------------------

# The server fetches the provider's metadata, keys and tokens itself: never through a proxy.
LOOPBACK_DIRECT = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
SIGNIN_ANALYST_CLAIM = {"sub": "teamleider", "email": "teamleider@gemeente.example", "groups": ["quickscan-analist"]}


def _wait_for_url(url: str, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped at start (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"{what} did not start within {seconds:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def oidc_provider():
    """oidc-provider-mock on a free loopback port: a real OpenID Connect provider with a login form.

    Any subject typed into its form signs in with that subject as e-mail address; the subject "teamleider"
    also carries a ``groups`` claim (SIGNIN_ANALYST_CLAIM).
    """
    import json

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
         "--user-claims", json.dumps(SIGNIN_ANALYST_CLAIM)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
    url = f"http://127.0.0.1:{port}"
    _wait_for_url(f"{url}/.well-known/openid-configuration", process, "oidc-provider-mock")
    yield url
    _stop(process)


@pytest.fixture(scope="session")
def signin_server(oidc_provider, tmp_path_factory):
    """A second dashboard server with sign-in on: [auth] pointing at oidc_provider, [roles] naming analysts.

    Its secrets live in a temporary file passed with --secrets.files, so no .streamlit/secrets.toml is ever
    written into the repository. Yields (url, data_dir): its own round store, empty at the start.
    """
    import secrets as token

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    directory = tmp_path_factory.mktemp("signin-server")
    data_dir = directory / "meetrondes"
    secrets_file = directory / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{token.token_urlsafe(32)}"\n'
        'client_id = "quickscan-dashboard"\n'
        'client_secret = "geheim"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n'
        "\n[roles]\n"
        'analysts = ["Analist@Gemeente.example"]\n'
        'analyst_claim = "groups"\n'
        'analyst_value = "quickscan-analist"\n', encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--secrets.files", str(secrets_file)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "QUICKSCAN_DATA_DIR": str(data_dir), **LOOPBACK_DIRECT})
    _wait_for_url(f"{url}/_stcore/health", process, "streamlit with sign-in")
    yield url, data_dir
    _stop(process)
