// The participant page of a live session: join by code, answer one screen at a time, submit, vote.
// A tap shows the next statement at once: the answer goes into an outbox kept on the phone (localStorage, per
// session and participant) and is sent in the background, one after the other, retried while the wifi is gone.
// The store keeps the last answer per statement, so an answer sent twice does no harm. The screens are drawn
// here, from the instrument's content fetched once. Every text from the server is set as text, never as markup.
"use strict";

// A vote opened or the session closed shows on the phone within this time. Each answer's reply tells whether a
// vote is open, so a phone that is answering asks nothing more; only a phone that is quiet looks by itself.
const POLL_MS = 5000;
let heard = 0;                  // when the server last answered this phone (ms)
const KEY = (code) => `quickscan-live-${code}`;
const OUTBOX_KEY = (code, participant) => `quickscan-live-outbox-${code}-${participant}`;
const RETRY_FIRST_MS = 1000;    // a failed send is tried again after 1 s, 2 s, 4 s, ... at most 10 s
const RETRY_MAX_MS = 10000;
const SEND_TIMEOUT_MS = 10000;  // a request the wifi swallowed counts as failed after this time
const SLOW_MS = 1500;           // answers still on the phone after this time are mentioned on screen
const SUBMIT_TRIES = 2;         // "Insturen" tries this many times to send what is left before it refuses
const GUARD_MS = 350;           // right after a tap moved on, a second tap (a double tap) is not an answer

const state = {
  code: "", session: null, content: null, me: null, step: 0, problem: "", poll: null, mine: [],
  ticked: null, voted: "", gone: "", confirmed: {}, submitting: false,
};
const app = document.getElementById("app");

// -- small helpers ---------------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child))
      : child);
  }
  return node;
}

function normalCode(text) {
  return String(text || "").toUpperCase().replace(/[^A-Z0-9]/g, "");
}

function capital(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

// status: the HTTP status of a refusal, 0 when the server was not reached. 410 (gone): the session is closed;
// 400 and 409: the server refused this request, sending it again changes nothing; anything else (no connection,
// 429 too busy this minute, 5xx) may pass later and is sent again by itself.
class Problem extends Error {
  constructor(message, gone, status = 0) { super(message); this.gone = gone; this.status = status; }
  get final() { return this.gone || this.status === 400 || this.status === 409; }
}

const NO_CONNECTION = "Geen verbinding met de server; controleer de wifi en probeer het opnieuw.";

async function call(path, body, timeout = 0) {
  let response;
  const abort = timeout ? new AbortController() : null;
  const timer = abort ? setTimeout(() => abort.abort(), timeout) : null;
  try {
    response = await fetch(`/api/live/${encodeURIComponent(state.code)}${path}`, {
      ...(body === undefined ? {} : {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)}),
      ...(abort ? {signal: abort.signal} : {}),
    });
  } catch (error) {
    clearTimeout(timer);
    throw new Problem(NO_CONNECTION, false, 0);
  }
  let data = {};
  try { data = await response.json(); } catch (error) { data = {}; }
  clearTimeout(timer);
  if (!response.ok) {
    throw new Problem(data.error || "Er ging iets mis; probeer het opnieuw.", !!data.gone, response.status);
  }
  heard = Date.now();
  return data;
}

function setUrl(params) {
  const url = new URL(window.location.href);
  url.search = "";
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  window.history.replaceState(null, "", url);
}

function remember() {
  const {participant, resume} = state.me;
  try { localStorage.setItem(KEY(state.code), JSON.stringify({participant, resume})); } catch (error) { /* private mode */ }
  setUrl({code: state.code, hervat: resume});
}

function remembered() {
  try { return JSON.parse(localStorage.getItem(KEY(state.code)) || "null"); } catch (error) { return null; }
}

function forget() {
  try { localStorage.removeItem(KEY(state.code)); } catch (error) { /* private mode */ }
}

function show(...nodes) {
  app.replaceChildren(...nodes.flat(Infinity).filter((node) => node !== null && node !== undefined && node !== false));
}

function problemLine() {
  return state.problem ? el("p", {className: "problem", role: "alert"}, state.problem) : null;
}

