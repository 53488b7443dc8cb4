// The participant page of a live session: join by code, answer one screen at a time, submit, vote.
// Each answer is sent as it is given (one small request); the screens are drawn here, from the instrument's
// content fetched once. Every text from the server is set as text, never as markup.
"use strict";

// A vote opened or the session closed shows on the phone within this time. Each answer's reply tells whether a
// vote is open, so a phone that is answering asks nothing more; only a phone that is quiet looks by itself.
const POLL_MS = 5000;
let heard = 0;                  // when the server last answered this phone (ms)
const KEY = (code) => `quickscan-live-${code}`;

const state = {
  code: "", session: null, content: null, me: null, step: 0, problem: "", poll: null, mine: [],
  ticked: null, voted: "", gone: "",
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

class Problem extends Error {
  constructor(message, gone) { super(message); this.gone = gone; }
}

async function call(path, body) {
  let response;
  try {
    response = await fetch(`/api/live/${encodeURIComponent(state.code)}${path}`, body === undefined ? {} : {
      method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
    });
  } catch (error) {
    throw new Problem("Geen verbinding met de server; controleer de wifi en probeer het opnieuw.", false);
  }
  let data = {};
  try { data = await response.json(); } catch (error) { data = {}; }
  if (!response.ok) throw new Problem(data.error || "Er ging iets mis; probeer het opnieuw.", !!data.gone);
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

function gone(message) {
  state.gone = message;
  forget();
  show(el("h1", {}, "Deelnemen"), el("p", {className: "problem", role: "alert"}, message),
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

let answers = Promise.resolve();  // answers go out one after the other: the store keeps the last tap

function answer(statement, code, step, advance) {
  const before = state.me.given[statement.id];
  state.me.given[statement.id] = code;
  answers = answers.then(async () => {
    try {
      const reply = await call("/answer", {participant: state.me.participant, item: statement.id, code});
      if (JSON.stringify(reply.poll) !== JSON.stringify(state.poll)) follow(true);
      state.problem = "";
      // Only a tap on the screen now on show moves on: a double tap never skips the next statement.
      if (advance && state.step === step) state.step = step + 1;
      draw();
    } catch (error) {
      if (state.me.given[statement.id] === code) {
        if (before === undefined) delete state.me.given[statement.id]; else state.me.given[statement.id] = before;
      }
      failed(error);
    }
  });
}

function choices(statement, step, single) {
  const {options, kind} = state.content;
  const chosen = state.me.given[statement.id];
  const name = `answer-${statement.id}`;
  return el("fieldset", {},
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

function submitScreen() {
  const {content} = state;
  const answered = Object.keys(state.me.given).length;
  const send = el("button", {type: "button", className: "primary", onclick: async () => {
    send.disabled = true;
    try {
      await call("/submit", {participant: state.me.participant});
      state.me.submitted = true;
      state.problem = "";
      draw();
    } catch (error) { send.disabled = false; failed(error); }
  }}, "Antwoorden insturen");
  return [el("h2", {}, "Klaar?"),
    el("p", {}, `U hebt ${answered} van de ${content.total} ${content.kind.items} beantwoord. Na insturen kunt u uw `
      + "antwoorden niet meer wijzigen. Ook als u niet instuurt, tellen uw antwoorden mee."),
    problemLine(),
    el("div", {className: "buttons"}, el("button", {type: "button", onclick: () => go(content.steps.length - 1)},
      "← Terug"), send)];
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
  state.step = Math.max(0, Math.min(step, state.content.steps.length));
  state.problem = "";
  draw();
}

let drawnStep = null;

function draw() {
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
    return;
  }
  const answered = Object.keys(state.me.given).length;
  parts.push(el("progress", {max: content.total, value: answered}),
    el("p", {className: "progress-text"}, `${answered} van ${content.total} ${content.kind.items} beantwoord`));
  parts.push(state.step < content.steps.length ? questionScreen(state.step) : submitScreen());
  parts.push(el("p", {className: "muted resume"}, "Uw hervatcode: ", el("strong", {}, state.me.resume),
    " — hiermee gaat u verder op een ander toestel of na het sluiten van de pagina."));
  show(parts);
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
    state.step = firstOpenStep();
    draw();
  } catch (error) {
    if (error instanceof Problem && error.gone) { gone(error.message); return; }
    forget();
    setUrl({code: state.code});
    state.me = null;
    state.problem = typed ? error.message : "";
    draw();
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
  state.code = code;
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
document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") follow(); });
const initial = normalCode(new URLSearchParams(window.location.search).get("code"));
if (initial) start(initial); else codeScreen("");
