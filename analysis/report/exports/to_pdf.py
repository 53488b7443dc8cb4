"""The report as an A4 PDF, printed by the system Chromium from the print version of the HTML report.

Plotly draws its charts as SVG, so Chromium's PDF keeps them as vectors: sharp at any zoom and in
print. Where no Chromium is installed the caller gets a Dutch message instead of a PDF.

Starting Chromium costs about three seconds, more than the printing itself, so one headless Chromium is
started on the first PDF (or earlier, by ``warm_up``) and kept, as to_png keeps kaleido's. Its one tab holds
a shell page with plotly.js loaded; a report's sections are put into it and each chart is drawn as soon as
Python has built it (Chromium draws while Python builds the next), then it waits until every chart is drawn
(no fixed wait) and prints with Page.printToPDF. Chromium is spoken to over the DevTools protocol on a pair of pipes
(``--remote-debugging-pipe``), never a port, so nothing else on the machine can reach it. Where that does
not work (not POSIX) each PDF starts its own Chromium with ``--print-to-pdf``, as before.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from analysis.report.exports.to_html import STYLE, ReportPage, plotly_js, report_html, report_page
from analysis.report.model import Report

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "chromium-browser",
                       "google-chrome")
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--mute-audio", "--hide-scrollbars"]
# The one-shot command line (no pipes): waits a virtual-time budget for the charts instead of asking the page.
CHROMIUM_FLAGS = [*BROWSER_FLAGS, "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                  "--virtual-time-budget=15000"]
# What Chromium's --print-to-pdf does: the page's own @page size and margins, backgrounds, no header or footer.
PRINT_OPTIONS = {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False}
# In the page: every chart drawn (Plotly.newPlot's promises) and the fonts loaded, then print.
READY = ("Promise.all([window.chartsDrawn || Promise.resolve(), document.fonts.ready])"
         ".then(() => new Promise(done => requestAnimationFrame(() => done(true))))")
# A Chromium kept for PDFs holds a few hundred MB; after this long without a PDF it is stopped (the next PDF
# starts it again, as the first one did).
IDLE_SECONDS = 600
# The report page without its content: plotly.js loaded once per Chromium, then each report's sections are put
# in and its charts drawn one by one as Python builds them (see PdfPrinter.print_page).
SHELL_JS = """
window.quickscan = {
  drawn: [],
  start(title, style, body, config) {
    for (const chart of document.querySelectorAll('.js-plotly-plot')) Plotly.purge(chart);
    document.title = title;
    document.getElementById('report-style').textContent = style;
    document.body.innerHTML = body;
    this.config = config;
    this.drawn = [];
    return true;
  },
  draw(id, figure) {
    this.drawn.push(Plotly.newPlot(id, figure.data, figure.layout, this.config));
    return true;
  },
  done() {
    return Promise.all([Promise.all(this.drawn), document.fonts.ready])
      .then(() => new Promise(ready => requestAnimationFrame(() => ready(true))));
  },
};
"""
NO_CHROMIUM = ("Voor PDF en PNG is Chromium nodig, en dat is op deze computer niet gevonden. "
               "Installeer het pakket 'chromium' (Debian: apt-get install chromium) of gebruik de HTML-export.")


class ExportUnavailable(RuntimeError):
    """An export that needs a program this machine does not have; the message is Dutch."""


def find_chromium() -> str | None:
    """The system Chromium: $BROWSER_PATH if set, else the usual names on the PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


class _DevToolsPipe:
    """One headless Chromium and its DevTools pipes: Chromium reads commands on fd 3 and answers on fd 4.

    Messages are JSON, each ended by a NUL byte. Used under PdfPrinter's lock; several commands may be on
    their way at once (``send``), and reading inline files every answer and event until the wanted one is there.
    """

    def __init__(self, chromium: str):
        self.profile = tempfile.mkdtemp(prefix="quickscan-pdf-profiel-")
        # sh puts our pipes on the descriptors Chromium wants (3: commands in, 4: answers out) and gives its
        # own stdin/stdout nothing, so no log line can ever mix into the answers.
        command = ["/bin/sh", "-c", 'exec "$@" 3<&0 4>&1 0</dev/null 1>&2', "sh", chromium, *BROWSER_FLAGS,
                   "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        self._out = self.process.stdout.fileno()
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        self._answers: dict[int, dict] = {}

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.process.stdin.write(json.dumps(message).encode() + b"\0")
        self.process.stdin.flush()
        return self._next_id

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("Chromium antwoordde niet op tijd")
            ready, _, _ = select.select([self._out], [], [], remaining)
            if ready:
                chunk = os.read(self._out, 1 << 20)
                if not chunk:
                    raise ConnectionError("Chromium is gestopt")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _file(self, message: dict) -> None:
        if "id" in message:
            self._answers[message["id"]] = message
        elif "method" in message:
            self._events.append(message)

    def answer(self, wanted: int, method: str, deadline: float) -> dict:
        """The answer to command WANTED (sent earlier by ``send``); an error answer raises."""
        while wanted not in self._answers:
            self._file(self._read(deadline))
        message = self._answers.pop(wanted)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error'].get('message')}")
        return message.get("result", {})

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             deadline: float | None = None) -> dict:
        return self.answer(self.send(method, params, session), method, deadline or time.monotonic() + 30)

    def wait_event(self, method: str, session: str, deadline: float) -> dict:
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event
            self._file(self._read(deadline))

    def discard_events(self) -> None:
        self._events.clear()
        self._answers.clear()

    def close(self) -> None:
        if self.alive():
            try:
                self.call("Browser.close", deadline=time.monotonic() + 5)
            except (OSError, RuntimeError, TimeoutError, ConnectionError, ValueError):
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