function failed(error) {
  if (error instanceof Problem && error.gone) { gone(error.message); return; }
  state.problem = error.message;
  draw();
}

// -- the screens -----------------------------------------------------------------------------------------
function codeScreen(message) {
  const input = el("input", {type: "text", id: "code", maxlength: 20, autocomplete: "off", autocapitalize: "characters",
    placeholder: "bijv. ABCDE-FGHJK"});
  const form = el("form", {onsubmit: (event) => {
    event.preventDefault();
    const code = normalCode(input.value);
    if (code) start(code);
  }}, el("label", {className: "field", for: "code"}, "Code op het scherm"), input,
  el("div", {className: "buttons"}, el("button", {type: "submit", className: "primary"}, "Verder")));
  show(el("h1", {}, "Deelnemen"), message ? el("p", {className: "problem", role: "alert"}, message) : null, form);
}

const CLOSED_AFTER_SUBMIT = "De bijeenkomst is afgesloten. Dank u wel voor uw deelname: uw antwoorden zijn "
  + "ingestuurd en tellen mee.";

function gone(message) {
  state.gone = message;
  const lost = outbox.entries.length;
  // Closed after this phone sent everything in: the normal end of a meeting, not a problem to alarm anyone with.
  const finished = !lost && !!(state.me && state.me.submitted);
  clearOutbox();  // a closed session takes nothing more: what was not sent cannot land any more
  forget();
  show(el("h1", {}, "Deelnemen"),
    finished ? el("p", {className: "success", role: "status"}, CLOSED_AFTER_SUBMIT)
      : el("p", {className: "problem", role: "alert"}, message),
    lost ? el("p", {}, `${capital(answerCount(lost))} op dit toestel ${lost === 1 ? "kon" : "konden"} niet meer `
      + "worden verstuurd.") : null,
    el("div", {className: "buttons"}, el("button", {type: "button", onclick: () => {
      setUrl({});
      state.code = "";
      codeScreen("");
    }}, "Andere code invullen")));
}

function welcomeScreen() {
  const {session} = state;
  let group = "";
  const begin = el("button", {type: "button", className: "primary", disabled: session.groups.length > 0,
    onclick: async () => {
      begin.disabled = true;
      try {
        state.me = await call("/join", {group});
        state.problem = "";
        remember();
        loadOutbox();
        state.step = 0;
        draw();
      } catch (error) { begin.disabled = false; failed(error); }
    }}, "Beginnen");
  const groups = session.groups.length ? el("fieldset", {},
    el("legend", {}, "Uw groep"),
    el("div", {className: "options"}, session.groups.map((name) => el("label", {className: "option"},
      el("input", {type: "radio", name: "group", value: name, onchange: () => { group = name; begin.disabled = false; }}),
      el("span", {className: "label"}, name))))) : null;
  const resumeInput = el("input", {type: "text", id: "resume", maxlength: 12, autocomplete: "off"});
  const resumeForm = el("form", {onsubmit: (event) => {
    event.preventDefault();
    const code = normalCode(resumeInput.value);
    if (code) resumeWith(code, true);
  }}, el("label", {className: "field", for: "resume"}, "Hervatcode"), resumeInput,
  el("div", {className: "buttons"}, el("button", {type: "submit"}, "Verder waar ik was")));
  show(el("h1", {}, "Welkom"),
    el("p", {}, `U vult de vragenlijst in voor ${session.organisation}. Uw antwoorden zijn anoniem: de begeleider `
      + "ziet alleen de uitkomst van de hele groep."),
    groups, problemLine(), el("div", {className: "buttons"}, begin),
    el("details", {}, el("summary", {}, "Al begonnen? Vul uw hervatcode in"), el("div", {}, resumeForm)));
}

function firstOpenStep() {
  const given = state.me.given;
  const steps = state.content.steps;
  const open = steps.findIndex((step) => step.statements.some((s) => !(s.id in given)));
  return open === -1 ? steps.length : open;
}

