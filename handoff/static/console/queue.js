/* What the queue shows, and when to alert: pure functions over the server's queue entries. No DOM. */

import { CHANNELS, URGENCY, concernText, label } from "./labels.js";
import { minutesWaiting } from "./time.js";
import { CODES, failure } from "./api.js";

export const OVERDUE_TAG = "【至急】待ち時間が長くなっています";

/** Languages she may write in besides Japanese (issue 9), by ISO 639-1 code; an unknown code shows as itself. */
export const LANGUAGES = {
  en: "英語", zh: "中国語", ko: "韓国語", vi: "ベトナム語", tl: "タガログ語", pt: "ポルトガル語", es: "スペイン語",
  ne: "ネパール語", th: "タイ語", id: "インドネシア語", fr: "フランス語", hi: "ヒンディー語", my: "ミャンマー語"
};

/** 「言語：英語 (en)」 when she writes in another language; "" for Japanese (the usual case says nothing). */
export function languageText(code) {
  if (typeof code !== "string" || code === "" || code === "ja") { return ""; }
  return "言語：" + label(LANGUAGES, code) + " (" + code + ")";
}

/** Everything one queue row shows for `entry`; `overdue` when the server alerted that she has waited too long. */
export function queueRowView(entry, overdue, now) {
  const urgencyText = label(URGENCY, entry.urgency);
  const concerns = concernText(entry.concerns);
  return {
    id: entry.conversation_id,
    urgency: entry.urgency,
    overdue: !!overdue,
    badgeClass: "badge urgency-" + entry.urgency,
    badgeText: urgencyText,
    channel: label(CHANNELS, entry.channel),
    language: languageText(entry.language),
    wait: "待ち " + minutesWaiting(entry.waiting_since, now),
    concerns: concerns,
    factors: Array.isArray(entry.factors) ? entry.factors.slice() : [],
    claimLabel: "対応する（" + urgencyText + "・" + concerns + "）"
  };
}

/** The overdue banner's words for one conversation: 「緊急・自殺リスク（待ち 12分）」. */
export function overdueText(entry, frame, now) {
  const since = entry.waiting_since || frame.waiting_since;
  return (label(URGENCY, entry.urgency) || label(URGENCY, frame.urgency)) + "・" + concernText(entry.concerns) +
    (since ? "（待ち " + minutesWaiting(since, now) + "）" : "");
}

/**
 * Reconcile the alerts with a fresh queue answer. `alerts` = {overdue: id→text, pending: id→frame,
 * emergencies: id→true}. An overdue alert stands while she still waits; one replayed for a conversation
 * claimed since (after a reconnect) is dropped. Returns the new alerts and what is new: `fresh` (emergencies
 * not seen before) and `newlyOverdue`.
 */
export function reconcileAlerts(alerts, entries, now) {
  const present = {};
  entries.forEach(function (entry) { present[entry.conversation_id] = entry; });
  const overdue = {};
  Object.keys(alerts.overdue).forEach(function (id) { if (present[id]) { overdue[id] = alerts.overdue[id]; } });
  const newlyOverdue = [];
  Object.keys(alerts.pending).forEach(function (id) {
    if (present[id] && !overdue[id]) {
      overdue[id] = overdueText(present[id], alerts.pending[id], now);
      newlyOverdue.push(id);
    }
  });
  const emergencies = {}, fresh = [];
  entries.forEach(function (entry) {
    if (entry.urgency !== "emergency") { return; }
    emergencies[entry.conversation_id] = true;
    if (!alerts.emergencies[entry.conversation_id]) { fresh.push(entry.conversation_id); }
  });
  return { overdue: overdue, pending: {}, emergencies: emergencies, fresh: fresh, newlyOverdue: newlyOverdue };
}

/** The queue could not be checked: alerts from the server are raised anyway rather than held back. */
export function raisePending(alerts, now) {
  const overdue = Object.assign({}, alerts.overdue);
  Object.keys(alerts.pending).forEach(function (id) {
    const frame = alerts.pending[id];
    if (!overdue[id]) { overdue[id] = overdueText({ urgency: frame.urgency, concerns: [] }, frame, now); }
  });
  return { overdue: overdue, pending: {}, emergencies: alerts.emergencies };
}

/**
 * The banner: `kind` is "overdue" | "fresh" | "waiting" | null, `text` the words to show (undefined: keep the
 * words on screen). Overdue wins; a fresh emergency is announced once; after an overdue one is claimed, the
 * banner still says emergencies are waiting.
 */
export function bannerFor(overdue, freshCount, waitingEmergencies, kind) {
  const late = Object.keys(overdue).map(function (id) { return overdue[id]; });
  if (late.length) {
    return { kind: "overdue", text: "【至急】待ち時間が長くなっています：" + late.join("、") +
      "。まだ誰も対応していません。一覧の印のついた行から対応してください。" };
  }
  if (freshCount) {
    return { kind: "fresh", text: "緊急の相談が" + freshCount + "件、新しく入りました。一覧の赤い行を確認してください。" };
  }
  if (!waitingEmergencies) { return { kind: null, text: undefined }; }
  if (kind === "overdue") {
    return { kind: "waiting", text: "緊急の相談が" + waitingEmergencies + "件、待っています。一覧の赤い行を確認してください。" };
  }
  return { kind: kind, text: undefined };
}

/** Why a claim failed, in words a counselor can act on; `refresh` when the queue is out of date. Null: say nothing. */
export function claimProblem(error) {
  if (error.status === 401) { return null; }
  if (error.code === CODES.LIMIT) {
    return { text: "同時に対応できる数の上限です。どれかを終えてから対応してください。", refresh: false };
  }
  if (error.code === CODES.NOT_WAITING) {
    return { text: "この相談は、ほかの相談員がすでに対応しています。", refresh: true };
  }
  if (error.status === 409) {
    return { text: "対応を始められませんでした。ほかの相談員がすでに対応したか、同時に対応できる数の上限です。",
      refresh: true };
  }
  if (error.status === 403) {
    return { text: "操作が拒否されました。ページを読み込み直して、ログインし直してください。", refresh: false };
  }
  return { text: "対応を始められませんでした" + failure(error) + "。", refresh: false };
}
