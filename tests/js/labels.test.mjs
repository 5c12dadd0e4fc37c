import test from "node:test";
import assert from "node:assert/strict";
import { CONCERNS, OUTCOMES, URGENCY_ORDER, concernText, knownRows, label, urgencyRank, URGENCY } from
  "../../handoff/static/console/labels.js";

test("a known code shows its Japanese word; an unknown one shows as itself", () => {
  assert.equal(label(URGENCY, "emergency"), "緊急");
  assert.equal(label(URGENCY, "extreme"), "extreme");
  assert.equal(label(URGENCY, undefined, "—"), "—");
  assert.equal(label(URGENCY, "constructor"), "constructor");  // never a property of Object.prototype
});

test("concerns read as one short line, or a dash when there are none", () => {
  assert.equal(concernText(["pregnancy", "domestic_violence"]), "妊娠・DV");
  assert.equal(concernText([]), "—");
  assert.equal(concernText(null), "—");
});

test("urgency is ordered most urgent first, unknown levels last", () => {
  assert.deepEqual(URGENCY_ORDER, ["emergency", "high", "medium", "low"]);
  assert.ok(urgencyRank("emergency") < urgencyRank("high"));
  assert.ok(urgencyRank("low") < urgencyRank("something-new"));
});

test("chart rows list every known code in order, zero when absent, then codes the server added", () => {
  const rows = knownRows(OUTCOMES, { other: 2, referred: 5, transferred_abroad: 1 });
  assert.deepEqual(rows.map((r) => [r.key, r.value]), [
    ["resolved", 0], ["referred", 5], ["emergency_services", 0], ["no_response", 0], ["other", 2],
    ["transferred_abroad", 1]
  ]);
  assert.equal(rows.find((r) => r.key === "referred").label, "他の窓口につないだ");
  assert.equal(knownRows(URGENCY, {}, "urgency-")[0].cls, "urgency-emergency");
});

test("every concern has a label", () => {
  for (const code of ["pregnancy", "suicide_risk", "minor", "no_place_to_stay"]) {
    assert.notEqual(label(CONCERNS, code), code);
  }
});
