import test from "node:test";
import assert from "node:assert/strict";
import { activeRowView, activeTimes, handedToMe } from "../../handoff/static/console/active.js";

const NOW = Date.parse("2026-03-05T03:00:00Z");   // 12:00 in Tokyo
const row = (id, holder) => ({ conversation_id: id, holder, urgency: "high", channel: "line", concerns: ["money"],
  waiting_since: NOW - 25 * 60000 });

test("a conversation a colleague handed to me is news; one I took here, or had already, is not", () => {
  const before = [row("c1", "aoi"), row("c2", "ren")];
  const after = [row("c1", "aoi"), row("c2", "aoi"), row("c3", "aoi"), row("c4", "ren")];
  assert.deepEqual(handedToMe(before, after, "aoi", { c3: true }, true).map((e) => e.conversation_id), ["c2"]);
  assert.deepEqual(handedToMe([], after, "aoi", {}, false), []);   // the first answer is not news
});

test("times: when she started waiting, and when the holder took it if seen live", () => {
  assert.equal(activeTimes(row("c1", "aoi"), { holder: "aoi", at: NOW - 5 * 60000 }, NOW),
    "待ち始め 11:35（25分前）・担当開始 11:55");
  assert.equal(activeTimes(row("c1", "aoi"), { holder: "ren", at: NOW }, NOW), "待ち始め 11:35（25分前）");
  assert.equal(activeTimes({ holder: "aoi" }, null, NOW), "—");
});

test("a supervisor may take over a colleague's, never her own; a counselor never", () => {
  const boss = { user: "mei", role: "supervisor" }, aoi = { user: "aoi", role: "counselor" };
  assert.equal(activeRowView(row("c1", "aoi"), boss, null, null, NOW).canTakeOver, true);
  assert.equal(activeRowView(row("c1", "mei"), boss, null, null, NOW).canTakeOver, false);
  assert.equal(activeRowView(row("c1", "ren"), aoi, null, null, NOW).canTakeOver, false);
  const mine = activeRowView(row("c1", "aoi"), aoi, "c1", null, NOW);
  assert.equal(mine.holderText, "担当 aoi（あなた）");
  assert.equal(mine.openText, "表示中");
  assert.equal(mine.channel, "LINE");
  assert.equal(activeRowView(row("c1", "aoi"), aoi, "c2", null, NOW).openText, "表示");
});
