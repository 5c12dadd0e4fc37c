/* What a counselor does in the open conversation: reply, insert a place, signal typing, hand over,
 * release to the bot, close with an outcome. */

import { $, say } from "./dom.js";
import { api, desk, state } from "./state.js";
import { conversationPath, failure } from "./api.js";
import { insertText, replyProblem, shouldSignalTyping, transferProblem } from "./conversation.js";
import { takeOver } from "./active-view.js";

const TYPING_EVERY_MS = 3000;   // the counselor's typing signal, at most this often

let sending = false;
let typingSent = null;          // {id, at} of the last typing signal

/** A reply is on its way (the send button stays disabled). */
export function isSending() { return sending; }

// --- Typing: only the holder's typing is shown to her --------------------------------------------------
function noteTyping() {
  const id = state.openId, current = state.current;
  if (!id || !current || current.id !== id || current.state !== "human" || current.holder !== state.session.user) {
    return;
  }
  const now = Date.now();
  if (!shouldSignalTyping(typingSent, id, now, TYPING_EVERY_MS)) { return; }
  typingSent = { id: id, at: now };
  api.post(conversationPath(id, "typing")).catch(function () { /* a lost typing signal does not matter */ });
}
$("reply-input").addEventListener("input", noteTyping);

/** At the cursor (or at the end), on a line of its own; the counselor reads it over before sending. */
export function insertIntoReply(text) {
  const input = $("reply-input");
  const value = input.value;
  const start = typeof input.selectionStart === "number" ? input.selectionStart : value.length;
  const end = typeof input.selectionEnd === "number" ? input.selectionEnd : value.length;
  const limit = parseInt(input.getAttribute("maxlength"), 10) || 2000;
  const next = insertText(value, start, end, text, limit);
  if (!next) { say("返信欄に入りきりません。先に送るか、短くしてください。"); return; }
  input.value = next.value;
  if (!input.disabled) {
    input.focus();
    input.setSelectionRange(next.caret, next.caret);
    noteTyping();
  }
}

// --- Reply ------------------------------------------------------------------------------------------------
async function sendReply() {
  const input = $("reply-input");
  const text = input.value;
  if (sending || !text.trim() || !state.openId) { return; }
  sending = true;
  $("reply-send").disabled = true;
  try {
    await api.post(conversationPath(state.openId, "messages"), { text: text });
    input.value = "";
    say("");
  } catch (e) {
    const problem = replyProblem(e);
    if (problem) { say(problem); }
  } finally {
    sending = false;
    $("reply-send").disabled = false;
    desk.pollConversation(true);
  }
}
$("reply-form").addEventListener("submit", function (event) { event.preventDefault(); sendReply(); });
$("reply-input").addEventListener("keydown", function (event) {
  // Enter sends, Shift+Enter is a new line; never while an IME is composing Japanese.
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) { return; }
  event.preventDefault();
  sendReply();
});

// --- Hand over to a colleague (a supervisor may also move anyone's) ----------------------------------------
async function transfer() {
  if (!state.openId) { return; }
  const id = state.openId;
  const to = $("transfer-to").value.trim();
  const error = $("transfer-error");
  error.hidden = true;
  if (!to) { $("transfer-to").focus(); return; }
  if (state.current && state.current.id === id && state.current.holder === to) {
    error.textContent = to + " さんがすでに担当しています。";
    error.hidden = false;
    return;
  }
  $("transfer-submit").disabled = true;
  try {
    const body = await api.post(conversationPath(id, "transfer"), { to: to });
    if (to === state.session.user) { state.takenHere[id] = true; } else { state.handedAwayHere[id] = true; }
    $("transfer-form").reset();
    say(((body && body.holder) || to) + " さんに引き継ぎました。");
  } catch (e) {
    const problem = transferProblem(e, to === (state.session && state.session.user));
    if (problem) { error.textContent = problem; error.hidden = false; }
  } finally {
    $("transfer-submit").disabled = false;
    desk.pollConversation();
    desk.pollActive();
  }
}
$("transfer-form").addEventListener("submit", function (event) { event.preventDefault(); transfer(); });

$("conv-takeover").addEventListener("click", function () { if (state.openId) { takeOver(state.openId, this); } });

// --- Release to the bot -------------------------------------------------------------------------------------
$("release").addEventListener("click", async function () {
  if (!state.openId) { return; }
  const id = state.openId;
  this.disabled = true;
  try {
    await api.post(conversationPath(id, "release"));
    say("ボットに戻しました。相談者にはそのことが伝わります。");
    desk.pollActive();
  } catch (e) {
    if (e.status !== 401) { say("ボットに戻せませんでした" + failure(e) + "。"); }
  }
  desk.pollConversation();
});

// --- Close with an outcome ----------------------------------------------------------------------------------
$("close-form").addEventListener("submit", async function (event) {
  event.preventDefault();
  if (!state.openId) { return; }
  const id = state.openId;
  const outcome = $("close-outcome").value;
  if (!outcome) { say("終了の結果を選んでください。"); $("close-outcome").focus(); return; }
  $("close-submit").disabled = true;
  try {
    await api.post(conversationPath(id, "close"), { outcome: outcome, note: $("close-note").value });
    say("相談を終了しました。");
    $("close-form").reset();
    desk.pollActive();
  } catch (e) {
    if (e.status !== 401) { say("終了できませんでした" + failure(e) + "。"); }
  }
  desk.pollConversation();
});
