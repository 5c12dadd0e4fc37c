/* The side panels of the open conversation: places open now, consent records and questions, private notes,
 * and the triage history. Lists are redrawn only when what they show changed. */

import { $, el, say, setText } from "./dom.js";
import { api, desk, state } from "./state.js";
import { conversationPath, failure } from "./api.js";
import { consentPending, consentProblem, consentView, listKey, noteProblem, placeView, placesKey, placesStatus,
  stamp, triageView } from "./sidebar.js";
import { clockTime, tokyoDay } from "./time.js";
import { insertIntoReply } from "./actions-view.js";

const PLACES_MAX_AGE_MS = 5 * 60000;   // "open now" goes stale: ask again after this

let places = { key: null, at: 0, seq: 0 };
let triageKey = null, notesKey = null, consentKey = null;
let noteBusy = false, consentBusy = false;

export function resetSidebar() {
  places = { key: null, at: 0, seq: places.seq + 1 };
  $("places").textContent = "";
  setText($("places-status"), "読み込み中…");
  triageKey = null;
  $("triage-list").textContent = "";
  $("triage-count").textContent = "0";
  notesKey = null;
  $("notes-list").textContent = "";
  $("notes-empty").hidden = false;
  $("note-form").reset();
  $("note-error").hidden = true;
  consentKey = null;
  $("consent-list").textContent = "";
  $("consent-count").textContent = "0";
  $("consent-form").reset();
  $("consent-error").hidden = true;
  $("consent-panel").hidden = true;
}

function timeElement(className, ts, now) {
  const when = stamp(ts, now);
  const node = el("time", { className: className, text: when.text });
  if (when.datetime) { node.setAttribute("datetime", when.datetime); }
  return node;
}

function factorList(factors) {
  const list = el("ul", { className: "factors" });
  factors.forEach(function (f) { list.appendChild(el("li", { text: f })); });
  return list;
}

// --- Triage history: one entry per triaged message of hers, newest first (no text) ----------------------
function triageItem(entry, now) {
  const view = triageView(entry, now);
  const li = el("li", { className: "triage-entry", attrs: { "data-testid": "triage-entry" } });
  if (view.urgency) { li.setAttribute("data-urgency", view.urgency); }
  const top = el("div", { className: "triage-top" });
  top.appendChild(timeElement("triage-time", entry.ts, now));
  top.appendChild(el("span", { className: view.badgeClass, text: view.badgeText }));
  if (view.handoff) { top.appendChild(el("span", { className: "triage-handoff", text: "相談員へ" })); }
  if (view.intent) { top.appendChild(el("span", { className: "triage-intent", text: view.intent })); }
  li.appendChild(top);
  li.appendChild(el("div", { className: "triage-concerns", text: view.concerns }));
  if (view.factors.length) { li.appendChild(factorList(view.factors)); }
  return li;
}

export function renderTriage(history) {
  const now = api.now();
  const key = listKey(history, now);
  $("triage-count").textContent = String(history.length);
  $("triage-empty").hidden = history.length > 0;
  if (key === triageKey) { return; }
  triageKey = key;
  const list = $("triage-list");
  list.textContent = "";
  history.slice().reverse().forEach(function (entry) { list.appendChild(triageItem(entry, now)); });
}

// --- Private notes for the team (she never sees them), oldest first like the transcript ------------------
function noteItem(note, now) {
  const li = el("li", { className: "note", attrs: { "data-testid": "note-entry" } });
  const head = el("div", { className: "note-head" });
  const mine = state.session && note.author === state.session.user;
  head.appendChild(el("span", { className: "note-author", text: (note.author || "—") + (mine ? "（あなた）" : "") }));
  head.appendChild(timeElement("note-time", note.ts, now));
  li.appendChild(head);
  li.appendChild(el("p", { className: "note-text", text: note.text }));
  return li;
}

export function renderNotes(notes) {
  const now = api.now();
  const key = listKey(notes, now);
  $("notes-empty").hidden = notes.length > 0;
  if (key === notesKey) { return; }
  const list = $("notes-list");
  const grew = notesKey !== null && notes.length > list.children.length;
  notesKey = key;
  const follow = grew || list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.textContent = "";
  notes.forEach(function (note) {
    if (note && typeof note.text === "string") { list.appendChild(noteItem(note, now)); }
  });
  if (follow) { list.scrollTop = list.scrollHeight; }
}

async function addNote() {
  const input = $("note-input");
  const text = input.value;
  const error = $("note-error");
  if (noteBusy || !state.openId) { return; }
  if (!text.trim()) { input.focus(); return; }
  const id = state.openId;
  noteBusy = true;
  error.hidden = true;
  $("note-submit").disabled = true;
  try {
    await api.post(conversationPath(id, "notes"), { text: text });
    if (state.openId === id && input.value === text) { input.value = ""; }
  } catch (e) {
    const problem = noteProblem(e);
    if (problem && state.openId === id) { error.textContent = problem; error.hidden = false; }
  } finally {
    noteBusy = false;
    $("note-submit").disabled = false;
    if (state.openId === id) { desk.pollConversation(); }
  }
}
$("note-form").addEventListener("submit", function (event) { event.preventDefault(); addNote(); });
$("note-input").addEventListener("keydown", function (event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
    event.preventDefault();
    addNote();
  }
});

