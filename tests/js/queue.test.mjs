import test from "node:test";
import assert from "node:assert/strict";
import { bannerFor, claimProblem, queueRowView, raisePending, reconcileAlerts } from
  "../../handoff/static/console/queue.js";
import { ApiError } from "../../handoff/static/console/api.js";

const NOW = Date.parse("2026-03-05T03:00:00Z");
const entry = (id, urgency, extra = {}) => ({ conversation_id: id, urgency, channel: "webchat",
  concerns: ["suicide_risk"], factors: ["死にたい気持ち"], waiting_since: NOW - 7 * 60000, ...extra });
const empty = () => ({ overdue: {}, pending: {}, emergencies: {} });

test("a queue row shows urgency, channel, wait, concerns and factors in Japanese", () => {
  const view = queueRowView(entry("c1", "emergency", { channel: "line" }), undefined, NOW);
  assert.equal(view.badgeText, "緊急");
  assert.equal(view.badgeClass, "badge urgency-emergency");
  assert.equal(view.channel, "LINE");
  assert.equal(view.wait, "待ち 7分");
  assert.equal(view.concerns, "自殺リスク");
  assert.deepEqual(view.factors, ["死にたい気持ち"]);
  assert.equal(view.claimLabel, "対応する（緊急・自殺リスク）");
  assert.equal(view.overdue, false);
  assert.equal(queueRowView(entry("c1", "high"), "高・…", NOW).overdue, true);
});

test("a new emergency is fresh once; on the next answer it is known", () => {
  const first = reconcileAlerts(empty(), [entry("c1", "emergency"), entry("c2", "high")], NOW);
  assert.deepEqual(first.fresh, ["c1"]);
  const second = reconcileAlerts(first, [entry("c1", "emergency"), entry("c3", "emergency")], NOW);
  assert.deepEqual(second.fresh, ["c3"]);
  assert.deepEqual(Object.keys(second.emergencies).sort(), ["c1", "c3"]);
});

test("an overdue alert stands while she waits and goes once someone claims her", () => {
  const alerts = empty();
  alerts.pending.c1 = { type: "alert", conversation_id: "c1", urgency: "high" };
  alerts.pending.gone = { type: "alert", conversation_id: "gone", urgency: "emergency" };  // claimed since
  const first = reconcileAlerts(alerts, [entry("c1", "high")], NOW);
  assert.deepEqual(first.newlyOverdue, ["c1"]);
  assert.equal(first.overdue.c1, "高・自殺リスク（待ち 7分）");
  assert.equal(first.overdue.gone, undefined);
  assert.deepEqual(first.pending, {});
  const still = reconcileAlerts(first, [entry("c1", "high")], NOW);
  assert.deepEqual(still.newlyOverdue, []);
  assert.ok(still.overdue.c1);
  assert.deepEqual(reconcileAlerts(still, [], NOW).overdue, {});
});

test("when the queue cannot be read, an alert is raised anyway from the frame", () => {
  const alerts = empty();
  alerts.pending.c9 = { type: "alert", conversation_id: "c9", urgency: "emergency", waiting_since: NOW - 16 * 60000 };
  const raised = raisePending(alerts, NOW);
  assert.equal(raised.overdue.c9, "緊急・—（待ち 16分）");
  assert.deepEqual(raised.pending, {});
});

test("the banner: overdue first, then fresh emergencies, then a reminder that they still wait", () => {
  const overdue = bannerFor({ c1: "高・DV（待ち 20分）" }, 1, 1, null);
  assert.equal(overdue.kind, "overdue");
  assert.match(overdue.text, /高・DV（待ち 20分）/);
  const fresh = bannerFor({}, 2, 2, null);
  assert.equal(fresh.kind, "fresh");
  assert.match(fresh.text, /2件、新しく入りました/);
  assert.deepEqual(bannerFor({}, 0, 2, "fresh"), { kind: "fresh", text: undefined });  // unchanged
  const after = bannerFor({}, 0, 1, "overdue");
  assert.equal(after.kind, "waiting");
  assert.match(after.text, /1件、待っています/);
  assert.equal(bannerFor({}, 0, 0, "waiting").kind, null);
});

test("a claim refused by code: the limit, or someone else was faster", () => {
  const limit = claimProblem(new ApiError(409, "limit", "anything at all"));
  assert.match(limit.text, /上限/);
  assert.equal(limit.refresh, false);
  const taken = claimProblem(new ApiError(409, "not_waiting", "you already hold the most conversations allowed"));
  assert.match(taken.text, /ほかの相談員がすでに対応/);
  assert.equal(taken.refresh, true);
});

test("the server's English words never decide what a claim error means", () => {
  const a = claimProblem(new ApiError(409, null, "you already hold the most conversations allowed"));
  const b = claimProblem(new ApiError(409, null, "not waiting (state: human)"));
  assert.deepEqual(a, b);
  assert.equal(a.refresh, true);
});

test("other claim failures: refused, network, logged out", () => {
  assert.match(claimProblem(new ApiError(403)).text, /拒否/);
  assert.equal(claimProblem(new ApiError(0, null, "network")).text, "対応を始められませんでした（ネットワーク）。");
  assert.equal(claimProblem(new ApiError(401)), null);
});
