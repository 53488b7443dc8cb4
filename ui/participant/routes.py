"""The participant page of a live session and its small JSON API, served next to the dashboard (``app.py``).

Sixty phones in one room cannot each run the dashboard: a Streamlit page costs a phone's browser about
0.3 s of CPU per tap and a 4 MB download to open (measured with benchmarks/bench_live.py). So a phone gets
one static page (``static/``) that draws every screen itself and talks to these endpoints: one request per
tap, each one small store call. The rules are the store's (``analysis.store.live``): an open session only,
caps on participants and answers a minute, votes only on what is offered. No endpoint returns a result or
anything of another session, no sign-in is asked (participants are people in the room, not users), and a
participant's id is a random 128-bit token that only their phone holds.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from analysis.meeting.live_codes import VOTES_PER_PARTICIPANT, normal_code
from analysis.store import StoreError
from analysis.store.live import CLOSED, LiveBusy, LiveError, LiveSession, LiveStore

STATIC = Path(__file__).parent / "static"
MAX_BODY = 4096              # bytes: an answer, a vote or a code is a few dozen
BUSY_RETRY_SECONDS = 10      # told to a phone refused for a moment (429); the page's own pauses stay within it
SESSION_SECONDS = 2          # a session (and its vote) read once for every phone of this process within this time
LOG = logging.getLogger(__name__)
# The page loads nothing from elsewhere and runs only its own script file: whatever a participant or facilitator
# typed (a group name, an organisation) can never run as code, and no other site can frame the page.
HEADERS = {"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                      "connect-src 'self'; base-uri 'none'; form-action 'none'; "
                                      "frame-ancestors 'none'",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


class BadRequest(Exception):
    """A request no phone of ours sends (wrong shape, too large): refused with one Dutch line."""


class SessionGone(LiveError):
    """The join code opens no open session (any more): the phone says so and offers to type another code."""


def _store() -> LiveStore:
    """The deployment's store (its database is opened once per process; this is a look-up)."""
    return LiveStore()


@functools.lru_cache(maxsize=8)
def _content(instrument_id: str) -> bytes:
    """An instrument's screens as JSON, made once per process: the same for every phone."""
    from analysis.instrument import get_instrument
    from analysis.meeting.phone import phone_content

    return json.dumps(phone_content(get_instrument(instrument_id)), ensure_ascii=False).encode()


@functools.lru_cache(maxsize=8)
def _allowed(instrument_id: str) -> tuple[frozenset[str], frozenset[int]]:
    from analysis.instrument import get_instrument
    from analysis.meeting.phone import answer_codes

    instrument = get_instrument(instrument_id)
    return frozenset(str(i) for i in instrument.statement_ids), answer_codes(instrument)


_SESSIONS: dict[str, tuple[float, LiveSession, tuple | None]] = {}
_SESSIONS_LOCK = threading.Lock()


def _open_session(code: str) -> tuple[LiveSession, tuple | None]:
    """The open session of a join code and its vote, read at most once every few seconds however many phones
    ask. What the store writes checks the session's state itself, so a reading a moment old is safe."""
    code = normal_code(code)
    known = _SESSIONS.get(code)
    if known is not None and time.monotonic() - known[0] < SESSION_SECONDS:
        return known[1], known[2]
    store = _store()
    try:
        session = store.by_code(code)
    except LiveError as exc:
        _SESSIONS.pop(code, None)
        raise SessionGone(str(exc)) from exc
    poll = store.poll(session.session_id)
    with _SESSIONS_LOCK:
        if len(_SESSIONS) >= 256:  # bounded: the sessions of a day, the oldest readings dropped first
            for old in sorted(_SESSIONS, key=lambda key: _SESSIONS[key][0])[:128]:
                del _SESSIONS[old]
        _SESSIONS[code] = (time.monotonic(), session, poll)
    return session, poll


def forget_sessions() -> None:
    """Drop the readings (tests; the facilitator's page after it opens or closes a vote in this process)."""
    _SESSIONS.clear()


def _json(data, status: int = 200, headers: dict | None = None) -> Response:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})


async def _body(request: Request) -> dict:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise BadRequest("Dit verzoek is te groot.")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise BadRequest("Dit verzoek is te groot.")
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise BadRequest("Dit verzoek is geen geldige JSON.") from exc
    if not isinstance(body, dict):
        raise BadRequest("Dit verzoek heeft niet de verwachte vorm.")
    return body


def _text(body: dict, key: str, limit: int = 64) -> str:
    value = body.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise BadRequest(f"Het veld '{key}' heeft niet de verwachte vorm.")
    return value


def _sequence(body: dict) -> int | None:
    """The device's number for an answer (optional): a whole number a JavaScript number holds exactly."""
    value = body.get("sequence")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**53:
        raise BadRequest("Het veld 'sequence' heeft niet de verwachte vorm.")
    return value


_DEVICE = re.compile(r"[0-9a-f]{8,32}")


def _device(body: dict) -> str | None:
    """The random id a phone keeps for itself (optional): only hex digits, so it can be nothing else."""
    value = body.get("device")
    if value is None:
        return None
    if not isinstance(value, str) or not _DEVICE.fullmatch(value):
        raise BadRequest("Het veld 'device' heeft niet de verwachte vorm.")
    return value