// --- Consent before sharing: asked by the holder, answered by her in the chat ---------------------------
function consentItem(view) {
  const li = el("li", { className: "consent-record", attrs: { "data-testid": "consent-record", "data-status": view.status } });
  const top = el("div", { className: "consent-top" });
  top.appendChild(el("span", { className: "consent-status consent-" + view.status, text: view.label,
    attrs: { "data-testid": "consent-status" } }));
  top.appendChild(el("span", { className: "consent-rule-short", text: view.rule }));
  li.appendChild(top);
  const facts = el("dl", { className: "consent-facts" });
  view.facts.forEach(function (fact) {
    facts.appendChild(el("dt", { text: fact[0] }));
    facts.appendChild(el("dd", { text: fact[1] }));
  });
  li.appendChild(facts);
  if (view.superseded) {
    li.appendChild(el("p", { className: "consent-superseded small",
      text: "後から別の確認を送ったため、この確認への答えは記録されません。必要ならもう一度確認してください。" }));
  }
  return li;
}

/** Anyone viewing sees the records (check them before passing anything on); only the holder asks. */
export function renderConsents(consents, held) {
  $("consent-panel").hidden = !held && consents.length === 0;
  $("consent-form").hidden = !held;
  if ($("consent-panel").hidden) { return; }
  $("consent-pending-hint").hidden = !consentPending(consents);
  $("consent-count").textContent = String(consents.length);
  $("consent-empty").hidden = consents.length > 0;
  const now = api.now();
  const key = JSON.stringify(consents) + "|" + tokyoDay(now);
  if (key === consentKey) { return; }
  consentKey = key;
  const list = $("consent-list");
  list.textContent = "";
  consents.forEach(function (record, index) {
    if (!record) { return; }
    const view = consentView(record, index, consents.length, state.session.user, now);
    list.insertBefore(consentItem(view), list.firstChild);  // newest first
  });
}

async function askConsent() {
  if (consentBusy || !state.openId) { return; }
  const id = state.openId;
  const to = $("consent-to").value.trim();
  const purpose = $("consent-purpose").value.trim();
  const error = $("consent-error");
  error.hidden = true;
  if (!to) { $("consent-to").focus(); return; }
  if (!purpose) { $("consent-purpose").focus(); return; }
  consentBusy = true;
  $("consent-submit").disabled = true;
  try {
    await api.post(conversationPath(id, "consent"), { to: to, purpose: purpose });
    if (state.openId === id) { $("consent-form").reset(); }
    say("相談者に確認を送りました。答えが届くと「確認の記録」に表示されます。");
  } catch (e) {
    const problem = consentProblem(e);
    if (problem && state.openId === id) { error.textContent = problem; error.hidden = false; }
  } finally {
    consentBusy = false;
    $("consent-submit").disabled = false;
    if (state.openId === id) { desk.pollConversation(true); }
  }
}
$("consent-form").addEventListener("submit", function (event) { event.preventDefault(); askConsent(); });

// --- 「今つながる窓口」: lines that fit her concerns and are open now; one click puts one in the reply ------
/** Asked again when her concerns or urgency change, and every few minutes (a line may close). */
export function refreshPlaces(c) {
  const key = placesKey(c);
  if (key === places.key && Date.now() - places.at < PLACES_MAX_AGE_MS) { return; }
  const changed = places.key !== null && key !== places.key;
  places.key = key;
  places.at = Date.now();
  loadPlaces(c.conversation_id, changed);
}

async function loadPlaces(id, changed) {
  const seq = ++places.seq;
  try {
    const body = await api.get(conversationPath(id, "places"));
    if (seq !== places.seq || id !== state.openId) { return; }
    renderPlaces(body.places || [], changed);
  } catch (e) {
    if (seq !== places.seq || id !== state.openId || e.status === 401) { return; }
    places.key = null;  // try again with the next refresh of the conversation
    setText($("places-status"), "窓口を読み込めませんでした" + failure(e) + "。");
  }
}

function placeItem(view) {
  const li = el("li", { className: "place" });
  const button = el("button", { className: "place-insert",
    attrs: { type: "button", "data-testid": "place-insert", "data-place-id": view.id, "aria-label": view.insertLabel } });
  button.appendChild(el("span", { className: "place-name", text: view.name }));
  if (view.detail) { button.appendChild(el("span", { className: "place-detail", text: view.detail })); }
  button.appendChild(el("span", { className: "place-action", text: "＋ 返信欄に入れる" }));
  button.addEventListener("click", function () { insertIntoReply(view.text); });
  li.appendChild(button);
  if (view.url) {
    li.appendChild(el("a", { className: "place-link", text: "サイトを見る",
      attrs: { href: view.url, target: "_blank", rel: "noopener noreferrer", "aria-label": view.linkLabel } }));
  }
  return li;
}

function renderPlaces(list, changed) {
  const ul = $("places");
  ul.textContent = "";
  list.map(placeView).filter(Boolean).forEach(function (view) { ul.appendChild(placeItem(view)); });
  setText($("places-status"), placesStatus(ul.children.length, changed, clockTime(api.now())));
}
