/* Akari counselor console: the entry module. No dependencies, no build step (ES modules, CSP 'self').
 * The session cookie is HttpOnly; the CSRF token from the login answer goes on every POST.
 * Live updates come over the WebSocket /api/console/events (typed, numbered frames, no message text);
 * every frame refreshes the queue at once. Polling stays as a slower fallback, faster while the socket is down. */

import { $, say, setText } from "./dom.js";
import { api, desk, isSupervisor, saveSession, state } from "./state.js";
import { claimFrom, createLive, eventsUrl } from "./live.js";
import { acknowledge, noteAlert, queuePoller, resetAlerts } from "./queue-view.js";
import { activePoller, refreshActiveMarks, resetActive } from "./active-view.js";
import { closeView, hideUserTyping, openConversation, pollConversation, showUserTyping,
  stopConversationPolling } from "./conversation-view.js";
import { unlockAudio } from "./alarm.js";

const LIVE_TEXT = { live: "ライブ更新中", connecting: "接続中…", down: "再接続を待っています（数秒ごとに更新）" };

function setLive(liveState) {
  const badge = $("live");
  badge.setAttribute("data-state", liveState);
  badge.hidden = liveState === "off";
  setText(badge, LIVE_TEXT[liveState] || "");
}

/** Any frame refreshes the queue and the list, and the open conversation when it concerns it. */
function onFrame(frame) {
  if (frame.type === "typing") {  // ephemeral: changes nothing on the server, refreshes nothing here
    if (frame.who === "user" && state.openId && frame.conversation_id === state.openId) { showUserTyping(); }
    return;
  }
  if (frame.type === "alert" && typeof frame.conversation_id === "string") { noteAlert(frame); }
  const claim = claimFrom(frame);
  if (claim) { state.claimedAt[claim.id] = { holder: claim.holder, at: claim.at }; }
  queuePoller.poll();
  activePoller.poll();
  if (state.openId && (frame.type === "hello" || frame.conversation_id === state.openId)) { pollConversation(); }
}

const live = createLive({
  url: function (after) { return eventsUrl(location, after); },
  WebSocket: window.WebSocket,
  active: function () { return !!state.session; },
  onFrame: onFrame,
  onState: setLive,
  // Fill the gap by polling at the faster rate; a 401 here means the login ended (stops reconnecting).
  onDrop: function () {
    queuePoller.poll();
    activePoller.poll();
    if (state.openId) { pollConversation(); }
  }
});
window.addEventListener("online", live.online);

function stopPolling() {
  queuePoller.stop();
  activePoller.stop();
  stopConversationPolling();
}

function loggedOut(message) {
  stopPolling();
  live.disconnect();
  resetAlerts();
  acknowledge();
  state.session = null;
  saveSession();
  state.openId = null;
  state.current = null;
  state.claimedAt = {};
  state.takenHere = {};
  state.handedAwayHere = {};
  resetActive();
  hideUserTyping();
  $("conversation").hidden = true;
  $("desk").hidden = true;
  $("who").hidden = true;
  $("login").hidden = false;
  $("alert").hidden = true;
  say(message || "");
  $("login-user").focus();
}

function enterDesk() {
  const session = state.session;
  $("login").hidden = true;
  $("desk").hidden = false;
  $("who").hidden = false;
  $("who-name").textContent = session.user + (session.role === "supervisor" ? "（スーパーバイザー）" : "");
  say("");
  resetAlerts();
  $("active-scope").textContent = isSupervisor() ? "全員が対応中の相談です（スーパーバイザー表示）。" : "あなたが対応中の相談です。";
  queuePoller.poll();
  activePoller.poll();
  if (session.open) { openConversation(session.open); }
  live.connect();
}

function loginProblem(error) {
  if (error.status === 401) { return "ユーザー名かパスワードが違います。"; }
  if (error.status === 429) { return "失敗が続いたため、しばらく（15分ほど）ログインできません。"; }
  if (error.status === 0) { return "サーバーにつながりません。ネットワークを確かめてください。"; }
  return "ログインできませんでした（" + error.status + "）。";
}

$("login-form").addEventListener("submit", async function (event) {
  event.preventDefault();
  unlockAudio();
  const error = $("login-error");
  error.hidden = true;
  $("login-submit").disabled = true;
  try {
    const body = await api.post("/api/auth/login",
      { username: $("login-user").value.trim(), password: $("login-password").value });
    state.session = { user: body.user, role: body.role, csrf: body.csrf_token, open: null };
    saveSession();
    $("login-password").value = "";
    enterDesk();
  } catch (e) {
    error.textContent = loginProblem(e);
    error.hidden = false;
  } finally {
    $("login-submit").disabled = false;
  }
});

$("logout").addEventListener("click", async function () {
  try { await api.post("/api/auth/logout"); } catch (e) { /* leave anyway */ }
  loggedOut("ログアウトしました。");
});

Object.assign(desk, {
  pollQueue: queuePoller.poll,
  pollActive: activePoller.poll,
  pollConversation: pollConversation,
  openConversation: openConversation,
  closeView: closeView,
  refreshActiveMarks: refreshActiveMarks,
  loggedOut: loggedOut,
  isLive: live.isLive
});

// --- Start: a reload keeps the login of this tab if the cookie is still good. ------------------------------
if (state.session && state.session.csrf) {
  enterDesk();
} else {
  state.session = null;
  $("login").hidden = false;
}
