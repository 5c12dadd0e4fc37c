import test from "node:test";
import assert from "node:assert/strict";
import { languageText, queueRowView } from "../../handoff/static/console/queue.js";
import { conversationView } from "../../handoff/static/console/conversation.js";

const NOW = Date.parse("2026-03-05T03:00:00Z");
const entry = (extra = {}) => ({ conversation_id: "c1", urgency: "high", channel: "webchat", concerns: ["suicide_risk"],
  factors: ["英語：希死念慮"], waiting_since: NOW - 60000, ...extra });

test("her language shows in Japanese with its code; Japanese and a missing language show nothing", () => {
  assert.equal(languageText("en"), "言語：英語 (en)");
  assert.equal(languageText("ne"), "言語：ネパール語 (ne)");
  assert.equal(languageText("sw"), "言語：sw (sw)");  // a language the console has no word for still shows
  assert.equal(languageText("ja"), "");
  assert.equal(languageText(undefined), "");
});

test("a queue row shows her language when she does not write Japanese", () => {
  assert.equal(queueRowView(entry({ language: "vi" }), undefined, NOW).language, "言語：ベトナム語 (vi)");
  assert.equal(queueRowView(entry({ language: "ja" }), undefined, NOW).language, "");
  assert.equal(queueRowView(entry(), undefined, NOW).language, "");
});

test("the conversation header shows her language", () => {
  const me = { user: "aoi", role: "counselor" };
  const held = { ...entry({ language: "ko" }), state: "human", holder: "aoi" };
  assert.equal(conversationView(held, me).meta, "相談員対応中・担当 aoi・Webチャット・言語：韓国語 (ko)");
  assert.equal(conversationView({ ...held, language: "ja" }, me).meta, "相談員対応中・担当 aoi・Webチャット");
});
