/* The statistics page's arithmetic: Tokyo dates as YYYY-MM-DD strings computed on UTC midnights, durations and
 * counts in Japanese, chart axes and bars. Pure functions, no DOM. */

export const DAY_MS = 86400000;
export const MAX_DAILY_BARS = 92;      // longer ranges are drawn per month
const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

/** Today's date in Tokyo, YYYY-MM-DD. */
export function todayInTokyo(date = new Date()) {
  const parts = {};
  new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
  return parts.year + "-" + parts.month + "-" + parts.day;
}

export function formatDay(ms) {
  const d = new Date(ms);
  return d.getUTCFullYear() + "-" + String(d.getUTCMonth() + 1).padStart(2, "0") + "-" +
    String(d.getUTCDate()).padStart(2, "0");
}

/** The UTC midnight of a YYYY-MM-DD day, or null if it is not a real date (2024-02-31). */
export function parseDay(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
  if (!m) { return null; }
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return formatDay(ms) === text ? ms : null;
}

export function addDays(text, days) { return formatDay(parseDay(text) + days * DAY_MS); }

/** 「2026年3月5日（木）」. */
export function japaneseDay(ms) {
  const d = new Date(ms);
  return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日（" + WEEKDAYS[d.getUTCDay()] + "）";
}

/** 「45秒」, 「3分20秒」, 「1時間5分」; 「—」 when there is nothing to measure. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) { return "—"; }
  const s = Math.round(seconds);
  if (s < 60) { return s + "秒"; }
  if (s < 3600) { return Math.floor(s / 60) + "分" + (s % 60 ? (s % 60) + "秒" : ""); }
  const minutes = Math.round(s / 60);
  return Math.floor(minutes / 60) + "時間" + (minutes % 60 ? (minutes % 60) + "分" : "");
}

export function count(n) { return (n || 0).toLocaleString("ja-JP"); }

/** A rounded axis: the top and the step between gridlines, whole numbers only (these are counts). */
export function axis(max) {
  if (max <= 0) { return { top: 1, step: 1 }; }
  const rough = max / 4, power = Math.pow(10, Math.floor(Math.log10(rough)));
  let step = [1, 2, 5, 10].map(function (f) { return f * power; }).filter(function (s) { return s >= rough; })[0];
  step = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / step) * step, step: step };
}

function monthlyPoints(perDay, start, end) {
  const months = {}, order = [], points = [];
  for (let t = start; t <= end; t += DAY_MS) {
    const key = formatDay(t).slice(0, 7);
    if (!(key in months)) { months[key] = 0; order.push(key); }
    months[key] += perDay[formatDay(t)] || 0;
  }
  order.forEach(function (key) {
    const y = +key.slice(0, 4), m = +key.slice(5, 7);
    points.push({ label: (m === 1 || !points.length ? (y % 100) + "年" : "") + m + "月", title: y + "年" + m + "月：",
      value: months[key] });
  });
  return points;
}

/** Bars per day for the range, or per month when it is longer than MAX_DAILY_BARS days. */
export function dailyPoints(perDay, from, to) {
  const start = parseDay(from), end = parseDay(to);
  const days = Math.round((end - start) / DAY_MS) + 1;
  if (days > MAX_DAILY_BARS) {
    return { title: "月ごとの相談数（期間が長いため月ごとにまとめています）", points: monthlyPoints(perDay, start, end) };
  }
  const points = [];
  for (let ms = start; ms <= end; ms += DAY_MS) {
    const d = new Date(ms);
    points.push({ label: (d.getUTCMonth() + 1) + "/" + d.getUTCDate(), title: japaneseDay(ms) + "：",
      value: perDay[formatDay(ms)] || 0 });
  }
  return { title: "日ごとの相談数", points: points };
}

/** 24 bars, 0時台 to 23時台. */
export function hourPoints(perHour) {
  const points = [];
  for (let h = 0; h < 24; h += 1) {
    points.push({ label: String(h), title: h + "時台：", value: perHour[String(h)] || 0 });
  }
  return points;
}