function explanation(statement) {
  if (!statement.explanation.length && !statement.note) return null;
  const parts = [];
  for (const block of statement.explanation) {
    if (block.heading) parts.push(el("h3", {}, block.heading));
    for (const paragraph of block.paragraphs) parts.push(el("p", {}, paragraph));
  }
  if (statement.note) parts.push(el("p", {className: "muted"}, `Opmerking bij de bron: ${statement.note}`));
  return el("details", {}, el("summary", {}, "Toelichting"), el("div", {}, parts));
}

// -- the outbox: answers given on this phone and not yet taken by the server ------------------------------
// entries: {item, code, at} in the order given, at most one per statement besides the one in flight (a newer
// answer to a statement replaces an older one that is still waiting). Kept in localStorage at every change, so a
// reload, a phone that slept or a closed tab loses nothing: on resume they are shown and sent first.
const outbox = {entries: [], sending: null, failures: 0, refused: "", timer: null, waiters: [], woken: false};
let outboxKey = "";

function saveOutbox() {
  if (!outboxKey) return;
  try {
    if (outbox.entries.length) localStorage.setItem(outboxKey, JSON.stringify(outbox.entries));
    else localStorage.removeItem(outboxKey);
  } catch (error) { /* private mode or full: the answers wait in memory */ }
}

// This browser's own random id and a number that grows with every tap, both kept across reloads: the server lets
// a late request of this device (timed out here, sent again, and still processed after a newer tap) never
// replace the newer answer. No clock is involved, so a phone whose clock is off changes nothing.
const DEVICE_KEY = "quickscan-live-device";
const SEQUENCE_KEY = "quickscan-live-sequence";
let device = "";
let sequence = 0;

function deviceId() {
  if (device) return device;
  try { device = localStorage.getItem(DEVICE_KEY) || ""; } catch (error) { device = ""; }
  if (!/^[0-9a-f]{8,32}$/.test(device)) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    device = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    try { localStorage.setItem(DEVICE_KEY, device); } catch (error) { /* private mode: one id for this page */ }
  }
  return device;
}

function nextSequence() {
  let stored = 0;
  try { stored = Number(localStorage.getItem(SEQUENCE_KEY)) || 0; } catch (error) { stored = 0; }
  sequence = Math.max(sequence, stored) + 1;
  try { localStorage.setItem(SEQUENCE_KEY, String(sequence)); } catch (error) { /* kept in memory */ }
  return sequence;
}

function loadOutbox() {
  clearTimeout(outbox.timer);
  Object.assign(outbox, {entries: [], sending: null, failures: 0, refused: "", timer: null});
  state.confirmed = {...state.me.given};
  outboxKey = OUTBOX_KEY(state.code, state.me.participant);
  let kept = [];
  try { kept = JSON.parse(localStorage.getItem(outboxKey) || "[]"); } catch (error) { kept = []; }
  if (state.me.submitted) { kept = []; saveOutbox(); }  // sent in from elsewhere: nothing can change any more
  for (const entry of Array.isArray(kept) ? kept : []) {
    if (!entry || typeof entry.item !== "string" || !Number.isInteger(entry.code)) continue;
    const seq = Number.isSafeInteger(entry.seq) && entry.seq > 0 ? entry.seq : nextSequence();
    outbox.entries.push({item: entry.item, code: entry.code, at: Number(entry.at) || Date.now(), seq});
    state.me.given[entry.item] = entry.code;  // the screen shows the answers as given here
  }
  pump();
}

function clearOutbox() {
  clearTimeout(outbox.timer);
  outbox.entries = [];
  outbox.timer = null;
  outbox.failures = 0;
  saveOutbox();
  settle(false);
  updateBar();
}

function queue(item, code) {
  outbox.entries = outbox.entries.filter((entry) => entry === outbox.sending || entry.item !== item);
  outbox.entries.push({item, code, at: Date.now(), seq: nextSequence()});
  saveOutbox();     // kept before anything else happens: a reload from here on loses nothing
  setTimeout(pump); // sent once the next statement is on screen
}

function settle(emptied) {  // tell whoever waits for the outbox (Insturen) how it went
  const waiters = outbox.waiters;
  outbox.waiters = [];
  for (const waiter of waiters) waiter.resolve(emptied);
}

