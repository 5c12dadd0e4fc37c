import test from "node:test";
import assert from "node:assert/strict";
import { RECONNECT_MAX_MS, RECONNECT_MIN_MS, STABLE_SOCKET_MS, backoff, claimFrom, createLive, eventsUrl, parseFrame,
  resumeAfter } from "../../handoff/static/console/live.js";

/** Stands in for the browser's WebSocket: the test delivers frames and drops the connection. */
class FakeSocket {
  static opened = [];
  constructor(url) { this.url = url; this.closedWith = null; FakeSocket.opened.push(this); }
  frame(obj) { this.onmessage({ data: typeof obj === "string" ? obj : JSON.stringify(obj) }); }
  drop() { this.onclose({}); }
  close(code, reason) { this.closedWith = [code, reason]; this.onclose({}); }
}

function setup({ active = true } = {}) {
  FakeSocket.opened = [];
  const timers = { pending: [], set(fn, ms) { this.pending.push({ fn, ms }); return this.pending.length; },
    clear() { this.pending = []; } };
  const seen = { frames: [], states: [], drops: 0 };
  let clock = 1_000_000;
  const live = createLive({
    url: (after) => eventsUrl({ protocol: "https:", host: "akari.example" }, after),
    WebSocket: FakeSocket, timers, random: () => 0.5, now: () => clock,
    active: () => active, onFrame: (f) => seen.frames.push(f), onState: (s) => seen.states.push(s),
    onDrop: () => { seen.drops += 1; }
  });
  return { live, timers, seen, advance: (ms) => { clock += ms; }, setActive: (a) => { active = a; } };
}

const last = () => FakeSocket.opened[FakeSocket.opened.length - 1];

test("after a drop it reconnects and resumes after the last numbered frame", () => {
  const { live, timers, seen } = setup();
  live.connect();
  assert.equal(last().url, "wss://akari.example/api/console/events");
  last().frame({ type: "hello", seq: "1700000000000-0" });
  last().frame({ type: "queued", seq: "1700000000500-2", conversation_id: "c1" });
  last().frame({ type: "typing", seq: "not-a-seq", conversation_id: "c1" });
  assert.deepEqual(seen.states, ["connecting", "live"]);
  assert.ok(live.isLive());
  last().drop();
  assert.equal(seen.drops, 1);
  assert.equal(live.isLive(), false);
  assert.equal(seen.states.at(-1), "down");
  timers.pending[0].fn();
  assert.equal(last().url, "wss://akari.example/api/console/events?after=1700000000500-2");
});

test("frames that are not typed JSON are ignored", () => {
  const { live, seen } = setup();
  live.connect();
  last().frame("not json");
  last().frame({ seq: "1-0" });
  last().frame({ type: "claimed", conversation_id: "c", holder: "aoi", seq: "5-0" });
  assert.equal(seen.frames.length, 1);
  assert.equal(parseFrame("[]"), null);
});

test("reconnect waits double each time up to the cap, and reset after a socket that stayed up", () => {
  const { live, timers, advance } = setup();
  live.connect();
  const waits = [];
  for (let i = 0; i < 7; i += 1) {
    last().drop();
    waits.push(timers.pending.at(-1).ms);
    timers.pending.at(-1).fn();
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  last().frame({ type: "hello", seq: "9-0" });
  advance(STABLE_SOCKET_MS);
  last().drop();
  assert.equal(timers.pending.at(-1).ms, RECONNECT_MIN_MS);
});

test("the wait is jittered by at most a fifth either way", () => {
  assert.equal(backoff(1000, 0).wait, 800);
  assert.equal(backoff(1000, 1).wait, 1200);
  assert.equal(backoff(RECONNECT_MAX_MS, 0.5).next, RECONNECT_MAX_MS);
});

test("logging out closes the socket, forgets where it was and does not reconnect", () => {
  const { live, timers, seen, setActive } = setup();
  live.connect();
  const ws = last();
  ws.frame({ type: "hello", seq: "7-0" });
  setActive(false);
  live.disconnect();
  assert.deepEqual(ws.closedWith, [1000, "logout"]);
  assert.equal(seen.drops, 0);
  assert.equal(timers.pending.length, 0);
  assert.equal(seen.states.at(-1), "off");
  assert.equal(live.lastSeq(), null);
  setActive(true);
  live.connect();
  assert.equal(last().url, "wss://akari.example/api/console/events");
});

test("a drop after the login ended goes quiet instead of reconnecting", () => {
  const { live, timers, seen, setActive } = setup();
  live.connect();
  setActive(false);
  last().drop();
  assert.equal(seen.states.at(-1), "off");
  assert.equal(timers.pending.length, 0);
  assert.equal(seen.drops, 0);
});

test("back online it connects at once", () => {
  const { live, timers } = setup();
  live.connect();
  last().drop();
  assert.equal(FakeSocket.opened.length, 1);
  live.online();
  assert.equal(FakeSocket.opened.length, 2);
  assert.equal(timers.pending.length, 0);
});

test("a claim frame says who took which conversation and when (the stream id is a time)", () => {
  assert.deepEqual(claimFrom({ type: "claimed", conversation_id: "c1", holder: "aoi", seq: "1700000000123-4" }),
    { id: "c1", holder: "aoi", at: 1700000000123 });
  assert.equal(claimFrom({ type: "claimed", conversation_id: "c1", holder: "aoi", seq: "bogus" }), null);
  assert.equal(claimFrom({ type: "queued", conversation_id: "c1", seq: "1-0" }), null);
  assert.equal(resumeAfter("5-0", { type: "x", seq: "6-1" }), "6-1");
  assert.equal(resumeAfter("5-0", { type: "x", seq: "six" }), "5-0");
});
