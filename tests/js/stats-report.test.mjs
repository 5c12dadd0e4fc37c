import test from "node:test";
import assert from "node:assert/strict";
import { addDays, axis, dailyPoints, duration, hourPoints, japaneseDay, parseDay, todayInTokyo } from
  "../../handoff/static/stats-report.js";

test("today is the Tokyo date, which turns at 15:00 UTC", () => {
  assert.equal(todayInTokyo(new Date("2026-03-05T14:59:00Z")), "2026-03-05");
  assert.equal(todayInTokyo(new Date("2026-03-05T15:00:00Z")), "2026-03-06");
});

test("a date in the address is accepted only if it is a real day", () => {
  assert.equal(parseDay("2024-02-29"), Date.UTC(2024, 1, 29));
  assert.equal(parseDay("2024-02-31"), null);
  assert.equal(parseDay("2024-2-3"), null);
  assert.equal(parseDay(null), null);
  assert.equal(addDays("2026-03-01", -1), "2026-02-28");
  assert.equal(japaneseDay(parseDay("2026-03-05")), "2026年3月5日（木）");
});

test("durations in Japanese", () => {
  assert.equal(duration(44.6), "45秒");
  assert.equal(duration(200), "3分20秒");
  assert.equal(duration(180), "3分");
  assert.equal(duration(3900), "1時間5分");
  assert.equal(duration(null), "—");
});

test("the axis is whole counts with at most about four steps", () => {
  assert.deepEqual(axis(0), { top: 1, step: 1 });
  assert.deepEqual(axis(3), { top: 3, step: 1 });
  assert.deepEqual(axis(37), { top: 40, step: 10 });
  assert.deepEqual(axis(130), { top: 150, step: 50 });
});

test("a month of days is drawn per day; a long range per month, the year on the first bar and on January", () => {
  const days = dailyPoints({ "2026-03-02": 4 }, "2026-03-01", "2026-03-31");
  assert.equal(days.points.length, 31);
  assert.deepEqual(days.points[1], { label: "3/2", title: "2026年3月2日（月）：", value: 4 });
  const months = dailyPoints({ "2025-12-31": 2, "2026-01-01": 3, "2026-01-20": 1 }, "2025-11-01", "2026-02-28");
  assert.deepEqual(months.points.map((p) => [p.label, p.value]), [["25年11月", 0], ["12月", 2], ["26年1月", 4], ["2月", 0]]);
  assert.match(months.title, /月ごと/);
});

test("24 hourly bars from 0時台", () => {
  const hours = hourPoints({ "0": 2, "23": 1 });
  assert.equal(hours.length, 24);
  assert.equal(hours[0].value, 2);
  assert.equal(hours[23].title, "23時台：");
});
