/* The side panels of a conversation (consent records, triage history, places open now, notes): what they
 * show, as pure functions. No DOM. */

import { INTENTS, URGENCY, concernText, label } from "./labels.js";
import { timeWithDay, tokyoDay } from "./time.js";
import { CODES, failure } from "./api.js";

// Nothing may be passed on without 「同意あり」, and then only to that place for that purpose.
export const CONSENT_STATUS = Object.freeze({
  pending: { label: "回答待ち", rule: "まだ伝えないでください。" },
  yes: { label: "同意あり", rule: "この伝える先に、この目的でのみ伝えられます。" },
  no: { label: "同意なし", rule: "伝えないでください。" }
});

/** "yes" | "no" | "pending": only an explicit true or false is an answer. */
export function consentStatus(record) {
  return record.answer === true ? "yes" : record.answer === false ? "no" : "pending";
}

/**
 * One consent record as shown. Her answer is recorded on the latest question only, so an earlier one
 * still open is `superseded`. `facts` are [term, value] pairs.
 */
export function consentView(record, index, count, me, now) {
  const status = consentStatus(record);
  const asker = (record.asked_by || "—") + (record.asked_by === me ? "（あなた）" : "") +
    (typeof record.asked_at === "number" ? "・" + timeWithDay(record.asked_at, now) : "");
  const facts = [["伝える先", record.to || "—"], ["目的", record.purpose || "—"], ["確認した人", asker]];
  if (status !== "pending" && typeof record.answered_at === "number") {
    facts.push(["回答", timeWithDay(record.answered_at, now)]);
  }
  return {
    status: status, label: CONSENT_STATUS[status].label, rule: CONSENT_STATUS[status].rule, facts: facts,
    superseded: status === "pending" && index < count - 1
  };
}

/** Whether the newest question is still unanswered (a new one would take her answer instead). */
export function consentPending(consents) {
  const last = consents[consents.length - 1];
  return !!last && consentStatus(last) === "pending";
}

/** Why a consent question was not sent. Null: say nothing. */
export function consentProblem(error) {
  if (error.status === 401) { return null; }
  if (error.code === CODES.NOT_HELD || error.status === 409) {
    return "この相談はいま対応中ではないため、確認を送れませんでした。";
  }
  if (error.status === 403) { return "この相談を担当していないか、操作が拒否されました（ページを読み込み直してください）。"; }
  if (error.status === 400) { return "伝える先と目的を書いてください。"; }
  return "確認を送れませんでした" + failure(error) + "。もう一度押してください。";
}

/** Why a note was not saved. Null: say nothing. */
export function noteProblem(error) {
  if (error.status === 401) { return null; }
  if (error.status === 404) { return "この相談が見つからないため、メモを保存できませんでした。"; }
  if (error.status === 413) { return "メモが長すぎます。短くしてください。"; }
  if (error.status === 403) { return "操作が拒否されました。ページを読み込み直して、ログインし直してください。"; }
  return "メモを保存できませんでした" + failure(error) + "。もう一度押してください。";
}

/** A list drawn from timestamped entries is redrawn when it grows or the Tokyo day turns (「M/D」 prefixes). */
export function listKey(entries, now) {
  const last = entries[entries.length - 1];
  return entries.length + "|" + (last ? last.ts : "") + "|" + tokyoDay(now);
}

/** A timestamp as shown in a list: text and the datetime attribute (null when unknown). */
export function stamp(ts, now) {
  return typeof ts === "number" ? { text: timeWithDay(ts, now), datetime: new Date(ts).toISOString() }
    : { text: "—", datetime: null };
}

/** One triage entry (no message text): when, how urgent, whether it went to a counselor, intent, concerns. */
export function triageView(entry, now) {
  const intent = entry.intent && entry.intent !== "out_of_scope" ? label(INTENTS, entry.intent) : null;
  return {
    urgency: entry.urgency || null,
    when: stamp(entry.ts, now),
    badgeClass: "badge urgency-" + (entry.urgency || "low"),
    badgeText: label(URGENCY, entry.urgency, "—"),
    handoff: !!entry.handoff,
    intent: intent,  // out_of_scope is also what the fallback triage says: no information
    concerns: concernText(entry.concerns),
    factors: Array.isArray(entry.factors) ? entry.factors : []
  };
}

/** What the places panel asks for: asked again when her concerns or urgency change. */
export function placesKey(c) {
  const concerns = Array.isArray(c.concerns) ? c.concerns.slice().sort() : [];
  return c.conversation_id + "|" + concerns.join(",") + "|" + c.urgency;
}

/** Only http(s) links are shown. */
export function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }

/** One place open now, or null if the server sent something unusable. `text` goes into the reply as is. */
export function placeView(place) {
  if (!place || typeof place.text !== "string") { return null; }
  return {
    id: place.id || "",
    text: place.text,
    name: place.name || "",
    detail: [place.phone, place.hours].filter(Boolean).join("　"),
    insertLabel: "返信欄に入れる：" + place.text,
    url: safeUrl(place.url),
    linkLabel: (place.name || "") + "のサイト（新しいタブ）"
  };
}

/** The line under the places: none fit, or they were refreshed because her concerns changed. */
export function placesStatus(count, changed, clock) {
  if (!count) { return "いま受付中で、この相談に合う窓口は見つかりません。"; }
  return changed ? "相談内容が変わったので、窓口を更新しました（" + clock + "）。" : "";
}
