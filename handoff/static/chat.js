/* Akari web chat. Plain JS, no dependencies.
 * The session token lives only in sessionStorage (gone with the tab, and at once on 「すぐに閉じる」). */
(function () {
  "use strict";

  var EXIT_URL = "https://www.google.co.jp/search?q=%E5%A4%A9%E6%B0%97"; // 天気: a neutral page
  var STORE_KEY = "akari.chat";
  var SEND_TIMEOUT_MS = 45000;
  var HOTLINE_TEXT = "つながらないときは、よりそいホットライン ";
  var HOTLINE_NUMBER = "0120-279-338";
  var HOTLINE_TEL = "tel:0120279338";
  var LABELS = { bot: "ボット", counselor: "相談員", system: "お知らせ", user: "あなた" };
  var BANNERS = {
    waiting: "相談員を呼んでいます",
    human: "相談員とつながっています",
    closed: "この相談は終わりました。また書いてくれたら、新しくお話しできます。"
  };

  var stream = null;
  var retryTimer = null;
  var retryDelay = 2000;

  // --- Quick exit first, so it works even if anything below fails. ---------------------------
  function quickExit() {
    try { if (stream) { stream.close(); } } catch (e) { /* ignore */ }
    try { if (retryTimer) { clearTimeout(retryTimer); } } catch (e) { /* ignore */ }
    try { sessionStorage.clear(); } catch (e) { /* ignore */ }
    try { document.title = ""; document.body.innerHTML = ""; } catch (e) { /* ignore */ }
    window.location.replace(EXIT_URL);
  }
  var exitButton = document.getElementById("quick-exit");
  exitButton.addEventListener("click", quickExit);

  var log = document.getElementById("chat-log");
  var form = document.getElementById("composer");
  var input = document.getElementById("chat-input");
  var sendButton = document.getElementById("chat-send");
  var banner = document.getElementById("state-banner");
  var errorBox = document.getElementById("error");

  var sending = false;
  var seen = {};        // stream seqs already shown
  var lastSeq = null;   // for a manual reconnect (EventSource resumes by itself otherwise)

  // --- The session, in sessionStorage only. -----------------------------------------------------
  function loadSession() {
    try { return JSON.parse(sessionStorage.getItem(STORE_KEY) || "null"); } catch (e) { return null; }
  }
  function saveSession(session) {
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(session)); } catch (e) { /* private mode: memory only */ }
    memorySession = session;
  }
  var memorySession = loadSession();

  function token() { return memorySession && memorySession.token; }

  function forgetSession() {
    memorySession = null;
    try { sessionStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
    closeStream();
    seen = {};
    lastSeq = null;
  }

  // --- Showing messages. -----------------------------------------------------------------------
  function nearBottom() {
    var doc = document.documentElement;
    return window.innerHeight + window.pageYOffset >= doc.scrollHeight - 160;
  }
  function scrollToEnd() { window.scrollTo(0, document.documentElement.scrollHeight); }

  function addMessage(from, text, options) {
    var follow = (options && options.follow) || nearBottom();
    var item = document.createElement("div");
    item.className = "msg msg-" + from;
    item.setAttribute("data-from", from);
    var who = document.createElement("span");
    who.className = "who" + (from === "user" || from === "system" ? " visually-hidden" : "");
    who.textContent = LABELS[from] || "";
    var body = document.createElement("p");
    body.className = "text";
    if (from === "user") { body.textContent = text; } else { linkify(body, text); }
    item.appendChild(who);
    item.appendChild(body);
    log.appendChild(item);
    if (follow) { scrollToEnd(); }
    return item;
  }

  // Phone numbers and web addresses in replies become tappable (built as DOM nodes, never as HTML).
  var LINKS = /(https?:\/\/[^\s（）()「」、。<>"]+)|(#\d{4}|0\d{1,4}-\d{1,4}-\d{3,4}|0\d{3}-\d{6})|：(1(?:10|19|88|89))(?!\d)/g;
  function linkify(parent, text) {
    var last = 0, match;
    LINKS.lastIndex = 0;
    while ((match = LINKS.exec(text)) !== null) {
      var shown = match[1] || match[2] || match[3];
      var start = match.index + (match[3] ? 1 : 0);
      parent.appendChild(document.createTextNode(text.slice(last, start)));
      var link = document.createElement("a");
      link.textContent = shown;
      if (match[1]) {
        link.href = shown;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      } else {
        link.href = "tel:" + shown.replace(/-/g, "").replace("#", "%23");
      }
      parent.appendChild(link);
      last = start + shown.length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function setState(state) {
    if (!state) { return; }
    if (memorySession) { memorySession.state = state; saveSession(memorySession); }
    banner.setAttribute("data-state", state);
    if (BANNERS[state]) {
      banner.textContent = BANNERS[state];
      banner.hidden = false;
    } else {
      banner.textContent = "";
      banner.hidden = true;
    }
  }
  function currentState() { return (memorySession && memorySession.state) || "bot"; }

  function showError(kind) {
    var first = {
      long: "メッセージが長すぎるみたい。短く分けて送ってね。",
      bad: "うまく送れなかったみたい。もう一度書いてみてね。",
      network: "いま、うまくつながらないみたい。少し待ってから、もう一度送ってみてね。"
    }[kind] || "";
    errorBox.textContent = "";
    errorBox.appendChild(document.createTextNode(first + HOTLINE_TEXT));
    var link = document.createElement("a");
    link.href = HOTLINE_TEL;
    link.textContent = HOTLINE_NUMBER;
    errorBox.appendChild(link);
    errorBox.appendChild(document.createTextNode("（24時間）へ"));
    errorBox.hidden = false;
    scrollToEnd();
  }
  function hideError() { errorBox.hidden = true; errorBox.textContent = ""; }

  // --- Talking to the server. ------------------------------------------------------------------
  function HttpError(status) { this.status = status; }

  function request(url, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : null;
    if (controller) { options.signal = controller.signal; }
    options.credentials = "omit";
    options.cache = "no-store";
    return fetch(url, options).then(function (response) {
      if (timer) { clearTimeout(timer); }
      return response;
    }, function (error) {
      if (timer) { clearTimeout(timer); }
      throw error;
    });
  }

  async function startSession() {
    var response = await request("/api/webchat/sessions", { method: "POST" });
    if (!response.ok) { throw new HttpError(response.status); }
    var body = await response.json();
    saveSession({ token: body.token, state: "bot" });
    openStream();
    return body.token;
  }

  function postMessage(bearer, text) {
    return request("/api/webchat/messages", {
      method: "POST",
      headers: { "Authorization": "Bearer " + bearer, "Content-Type": "application/json" },
      body: JSON.stringify({ text: text })
    });
  }

  async function deliver(text) {
    var bearer = token() || await startSession();
    var response = await postMessage(bearer, text);
    if (response.status === 401) {  // the session expired: start again
      forgetSession();
      response = await postMessage(await startSession(), text);
    }
    if (!response.ok) { throw new HttpError(response.status); }
    var body = await response.json();
    if (body.state === "closed") {  // a counselor closed it: her words must reach someone, so start anew
      forgetSession();
      response = await postMessage(await startSession(), text);
      if (!response.ok) { throw new HttpError(response.status); }
      body = await response.json();
      body.restarted = true;
    }
    return body;
  }

  async function send(text) {
    if (sending || !text.trim()) { return; }
    sending = true;
    sendButton.disabled = true;
    hideError();
    var mine = addMessage("user", text, { follow: true });
    mine.classList.add("pending");
    input.value = "";
    resize();
    try {
      var body = await deliver(text);
      mine.classList.remove("pending");
      if (body.restarted) { addMessage("system", "前の相談は終わっていたので、新しい相談として送ったよ。", { follow: true }); }
      (body.messages || []).forEach(function (message) {
        addMessage(message.from === "bot" ? "bot" : "system", message.text, { follow: true });
      });
      setState(body.state);
    } catch (error) {
      mine.parentNode.removeChild(mine);
      if (!input.value) { input.value = text; resize(); }
      var status = error instanceof HttpError ? error.status : 0;
      showError(status === 413 ? "long" : (status === 400 ? "bad" : "network"));
    } finally {
      sending = false;
      sendButton.disabled = false;
    }
  }

  // --- Live messages from a counselor (server-sent events). -----------------------------------
  function closeStream() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    if (stream) { stream.close(); stream = null; }
  }

  // The token never goes in a URL: a single-use ticket (valid one minute) opens the stream. After a drop,
  // EventSource's own retry is refused (the ticket is spent) and we open again with a fresh ticket.
  async function streamTicket() {
    var response = await fetch("/api/webchat/stream-ticket", {
      method: "POST", headers: { "Authorization": "Bearer " + token() } });
    if (!response.ok) { throw new Error("ticket " + response.status); }
    return (await response.json()).ticket;
  }

  async function openStream() {
    if (!window.EventSource || !token()) { return; }
    closeStream();
    var ticket;
    try { ticket = await streamTicket(); } catch (e) {
      retryTimer = setTimeout(openStream, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
      return;
    }
    if (!token()) { return; }  // she left (quick exit) while the ticket was on its way
    var url = "/api/webchat/stream?ticket=" + encodeURIComponent(ticket);
    if (lastSeq) { url += "&last_id=" + encodeURIComponent(lastSeq); }
    stream = new EventSource(url);
    stream.addEventListener("open", function () { retryDelay = 2000; });
    stream.addEventListener("message", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (!data || data.type !== "message" || !data.text) { return; }
      var seq = data.seq || event.lastEventId;
      if (seq) {
        if (seen[seq]) { return; }
        seen[seq] = true;
        lastSeq = seq;
      }
      if (data.from === "counselor") {
        addMessage("counselor", data.text);
        if (currentState() !== "closed") { setState("human"); }
      } else {
        addMessage("system", data.text);
        if (currentState() === "human") { setState("bot"); }  // today's only notice: handed back to the bot
      }
    });
    stream.addEventListener("typing", function () { showTyping(); });
    stream.addEventListener("state", function (event) {  // if the server ever sends state changes
      try { setState(JSON.parse(event.data).state); } catch (e) { /* ignore */ }
    });
    stream.addEventListener("error", function () {
      // EventSource retries by itself after a dropped connection; it gives up only on an HTTP error.
      if (stream && stream.readyState !== 1) {
        stream.close();
        stream = null;
        retryTimer = setTimeout(openStream, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      }
    });
  }

  // --- Typing indicators, both ways (only while a counselor is with her). ----------------------
  var typingBox = document.getElementById("typing-indicator");
  var typingTimer = null;
  var lastTypingSent = 0;

  function showTyping() {
    if (!typingBox) { return; }
    typingBox.hidden = false;
    if (typingTimer) { clearTimeout(typingTimer); }
    typingTimer = setTimeout(function () { typingBox.hidden = true; }, 4000);
  }

  function tellTyping() {
    var now = Date.now();
    if (currentState() !== "human" || !token() || now - lastTypingSent < 3000) { return; }
    lastTypingSent = now;
    fetch("/api/webchat/typing", { method: "POST", headers: { "Authorization": "Bearer " + token() } })
      .catch(function () { /* a lost typing signal does not matter */ });
  }

  // --- The form. -------------------------------------------------------------------------------
  function resize() {
    input.style.height = "auto";
    input.style.height = Math.max(input.scrollHeight + 2, 52) + "px";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
  });
  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms a kana-kanji conversion does nothing.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) { return; }
    event.preventDefault();
    send(input.value);
  });
  input.addEventListener("input", resize);
  input.addEventListener("input", tellTyping);

  // What happens to her words, from the server's one notice (handoff/notices.py), before she writes anything.
  var privacyText = document.getElementById("privacy-text");
  function showPrivacy() {
    if (!privacyText) { return; }
    request("/api/webchat/notice", { method: "GET" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (body && body.privacy) { privacyText.textContent = body.privacy; }
    }).catch(function () {
      privacyText.textContent = "保存したメッセージは暗号化され、研修を受けた相談員だけが読みます。";
    });
  }
  showPrivacy();

  // A reload in the same tab keeps the session: reconnect and show where things stand.
  if (token()) {
    setState(currentState());
    openStream();
  }
})();