function sendNow() {  // the participant asked, the wifi came back or the phone woke up: no more waiting
  if (!outbox.entries.length) return;
  clearTimeout(outbox.timer);
  outbox.timer = null;
  outbox.refused = "";
  // A send under way began before the wake and may still fail from the old outage: then it goes again at once.
  if (outbox.sending) outbox.woken = true;
  pump();
  updateBar();
}

async function pump() {
  if (outbox.sending || outbox.timer || outbox.refused || state.gone || !state.me || !outbox.entries.length) return;
  const entry = outbox.entries[0];
  const participant = state.me.participant;
  outbox.sending = entry;
  let reply = null;
  let problem = null;
  try {
    reply = await call("/answer", {participant, item: entry.item, code: entry.code, device: deviceId(),
      sequence: entry.seq}, SEND_TIMEOUT_MS);
    if (reply.item !== entry.item || reply.code !== entry.code) problem = new Problem(NO_CONNECTION, false, 0);
  } catch (error) {
    problem = error instanceof Problem ? error : new Problem(NO_CONNECTION, false, 0);
  }
  outbox.sending = null;
  const woken = outbox.woken;
  outbox.woken = false;
  if (state.gone || !state.me || state.me.participant !== participant) return;
  if (!problem) {
    outbox.entries = outbox.entries.filter((other) => other !== entry);
    state.confirmed[entry.item] = entry.code;
    outbox.failures = 0;
    saveOutbox();
    if (!outbox.entries.length) settle(true);
    if (JSON.stringify(reply.poll) !== JSON.stringify(state.poll)) follow(true);
  } else if (problem.gone) {
    gone(problem.message);
    return;
  } else if (problem.status === 400) {  // not an answer this questionnaire has: it is taken back, the rest goes on
    outbox.entries = outbox.entries.filter((other) => other !== entry);
    saveOutbox();
    if (!outbox.entries.some((other) => other.item === entry.item)) {
      if (entry.item in state.confirmed) state.me.given[entry.item] = state.confirmed[entry.item];
      else delete state.me.given[entry.item];
    }
    state.problem = problem.message;
    draw();
  } else if (problem.final) {  // refused (409): kept on the phone, sent again only when the participant asks
    outbox.refused = problem.message;
    settle(false);
  } else {  // no connection, a timeout, the server busy: again after a while, longer each time
    outbox.failures += 1;
    for (const waiter of outbox.waiters) waiter.tries -= 1;
    for (const waiter of outbox.waiters.filter((w) => w.tries <= 0)) waiter.resolve(false);
    outbox.waiters = outbox.waiters.filter((waiter) => waiter.tries > 0);
    const wait = Math.min(RETRY_FIRST_MS * 2 ** (outbox.failures - 1), RETRY_MAX_MS) * (0.8 + 0.4 * Math.random());
    if (!woken) outbox.timer = setTimeout(() => { outbox.timer = null; pump(); }, Math.min(wait, RETRY_MAX_MS));
  }
  updateBar();
  pump();
}

function drained() {  // true once every answer is sent, false when the outbox cannot be emptied now
  if (!outbox.entries.length) return Promise.resolve(true);
  const done = new Promise((resolve) => { outbox.waiters.push({resolve, tries: SUBMIT_TRIES}); });
  outbox.failures = 0;
  sendNow();
  return done;
}

function answerCount(n) {
  return n === 1 ? "1 antwoord" : `${n} antwoorden`;
}

// The line at the bottom of the screen, only while answers wait longer than a moment or could not be sent. It is
// one element kept across redraws and changed in place: the screen under the thumb does not move.
const bar = el("div", {className: "outbox", role: "status", hidden: true});
let barTimer = null;
let barShown = "";