class PdfPrinter:
    """A persistent headless Chromium that prints HTML pages to PDF; thread-safe, started lazily, stopped at exit.

    One PDF at a time (Streamlit runs download callbacks on several threads), in one tab. A Chromium that died
    or failed is started again on the next PDF; one idle for ``idle_seconds`` is stopped, to free its memory.
    """

    def __init__(self, chromium: str | None = None, timeout: float = 120, idle_seconds: float = IDLE_SECONDS):
        self.chromium = chromium or find_chromium()
        self.timeout = timeout
        self.idle_seconds = idle_seconds
        self._idle_timer: threading.Timer | None = None
        self._last_used = time.monotonic()
        self._lock = threading.Lock()
        self._pipe: _DevToolsPipe | None = None
        self._session: str | None = None
        self._shell = False  # whether the tab holds the shell page (plotly.js loaded, ready for a report)
        self._registered = False

    def _tab(self) -> tuple[_DevToolsPipe, str]:
        """The running Chromium and the session of its one tab; both made on first use or after a failure."""
        if self._pipe is None or not self._pipe.alive():
            self._drop()
            pipe = _DevToolsPipe(self.chromium)
            try:
                deadline = time.monotonic() + self.timeout
                # Chromium's own first tab (about:blank), or a new one: one renderer process less than two tabs.
                pages = [t for t in pipe.call("Target.getTargets", deadline=deadline)["targetInfos"]
                         if t["type"] == "page"]
                target = (pages[0]["targetId"] if pages else
                          pipe.call("Target.createTarget", {"url": "about:blank"}, deadline=deadline)["targetId"])
                session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                    deadline=deadline)["sessionId"]
                pipe.call("Page.enable", session=session, deadline=deadline)
            except BaseException:
                pipe.close()
                raise
            self._pipe, self._session = pipe, session
            if not self._registered:
                atexit.register(self.close)
                self._registered = True
        return self._pipe, self._session

    def _drop(self) -> None:
        if self._pipe is not None:
            self._pipe.close()
        self._pipe, self._session, self._shell = None, None, False

    def warm_up(self) -> None:
        """Start Chromium and load the shell page now, on a thread of its own, so the first PDF does not wait."""
        def start() -> None:
            with self._lock:
                try:
                    self._shell_page()
                except (OSError, RuntimeError, TimeoutError, ConnectionError, ValueError):
                    self._drop()  # the PDF itself will try again, and say what went wrong
                self._used()

        if self.chromium and self._pipe is None:
            threading.Thread(target=start, name="pdf-chromium", daemon=True).start()

    def pdf(self, html: str) -> bytes:
        """Any HTML page as a PDF: loaded as a new document, printed once its ``chartsDrawn`` promise settled."""
        with self._printing():
            with tempfile.TemporaryDirectory(prefix="quickscan-pdf-") as directory:
                source = Path(directory) / "rapport.html"
                source.write_text(html, encoding="utf-8")
                browser, session, deadline = self._load(source.as_uri())
                self._shell = False
                self._evaluate(browser, session, READY, deadline)
                return self._print_to_pdf(browser, session, deadline)

    def print_page(self, page: ReportPage) -> bytes:
        """A report page as a PDF, drawn in the shell page: no page load, no plotly.js to read again, and each
        chart is drawn by Chromium while Python builds the next one."""
        with self._printing():
            browser, session = self._shell_page()
            deadline = time.monotonic() + self.timeout
            arguments = ", ".join(_js(value) for value in (page.title, STYLE, page.body, page.config))
            sent = [browser.send("Runtime.evaluate", {"expression": f"quickscan.start({arguments})"}, session)]
            for chart_id, figure in page.figures():
                sent.append(browser.send("Runtime.evaluate",
                                         {"expression": f"quickscan.draw({_js(chart_id)}, {_js(figure)})"}, session))
            for wanted in sent:
                _raise_page_error(browser.answer(wanted, "Runtime.evaluate", deadline))
            self._evaluate(browser, session, "quickscan.done()", deadline)
            return self._print_to_pdf(browser, session, deadline)

    def _shell_page(self) -> tuple[_DevToolsPipe, str]:
        """The tab with the shell page loaded (plotly.js read and run once per Chromium)."""
        browser, session = self._tab()  # first: a Chromium started afresh has no shell page yet
        if not self._shell:
            shell = Path(browser.profile) / "rapport.html"
            shell.write_text("<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>"
                             f"<style id='report-style'></style><script>{plotly_js()}</script>"
                             f"<script>{SHELL_JS}</script></head><body></body></html>", encoding="utf-8")
            self._load(shell.as_uri())
            self._shell = True
        return browser, session

    @contextmanager
    def _printing(self):
        """One PDF at a time; any failure becomes one Dutch line, and the next PDF gets a fresh Chromium."""
        if self.chromium is None:
            raise ExportUnavailable(NO_CHROMIUM)
        with self._lock:
            try:
                yield
            except (OSError, RuntimeError, TimeoutError, ConnectionError, ValueError) as exc:
                self._drop()
                raise ExportUnavailable(f"Chromium kon de PDF niet maken: {exc}") from exc
            finally:
                self._used()

    def _used(self) -> None:
        """Note a use (under the lock) and close Chromium once it has been idle for ``idle_seconds``."""
        self._last_used = time.monotonic()
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        if self._pipe is not None:
            self._idle_timer = threading.Timer(self.idle_seconds, self._close_if_idle)
            self._idle_timer.daemon = True
            self._idle_timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if time.monotonic() - self._last_used >= self.idle_seconds - 0.05:
                self._drop()

    def _load(self, url: str) -> tuple[_DevToolsPipe, str, float]:
        browser, session = self._tab()
        deadline = time.monotonic() + self.timeout
        browser.call("Page.navigate", {"url": url}, session=session, deadline=deadline)
        browser.wait_event("Page.loadEventFired", session, deadline)
        return browser, session, deadline

    @staticmethod
    def _evaluate(browser: _DevToolsPipe, session: str, expression: str, deadline: float) -> None:
        _raise_page_error(browser.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                            "returnByValue": True}, session=session, deadline=deadline))

    @staticmethod
    def _print_to_pdf(browser: _DevToolsPipe, session: str, deadline: float) -> bytes:
        data = browser.call("Page.printToPDF", PRINT_OPTIONS, session=session, deadline=deadline)["data"]
        browser.discard_events()
        return base64.b64decode(data)

    def close(self) -> None:
        with self._lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            self._drop()


