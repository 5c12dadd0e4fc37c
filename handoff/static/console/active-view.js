/* Conversations being handled (GET /api/conversations). A supervisor sees everyone's, with 「引き継ぐ（自分が対応）」;
 * a counselor sees her own, from the server (one handed to her shows up, one taken from her goes away). */

import { $, el, placeAt, rowsById, say, setText } from "./dom.js";
import { api, desk, isSupervisor, me, state } from "./state.js";
import { conversationPath, failure } from "./api.js";
import { poller, STOP } from "./flight.js";
import { activeRowView, handedToMe } from "./active.js";
import { transferProblem } from "./conversation.js";

const QUEUE_POLL_MS = 3000;
const LIVE_POLL_MS = 15000;

let entries = [];
let loaded = false;

async function fetchActive() {
  if (!state.session) { return STOP; }
  try {
    const body = await api.get("/api/conversations");
    if (!state.session) { return STOP; }
    renderActive(body.conversations || []);
    $("active-error").hidden = true;
  } catch (e) {
    if (e.status === 401) { return STOP; }
    setText($("active-error"), "対応中の一覧を更新できません" + failure(e) + "。再試行します。");
    $("active-error").hidden = false;
  }
  return undefined;
}

export const activePoller = poller(fetchActive, function () { return desk.isLive() ? LIVE_POLL_MS : QUEUE_POLL_MS; });

export function resetActive() {
  entries = [];
  loaded = false;
  $("active").textContent = "";
}

/** Redraw with what is known (which row is open changed). */
export function refreshActiveMarks() { if (loaded && state.session) { renderActive(entries); } }

function newRow(id) {
  const row = el("li", { className: "active-row", attrs: { "data-testid": "active-row", "data-conversation-id": id } });
  row.innerHTML =
    '<div class="row-top"><span class="badge"></span><span class="holder"></span><span class="channel"></span></div>' +
    '<div class="concerns"></div><p class="active-times"></p>' +
    '<div class="row-buttons"><button type="button" class="secondary active-open" data-testid="active-open">表示</button>' +
    '<button type="button" class="takeover" data-testid="takeover-button">引き継ぐ（自分が対応）</button></div>';
  row.querySelector(".active-open").addEventListener("click", function () { desk.openConversation(id); });
  row.querySelector(".takeover").addEventListener("click", function () { takeOver(id, this); });
  return row;
}

function updateRow(row, view) {
  row.setAttribute("data-urgency", view.urgency);
  row.setAttribute("data-holder", view.holder);
  row.classList.toggle("is-open", view.isOpen);
  const badge = row.querySelector(".badge");
  badge.className = view.badgeClass;
  setText(badge, view.badgeText);
  setText(row.querySelector(".holder"), view.holderText);
  setText(row.querySelector(".channel"), view.channel);
  setText(row.querySelector(".concerns"), view.concerns);
  setText(row.querySelector(".active-times"), view.times);
  const open = row.querySelector(".active-open");
  setText(open, view.openText);
  open.setAttribute("aria-label", view.openLabel);
  if (view.isOpen) { open.setAttribute("aria-current", "true"); } else { open.removeAttribute("aria-current"); }
  const takeover = row.querySelector(".takeover");
  takeover.hidden = !view.canTakeOver;
  takeover.setAttribute("aria-label", view.takeOverLabel);
}

function renderActive(next) {
  const who = me();
  const arrived = handedToMe(entries, next, who.user, state.takenHere, loaded);
  entries = next;
  loaded = true;
  const now = api.now();
  const list = $("active");
  const rows = rowsById(list);
  next.forEach(function (entry, index) {
    const view = activeRowView(entry, who, state.openId, state.claimedAt[entry.conversation_id], now);
    const row = rows[view.id] || newRow(view.id);
    delete rows[view.id];
    updateRow(row, view);
    placeAt(list, row, index);
  });
  Object.keys(rows).forEach(function (id) { list.removeChild(rows[id]); });
  $("active-count").textContent = String(next.length);
  $("active-empty").hidden = next.length > 0;
  if (arrived.length) {
    say("あなたの担当になった相談が" + arrived.length + "件あります（引き継ぎ）。「対応中の相談」から開いてください。");
    const byId = rowsById(list);
    arrived.forEach(function (e) { if (byId[e.conversation_id]) { byId[e.conversation_id].classList.add("is-new"); } });
  }
}

function activeEntry(id) {
  return entries.find(function (e) { return e.conversation_id === id; }) || null;
}

/** A supervisor takes a held conversation over: a transfer to herself. */
export async function takeOver(id, button) {
  if (!isSupervisor()) { return; }
  const entry = activeEntry(id);
  const current = state.current;
  const previous = (entry && entry.holder) || (current && current.id === id && current.holder) || "";
  if (button) { button.disabled = true; }
  try {
    await api.post(conversationPath(id, "transfer"), { to: state.session.user });
    state.takenHere[id] = true;
    delete state.handedAwayHere[id];
    say("対応を引き継ぎました" + (previous ? "（前の担当: " + previous + "）" : "") + "。");
    desk.openConversation(id);
  } catch (e) {
    const problem = transferProblem(e, true);
    if (problem) { say("引き継げませんでした：" + problem); }
  } finally {
    if (button) { button.disabled = false; }
    activePoller.poll();
  }
}