function updateBar() {
  clearTimeout(barTimer);
  barTimer = null;
  const n = outbox.entries.length;
  let text = "";
  if (n && state.me && !state.me.submitted && !state.gone) {
    const since = Date.now() - outbox.entries[0].at;
    if (outbox.refused) text = `${outbox.refused} ${capital(answerCount(n))} nog niet verstuurd.`;
    else if (outbox.failures) {
      text = `${answerCount(n)} nog niet verstuurd — we proberen het opnieuw. Ze blijven op dit toestel bewaard.`;
    } else if (since >= SLOW_MS) text = `${answerCount(n)} nog niet verstuurd — even geduld…`;
    else barTimer = setTimeout(updateBar, SLOW_MS - since);
  }
  const retry = !!text && (!!outbox.refused || outbox.failures > 0);
  if (`${retry}${text}` === barShown) return;  // unchanged: the button under a thumb stays where it is
  barShown = `${retry}${text}`;
  bar.classList.toggle("refused", !!outbox.refused);
  bar.replaceChildren(...(text ? [el("span", {}, text)] : []),
    ...(retry ? [el("button", {type: "button", onclick: sendNow}, "Nu opnieuw proberen")] : []));
  bar.hidden = !text;
}

let guardUntil = 0;  // a tap that moved on: for a moment, a tap on the new screen is the same finger's second tap

function answer(statement, code, step, advance) {
  state.me.given[statement.id] = code;
  state.problem = "";
  queue(statement.id, code);
  // Only a tap on the screen now on show moves on: a double tap never skips the next statement.
  if (advance && state.step === step) {
    state.step = step + 1;
    guardUntil = performance.now() + GUARD_MS;
  }
  draw();
}

function choices(statement, step, single) {
  const {options, kind} = state.content;
  const chosen = state.me.given[statement.id];
  const name = `answer-${statement.id}`;
  const guard = (event) => { if (performance.now() < guardUntil) event.preventDefault(); };
  return el("fieldset", {onclick: guard},
    el("legend", {className: single ? "" : "statement"},
      single ? "Waar staat uw organisatie?" : `${statement.id}. ${statement.text}`),
    el("div", {className: single ? "options" : "options inline", role: "radiogroup"}, options.map((option, n) =>
      el("label", {className: "option", "data-code": option.code},
        el("input", {type: "radio", name, value: option.code, checked: chosen === option.code,
          onchange: () => answer(statement, option.code, step, single && kind.levels)}),
        el("span", {}, el("span", {className: "label"}, option.label),
          single && statement.captions ? el("span", {className: "caption"}, statement.captions[n]) : null)))));
}

function questionScreen(step) {
  const {content} = state;
  const screen = content.steps[step];
  const single = screen.statements.length === 1 && content.kind.levels;
  const parts = [];
  if (single) {
    const statement = screen.statements[0];
    parts.push(el("p", {className: "muted"},
      `${capital(content.kind.item)} ${step + 1} van ${content.steps.length} · ${content.kind.group} ${screen.theme}`));
    parts.push(el("p", {className: "statement", id: "statement"}, `${statement.id}. ${statement.text}`));
    parts.push(explanation(statement));
    parts.push(choices(statement, step, true));
  } else {
    parts.push(el("h2", {}, `${capital(content.kind.group)} ${step + 1} van ${content.steps.length}: ${screen.theme}`));
    let subgroup = null;
    for (const statement of screen.statements) {
      if (statement.group && statement.group !== subgroup) {
        subgroup = statement.group;
        parts.push(el("p", {className: "subgroup"}, subgroup));
      }
      parts.push(el("div", {className: "item"}, choices(statement, step, false)));
    }
  }
  const last = content.steps.length - 1;
  parts.push(problemLine());
  parts.push(el("div", {className: "buttons"},
    el("button", {type: "button", disabled: step === 0, onclick: () => go(step - 1)}, "← Vorige"),
    el("button", {type: "button", className: step < last ? "" : "primary", onclick: () => go(step + 1)},
      step < last ? "Volgende →" : "Naar insturen →")));
  return parts;
}

async function submitNow() {
  if (state.submitting) return;
  state.submitting = true;
  state.problem = "";
  draw();
  try {
    if (await drained()) {  // every answer must be in before the participant's answers are final
      await call("/submit", {participant: state.me.participant});
      state.me.submitted = true;
    } else if (!state.gone) {
      state.problem = outbox.refused || `${capital(answerCount(outbox.entries.length))} nog niet verstuurd. `
        + "Insturen kan pas als alle antwoorden verstuurd zijn; controleer de wifi en probeer het opnieuw.";
    }
  } catch (error) {
    if (error instanceof Problem && error.gone) { state.submitting = false; gone(error.message); return; }
    state.problem = error.message;
  }
  state.submitting = false;
  draw();
}

