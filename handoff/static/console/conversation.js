/* What the open conversation shows and allows, and what its errors mean: pure functions. No DOM. */

import { CHANNELS, STATES, URGENCY, concernText, label } from "./labels.js";
import { CODES, failure } from "./api.js";
import { languageText } from "./queue.js";

/** Who may do what: `me` = {user, role}. A supervisor may act on anyone's; only the holder replies. */
export function permissions(c, me) {
  const held = c.state === "human";
  const supervisor = me.role === "supervisor";
  return {
    mine: held && (c.holder === me.user || supervisor),
    canReply: held && c.holder === me.user,
    overseeing: held && supervisor && c.holder !== me.user
  };
}

/** The note over the reply box (why she cannot reply, or nothing) and whether 「この画面を閉じる」 shows. */
function noteFor(c, allowed) {
  if (c.state === "closed") { return "この相談は終了しています。"; }
  if (c.state === "bot") { return "この相談はボットに戻っています。"; }
  if (allowed.overseeing) {
    return c.holder + " さんが対応中です。返信するには「引き継ぐ（自分が対応）」を押してください。";
  }
  if (c.state === "human" && !allowed.mine) { return "ほかの相談員（" + c.holder + "）が対応中です。"; }
  if (c.state === "waiting") { return "順番待ちです。返信するには一覧から「対応する」を押してください。"; }
  return null;
}

/** The head of the conversation and the state of its controls. */
export function conversationView(c, me) {
  const allowed = permissions(c, me);
  const factors = Array.isArray(c.factors) ? c.factors : [];
  const note = noteFor(c, allowed);
  return Object.assign(allowed, {
    meta: label(STATES, c.state) + (c.holder ? "・担当 " + c.holder : "") + "・" + label(CHANNELS, c.channel) +
      (languageText(c.language) ? "・" + languageText(c.language) : ""),
    badgeClass: "badge urgency-" + c.urgency,
    badgeText: label(URGENCY, c.urgency),
    tags: " " + concernText(c.concerns) + (factors.length ? "｜" + factors.join("、") : ""),
    note: note,
    dismissible: note !== null
  });
}

/**
 * Compare with the conversation as last shown (`previous` = {id, state, holder} or null). `changed`: the
 * holder changed; `notice`: words for a counselor whose conversation a colleague took (not when she handed it
 * over herself from this tab).
 */
export function holderChange(previous, c, me, handedAwayHere) {
  const holder = c.holder || "";
  const changed = !!previous && previous.id === c.conversation_id && previous.holder !== holder;
  const takenFromMe = changed && previous.holder === me.user && c.state === "human" && holder !== "" &&
    holder !== me.user && !handedAwayHere[c.conversation_id];
  return {
    changed: changed,
    notice: takenFromMe ? "この相談は " + holder + " さんが引き継ぎました。あなたからは返信できなくなりました。" : null
  };
}

function transferMeaning(error, toSelf) {
  if (error.status === 403) { return "この相談を担当していないため、引き継げません。"; }
  if (error.code === CODES.LIMIT) {
    return toSelf ? "あなたが同時に対応できる数の上限に達しています。" : "相手が同時に対応できる数の上限に達しています。";
  }
  if (error.code === CODES.NOT_HELD) { return "この相談はいま相談員が対応していません。"; }
  if (error.code === CODES.HELD_BY_OTHER) { return "この相談はすでにほかの相談員が担当しています。"; }
  if (error.code === CODES.UNKNOWN_COUNSELOR || error.status === 400) { return "その名前の相談員が見つかりません。"; }
  if (error.status === 0) { return "サーバーにつながりません。"; }
  return "引き継げませんでした。";
}

/** Why a transfer failed: what it means here, then the server's own words. Null: say nothing (logged out). */
export function transferProblem(error, toSelf) {
  if (error.status === 401) { return null; }
  const detail = error.detail && error.detail !== "network" ? "（" + error.status + ": " + error.detail + "）"
    : error.status ? "（" + error.status + "）" : "";
  return transferMeaning(error, toSelf) + detail;
}

/** Why a reply was not sent. Null: say nothing. */
export function replyProblem(error) {
  if (error.status === 401) { return null; }
  if (error.code === CODES.NOT_HELD || error.status === 409) { return "この相談は対応中ではないため、送れませんでした。"; }
  if (error.status === 413) { return "長すぎて送れませんでした。分けて送ってください。"; }
  return "送れませんでした" + failure(error) + "。もう一度送ってください。";
}

/**
 * Put `text` into a reply being written, at the selection, on a line of its own. Returns {value, caret},
 * or null when the result would not fit in `limit` characters.
 */
export function insertText(value, start, end, text, limit) {
  const before = value.slice(0, start), after = value.slice(end);
  const tail = after && !after.startsWith("\n") ? "\n" : "";
  const insert = (before && !before.endsWith("\n") ? "\n" : "") + text + tail;
  const next = before + insert + after;
  if (next.length > limit) { return null; }
  return { value: next, caret: before.length + insert.length - tail.length };
}

/** Whether to send the counselor's typing signal now: at most every `everyMs` per conversation. */
export function shouldSignalTyping(last, id, now, everyMs) {
  return !(last && last.id === id && now - last.at < everyMs);
}
