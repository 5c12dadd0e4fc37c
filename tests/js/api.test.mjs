import test from "node:test";
import assert from "node:assert/strict";
import { ApiError, conversationPath, createApi, failure } from "../../handoff/static/console/api.js";

/** A fetch that answers like the server would and records what it was asked. */
function server(status, body, headers = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return {
      ok: status >= 200 && status < 300, status,
      headers: { get: (name) => headers[name] || null },
      json: async () => { if (body === undefined) { throw new SyntaxError("no JSON"); } return body; }
    };
  };
  return { fetch, calls };
}

test("a POST carries the CSRF token and a JSON body; a GET carries neither", async () => {
  const s = server(200, { ok: true });
  const api = createApi({ csrf: () => "tok123", fetch: s.fetch });
  await api.post("/api/conversations/a/messages", { text: "こんにちは" });
  await api.get("/api/queue");
  assert.equal(s.calls[0].init.headers["X-CSRF-Token"], "tok123");
  assert.equal(s.calls[0].init.headers["Content-Type"], "application/json");
  assert.deepEqual(JSON.parse(s.calls[0].init.body), { text: "こんにちは" });
  assert.equal(s.calls[1].init.headers["X-CSRF-Token"], undefined);
  assert.equal(s.calls[1].init.body, undefined);
});

test("an error carries the server's code, the status, and its words only as detail", async () => {
  const api = createApi({ fetch: server(409, { error: "you already hold the most conversations allowed",
    code: "limit" }).fetch });
  const error = await api.post("/x").catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.code, "limit");
  assert.equal(error.status, 409);
  assert.match(error.detail, /most/);
});

test("without a code the error still has its status; a body that is not JSON is fine", async () => {
  const coded = await createApi({ fetch: server(409, { error: "not waiting (state: human)" }).fetch })
    .post("/x").catch((e) => e);
  assert.equal(coded.code, null);
  assert.equal(coded.status, 409);
  const bare = await createApi({ fetch: server(502, undefined).fetch }).get("/x").catch((e) => e);
  assert.equal(bare.status, 502);
  assert.equal(bare.code, null);
});

test("a network failure is status 0", async () => {
  const api = createApi({ fetch: async () => { throw new TypeError("Failed to fetch"); } });
  const error = await api.get("/api/queue").catch((e) => e);
  assert.equal(error.status, 0);
  assert.equal(failure(error), "（ネットワーク）");
  assert.equal(failure(new ApiError(503)), "（503）");
});

test("a 401 ends the login, except from the login form itself", async () => {
  let ended = 0;
  const api = createApi({ fetch: server(401, { error: "login required" }).fetch, onUnauthorized: () => { ended += 1; } });
  await api.get("/api/queue").catch(() => null);
  assert.equal(ended, 1);
  await api.post("/api/auth/login", { username: "aoi", password: "x" }).catch(() => null);
  assert.equal(ended, 1);
});

test("the server's clock comes from the Date header", async () => {
  const local = Date.parse("2026-03-05T03:00:00Z");
  const api = createApi({ now: () => local,
    fetch: server(200, {}, { Date: "Thu, 05 Mar 2026 03:02:00 GMT" }).fetch });
  assert.equal(api.now(), local);
  await api.get("/api/queue");
  assert.equal(api.now(), local + 120000);
});

test("conversation paths escape the id", () => {
  assert.equal(conversationPath("a/b c"), "/api/conversations/a%2Fb%20c");
  assert.equal(conversationPath("abc", "claim"), "/api/conversations/abc/claim");
});