function submitScreen() {
  const {content} = state;
  const answered = Object.keys(state.me.given).length;
  const sending = state.submitting;
  const send = el("button", {type: "button", className: "primary", disabled: sending, onclick: submitNow},
    sending ? "Antwoorden worden verstuurd…" : "Antwoorden insturen");
  return [el("h2", {}, "Klaar?"),
    el("p", {}, `U hebt ${answered} van de ${content.total} ${content.kind.items} beantwoord. Na insturen kunt u uw `
      + "antwoorden niet meer wijzigen. Ook als u niet instuurt, tellen uw antwoorden mee."),
    problemLine(),
    el("div", {className: "buttons"}, el("button", {type: "button", disabled: sending,
      onclick: () => go(content.steps.length - 1)}, "← Terug"), send)];
}

function voteSection() {
  const {content, poll} = state;
  const byId = {};
  for (const step of content.steps) for (const s of step.statements) byId[s.id] = s;
  const limit = state.session.votes;
  if (!state.ticked) state.ticked = new Set(state.mine);
  const ticked = state.ticked;
  const boxes = [];
  const sendButton = el("button", {type: "submit", className: "primary"}, "Stem uitbrengen");
  const refresh = () => { for (const box of boxes) box.disabled = !box.checked && ticked.size >= limit; };
  const list = poll.items.filter((id) => id in byId).map((id) => {
    const box = el("input", {type: "checkbox", value: id, checked: ticked.has(id), onchange: () => {
      if (box.checked) ticked.add(id); else ticked.delete(id);
      refresh();
    }});
    boxes.push(box);
    return el("label", {className: "option"}, box,
      el("span", {}, el("span", {className: "label"}, `${capital(content.kind.item)} ${id}`),
        el("span", {className: "caption"}, byId[id].text)));
  });
  refresh();
  const form = el("form", {onsubmit: async (event) => {
    event.preventDefault();
    sendButton.disabled = true;
    try {
      const result = await call("/vote", {participant: state.me.participant, items: [...ticked]});
      state.mine = result.votes;
      state.ticked = new Set(result.votes);
      state.voted = `Uw stem is ontvangen (${result.votes.length} van ${limit}). U kunt hem nog wijzigen zolang de `
        + "stemming open is.";
      state.problem = "";
      draw();
    } catch (error) { sendButton.disabled = false; failed(error); }
  }}, el("div", {className: "options"}, list), el("div", {className: "buttons"}, sendButton));
  const said = state.voted ? el("p", {className: "success", role: "status"}, state.voted)
    : state.mine.length ? el("p", {className: "muted"},
      `U hebt gestemd (${state.mine.length} van ${limit}); wijzigen kan zolang de stemming open is.`) : null;
  return [el("h2", {}, "Prioriteren"),
    el("p", {}, `Kies de ${content.kind.items} waar uw team eerst mee aan de slag wil: hoogstens ${limit}.`),
    form, said, el("hr", {})];
}

function go(step) {
  // A double tap on "Volgende →" would otherwise land its second tap on the next screen's "Volgende →".
  if (performance.now() < guardUntil) return;
  guardUntil = performance.now() + GUARD_MS;
  state.step = Math.max(0, Math.min(step, state.content.steps.length));
  state.problem = "";
  draw();
}

let drawnStep = null;

