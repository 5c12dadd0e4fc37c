import test from "node:test";
import assert from "node:assert/strict";
import { AGAIN, IDLE, STOP, poller, singleFlight } from "../../handoff/static/console/flight.js";

/** A promise the test resolves when it chooses: the task's request "in flight". */
function gate() {
  let open;
  const promise = new Promise((resolve) => { open = resolve; });
  return { promise, open };
}

/** Timers that fire only when the test says so. */
function fakeTimers() {
  const pending = new Map();
  let next = 1;
  return {
    set(fn, ms) { const id = next++; pending.set(id, { fn, ms }); return id; },
    clear(id) { pending.delete(id); },
    pending,
    fire() { const [[id, t]] = pending; pending.delete(id); t.fn(); }
  };
}

test("calls during a run coalesce into exactly one more run", async () => {
  const gates = [gate(), gate()];
  let runs = 0;
  const run = singleFlight(async () => { await gates[runs++].promise; });
  const first = run();
  run(); run(); run();
  assert.equal(runs, 1);
  gates[0].open();
  await new Promise((r) => setImmediate(r));
  assert.equal(runs, 2);
  gates[1].open();
  await first;
  assert.equal(runs, 2);
});

test("STOP ends the flight even when more runs were asked for", async () => {
  const g = gate();
  let runs = 0;
  const run = singleFlight(async () => { runs += 1; await g.promise; return STOP; });
  const first = run();
  run();
  g.open();
  assert.equal(await first, STOP);
  assert.equal(runs, 1);
});

test("AGAIN runs once more at once without being asked", async () => {
  const results = [AGAIN, undefined];
  let runs = 0;
  const run = singleFlight(async () => results[runs++]);
  await run();
  assert.equal(runs, 2);
});

test("a poller schedules the next poll after each flight, at the delay of that moment", async () => {
  const timers = fakeTimers();
  let delay = 3000, runs = 0;
  const p = poller(async () => { runs += 1; }, () => delay, timers);
  await p.poll();
  assert.equal(timers.pending.size, 1);
  assert.equal([...timers.pending.values()][0].ms, 3000);
  delay = 15000;
  timers.fire();
  await new Promise((r) => setImmediate(r));
  assert.equal(runs, 2);
  assert.equal([...timers.pending.values()][0].ms, 15000);
  assert.equal(timers.pending.size, 1);
});

test("polling now cancels the pending timer: one timer at a time", async () => {
  const timers = fakeTimers();
  const p = poller(async () => undefined, () => 2000, timers);
  await p.poll();
  await p.poll();
  await p.poll();
  assert.equal(timers.pending.size, 1);
  p.stop();
  assert.equal(timers.pending.size, 0);
});

test("STOP and IDLE schedule nothing (logged out; a closed conversation)", async () => {
  for (const result of [STOP, IDLE]) {
    const timers = fakeTimers();
    const p = poller(async () => result, () => 2000, timers);
    await p.poll();
    assert.equal(timers.pending.size, 0, String(result.description));
  }
});
