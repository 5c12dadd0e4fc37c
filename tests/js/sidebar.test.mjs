import test from "node:test";
import assert from "node:assert/strict";
import { consentPending, consentProblem, consentStatus, consentView, listKey, noteProblem, placeView, placesKey,
  placesStatus, stamp, triageView } from "../../handoff/static/console/sidebar.js";
import { ApiError } from "../../handoff/static/console/api.js";

const NOW = Date.parse("2026-03-05T03:00:00Z");   // 12:00 in Tokyo

test("only an explicit yes is consent; anything else is no or still pending", () => {
  assert.equal(consentStatus({ answer: true }), "yes");
  assert.equal(consentStatus({ answer: false }), "no");
  assert.equal(consentStatus({ answer: "yes" }), "pending");
  assert.equal(consentStatus({}), "pending");
});

test("a consent record shows where, why, who asked, and when she answered", () => {
  const record = { to: "児童相談所", purpose: "泊まる場所", asked_by: "aoi", asked_at: NOW - 3600000,
    answer: true, answered_at: NOW - 60000 };
  const view = consentView(record, 0, 1, "aoi", NOW);
  assert.equal(view.label, "同意あり");
  assert.deepEqual(view.facts, [["伝える先", "児童相談所"], ["目的", "泊まる場所"], ["確認した人", "aoi（あなた）・11:00"],
    ["回答", "11:59"]]);
  assert.equal(view.superseded, false);
});

test("an earlier question left open is superseded by a newer one; the newest still waits", () => {
  const asked = [{ to: "A", purpose: "x" }, { to: "B", purpose: "y" }];
  assert.equal(consentView(asked[0], 0, 2, "aoi", NOW).superseded, true);
  assert.equal(consentView(asked[1], 1, 2, "aoi", NOW).superseded, false);
  assert.equal(consentView({ answer: false }, 0, 2, "aoi", NOW).superseded, false);
  assert.equal(consentPending(asked), true);
  assert.equal(consentPending([{ answer: true }]), false);
  assert.equal(consentPending([]), false);
});

test("consent and note errors", () => {
  assert.match(consentProblem(new ApiError(409)), /対応中ではない/);
  assert.match(consentProblem(new ApiError(400)), /伝える先と目的/);
  assert.equal(consentProblem(new ApiError(401)), null);
  assert.match(noteProblem(new ApiError(413)), /長すぎ/);
  assert.equal(noteProblem(new ApiError(0)), "メモを保存できませんでした（ネットワーク）。もう一度押してください。");
});

test("a list is redrawn when it grows or the Tokyo day turns, not otherwise", () => {
  const notes = [{ ts: NOW - 1000 }];
  assert.equal(listKey(notes, NOW), listKey(notes, NOW + 60000));
  assert.notEqual(listKey(notes, NOW), listKey([...notes, { ts: NOW }], NOW));
  const beforeMidnight = Date.parse("2026-03-05T14:59:00Z"), afterMidnight = Date.parse("2026-03-05T15:01:00Z");
  assert.notEqual(listKey(notes, beforeMidnight), listKey(notes, afterMidnight));
  assert.deepEqual(stamp(undefined, NOW), { text: "—", datetime: null });
});

test("a triage entry shows time, urgency, handoff and intent in Japanese, no message text", () => {
  const view = triageView({ ts: NOW - 120000, urgency: "emergency", handoff: true, intent: "suicidal_ideation",
    concerns: ["suicide_risk"], factors: ["手段への言及"] }, NOW);
  assert.equal(view.when.text, "11:58");
  assert.equal(view.badgeText, "緊急");
  assert.equal(view.handoff, true);
  assert.equal(view.intent, "死にたい気持ち");
  assert.equal(view.concerns, "自殺リスク");
  assert.equal(triageView({ intent: "out_of_scope" }, NOW).intent, null);   // no information
  assert.equal(triageView({}, NOW).badgeClass, "badge urgency-low");
  assert.equal(triageView({}, NOW).badgeText, "—");
});

test("places are asked for again only when her concerns or urgency change", () => {
  const c = { conversation_id: "c1", concerns: ["money", "pregnancy"], urgency: "high" };
  assert.equal(placesKey(c), placesKey({ ...c, concerns: ["pregnancy", "money"] }));
  assert.notEqual(placesKey(c), placesKey({ ...c, urgency: "emergency" }));
});

test("a place links only to http(s), and is dropped if it has no text to insert", () => {
  const place = { id: "p1", name: "窓口", phone: "(from the directory)", hours: "24時間", text: "窓口：…", url: "https://x.jp" };
  const view = placeView(place);
  assert.equal(view.url, "https://x.jp");
  assert.equal(view.detail, "(from the directory)　24時間");
  assert.equal(placeView({ ...place, url: "javascript:alert(1)" }).url, null);
  assert.equal(placeView({ name: "no text" }), null);
  assert.equal(placeView(null), null);
  assert.match(placesStatus(0, false, "12:00"), /見つかりません/);
  assert.equal(placesStatus(2, true, "12:00"), "相談内容が変わったので、窓口を更新しました（12:00）。");
  assert.equal(placesStatus(2, false, "12:00"), "");
});
