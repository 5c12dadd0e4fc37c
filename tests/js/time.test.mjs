import test from "node:test";
import assert from "node:assert/strict";
import { ago, clockTime, minutesWaiting, timeWithDay, tokyoDay } from "../../handoff/static/console/time.js";

const at = (iso) => Date.parse(iso);

test("times are shown in Tokyo whatever the machine's zone", () => {
  assert.equal(clockTime(at("2026-01-01T15:30:00Z")), "00:30");
  assert.equal(tokyoDay(at("2026-01-01T15:30:00Z")), "2026-01-02");
  assert.equal(tokyoDay(at("2026-01-01T14:59:59Z")), "2026-01-01");
});

test("a time today has no date; one from another Tokyo day has M/D in front", () => {
  const now = at("2026-03-05T03:00:00Z");                     // 12:00 in Tokyo on 3/5
  assert.equal(timeWithDay(at("2026-03-04T23:10:00Z"), now), "08:10");      // 3/5 08:10 Tokyo
  assert.equal(timeWithDay(at("2026-03-04T14:50:00Z"), now), "3/4 23:50");  // the Tokyo day before
});

test("waiting time in whole minutes, under a minute said as such", () => {
  const now = at("2026-03-05T03:00:00Z");
  assert.equal(minutesWaiting(now - 59000, now), "1分未満");
  assert.equal(minutesWaiting(now - 12 * 60000 - 5000, now), "12分");
  assert.equal(minutesWaiting(null, now), "—");
});

test("how long ago, in minutes then hours and minutes", () => {
  const now = at("2026-03-05T03:00:00Z");
  assert.equal(ago(now - 30000, now), "1分以内");
  assert.equal(ago(now - 5 * 60000, now), "5分前");
  assert.equal(ago(now - 80 * 60000, now), "1時間20分前");
  assert.equal(ago(now - 120 * 60000, now), "2時間前");
});
