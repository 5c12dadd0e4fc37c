/* The console's HTTP client: JSON in and out, the CSRF token on every POST, the server's clock from the
 * Date header. Errors carry the HTTP status and the server's stable `code` (when it sends one); logic reads
 * those two and never the English `error` text, which is only shown as detail. No DOM. */

/** Error codes the console understands (the server's `{"code": ...}`); without one it falls back to the status. */
export const CODES = Object.freeze({
  LIMIT: "limit",                   // the counselor already holds the most conversations allowed
  NOT_WAITING: "not_waiting",       // claim: someone else took it, or it left the queue
  NOT_HELD: "not_held",             // no counselor holds it now
  HELD_BY_OTHER: "held_by_other",   // another counselor holds it
  UNKNOWN_COUNSELOR: "unknown_counselor"
});

export class ApiError extends Error {
  /** status 0 means the network failed; `code` is null when the server sent none. */
  constructor(status, code, detail) {
    super(detail || (status ? "HTTP " + status : "network"));
    this.name = "ApiError";
    this.status = status;
    this.code = code || null;
    this.detail = detail || "";
  }
}

/** 「（409）」 or 「（ネットワーク）」: what failed, for the end of a message. */
export function failure(error) {
  return "（" + ((error && error.status) || "ネットワーク") + "）";
}

/** /api/conversations/ID[/suffix], with the id escaped. */
export function conversationPath(id, suffix) {
  return "/api/conversations/" + encodeURIComponent(id) + (suffix ? "/" + suffix : "");
}

const LOGIN_PATH = "/api/auth/login";

function errorFrom(status, body) {
  const code = body && typeof body.code === "string" ? body.code : null;
  const detail = body && typeof body.error === "string" ? body.error : "";
  return new ApiError(status, code, detail);
}

/**
 * A client. `csrf()` gives the current token; `onUnauthorized()` runs when a call other than the login
 * answers 401 (the login has ended). `fetch` and `now` can be replaced in tests.
 */
export function createApi({ csrf, onUnauthorized, fetch: fetchImpl, now = Date.now } = {}) {
  const doFetch = fetchImpl || function (url, init) { return globalThis.fetch(url, init); };
  let clockOffset = 0;

  async function request(method, path, body) {
    const headers = {};
    if (method !== "GET") {
      headers["X-CSRF-Token"] = (csrf && csrf()) || "";
      if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    }
    let response;
    try {
      response = await doFetch(path, {
        method: method, headers: headers, credentials: "same-origin", cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      throw new ApiError(0, null, "network");
    }
    const date = Date.parse(response.headers.get("Date") || "");
    if (!isNaN(date)) { clockOffset = date - now(); }
    let data = null;
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      if (response.status === 401 && path !== LOGIN_PATH && onUnauthorized) { onUnauthorized(); }
      throw errorFrom(response.status, data);
    }
    return data;
  }

  return {
    request: request,
    get: function (path) { return request("GET", path); },
    post: function (path, body) { return request("POST", path, body); },
    /** The server's time now, from the last Date header seen (times in the console are the server's). */
    now: function () { return now() + clockOffset; }
  };
}
