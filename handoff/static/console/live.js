/* The live socket: /api/console/events sends typed, numbered frames (no message text). After a drop it
 * reconnects with backoff and resumes after the last frame seen (?after=SEQ), so nothing is missed.
 * No DOM: the WebSocket class, timers and clock are passed in. */

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 30000;
export const STABLE_SOCKET_MS = 10000;     // a socket open this long resets the backoff
export const SEQ = /^[0-9]+(-[0-9]+)?$/;  // Redis stream ids, as the server numbers frames

/** A frame from the socket's text, or null if it is not one. */
export function parseFrame(data) {
  let frame;
  try { frame = JSON.parse(data); } catch (e) { return null; }
  return frame && typeof frame === "object" && typeof frame.type === "string" ? frame : null;
}

/** The seq to resume after: the frame's own if it is a valid stream id, else the last one kept. */
export function resumeAfter(lastSeq, frame) {
  return typeof frame.seq === "string" && SEQ.test(frame.seq) ? frame.seq : lastSeq;
}

/** The socket address for this page, resuming after `after` when given. */
export function eventsUrl(location, after) {
  return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/console/events" +
    (after ? "?after=" + encodeURIComponent(after) : "");
}

/** The time (ms) a frame's stream id was written, or 0. */
export function seqTime(seq) {
  const at = typeof seq === "string" && SEQ.test(seq) ? parseInt(seq.split("-")[0], 10) : 0;
  return at > 0 ? at : 0;
}

/** A "claimed" frame as {id, holder, at}: who took which conversation when; null for any other frame. */
export function claimFrom(frame) {
  if (frame.type !== "claimed" || typeof frame.conversation_id !== "string" || typeof frame.holder !== "string") {
    return null;
  }
  const at = seqTime(frame.seq);
  return at ? { id: frame.conversation_id, holder: frame.holder, at: at } : null;
}

/** The wait before the next attempt (±20 % jitter) and the base for the one after (doubling, capped). */
export function backoff(delay, random) {
  return { wait: Math.round(delay * (0.8 + random * 0.4)), next: Math.min(delay * 2, RECONNECT_MAX_MS) };
}

const browserTimers = {
  set: function (fn, ms) { return setTimeout(fn, ms); },
  clear: function (handle) { clearTimeout(handle); }
};

/**
 * One socket per tab. `url(after)` builds the address; `active()` says whether to stay connected (logged in);
 * `onFrame(frame)` gets every frame; `onState(state)` gets "connecting" | "live" | "down" | "off";
 * `onDrop()` runs after an unexpected close (poll to fill the gap).
 */
export function createLive(options) {
  const { url, WebSocket: Socket, active, onFrame, onState, onDrop } = options;
  const timers = options.timers || browserTimers;
  const now = options.now || Date.now;
  const random = options.random || Math.random;
  let socket = null, timer = null, openedAt = 0, delay = RECONNECT_MIN_MS, lastSeq = null, state = "off";

  function setState(next) { state = next; onState(next); }
  function clearTimer() { if (timer !== null) { timers.clear(timer); timer = null; } }

  function scheduleReconnect() {
    clearTimer();
    const step = backoff(delay, random());
    delay = step.next;
    timer = timers.set(connect, step.wait);
  }

  function received(ws, event) {
    if (socket !== ws) { return; }
    const frame = parseFrame(event.data);
    if (!frame) { return; }
    lastSeq = resumeAfter(lastSeq, frame);
    if (frame.type === "hello") { openedAt = now(); setState("live"); }
    onFrame(frame);
  }

  function closed(ws) {
    if (socket !== ws) { return; }
    socket = null;
    if (openedAt && now() - openedAt >= STABLE_SOCKET_MS) { delay = RECONNECT_MIN_MS; }
    openedAt = 0;
    if (!active()) { setState("off"); return; }
    setState("down");
    scheduleReconnect();
    onDrop();
  }

  function connect() {
    clearTimer();
    if (!active() || socket) { return; }
    let ws;
    try { ws = new Socket(url(lastSeq)); } catch (e) { scheduleReconnect(); return; }
    socket = ws;
    setState("connecting");
    ws.onmessage = function (event) { received(ws, event); };
    ws.onclose = function () { closed(ws); };
  }

  function disconnect() {
    clearTimer();
    const ws = socket;
    socket = null;
    lastSeq = null;
    openedAt = 0;
    delay = RECONNECT_MIN_MS;
    setState("off");
    if (ws) { try { ws.close(1000, "logout"); } catch (e) { /* already closed */ } }
  }

  /** Back online after a network change: try at once instead of waiting out the backoff. */
  function online() {
    if (active() && !socket) { delay = RECONNECT_MIN_MS; connect(); }
  }

  return {
    connect: connect, disconnect: disconnect, online: online,
    isLive: function () { return state === "live"; },
    lastSeq: function () { return lastSeq; }
  };
}
