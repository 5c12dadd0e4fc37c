/* What the console's views share: the login of this tab, the open conversation, and the desk's verbs
 * (wired in main.js, so that views call each other without importing each other). */

import { createApi } from "./api.js";

const STORE_KEY = "akari.console";

function load() {
  try { return JSON.parse(sessionStorage.getItem(STORE_KEY) || "null"); } catch (e) { return null; }
}

export const state = {
  session: load(),        // {user, role, csrf, open}, kept in this tab only
  openId: null,           // the conversation on screen
  current: null,          // it as last rendered: {id, state, holder}
  claimedAt: {},          // id -> {holder, at}: claims and transfers seen live
  takenHere: {},          // ids this tab claimed or took over (not announced as handed over)
  handedAwayHere: {}      // ids this tab handed to a colleague (not announced as taken away)
};

export function saveSession() {
  try {
    if (state.session) { sessionStorage.setItem(STORE_KEY, JSON.stringify(state.session)); }
    else { sessionStorage.removeItem(STORE_KEY); }
  } catch (e) { /* memory only */ }
}

/** {user, role} of the counselor logged in here. */
export function me() { return { user: state.session.user, role: state.session.role }; }

export function isSupervisor() { return !!state.session && state.session.role === "supervisor"; }

/** Set by main.js. */
export const desk = {
  pollQueue: function () {},
  pollActive: function () {},
  pollConversation: function () {},
  openConversation: function () {},
  closeView: function () {},
  refreshActiveMarks: function () {},
  loggedOut: function () {},
  isLive: function () { return false; }
};

export const api = createApi({
  csrf: function () { return state.session && state.session.csrf; },
  onUnauthorized: function () { desk.loggedOut("ログインが切れました。もう一度ログインしてください。"); }
});
