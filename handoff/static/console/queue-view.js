/* The waiting queue on screen: rows updated in place, the emergency banner, and claiming. */

import { $, clearStatus, placeAt, rowsById, say, setText } from "./dom.js";
import { api, desk, state } from "./state.js";
import { conversationPath, failure } from "./api.js";
import { poller, STOP } from "./flight.js";
import { bannerFor, claimProblem, OVERDUE_TAG, queueRowView, raisePending, reconcileAlerts } from "./queue.js";
import { ALERT_TITLES, OVERDUE_TITLES, isFlashing, signal, stopFlashing, unlockAudio } from "./alarm.js";

const QUEUE_POLL_MS = 3000;     // while the live socket is down
const LIVE_POLL_MS = 15000;     // fallback while it is up (frames do the real work)

let alerts = { overdue: {}, pending: {}, emergencies: {} };
let bannerKind = null;          // "overdue" | "fresh" | "waiting" | null
let queueError = false;

async function fetchQueue() {
  if (!state.session) { return STOP; }
  try {
    const body = await api.get("/api/queue");
    if (!state.session) { return STOP; }
    renderQueue(body.queue || []);
    if (queueError) { queueError = false; clearStatus("一覧を更新できません"); }
  } catch (e) {
    if (e.status === 401) { return STOP; }
    queueError = true;
    say("一覧を更新できません" + failure(e) + "。再試行します。");
    raisePendingAlerts();
  }
  return undefined;
}

/** Frames in a burst, the timer and a claim coalesce into one more request. */
export const queuePoller = poller(fetchQueue, function () { return desk.isLive() ? LIVE_POLL_MS : QUEUE_POLL_MS; });

/** The server's "alert" frame: checked against the next queue answer. */
export function noteAlert(frame) { alerts.pending[frame.conversation_id] = frame; }

export function resetAlerts() {
  alerts = { overdue: {}, pending: {}, emergencies: {} };
}

function newRow(id) {
  const row = document.createElement("li");
  row.className = "queue-row";
  row.setAttribute("data-testid", "queue-row");
  row.setAttribute("data-conversation-id", id);
  row.innerHTML =
    '<div class="row-top"><span class="badge"></span><span class="channel"></span>' +
    '<span class="language" data-testid="queue-language" hidden></span>' +
    '<span class="wait"></span></div>' +
    '<p class="overdue-tag" data-testid="overdue-tag" hidden></p>' +
    '<div class="concerns"></div><ul class="factors"></ul>' +
    '<button type="button" class="claim" data-testid="claim-button">対応する</button>';
  row.querySelector(".overdue-tag").textContent = OVERDUE_TAG;
  row.querySelector(".claim").addEventListener("click", function () { claim(id, this); });
  return row;
}

function renderFactors(list, factors) {
  const text = factors.join("\n");
  if (list.getAttribute("data-text") === text) { return; }
  list.setAttribute("data-text", text);
  list.textContent = "";
  factors.forEach(function (f) {
    const li = document.createElement("li");
    li.textContent = f;
    list.appendChild(li);
  });
}

function updateRow(row, view) {
  row.setAttribute("data-urgency", view.urgency);
  if (view.overdue) { row.setAttribute("data-overdue", "true"); } else { row.removeAttribute("data-overdue"); }
  row.querySelector(".overdue-tag").hidden = !view.overdue;
  const badge = row.querySelector(".badge");
  badge.className = view.badgeClass;
  setText(badge, view.badgeText);
  setText(row.querySelector(".channel"), view.channel);
  const language = row.querySelector(".language");
  setText(language, view.language);
  language.hidden = !view.language;
  setText(row.querySelector(".wait"), view.wait);
  setText(row.querySelector(".concerns"), view.concerns);
  renderFactors(row.querySelector(".factors"), view.factors);
  row.querySelector(".claim").setAttribute("aria-label", view.claimLabel);
}

function renderQueue(entries) {
  const now = api.now();
  const next = reconcileAlerts(alerts, entries, now);
  alerts = { overdue: next.overdue, pending: {}, emergencies: next.emergencies };
  const list = $("queue");
  const rows = rowsById(list);
  entries.forEach(function (entry, index) {
    const view = queueRowView(entry, alerts.overdue[entry.conversation_id], now);
    const row = rows[view.id] || newRow(view.id);
    delete rows[view.id];
    updateRow(row, view);
    placeAt(list, row, index);
  });
  Object.keys(rows).forEach(function (id) { list.removeChild(rows[id]); });
  $("queue-count").textContent = String(entries.length);
  $("queue-empty").hidden = entries.length > 0;
  updateBanner(next.fresh.length);
  if (next.newlyOverdue.length) { signal(OVERDUE_TITLES); }
  else if (next.fresh.length) { signal(ALERT_TITLES); }
  if (!hasAlerts()) { acknowledge(); }
}

function hasAlerts() { return Object.keys(alerts.emergencies).length > 0 || Object.keys(alerts.overdue).length > 0; }

function updateBanner(freshCount) {
  const banner = $("alert");
  const next = bannerFor(alerts.overdue, freshCount, Object.keys(alerts.emergencies).length, bannerKind);
  bannerKind = next.kind;
  if (next.text !== undefined) { setText(banner, next.text); }
  banner.hidden = bannerKind === null;
  banner.classList.toggle("alert-overdue", bannerKind === "overdue");
}

// The queue could not be checked: an alert from the server is shown anyway rather than held back.
function raisePendingAlerts() {
  if (!Object.keys(alerts.pending).length) { return; }
  alerts = raisePending(alerts, api.now());
  updateBanner(0);
  signal(OVERDUE_TITLES);
}

/** Stop the flashing; the banner goes once nothing urgent is waiting. */
export function acknowledge() {
  stopFlashing();
  if (!hasAlerts()) {
    bannerKind = null;
    $("alert").hidden = true;
  }
}
// Acknowledged when the counselor comes back to the tab and touches it.
$("alert").addEventListener("click", acknowledge);
window.addEventListener("focus", function () { if (isFlashing()) { setTimeout(acknowledge, 5000); } });

async function claim(id, button) {
  unlockAudio();
  button.disabled = true;
  try {
    await api.post(conversationPath(id, "claim"));
    state.takenHere[id] = true;
    delete state.handedAwayHere[id];
    say("対応を始めました。");
    desk.openConversation(id);
    queuePoller.poll();
    desk.pollActive();
  } catch (e) {
    button.disabled = false;
    const problem = claimProblem(e);
    if (problem) { say(problem.text); }
    if (problem && problem.refresh) { queuePoller.poll(); }
  }
}
