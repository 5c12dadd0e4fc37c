/* Times as a counselor reads them: Asia/Tokyo (UTC+9 all year), whatever the machine's own time zone.
 * Every function takes `now` (server time) so that it is pure. */

export const TOKYO_OFFSET_MS = 9 * 3600000;
const MINUTE_MS = 60000;

/** A Date whose UTC fields are the Tokyo wall clock. */
export function tokyo(ts) { return new Date(ts + TOKYO_OFFSET_MS); }

function pad(n) { return String(n).padStart(2, "0"); }

/** HH:MM in Tokyo. */
export function clockTime(ts) {
  const d = tokyo(ts);
  return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
}

/** YYYY-MM-DD in Tokyo: changes at Tokyo midnight (lists that show 「M/D」 redraw then). */
export function tokyoDay(ts) { return tokyo(ts).toISOString().slice(0, 10); }

/** HH:MM, with M/D in front when it was not today. */
export function timeWithDay(ts, now) {
  const d = tokyo(ts);
  return (tokyoDay(ts) === tokyoDay(now) ? "" : (d.getUTCMonth() + 1) + "/" + d.getUTCDate() + " ") + clockTime(ts);
}

/** How long she has waited, in whole minutes: 「1分未満」, 「12分」; 「—」 when unknown. */
export function minutesWaiting(since, now) {
  if (!since) { return "—"; }
  const minutes = Math.floor((now - since) / MINUTE_MS);
  return minutes < 1 ? "1分未満" : minutes + "分";
}

/** 「1分以内」, 「5分前」, 「1時間20分前」. */
export function ago(since, now) {
  const minutes = Math.floor((now - since) / MINUTE_MS);
  if (minutes < 1) { return "1分以内"; }
  if (minutes < 60) { return minutes + "分前"; }
  return Math.floor(minutes / 60) + "時間" + (minutes % 60 ? (minutes % 60) + "分" : "") + "前";
}
