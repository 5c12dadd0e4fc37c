/* The list of conversations being handled: pure functions. No DOM. */

import { CHANNELS, URGENCY, concernText, label } from "./labels.js";
import { ago, clockTime } from "./time.js";

/**
 * Conversations that became mine since the last answer without this tab taking them (a colleague handed
 * them over). None on the first answer: what she already held is not news.
 */
export function handedToMe(before, entries, me, takenHere, loaded) {
  if (!loaded) { return []; }
  const had = {};
  before.forEach(function (e) { if (e.holder === me) { had[e.conversation_id] = true; } });
  return entries.filter(function (e) {
    return e.holder === me && !had[e.conversation_id] && !takenHere[e.conversation_id];
  });
}

/** 「待ち始め 12:03（5分前）・担当開始 12:08」: the claim time only when it was seen live for this holder. */
export function activeTimes(entry, claimed, now) {
  const times = [];
  if (entry.waiting_since) {
    times.push("待ち始め " + clockTime(entry.waiting_since) + "（" + ago(entry.waiting_since, now) + "）");
  }
  if (claimed && claimed.holder === entry.holder) { times.push("担当開始 " + clockTime(claimed.at)); }
  return times.join("・") || "—";
}

/** Everything one row shows. `me` = {user, role}; `openId` is the conversation open on screen. */
export function activeRowView(entry, me, openId, claimed, now) {
  const mine = entry.holder === me.user;
  const concerns = concernText(entry.concerns);
  const isOpen = entry.conversation_id === openId;
  return {
    id: entry.conversation_id,
    urgency: entry.urgency,
    holder: entry.holder || "",
    isOpen: isOpen,
    badgeClass: "badge urgency-" + entry.urgency,
    badgeText: label(URGENCY, entry.urgency),
    holderText: "担当 " + (entry.holder || "—") + (mine ? "（あなた）" : ""),
    channel: label(CHANNELS, entry.channel),
    concerns: concerns,
    times: activeTimes(entry, claimed, now),
    openText: isOpen ? "表示中" : "表示",
    openLabel: "表示（" + (entry.holder || "") + "・" + concerns + "）",
    canTakeOver: me.role === "supervisor" && !mine,
    takeOverLabel: "引き継ぐ（自分が対応）：" + (entry.holder || "") + "さんの相談"
  };
}