def endpoint(handler):
    """A handler's Dutch refusals as JSON with a status; never a traceback to a phone."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return _json(await handler(request))
        except BadRequest as exc:
            return _json({"error": str(exc)}, 400)
        except LiveBusy as exc:  # passes by itself: the phone sends it again after a pause of its own
            return _json({"error": str(exc)}, 429, {"Retry-After": str(BUSY_RETRY_SECONDS)})
        except LiveError as exc:
            gone = isinstance(exc, SessionGone) or str(exc) == CLOSED
            return _json({"error": str(exc), "gone": gone}, 410 if gone else 409)
        except StoreError as exc:
            return _json({"error": f"{exc} Probeer het later opnieuw."}, 503)
        except Exception:  # noqa: BLE001 - logged for the operator; the phone gets a line it can act on
            LOG.exception("live participant endpoint %s failed", request.url.path)
            return _json({"error": "Er ging iets mis; probeer het opnieuw."}, 500)

    return wrapped


def _me(store: LiveStore, session: LiveSession, person) -> dict:
    return {"participant": person.participant, "resume": person.resume_code, "group": person.group,
            "submitted": person.submitted, "given": store.own_answers(session.session_id, person.participant)}


def _poll_shown(poll: tuple | None) -> dict | None:
    return {"items": poll[0], "open": poll[1] == "open"} if poll else None


@endpoint
async def session_info(request: Request) -> dict:
    """What a phone needs to welcome its participant: whose session, the groups, the vote on offer."""
    session, poll = await run_in_threadpool(_open_session, request.path_params["code"])
    return {"organisation": session.organisation, "instrument": session.instrument_id,
            "groups": list(session.groups), "poll": _poll_shown(poll), "votes": VOTES_PER_PARTICIPANT}


async def instrument_content(request: Request) -> Response:
    """The instrument's screens; the same bytes for every phone, so the browser may keep them a while."""
    from analysis.instrument import available_instruments

    instrument_id = request.path_params["instrument"]
    if instrument_id not in available_instruments():
        return _json({"error": "Onbekend instrument."}, 404)
    content = await run_in_threadpool(_content, instrument_id)
    return Response(content, media_type="application/json", headers={"Cache-Control": "private, max-age=3600"})


@endpoint
async def join(request: Request) -> dict:
    body = await _body(request)
    group = _text(body, "group", 200)

    def work():
        session, _ = _open_session(request.path_params["code"])
        store = _store()
        return _me(store, session, store.join(session.session_id, group))

    return await run_in_threadpool(work)


@endpoint
async def resume(request: Request) -> dict:
    body = await _body(request)
    resume_code = normal_code(_text(body, "resume", 20))

    def work():
        session, _ = _open_session(request.path_params["code"])
        store = _store()
        return _me(store, session, store.resume(session.session_id, resume_code))

    return await run_in_threadpool(work)


@endpoint
async def answer(request: Request) -> dict:
    body = await _body(request)
    participant, item, code = _text(body, "participant"), _text(body, "item", 12), body.get("code")
    device, sequence = _device(body), _sequence(body)

    def work():
        session, poll = _open_session(request.path_params["code"])
        items, codes = _allowed(session.instrument_id)
        if item not in items or not isinstance(code, int) or isinstance(code, bool) or code not in codes:
            raise BadRequest("Dit antwoord hoort niet bij deze vragenlijst.")
        _store().record_answer(session.session_id, participant, item, code, device, sequence)
        # Whether a vote is open comes along: a phone that is answering need not ask for it separately.
        return {"item": item, "code": code, "poll": _poll_shown(poll)}

    return await run_in_threadpool(work)


@endpoint
async def submit(request: Request) -> dict:
    participant = _text(await _body(request), "participant")

    def work():
        session, _ = _open_session(request.path_params["code"])
        _store().submit(session.session_id, participant)
        return {"submitted": True}

    return await run_in_threadpool(work)


@endpoint
async def vote(request: Request) -> dict:
    body = await _body(request)
    participant, items = _text(body, "participant"), body.get("items")
    if not isinstance(items, list) or len(items) > 50 or not all(isinstance(i, str) and len(i) <= 12 for i in items):
        raise BadRequest("Deze stem heeft niet de verwachte vorm.")

    def work():
        session, _ = _open_session(request.path_params["code"])
        store = _store()
        store.vote(session.session_id, participant, items)
        return {"votes": store.own_votes(session.session_id, participant)}

    return await run_in_threadpool(work)


@endpoint
async def state(request: Request) -> dict:
    """Looked at by each phone every few seconds: is the session still open, is a vote open, my own votes."""
    participant = request.query_params.get("participant", "")[:64]

    def work():
        session, poll = _open_session(request.path_params["code"])
        mine = _store().own_votes(session.session_id, participant) if poll and poll[1] == "open" else []
        return {"poll": _poll_shown(poll), "mine": mine}

    return await run_in_threadpool(work)


async def page(request: Request) -> Response:
    return FileResponse(STATIC / "page.html", headers=HEADERS)


def participant_routes() -> list:
    """The page at /deelnemen (the QR code's address) and the API under /api/live/."""
    return [
        Route("/deelnemen", page),
        Mount("/deelnemen/static", app=StaticFiles(directory=STATIC), name="participant-static"),
        Route("/api/live/instrument/{instrument}", instrument_content),
        Route("/api/live/{code}", session_info),
        Route("/api/live/{code}/state", state),
        Route("/api/live/{code}/join", join, methods=["POST"]),
        Route("/api/live/{code}/resume", resume, methods=["POST"]),
        Route("/api/live/{code}/answer", answer, methods=["POST"]),
        Route("/api/live/{code}/submit", submit, methods=["POST"]),
        Route("/api/live/{code}/vote", vote, methods=["POST"]),
    ]