function draw() {
  if (state.gone) return;  // the gone screen stays until another code is typed
  if (!state.me) { welcomeScreen(); return; }
  const {content, session} = state;
  const parts = [el("p", {className: "muted"}, `${content.title} · ${session.organisation}`)];
  const voting = state.poll && state.poll.open;
  if (voting) parts.push(voteSection());
  if (state.me.submitted) {
    parts.push(el("p", {className: "success", role: "status"}, "Dank u wel, uw antwoorden zijn ingestuurd."));
    if (!voting) {
      parts.push(el("p", {}, "Kijk naar het scherm van de begeleider: daar komt de uitkomst van de groep, en straks "
        + "misschien een stemming. Die verschijnt dan vanzelf hier."));
    }
    show(parts);
    updateBar();
    return;
  }
  const answered = Object.keys(state.me.given).length;
  parts.push(el("progress", {max: content.total, value: answered}),
    el("p", {className: "progress-text"}, `${answered} van ${content.total} ${content.kind.items} beantwoord`));
  parts.push(state.step < content.steps.length ? questionScreen(state.step) : submitScreen());
  parts.push(el("p", {className: "muted resume"}, "Uw hervatcode: ", el("strong", {}, state.me.resume),
    " — hiermee gaat u verder op een ander toestel of na het sluiten van de pagina."));
  parts.push(bar);
  show(parts);
  updateBar();
  if (drawnStep !== state.step) {  // a new screen starts at its top, with nothing of the last one focused
    drawnStep = state.step;
    window.scrollTo(0, 0);
    if (document.activeElement) document.activeElement.blur();
  }
}

// -- start, resume, follow the session -------------------------------------------------------------------
async function resumeWith(resume, typed) {
  try {
    state.me = await call("/resume", {resume});
    state.problem = "";
    remember();
    loadOutbox();  // answers given here and not yet sent: shown as given, and sent before any new one
    state.step = firstOpenStep();
    draw();
  } catch (error) {
    if (error instanceof Problem && error.gone) { gone(error.message); return; }
    state.me = null;
    if (error instanceof Problem && error.final) {  // an unknown resume code: start afresh
      forget();
      setUrl({code: state.code});
      state.problem = typed ? error.message : "";
      draw();
      return;
    }
    // No connection: the phone keeps its participant and the answers waiting on it, and tries again on a tap.
    show(el("h1", {}, "Verder waar u was"), el("p", {className: "problem", role: "alert"}, error.message),
      el("div", {className: "buttons"}, el("button", {type: "button", className: "primary",
        onclick: () => resumeWith(resume, typed)}, "Opnieuw proberen")));
  }
}

async function follow(force = false) {
  if (!state.session || state.gone || document.visibilityState === "hidden") return;
  try {
    const participant = state.me ? state.me.participant : "";
    const news = await call(`/state?participant=${encodeURIComponent(participant)}`);
    const changed = force || JSON.stringify(news.poll) !== JSON.stringify(state.poll);
    state.poll = news.poll;
    if (changed) {  // a new vote (or none): what was ticked or said of the last one goes
      state.ticked = null;
      state.voted = "";
      state.mine = news.mine;
      if (state.me) draw();
    }
  } catch (error) {
    if (error instanceof Problem && error.gone) gone(error.message);
  }
}

async function start(code) {
  Object.assign(state, {code, session: null, content: null, me: null, step: 0, problem: "", poll: null, mine: [],
    ticked: null, voted: "", gone: "", confirmed: {}, submitting: false});
  setUrl({code, hervat: new URLSearchParams(window.location.search).get("hervat")});
  try {
    state.session = await call("");
    const response = await fetch(`/api/live/instrument/${encodeURIComponent(state.session.instrument)}`);
    if (!response.ok) throw new Problem("De vragenlijst kon niet worden geladen; probeer het opnieuw.", false);
    state.content = await response.json();
  } catch (error) {
    if (error instanceof Problem && error.gone) gone(error.message);
    else codeScreen(error.message);
    return;
  }
  state.poll = state.session.poll;
  document.title = `Deelnemen – ${state.content.title}`;
  const fromUrl = normalCode(new URLSearchParams(window.location.search).get("hervat"));
  const known = remembered();
  const resume = fromUrl || (known && known.resume);
  if (resume) await resumeWith(resume, false);
  else draw();
  if (state.poll && state.poll.open && state.me) follow(true);
}

setInterval(() => { if (Date.now() - heard >= POLL_MS) follow(); }, 1000);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") { follow(); sendNow(); }  // a phone that slept sends what waited
});
window.addEventListener("online", sendNow);
const initial = normalCode(new URLSearchParams(window.location.search).get("code"));
if (initial) start(initial); else codeScreen("");
