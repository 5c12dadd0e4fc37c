import test from "node:test";
import assert from "node:assert/strict";
import { conversationView, holderChange, insertText, permissions, replyProblem, shouldSignalTyping,
  transferProblem } from "../../handoff/static/console/conversation.js";
import { ApiError } from "../../handoff/static/console/api.js";

const aoi = { user: "aoi", role: "counselor" };
const boss = { user: "mei", role: "supervisor" };
const held = (holder, extra = {}) => ({ conversation_id: "c1", state: "human", holder, channel: "webchat",
  urgency: "high", concerns: ["domestic_violence"], factors: ["暴力"], ...extra });

test("only the holder replies; a supervisor may release, close and hand over anyone's", () => {
  assert.deepEqual(permissions(held("aoi"), aoi), { mine: true, canReply: true, overseeing: false });
  assert.deepEqual(permissions(held("ren"), aoi), { mine: false, canReply: false, overseeing: false });
  assert.deepEqual(permissions(held("ren"), boss), { mine: true, canReply: false, overseeing: true });
  assert.equal(permissions(held("aoi", { state: "closed" }), aoi).mine, false);
});

test("the head reads state, holder and channel; tags are concerns then factors", () => {
  const view = conversationView(held("aoi"), aoi);
  assert.equal(view.meta, "相談員対応中・担当 aoi・Webチャット");
  assert.equal(view.badgeText, "高");
  assert.equal(view.tags, " DV｜暴力");
  assert.equal(view.note, null);
  assert.equal(view.dismissible, false);
});

test("the note says why she cannot reply here", () => {
  assert.equal(conversationView(held("", { state: "closed" }), aoi).note, "この相談は終了しています。");
  assert.equal(conversationView(held("", { state: "bot" }), aoi).note, "この相談はボットに戻っています。");
  assert.match(conversationView(held("ren"), boss).note, /ren さんが対応中.*引き継ぐ/);
  assert.equal(conversationView(held("ren"), aoi).note, "ほかの相談員（ren）が対応中です。");
  assert.match(conversationView(held("", { state: "waiting" }), aoi).note, /順番待ち/);
  assert.equal(conversationView(held("ren"), aoi).dismissible, true);
});

test("a counselor is told when a colleague took her conversation, not when she handed it over", () => {
  const before = { id: "c1", state: "human", holder: "aoi" };
  const taken = holderChange(before, held("mei"), aoi, {});
  assert.equal(taken.changed, true);
  assert.match(taken.notice, /mei さんが引き継ぎました/);
  assert.equal(holderChange(before, held("mei"), aoi, { c1: true }).notice, null);
  assert.deepEqual(holderChange(before, held("aoi"), aoi, {}), { changed: false, notice: null });
  assert.equal(holderChange(null, held("mei"), aoi, {}).changed, false);
  assert.equal(holderChange(before, held("", { state: "bot" }), aoi, {}).notice, null);
});

test("transfer errors by code, with the server's words after", () => {
  assert.match(transferProblem(new ApiError(409, "limit", "limit"), true), /^あなたが同時に対応できる数の上限/);
  assert.match(transferProblem(new ApiError(409, "limit", "limit"), false), /^相手が同時に対応できる数の上限/);
  assert.match(transferProblem(new ApiError(409, "not_held"), false), /いま相談員が対応していません/);
  assert.match(transferProblem(new ApiError(409, "held_by_other"), false), /ほかの相談員が担当/);
  assert.equal(transferProblem(new ApiError(400, null, "'to' must name a counselor"), false),
    "その名前の相談員が見つかりません。（400: 'to' must name a counselor）");
  assert.equal(transferProblem(new ApiError(0, null, "network"), false), "サーバーにつながりません。");
  assert.equal(transferProblem(new ApiError(409, null, "limit"), true), "引き継げませんでした。（409: limit）");
  assert.match(transferProblem(new ApiError(403, "held_by_other", "another counselor holds this conversation"), false),
    /^この相談を担当していないため/);
  assert.equal(transferProblem(new ApiError(401), true), null);
});

test("reply errors", () => {
  assert.match(replyProblem(new ApiError(409)), /対応中ではない/);
  assert.match(replyProblem(new ApiError(413)), /長すぎて/);
  assert.equal(replyProblem(new ApiError(502)), "送れませんでした（502）。もう一度送ってください。");
  assert.equal(replyProblem(new ApiError(401)), null);
});

test("a place goes into the reply on a line of its own, at the cursor", () => {
  assert.deepEqual(insertText("", 0, 0, "窓口A", 2000), { value: "窓口A", caret: 3 });
  assert.deepEqual(insertText("こんにちは", 5, 5, "窓口A", 2000), { value: "こんにちは\n窓口A", caret: 9 });
  const middle = insertText("前後", 1, 1, "窓口A", 2000);
  assert.equal(middle.value, "前\n窓口A\n後");
  assert.equal(middle.caret, 5);  // after the place, before its line break
  assert.equal(insertText("前\n後", 2, 2, "X", 2000).value, "前\nX\n後");
  assert.equal(insertText("abc", 0, 3, "X", 2000).value, "X");  // replaces a selection
  assert.equal(insertText("a".repeat(1999), 1999, 1999, "窓口", 2000), null);
});

test("the typing signal goes at most every few seconds per conversation", () => {
  assert.equal(shouldSignalTyping(null, "c1", 10000, 3000), true);
  assert.equal(shouldSignalTyping({ id: "c1", at: 9000 }, "c1", 10000, 3000), false);
  assert.equal(shouldSignalTyping({ id: "c1", at: 7000 }, "c1", 10000, 3000), true);
  assert.equal(shouldSignalTyping({ id: "c1", at: 9000 }, "c2", 10000, 3000), true);
});
