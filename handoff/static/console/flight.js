/* One request at a time, however often it is asked for: overlapping calls (frames in a burst, the timer,
 * a button) coalesce into one more run after the current one. No DOM. */

/** A task returns STOP to end now with no timer (logged out, nothing open), */
export const STOP = Symbol("stop");
/** AGAIN to run once more at once (what it fetched is already out of date), */
export const AGAIN = Symbol("again");
/** IDLE to end without a timer unless asked again (a closed conversation); anything else schedules the next poll. */
export const IDLE = Symbol("idle");

const browserTimers = {
  set: function (fn, ms) { return setTimeout(fn, ms); },
  clear: function (handle) { clearTimeout(handle); }
};

/**
 * Wrap an async `task` so that at most one run is in flight. A call while it runs asks for one more run
 * afterwards (many calls, one more run). `settled(result)` gets the last run's result once the flight ends.
 */
export function singleFlight(task, settled) {
  let busy = false, again = false;
  return async function run() {
    if (busy) { again = true; return undefined; }
    busy = true;
    let result;
    try {
      do {
        again = false;
        result = await task();
      } while ((again || result === AGAIN) && result !== STOP);
    } finally {
      busy = false;
    }
    if (settled) { settled(result); }
    return result;
  };
}

/**
 * A single-flight task repeated every `delay()` ms after each flight, unless the task said STOP or IDLE.
 * `poll()` runs it now (cancelling the pending timer); `stop()` cancels the timer.
 */
export function poller(task, delay, timers = browserTimers) {
  let timer = null;
  function stop() {
    if (timer !== null) { timers.clear(timer); timer = null; }
  }
  const flight = singleFlight(task, function (result) {
    stop();
    if (result !== STOP && result !== IDLE) { timer = timers.set(poll, delay()); }
  });
  function poll() {
    stop();
    return flight();
  }
  return { poll: poll, stop: stop, pending: function () { return timer !== null; } };
}
