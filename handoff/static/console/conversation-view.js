/* The open conversation: its head, the transcript (each message drawn once), the controls a counselor may
 * use, and polling it. A closed conversation is not polled, but a frame about it still refreshes it. */

import { $, clearStatus, el, say } from "./dom.js";
import { api, desk, me, saveSession, state } from "./state.js";
import { conversationPath, failure } from "./api.js";
import { AGAIN, IDLE, poller, STOP } from "./flight.js";
import { conversationView, holderChange } from "./conversation.js";
import { ROLES, label } from "./labels.js";
import { clockTime } from "./time.js";
import { renderConsents, renderNotes, renderTriage, refreshPlaces, resetSidebar } from "./sidebar-view.js";
import { isSending } from "./actions-view.js";

const CONVERSATION_POLL_MS = 2000;
const LIVE_POLL_MS = 15000;
const USER_TYPING_MS = 4000;    // how long 「相談者が入力中…」 stays after her last signal

let rendered = {};              // transcript message ids already shown
let scrollPending = false;      // the next render follows the transcript to the bottom
let pollError = false;
let userTypingTimer = null;

/** After the fetch for `id`: what the single-flight loop does next. */
function afterFetch(id, closed) {
  if (id === state.openId) { return closed ? IDLE : undefined; }
  return state.openId ? AGAIN : STOP;
}

async function fetchConversation() {
  const id = state.openId;
  if (!id || !state.session) { return STOP; }
  const follow = scrollPending;
  scrollPending = false;
  try {
    const body = await api.get(conversationPath(id));
    if (!state.session) { return STOP; }
    if (id === state.openId) { renderConversation(body, follow); }
    if (pollError) { pollError = false; clearStatus("相談を更新できません"); }
    return afterFetch(id, body.state === "closed");
  } catch (e) {
    if (e.status === 401) { return STOP; }
    if (e.status === 404) {
      say("この相談は見つかりません（保存期間を過ぎた可能性があります）。");
      desk.pollActive();
      if (id === state.openId) { closeView(); }
      return state.openId ? AGAIN : STOP;
    }
    pollError = true;
    say("相談を更新できません" + failure(e) + "。再試行します。");
    return afterFetch(id, false);
  }
}

const conversationPoller = poller(fetchConversation, function () {
  return desk.isLive() ? LIVE_POLL_MS : CONVERSATION_POLL_MS;
});

/** Refresh the open conversation; `scroll` follows the transcript to its end (after sending). */
export function pollConversation(scroll) {
  if (scroll === true) { scrollPending = true; }
  return conversationPoller.poll();
}

export function stopConversationPolling() { conversationPoller.stop(); }

// A draft note or consent question never follows the counselor to another conversation.
function resetView() {
  rendered = {};
  $("transcript").textContent = "";
  $("close-form").reset();
  $("transfer-form").reset();
  $("transfer-error").hidden = true;
  $("reply-input").value = "";
  state.current = null;
  resetSidebar();
  hideUserTyping();
}

export function openConversation(id) {
  if (state.openId !== id) {
    state.openId = id;
    resetView();
  }
  state.session.open = id;
  saveSession();
  desk.refreshActiveMarks();
  $("conversation").hidden = false;
  $("conv-title").textContent = "相談 " + id.slice(0, 8);
  pollConversation(true);
}

export function closeView() {
  conversationPoller.stop();
  state.openId = null;
  if (state.session) { state.session.open = null; saveSession(); }
  $("conversation").hidden = true;
  state.current = null;
  hideUserTyping();
  desk.refreshActiveMarks();
}
$("conv-dismiss").addEventListener("click", closeView);

export function showUserTyping() {
  $("user-typing").hidden = false;
  clearTimeout(userTypingTimer);
  userTypingTimer = setTimeout(hideUserTyping, USER_TYPING_MS);
}

export function hideUserTyping() {
  clearTimeout(userTypingTimer);
  userTypingTimer = null;
  $("user-typing").hidden = true;
}

function renderHead(view) {
  $("conv-meta").textContent = view.meta;
  const tags = $("conv-tags");
  tags.textContent = "";
  tags.appendChild(el("span", { className: view.badgeClass, text: view.badgeText }));
  tags.appendChild(document.createTextNode(view.tags));
}

function renderTranscript(messages, scroll, firstRender) {
  const list = $("transcript");
  const follow = scroll || list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  messages.forEach(function (m) {
    if (rendered[m.id]) { return; }
    rendered[m.id] = true;
    if (m.role === "user" && !firstRender) { hideUserTyping(); }  // what she was typing has arrived
    const li = el("li", { className: "line role-" + m.role, attrs: { "data-role": m.role } });
    li.appendChild(el("span", { className: "line-head", text: label(ROLES, m.role) + "  " + clockTime(m.ts) }));
    li.appendChild(el("p", { className: "line-text", text: m.text }));
    list.appendChild(li);
  });
  if (follow) { list.scrollTop = list.scrollHeight; }
}

function renderControls(view) {
  $("reply-input").disabled = !view.canReply;
  $("reply-send").disabled = !view.canReply || isSending();
  $("release").disabled = !view.mine;
  $("close-submit").disabled = !view.mine;
  $("close-outcome").disabled = !view.mine;
  $("close-note").disabled = !view.mine;
  $("transfer-fieldset").disabled = !view.mine;
  $("conv-takeover-row").hidden = !view.overseeing;
  const note = $("conv-note");
  note.textContent = view.note || "";
  note.hidden = view.note === null;
  $("conv-dismiss").hidden = !view.dismissible;
}

function renderConversation(c, scroll) {
  const who = me();
  const view = conversationView(c, who);
  const previous = state.current;
  renderHead(view);
  renderTranscript(c.messages || [], scroll, !previous || previous.id !== c.conversation_id);
  renderControls(view);
  const change = holderChange(previous, c, who, state.handedAwayHere);
  if (change.notice) { say(change.notice); }
  state.current = { id: c.conversation_id, state: c.state, holder: c.holder || "" };
  if (change.changed) { desk.refreshActiveMarks(); }
  renderTriage(c.triage_history || []);
  renderNotes(c.notes || []);
  renderConsents(c.consents || [], view.canReply);
  refreshPlaces(c);
}