def _js(value) -> str:
    """A value as a JavaScript literal (JSON is one) inside an evaluated expression."""
    return json.dumps(value, ensure_ascii=False)


def _raise_page_error(result: dict) -> None:
    if "exceptionDetails" in result:
        details = result["exceptionDetails"]
        raise RuntimeError(details.get("exception", {}).get("description") or details.get("text", "fout in de pagina"))


def _pdf_once(chromium: str, html: str, timeout: float) -> bytes:
    """One Chromium for one PDF, on its command line: for systems without the pipes."""
    with tempfile.TemporaryDirectory(prefix="quickscan-pdf-") as directory:
        source, target = Path(directory) / "rapport.html", Path(directory) / "rapport.pdf"
        source.write_text(html, encoding="utf-8")
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={Path(directory) / 'profiel'}",
                   f"--print-to-pdf={target}", source.as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportUnavailable(f"Chromium kon de PDF niet maken: {exc}") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise ExportUnavailable("Chromium kon de PDF niet maken (geen uitvoer).")
        return target.read_bytes()


_printers: dict[str, PdfPrinter] = {}
_printers_lock = threading.Lock()


def printer(chromium: str) -> PdfPrinter:
    """The process's printer for this Chromium (one per path, so $BROWSER_PATH may change between calls)."""
    with _printers_lock:
        if chromium not in _printers:
            _printers[chromium] = PdfPrinter(chromium)
        return _printers[chromium]


def report_pdf(report: Report, timeout: float = 120) -> bytes:
    chromium = find_chromium()
    if chromium is None:
        raise ExportUnavailable(NO_CHROMIUM)
    if os.name != "posix" or not Path("/bin/sh").exists():
        return _pdf_once(chromium, report_html(report, for_print=True), timeout)
    return printer(chromium).print_page(report_page(report, for_print=True))
