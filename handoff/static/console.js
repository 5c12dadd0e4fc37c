/* Akari counselor console. Plain JS, no dependencies.
 * The session cookie is HttpOnly; the CSRF token from the login answer goes on every POST.
 * Live updates come over the WebSocket /api/console/events (typed, numbered frames, no message text);
 * every frame refreshes the queue at once. Polling stays as a slower fallback, faster while the socket is down. */
(function () {
  "use strict";

  var QUEUE_POLL_MS = 3000;               // while the live socket is down
  var CONVERSATION_POLL_MS = 2000;
  var LIVE_POLL_MS = 15000;               // fallback while it is up (frames do the real work)
  var TYPING_EVERY_MS = 3000;             // the counselor's typing signal, at most this often
  var USER_TYPING_MS = 4000;              // how long 「相談者が入力中…」 stays after her last signal
  var PLACES_MAX_AGE_MS = 5 * 60000;      // "open now" goes stale: ask again after this
  var TOKYO_OFFSET_MS = 9 * 3600000;      // Asia/Tokyo, no daylight saving
  var RECONNECT_MIN_MS = 1000, RECONNECT_MAX_MS = 30000, STABLE_SOCKET_MS = 10000;
  var SEQ = /^[0-9]+(-[0-9]+)?$/;        // Redis stream ids, as the server numbers frames
  var STORE_KEY = "akari.console";
  var BASE_TITLE = "Akari 相談員コンソール";
  var ALERT_TITLES = ["【緊急】Akari", "【緊急】待っている人がいます"];
  var OVERDUE_TITLES = ["【至急】待ち時間が長くなっています", "【至急】Akari 相談員コンソール"];

  var URGENCY = { emergency: "緊急", high: "高", medium: "中", low: "低" };
  var CONCERNS = {
    pregnancy: "妊娠", domestic_violence: "DV", sexual_violence: "性暴力", host_club: "ホストクラブ",
    toyoko: "トー横", no_place_to_stay: "居場所なし", suicide_risk: "自殺リスク", mental_distress: "心の不調",
    money: "お金", minor: "未成年"
  };
  var CHANNELS = { webchat: "Webチャット", line: "LINE" };
  var ROLES = { user: "相談者", bot: "ボット", system: "システム", counselor: "相談員", notice: "お知らせ" };
  var STATES = { bot: "ボット対応中", waiting: "順番待ち", human: "相談員対応中", closed: "終了" };
  var INTENTS = {
    greet: "あいさつ", goodbye: "おわり", affirm: "はい", deny: "いいえ", thank: "お礼", request_human: "相談員を希望",
    pregnancy_worry: "妊娠の不安", domestic_violence: "DV", sexual_violence: "性暴力", host_club_trouble: "ホストクラブ",
    toyoko_youth: "トー横・家出", no_place_to_stay: "居場所なし", suicidal_ideation: "死にたい気持ち",
    mental_distress: "心の不調", money_trouble: "お金の困りごと", out_of_scope: "その他"
  };
  // What the server's transfer errors mean, in words a counselor can act on.
  var TRANSFER_ERRORS = {
    limit: "相手が同時に対応できる数の上限に達しています。",
    "not held": "この相談はいま相談員が対応していません。",
    "held by someone else": "この相談はすでにほかの相談員が担当しています。"
  };

  function $(id) { return document.getElementById(id); }

  var session = load();          // {user, role, csrf, open}
  var queueTimer = null, conversationTimer = null, flashTimer = null;
  var clockOffset = 0;           // server time minus local time, from the Date header
  var knownEmergencies = {};
  var overdue = {};              // id -> banner text: alerted by the server, still waiting
  var pendingAlerts = {};        // alert frames, checked against the next queue answer
  var bannerKind = null;         // "overdue" | "fresh" | "waiting" | null
  var queueBusy = false, queueAgain = false, queueError = false;
  var conversationBusy = false, conversationAgain = false, conversationScroll = false, conversationError = false;
  var socket = null, socketTimer = null, socketOpenedAt = 0, reconnectDelay = RECONNECT_MIN_MS;
  var lastSeq = null, live = false;
  var rendered = {};             // transcript message ids already shown
  var sendingReply = false;
  var openId = null;
  var audio = null;
  var current = null;            // the open conversation as last rendered: {id, state, holder}
  var activeTimer = null, activeBusy = false, activeAgain = false, activeEntries = [], activeLoaded = false;
  var claimedAt = {};            // id -> {holder, at}: claims and transfers seen live (the frame's stream id is a time)
  var takenHere = {};            // ids this tab claimed or took over (not announced as handed over)
  var handedAwayHere = {};       // ids this tab handed to a colleague (not announced as taken away)
  var placesKey = null, placesAt = 0, placesSeq = 0;
  var triageKey = null;
  var notesKey = null, consentKey = null;
  var noteBusy = false, consentBusy = false;
  var typingSentFor = null, typingSentAt = 0;
  var userTypingTimer = null;

  // --- Storage (this tab only) ------------------------------------------------------------------
  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE_KEY) || "null"); } catch (e) { return null; }
  }
  function save() {
    try {
      if (session) { sessionStorage.setItem(STORE_KEY, JSON.stringify(session)); }
      else { sessionStorage.removeItem(STORE_KEY); }
    } catch (e) { /* memory only */ }
  }

  // --- HTTP ---------------------------------------------------------------------------------------
  function ApiError(status, message) { this.status = status; this.message = message || ""; }

  async function api(method, path, body) {
    var headers = {};
    if (method !== "GET") {
      headers["X-CSRF-Token"] = (session && session.csrf) || "";
      if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    }
    var response;
    try {
      response = await fetch(path, {
        method: method, headers: headers, credentials: "same-origin", cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    } catch (e) {
      throw new ApiError(0, "network");
    }
    var date = Date.parse(response.headers.get("Date") || "");
    if (!isNaN(date)) { clockOffset = date - Date.now(); }
    var data = null;
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    if (!response.ok) {
      if (response.status === 401 && path !== "/api/auth/login") { loggedOut("ログインが切れました。もう一度ログインしてください。"); }
      throw new ApiError(response.status, data && data.error);
    }
    return data;
  }

  function say(text) { $("status").textContent = text; }
  // A recovered error clears its own message, not one written since.
  function clearStatus(prefix) { if ($("status").textContent.indexOf(prefix) === 0) { say(""); } }

  // --- Login / logout -----------------------------------------------------------------------------
  $("login-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    unlockAudio();
    var error = $("login-error");
    error.hidden = true;
    $("login-submit").disabled = true;
    try {
      var body = await api("POST", "/api/auth/login",
        { username: $("login-user").value.trim(), password: $("login-password").value });
      session = { user: body.user, role: body.role, csrf: body.csrf_token, open: null };
      save();
      $("login-password").value = "";
      enterDesk();
    } catch (e) {
      error.textContent = e.status === 401 ? "ユーザー名かパスワードが違います。"
        : e.status === 429 ? "失敗が続いたため、しばらく（15分ほど）ログインできません。"
        : e.status === 0 ? "サーバーにつながりません。ネットワークを確かめてください。"
        : "ログインできませんでした（" + e.status + "）。";
      error.hidden = false;
    } finally {
      $("login-submit").disabled = false;
    }
  });

  $("logout").addEventListener("click", async function () {
    try { await api("POST", "/api/auth/logout"); } catch (e) { /* leave anyway */ }
    loggedOut("ログアウトしました。");
  });

  function loggedOut(message) {
    stopPolling();
    disconnectEvents();
    overdue = {};
    pendingAlerts = {};
    knownEmergencies = {};
    stopFlash();
    session = null;
    save();
    openId = null;
    current = null;
    activeEntries = [];
    activeLoaded = false;
    claimedAt = {};
    takenHere = {};
    handedAwayHere = {};
    $("active").textContent = "";
    hideUserTyping();
    $("conversation").hidden = true;
    $("desk").hidden = true;
    $("who").hidden = true;
    $("login").hidden = false;
    $("alert").hidden = true;
    say(message || "");
    $("login-user").focus();
  }

  function enterDesk() {
    $("login").hidden = true;
    $("desk").hidden = false;
    $("who").hidden = false;
    $("who-name").textContent = session.user + (session.role === "supervisor" ? "（スーパーバイザー）" : "");
    say("");
    knownEmergencies = {};
    overdue = {};
    pendingAlerts = {};
    $("active-scope").textContent = isSupervisor() ? "全員が対応中の相談です（スーパーバイザー表示）。" : "あなたが対応中の相談です。";
    pollQueue();
    pollActive();
    if (session.open) { openConversation(session.open); }
    connectEvents();
  }

  function stopPolling() {
    clearTimeout(queueTimer); queueTimer = null;
    clearTimeout(conversationTimer); conversationTimer = null;
    clearTimeout(activeTimer); activeTimer = null;
  }

  function isSupervisor() { return !!session && session.role === "supervisor"; }

  // --- Live events ----------------------------------------------------------------------------------
  // One socket per tab. Any frame refreshes the queue (and the open conversation when it concerns it);
  // after a drop it reconnects with backoff and resumes after the last frame seen (?after=SEQ).
  function connectEvents() {
    clearTimeout(socketTimer); socketTimer = null;
    if (!session || socket) { return; }
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/console/events" +
      (lastSeq ? "?after=" + encodeURIComponent(lastSeq) : "");
    var ws;
    try { ws = new WebSocket(url); } catch (e) { scheduleReconnect(); return; }
    socket = ws;
    setLive("connecting");
    ws.onmessage = function (event) {
      if (socket !== ws) { return; }
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (!frame || typeof frame.type !== "string") { return; }
      if (typeof frame.seq === "string" && SEQ.test(frame.seq)) { lastSeq = frame.seq; }
      if (frame.type === "hello") { socketOpenedAt = Date.now(); setLive("live"); }
      onEvent(frame);
    };
    ws.onclose = function () {
      if (socket !== ws) { return; }
      socket = null;
      if (socketOpenedAt && Date.now() - socketOpenedAt >= STABLE_SOCKET_MS) { reconnectDelay = RECONNECT_MIN_MS; }
      socketOpenedAt = 0;
      if (!session) { setLive("off"); return; }
      setLive("down");
      scheduleReconnect();
      // Fill the gap by polling at the faster rate; a 401 here means the login ended (stops reconnecting).
      pollQueue();
      pollActive();
      if (openId) { pollConversation(); }
    };
  }

  function scheduleReconnect() {
    clearTimeout(socketTimer);
    var delay = Math.round(reconnectDelay * (0.8 + Math.random() * 0.4));
    reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    socketTimer = setTimeout(connectEvents, delay);
  }

  function disconnectEvents() {
    clearTimeout(socketTimer); socketTimer = null;
    var ws = socket;
    socket = null;
    lastSeq = null;
    socketOpenedAt = 0;
    reconnectDelay = RECONNECT_MIN_MS;
    setLive("off");
    if (ws) { try { ws.close(1000, "logout"); } catch (e) { /* already closed */ } }
  }

  function setLive(state) {
    live = state === "live";
    var badge = $("live");
    badge.setAttribute("data-state", state);
    badge.hidden = state === "off";
    setText(badge, state === "live" ? "ライブ更新中" : state === "connecting" ? "接続中…" : "再接続を待っています（数秒ごとに更新）");
  }

  // Back online after a network change: try at once instead of waiting for the backoff.
  window.addEventListener("online", function () {
    if (session && !socket) { reconnectDelay = RECONNECT_MIN_MS; connectEvents(); }
  });

  function onEvent(frame) {
    if (frame.type === "typing") {  // ephemeral: changes nothing on the server, refreshes nothing here
      if (frame.who === "user" && openId && frame.conversation_id === openId) { showUserTyping(); }
      return;
    }
    if (frame.type === "alert" && typeof frame.conversation_id === "string") {
      pendingAlerts[frame.conversation_id] = frame;
    }
    if (frame.type === "claimed" && typeof frame.conversation_id === "string" && typeof frame.holder === "string" &&
        typeof frame.seq === "string") {
      var at = parseInt(frame.seq.split("-")[0], 10);
      if (at > 0) { claimedAt[frame.conversation_id] = { holder: frame.holder, at: at }; }
    }
    pollQueue();
    pollActive();
    if (openId && (frame.type === "hello" || frame.conversation_id === openId)) { pollConversation(); }
  }

  // --- The queue ------------------------------------------------------------------------------------
  // Overlapping calls (frames in a burst, the timer, a claim) coalesce into one more request.
  async function pollQueue() {
    clearTimeout(queueTimer); queueTimer = null;
    if (!session) { return; }
    if (queueBusy) { queueAgain = true; return; }
    queueBusy = true;
    try {
      do {
        queueAgain = false;
        try {
          var body = await api("GET", "/api/queue");
          renderQueue(body.queue || []);
          if (queueError) { queueError = false; clearStatus("一覧を更新できません"); }
        } catch (e) {
          if (e.status === 401) { return; }
          queueError = true;
          say("一覧を更新できません（" + (e.status || "ネットワーク") + "）。再試行します。");
          raisePendingAlerts();
        }
      } while (queueAgain && session);
    } finally {
      queueBusy = false;
    }
    if (session) { queueTimer = setTimeout(pollQueue, live ? LIVE_POLL_MS : QUEUE_POLL_MS); }
  }

  function minutesWaiting(since) {
    if (!since) { return "—"; }
    var minutes = Math.floor((Date.now() + clockOffset - since) / 60000);
    return minutes < 1 ? "1分未満" : minutes + "分";
  }

  function ago(since) {
    var minutes = Math.floor((Date.now() + clockOffset - since) / 60000);
    return minutes < 1 ? "1分以内" : minutes < 60 ? minutes + "分前"
      : Math.floor(minutes / 60) + "時間" + (minutes % 60 ? (minutes % 60) + "分" : "") + "前";
  }

  function concernText(list) {
    return (list || []).map(function (c) { return CONCERNS[c] || c; }).join("・") || "—";
  }

  function setText(element, text) { if (element.textContent !== text) { element.textContent = text; } }

  function queueRow(id) {
    var row = document.createElement("li");
    row.className = "queue-row";
    row.setAttribute("data-testid", "queue-row");
    row.setAttribute("data-conversation-id", id);
    row.innerHTML =
      '<div class="row-top"><span class="badge"></span><span class="channel"></span>' +
      '<span class="wait"></span></div>' +
      '<p class="overdue-tag" data-testid="overdue-tag" hidden>【至急】待ち時間が長くなっています</p>' +
      '<div class="concerns"></div><ul class="factors"></ul>' +
      '<button type="button" class="claim" data-testid="claim-button">対応する</button>';
    row.querySelector(".claim").addEventListener("click", function () { claim(id, this); });
    return row;
  }

  function renderQueue(entries) {
    var list = $("queue");
    var rows = {};
    Array.prototype.forEach.call(list.children, function (row) { rows[row.getAttribute("data-conversation-id")] = row; });
    var emergencies = {}, fresh = [], newlyOverdue = [], present = {};
    entries.forEach(function (entry) { present[entry.conversation_id] = entry; });
    // An overdue alert stands while the conversation still waits; one replayed for a conversation
    // that has been claimed since (after a reconnect) is dropped.
    Object.keys(overdue).forEach(function (id) { if (!present[id]) { delete overdue[id]; } });
    Object.keys(pendingAlerts).forEach(function (id) {
      if (present[id] && !overdue[id]) { overdue[id] = overdueText(present[id], pendingAlerts[id]); newlyOverdue.push(id); }
      delete pendingAlerts[id];
    });
    entries.forEach(function (entry, index) {
      var id = entry.conversation_id;
      var row = rows[id] || queueRow(id);
      delete rows[id];
      row.setAttribute("data-urgency", entry.urgency);
      if (overdue[id]) { row.setAttribute("data-overdue", "true"); } else { row.removeAttribute("data-overdue"); }
      row.querySelector(".overdue-tag").hidden = !overdue[id];
      var badge = row.querySelector(".badge");
      badge.className = "badge urgency-" + entry.urgency;
      setText(badge, URGENCY[entry.urgency] || entry.urgency);
      setText(row.querySelector(".channel"), CHANNELS[entry.channel] || entry.channel || "");
      setText(row.querySelector(".wait"), "待ち " + minutesWaiting(entry.waiting_since));
      setText(row.querySelector(".concerns"), concernText(entry.concerns));
      var factors = row.querySelector(".factors");
      var factorText = (entry.factors || []).join("\n");
      if (factors.getAttribute("data-text") !== factorText) {
        factors.setAttribute("data-text", factorText);
        factors.textContent = "";
        (entry.factors || []).forEach(function (f) {
          var li = document.createElement("li");
          li.textContent = f;
          factors.appendChild(li);
        });
      }
      row.querySelector(".claim").setAttribute("aria-label",
        "対応する（" + (URGENCY[entry.urgency] || "") + "・" + concernText(entry.concerns) + "）");
      if (list.children[index] !== row) { list.insertBefore(row, list.children[index] || null); }
      if (entry.urgency === "emergency") {
        emergencies[id] = true;
        if (!knownEmergencies[id]) { fresh.push(id); }
      }
    });
    Object.keys(rows).forEach(function (id) { list.removeChild(rows[id]); });
    $("queue-count").textContent = String(entries.length);
    $("queue-empty").hidden = entries.length > 0;
    knownEmergencies = emergencies;
    updateBanner(fresh.length);
    if (newlyOverdue.length) { signal(OVERDUE_TITLES); }
    else if (fresh.length) { signal(ALERT_TITLES); }
    if (!Object.keys(emergencies).length && !Object.keys(overdue).length) { stopFlash(); }
  }

  async function claim(id, button) {
    unlockAudio();
    button.disabled = true;
    try {
      await api("POST", "/api/conversations/" + encodeURIComponent(id) + "/claim");
      takenHere[id] = true;
      delete handedAwayHere[id];
      say("対応を始めました。");
      openConversation(id);
      pollQueue();
      pollActive();
    } catch (e) {
      button.disabled = false;
      if (e.status === 409 && /most/.test(e.message)) { say("同時に対応できる数の上限です。どれかを終えてから対応してください。"); }
      else if (e.status === 409) { say("この相談は、ほかの相談員がすでに対応しています。"); pollQueue(); }
      else if (e.status === 403) { say("操作が拒否されました。ページを読み込み直して、ログインし直してください。"); }
      else if (e.status !== 401) { say("対応を始められませんでした（" + (e.status || "ネットワーク") + "）。"); }
    }
  }

  // --- Conversations being handled (GET /api/conversations) ------------------------------------------
  // A supervisor sees everyone's, with 「引き継ぐ（自分が対応）」; a counselor sees her own, from the server
  // (so a conversation handed to her by a colleague shows up, and one taken from her goes away).
  async function pollActive() {
    clearTimeout(activeTimer); activeTimer = null;
    if (!session) { return; }
    if (activeBusy) { activeAgain = true; return; }
    activeBusy = true;
    try {
      do {
        activeAgain = false;
        try {
          var body = await api("GET", "/api/conversations");
          if (!session) { return; }
          renderActive(body.conversations || []);
          $("active-error").hidden = true;
        } catch (e) {
          if (e.status === 401) { return; }
          setText($("active-error"), "対応中の一覧を更新できません（" + (e.status || "ネットワーク") + "）。再試行します。");
          $("active-error").hidden = false;
        }
      } while (activeAgain && session);
    } finally {
      activeBusy = false;
    }
    if (session) { activeTimer = setTimeout(pollActive, live ? LIVE_POLL_MS : QUEUE_POLL_MS); }
  }

  function activeRow(id) {
    var row = document.createElement("li");
    row.className = "active-row";
    row.setAttribute("data-testid", "active-row");
    row.setAttribute("data-conversation-id", id);
    row.innerHTML =
      '<div class="row-top"><span class="badge"></span><span class="holder"></span><span class="channel"></span></div>' +
      '<div class="concerns"></div><p class="active-times"></p>' +
      '<div class="row-buttons"><button type="button" class="secondary active-open" data-testid="active-open">表示</button>' +
      '<button type="button" class="takeover" data-testid="takeover-button">引き継ぐ（自分が対応）</button></div>';
    row.querySelector(".active-open").addEventListener("click", function () { openConversation(id); });
    row.querySelector(".takeover").addEventListener("click", function () { takeOver(id, this); });
    return row;
  }

  function renderActive(entries) {
    var me = session.user;
    var before = {};
    activeEntries.forEach(function (e) { if (e.holder === me) { before[e.conversation_id] = true; } });
    var handedToMe = activeLoaded ? entries.filter(function (e) {
      return e.holder === me && !before[e.conversation_id] && !takenHere[e.conversation_id];
    }) : [];
    activeEntries = entries;
    activeLoaded = true;
    var list = $("active");
    var rows = {};
    Array.prototype.forEach.call(list.children, function (row) { rows[row.getAttribute("data-conversation-id")] = row; });
    entries.forEach(function (entry, index) {
      var id = entry.conversation_id;
      var row = rows[id] || activeRow(id);
      delete rows[id];
      var mineRow = entry.holder === me;
      row.setAttribute("data-urgency", entry.urgency);
      row.setAttribute("data-holder", entry.holder || "");
      row.classList.toggle("is-open", id === openId);
      var badge = row.querySelector(".badge");
      badge.className = "badge urgency-" + entry.urgency;
      setText(badge, URGENCY[entry.urgency] || entry.urgency);
      setText(row.querySelector(".holder"), "担当 " + (entry.holder || "—") + (mineRow ? "（あなた）" : ""));
      setText(row.querySelector(".channel"), CHANNELS[entry.channel] || entry.channel || "");
      setText(row.querySelector(".concerns"), concernText(entry.concerns));
      var times = [];
      if (entry.waiting_since) { times.push("待ち始め " + time(entry.waiting_since) + "（" + ago(entry.waiting_since) + "）"); }
      var claimed = claimedAt[id];
      if (claimed && claimed.holder === entry.holder) { times.push("担当開始 " + time(claimed.at)); }
      setText(row.querySelector(".active-times"), times.join("・") || "—");
      var open = row.querySelector(".active-open");
      setText(open, id === openId ? "表示中" : "表示");
      open.setAttribute("aria-label", "表示（" + (entry.holder || "") + "・" + concernText(entry.concerns) + "）");
      if (id === openId) { open.setAttribute("aria-current", "true"); } else { open.removeAttribute("aria-current"); }
      var takeover = row.querySelector(".takeover");
      takeover.hidden = !isSupervisor() || mineRow;
      takeover.setAttribute("aria-label", "引き継ぐ（自分が対応）：" + (entry.holder || "") + "さんの相談");
      if (list.children[index] !== row) { list.insertBefore(row, list.children[index] || null); }
    });
    Object.keys(rows).forEach(function (id) { list.removeChild(rows[id]); });
    $("active-count").textContent = String(entries.length);
    $("active-empty").hidden = entries.length > 0;
    if (handedToMe.length) {
      say("あなたの担当になった相談が" + handedToMe.length + "件あります（引き継ぎ）。「対応中の相談」から開いてください。");
      handedToMe.forEach(function (e) {
        var row = list.querySelector('[data-conversation-id="' + cssEscape(e.conversation_id) + '"]');
        if (row) { row.classList.add("is-new"); }
      });
    }
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/[^A-Za-z0-9_-]/g, "\\$&");
  }

  function activeEntry(id) {
    for (var i = 0; i < activeEntries.length; i += 1) { if (activeEntries[i].conversation_id === id) { return activeEntries[i]; } }
    return null;
  }

  // Transfer errors: the server's own words, after what they mean here.
  function transferProblem(e, toSelf) {
    if (e.status === 401) { return null; }
    var meaning = e.status === 409 && e.message === "limit" && toSelf ? "あなたが同時に対応できる数の上限に達しています。"
      : e.status === 409 ? (TRANSFER_ERRORS[e.message] || "引き継げませんでした。")
      : e.status === 403 ? "この相談を担当していないため、引き継げません。"
      : e.status === 400 ? "その名前の相談員が見つかりません。"
      : e.status === 0 ? "サーバーにつながりません。"
      : "引き継げませんでした。";
    return meaning + (e.message && e.message !== "network" ? "（" + e.status + ": " + e.message + "）" : e.status ? "（" + e.status + "）" : "");
  }

  // A supervisor takes a held conversation over: a transfer to herself.
  async function takeOver(id, button) {
    if (!isSupervisor()) { return; }
    var entry = activeEntry(id);
    var previous = (entry && entry.holder) || (current && current.id === id && current.holder) || "";
    if (button) { button.disabled = true; }
    try {
      await api("POST", "/api/conversations/" + encodeURIComponent(id) + "/transfer", { to: session.user });
      takenHere[id] = true;
      delete handedAwayHere[id];
      say("対応を引き継ぎました" + (previous ? "（前の担当: " + previous + "）" : "") + "。");
      openConversation(id);
    } catch (e) {
      var problem = transferProblem(e, true);
      if (problem) { say("引き継げませんでした：" + problem); }
    } finally {
      if (button) { button.disabled = false; }
      pollActive();
    }
  }

  // --- Emergency alert: title flash and a short beep ---------------------------------------------
  function unlockAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      if (!audio) { audio = new Context(); }
      if (audio.state === "suspended") { audio.resume(); }
    } catch (e) { audio = null; }
  }
  document.addEventListener("pointerdown", unlockAudio, { passive: true });
  document.addEventListener("keydown", unlockAudio);

  function beep() {
    unlockAudio();
    if (!audio) { return; }
    try {
      var start = audio.currentTime + 0.01;
      [0, 0.22].forEach(function (offset) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(start + offset);
        osc.stop(start + offset + 0.2);
      });
    } catch (e) { /* no sound, the title and banner still show it */ }
  }

  // The server's "alert" frame: an emergency or high conversation has waited past its limit, unclaimed.
  function overdueText(entry, frame) {
    var since = entry.waiting_since || frame.waiting_since;
    return (URGENCY[entry.urgency] || URGENCY[frame.urgency] || "") + "・" + concernText(entry.concerns) +
      (since ? "（待ち " + minutesWaiting(since) + "）" : "");
  }

  function updateBanner(freshCount) {
    var alert = $("alert");
    var late = Object.keys(overdue).map(function (id) { return overdue[id]; });
    var waitingEmergencies = Object.keys(knownEmergencies).length;
    if (late.length) {
      bannerKind = "overdue";
      setText(alert, "【至急】待ち時間が長くなっています：" + late.join("、") +
        "。まだ誰も対応していません。一覧の印のついた行から対応してください。");
    } else if (freshCount) {
      bannerKind = "fresh";
      setText(alert, "緊急の相談が" + freshCount + "件、新しく入りました。一覧の赤い行を確認してください。");
    } else if (!waitingEmergencies) {
      bannerKind = null;
    } else if (bannerKind === "overdue") {
      bannerKind = "waiting";
      setText(alert, "緊急の相談が" + waitingEmergencies + "件、待っています。一覧の赤い行を確認してください。");
    }
    alert.hidden = bannerKind === null;
    alert.classList.toggle("alert-overdue", bannerKind === "overdue");
  }

  // The queue could not be checked: an alert from the server is shown anyway rather than held back.
  function raisePendingAlerts() {
    var ids = Object.keys(pendingAlerts);
    if (!ids.length) { return; }
    ids.forEach(function (id) {
      var frame = pendingAlerts[id];
      if (!overdue[id]) { overdue[id] = overdueText({ urgency: frame.urgency, concerns: [] }, frame); }
      delete pendingAlerts[id];
    });
    updateBanner(0);
    signal(OVERDUE_TITLES);
  }

  function signal(titles) {
    beep();
    if (flashTimer) { clearInterval(flashTimer); flashTimer = null; }
    var i = 0;
    document.title = titles[0];
    flashTimer = setInterval(function () {
      i += 1;
      document.title = titles[i % titles.length];
    }, 1000);
  }

  function stopFlash() {
    if (flashTimer) { clearInterval(flashTimer); flashTimer = null; }
    document.title = BASE_TITLE;
    if (!Object.keys(knownEmergencies).length && !Object.keys(overdue).length) {
      bannerKind = null;
      $("alert").hidden = true;
    }
  }
  // Acknowledged when the counselor comes back to the tab and touches it.
  $("alert").addEventListener("click", stopFlash);
  window.addEventListener("focus", function () { if (flashTimer) { setTimeout(stopFlash, 5000); } });

  // --- One conversation -------------------------------------------------------------------------
  function openConversation(id) {
    if (openId !== id) {
      openId = id;
      rendered = {};
      $("transcript").textContent = "";
      $("close-form").reset();
      $("transfer-form").reset();
      $("transfer-error").hidden = true;
      $("reply-input").value = "";
      current = null;
      placesKey = null;
      placesAt = 0;
      placesSeq += 1;
      $("places").textContent = "";
      setText($("places-status"), "読み込み中…");
      triageKey = null;
      $("triage-list").textContent = "";
      $("triage-count").textContent = "0";
      // A draft note or consent question never follows the counselor to another conversation.
      notesKey = null;
      $("notes-list").textContent = "";
      $("notes-empty").hidden = false;
      $("note-form").reset();
      $("note-error").hidden = true;
      consentKey = null;
      $("consent-list").textContent = "";
      $("consent-count").textContent = "0";
      $("consent-form").reset();
      $("consent-error").hidden = true;
      $("consent-panel").hidden = true;
      hideUserTyping();
    }
    session.open = id;
    save();
    refreshActiveMarks();
    $("conversation").hidden = false;
    $("conv-title").textContent = "相談 " + id.slice(0, 8);
    pollConversation(true);
  }

  function closeView() {
    clearTimeout(conversationTimer);
    openId = null;
    if (session) { session.open = null; save(); }
    $("conversation").hidden = true;
    current = null;
    hideUserTyping();
    refreshActiveMarks();
  }

  function refreshActiveMarks() { if (activeLoaded && session) { renderActive(activeEntries); } }
  $("conv-dismiss").addEventListener("click", closeView);

  // Times are shown in Asia/Tokyo (UTC+9 all year), whatever the machine's own time zone.
  function tokyo(ts) { return new Date(ts + TOKYO_OFFSET_MS); }
  function pad(n) { return ("0" + n).slice(-2); }
  function time(ts) {
    var d = tokyo(ts);
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }
  function sameTokyoDay(a, b) { return tokyo(a).toISOString().slice(0, 10) === tokyo(b).toISOString().slice(0, 10); }
  // HH:MM, with the date in front when it was not today.
  function timeWithDay(ts) {
    var d = tokyo(ts);
    return (sameTokyoDay(ts, Date.now() + clockOffset) ? "" : (d.getUTCMonth() + 1) + "/" + d.getUTCDate() + " ") + time(ts);
  }

  // Like the queue: overlapping calls coalesce. A closed conversation is not polled, but a frame about
  // it (she wrote again) still refreshes it.
  async function pollConversation(scroll) {
    clearTimeout(conversationTimer); conversationTimer = null;
    if (scroll === true) { conversationScroll = true; }
    if (!openId || !session) { return; }
    if (conversationBusy) { conversationAgain = true; return; }
    conversationBusy = true;
    var id = null, closedView = false;
    try {
      do {
        conversationAgain = false;
        id = openId;
        closedView = false;
        if (!id || !session) { return; }
        var follow = conversationScroll;
        conversationScroll = false;
        try {
          var body = await api("GET", "/api/conversations/" + encodeURIComponent(id));
          if (id === openId) { renderConversation(body, follow); }
          closedView = body.state === "closed";
          if (conversationError) { conversationError = false; clearStatus("相談を更新できません"); }
        } catch (e) {
          if (e.status === 401) { return; }
          if (e.status === 404) {
            say("この相談は見つかりません（保存期間を過ぎた可能性があります）。");
            pollActive();
            if (id === openId) { closeView(); }
            if (!openId) { return; }
            conversationAgain = true;
            continue;
          }
          conversationError = true;
          say("相談を更新できません（" + (e.status || "ネットワーク") + "）。再試行します。");
        }
      } while (conversationAgain || id !== openId);
    } finally {
      conversationBusy = false;
    }
    if (openId === id && session && !closedView) {
      conversationTimer = setTimeout(pollConversation, live ? LIVE_POLL_MS : CONVERSATION_POLL_MS);
    }
  }

  function renderConversation(c, scroll) {
    var mine = c.state === "human" && (c.holder === session.user || session.role === "supervisor");
    var canReply = c.state === "human" && c.holder === session.user;
    $("conv-meta").textContent = (STATES[c.state] || c.state) +
      (c.holder ? "・担当 " + c.holder : "") + "・" + (CHANNELS[c.channel] || c.channel || "");
    var tags = $("conv-tags");
    tags.textContent = "";
    var badge = document.createElement("span");
    badge.className = "badge urgency-" + c.urgency;
    badge.textContent = URGENCY[c.urgency] || c.urgency;
    tags.appendChild(badge);
    tags.appendChild(document.createTextNode(" " + concernText(c.concerns) +
      ((c.factors || []).length ? "｜" + c.factors.join("、") : "")));

    var list = $("transcript");
    var follow = scroll || list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
    var firstRender = !current || current.id !== c.conversation_id;
    (c.messages || []).forEach(function (m) {
      if (rendered[m.id]) { return; }
      rendered[m.id] = true;
      if (m.role === "user" && !firstRender) { hideUserTyping(); }  // what she was typing has arrived
      var li = document.createElement("li");
      li.className = "line role-" + m.role;
      li.setAttribute("data-role", m.role);
      var head = document.createElement("span");
      head.className = "line-head";
      head.textContent = (ROLES[m.role] || m.role) + "  " + time(m.ts);
      var text = document.createElement("p");
      text.className = "line-text";
      text.textContent = m.text;
      li.appendChild(head);
      li.appendChild(text);
      list.appendChild(li);
    });
    if (follow) { list.scrollTop = list.scrollHeight; }

    $("reply-input").disabled = !canReply;
    $("reply-send").disabled = !canReply || sendingReply;
    $("release").disabled = !mine;
    $("close-submit").disabled = !mine;
    $("close-outcome").disabled = !mine;
    $("close-note").disabled = !mine;
    $("transfer-fieldset").disabled = !mine;
    var overseeing = c.state === "human" && isSupervisor() && c.holder !== session.user;
    $("conv-takeover-row").hidden = !overseeing;
    var holderChanged = current && current.id === c.conversation_id && current.holder !== (c.holder || "");
    if (holderChanged && current.holder === session.user && c.state === "human" && c.holder &&
        c.holder !== session.user && !handedAwayHere[c.conversation_id]) {
      say("この相談は " + c.holder + " さんが引き継ぎました。あなたからは返信できなくなりました。");
    }
    current = { id: c.conversation_id, state: c.state, holder: c.holder || "" };
    if (holderChanged) { refreshActiveMarks(); }
    var note = $("conv-note");
    if (c.state === "closed" || c.state === "bot") {
      note.textContent = c.state === "closed" ? "この相談は終了しています。" : "この相談はボットに戻っています。";
      note.hidden = false;
      $("conv-dismiss").hidden = false;
    } else if (overseeing) {
      note.textContent = c.holder + " さんが対応中です。返信するには「引き継ぐ（自分が対応）」を押してください。";
      note.hidden = false;
      $("conv-dismiss").hidden = false;
    } else if (c.state === "human" && !mine) {
      note.textContent = "ほかの相談員（" + c.holder + "）が対応中です。";
      note.hidden = false;
      $("conv-dismiss").hidden = false;
    } else if (c.state === "waiting") {
      note.textContent = "順番待ちです。返信するには一覧から「対応する」を押してください。";
      note.hidden = false;
      $("conv-dismiss").hidden = false;
    } else {
      note.hidden = true;
      $("conv-dismiss").hidden = true;
    }
    renderTriageHistory(c.triage_history || []);
    renderNotes(c.notes || []);
    renderConsents(c.consents || [], canReply);
    refreshPlaces(c);
  }

  // --- Private notes for the team (she never sees them), oldest first like the transcript -----------
  function renderNotes(notes, scroll) {
    var last = notes[notes.length - 1];
    var key = notes.length + "|" + (last ? last.ts : "") + "|" + tokyo(Date.now() + clockOffset).toISOString().slice(0, 10);
    $("notes-empty").hidden = notes.length > 0;
    if (key === notesKey) { return; }
    var grew = notesKey !== null && notes.length > $("notes-list").children.length;
    notesKey = key;
    var list = $("notes-list");
    var follow = scroll || grew || list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
    list.textContent = "";
    notes.forEach(function (note) {
      if (!note || typeof note.text !== "string") { return; }
      var li = document.createElement("li");
      li.className = "note";
      li.setAttribute("data-testid", "note-entry");
      var head = document.createElement("div");
      head.className = "note-head";
      var author = document.createElement("span");
      author.className = "note-author";
      author.textContent = (note.author || "—") + (session && note.author === session.user ? "（あなた）" : "");
      var when = document.createElement("time");
      when.className = "note-time";
      if (typeof note.ts === "number") {
        when.textContent = timeWithDay(note.ts);
        when.setAttribute("datetime", new Date(note.ts).toISOString());
      } else {
        when.textContent = "—";
      }
      head.appendChild(author);
      head.appendChild(when);
      var text = document.createElement("p");
      text.className = "note-text";
      text.textContent = note.text;
      li.appendChild(head);
      li.appendChild(text);
      list.appendChild(li);
    });
    if (follow) { list.scrollTop = list.scrollHeight; }
  }

  async function addNote() {
    var input = $("note-input");
    var text = input.value;
    var error = $("note-error");
    if (noteBusy || !openId) { return; }
    if (!text.trim()) { input.focus(); return; }
    var id = openId;
    noteBusy = true;
    error.hidden = true;
    $("note-submit").disabled = true;
    try {
      await api("POST", "/api/conversations/" + encodeURIComponent(id) + "/notes", { text: text });
      if (openId === id && input.value === text) { input.value = ""; }
    } catch (e) {
      if (e.status !== 401 && openId === id) {
        error.textContent = e.status === 404 ? "この相談が見つからないため、メモを保存できませんでした。"
          : e.status === 413 ? "メモが長すぎます。短くしてください。"
          : e.status === 403 ? "操作が拒否されました。ページを読み込み直して、ログインし直してください。"
          : "メモを保存できませんでした（" + (e.status || "ネットワーク") + "）。もう一度押してください。";
        error.hidden = false;
      }
    } finally {
      noteBusy = false;
      $("note-submit").disabled = false;
      if (openId === id) { pollConversation(); }
    }
  }
  $("note-form").addEventListener("submit", function (event) { event.preventDefault(); addNote(); });
  $("note-input").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      addNote();
    }
  });

  // --- Consent before sharing: asked by the holder, answered by her in the chat ---------------------
  // Nothing may be passed on without 「同意あり」, and then only to that place for that purpose.
  var CONSENT_STATUS = {
    pending: { label: "回答待ち", rule: "まだ伝えないでください。" },
    yes: { label: "同意あり", rule: "この伝える先に、この目的でのみ伝えられます。" },
    no: { label: "同意なし", rule: "伝えないでください。" }
  };

  function consentStatus(record) {
    return record.answer === true ? "yes" : record.answer === false ? "no" : "pending";
  }

  function renderConsents(consents, held) {
    // Anyone viewing sees the records (check them before passing anything on); only the holder asks.
    $("consent-panel").hidden = !held && consents.length === 0;
    $("consent-form").hidden = !held;
    if ($("consent-panel").hidden) { return; }
    var lastRecord = consents[consents.length - 1];
    $("consent-pending-hint").hidden = !(lastRecord && consentStatus(lastRecord) === "pending");
    $("consent-count").textContent = String(consents.length);
    $("consent-empty").hidden = consents.length > 0;
    var key = JSON.stringify(consents) + "|" + tokyo(Date.now() + clockOffset).toISOString().slice(0, 10);
    if (key === consentKey) { return; }
    consentKey = key;
    var list = $("consent-list");
    list.textContent = "";
    consents.forEach(function (record, index) {
      if (!record) { return; }
      var status = consentStatus(record);
      // Her answer is recorded on the latest question only: an earlier one left open stays unanswered.
      var superseded = status === "pending" && index < consents.length - 1;
      var li = document.createElement("li");
      li.className = "consent-record";
      li.setAttribute("data-testid", "consent-record");
      li.setAttribute("data-status", status);
      var top = document.createElement("div");
      top.className = "consent-top";
      var badge = document.createElement("span");
      badge.className = "consent-status consent-" + status;
      badge.setAttribute("data-testid", "consent-status");
      badge.textContent = CONSENT_STATUS[status].label;
      var rule = document.createElement("span");
      rule.className = "consent-rule-short";
      rule.textContent = CONSENT_STATUS[status].rule;
      top.appendChild(badge);
      top.appendChild(rule);
      li.appendChild(top);
      var facts = document.createElement("dl");
      facts.className = "consent-facts";
      addFact(facts, "伝える先", record.to || "—");
      addFact(facts, "目的", record.purpose || "—");
      addFact(facts, "確認した人", (record.asked_by || "—") + (record.asked_by === session.user ? "（あなた）" : "") +
        (typeof record.asked_at === "number" ? "・" + timeWithDay(record.asked_at) : ""));
      if (status !== "pending" && typeof record.answered_at === "number") {
        addFact(facts, "回答", timeWithDay(record.answered_at));
      }
      li.appendChild(facts);
      if (superseded) {
        var note = document.createElement("p");
        note.className = "consent-superseded small";
        note.textContent = "後から別の確認を送ったため、この確認への答えは記録されません。必要ならもう一度確認してください。";
        li.appendChild(note);
      }
      list.insertBefore(li, list.firstChild);  // newest first
    });
  }

  function addFact(list, term, value) {
    var dt = document.createElement("dt");
    dt.textContent = term;
    var dd = document.createElement("dd");
    dd.textContent = value;
    list.appendChild(dt);
    list.appendChild(dd);
  }

  $("consent-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    if (consentBusy || !openId) { return; }
    var id = openId;
    var to = $("consent-to").value.trim();
    var purpose = $("consent-purpose").value.trim();
    var error = $("consent-error");
    error.hidden = true;
    if (!to) { $("consent-to").focus(); return; }
    if (!purpose) { $("consent-purpose").focus(); return; }
    consentBusy = true;
    $("consent-submit").disabled = true;
    try {
      await api("POST", "/api/conversations/" + encodeURIComponent(id) + "/consent", { to: to, purpose: purpose });
      if (openId === id) { $("consent-form").reset(); }
      say("相談者に確認を送りました。答えが届くと「確認の記録」に表示されます。");
    } catch (e) {
      if (e.status !== 401 && openId === id) {
        error.textContent = e.status === 409 ? "この相談はいま対応中ではないため、確認を送れませんでした。"
          : e.status === 403 ? "この相談を担当していないか、操作が拒否されました（ページを読み込み直してください）。"
          : e.status === 400 ? "伝える先と目的を書いてください。"
          : "確認を送れませんでした（" + (e.status || "ネットワーク") + "）。もう一度押してください。";
        error.hidden = false;
      }
    } finally {
      consentBusy = false;
      $("consent-submit").disabled = false;
      if (openId === id) { pollConversation(true); }
    }
  });

  // --- Triage history: one entry per triaged message of hers, newest first (no text) ----------------
  function renderTriageHistory(history) {
    var last = history[history.length - 1];
    var key = history.length + "|" + (last ? last.ts : "") + "|" + tokyo(Date.now() + clockOffset).toISOString().slice(0, 10);
    $("triage-count").textContent = String(history.length);
    $("triage-empty").hidden = history.length > 0;
    if (key === triageKey) { return; }
    triageKey = key;
    var list = $("triage-list");
    list.textContent = "";
    history.slice().reverse().forEach(function (entry) {
      var li = document.createElement("li");
      li.className = "triage-entry";
      li.setAttribute("data-testid", "triage-entry");
      if (entry.urgency) { li.setAttribute("data-urgency", entry.urgency); }
      var top = document.createElement("div");
      top.className = "triage-top";
      var when = document.createElement("time");
      when.className = "triage-time";
      if (typeof entry.ts === "number") {
        when.textContent = timeWithDay(entry.ts);
        when.setAttribute("datetime", new Date(entry.ts).toISOString());
      } else {
        when.textContent = "—";
      }
      var badge = document.createElement("span");
      badge.className = "badge urgency-" + (entry.urgency || "low");
      badge.textContent = URGENCY[entry.urgency] || entry.urgency || "—";
      top.appendChild(when);
      top.appendChild(badge);
      if (entry.handoff) {
        var flag = document.createElement("span");
        flag.className = "triage-handoff";
        flag.textContent = "相談員へ";
        top.appendChild(flag);
      }
      if (entry.intent && entry.intent !== "out_of_scope") {  // (also what the fallback triage says: no information)
        var intent = document.createElement("span");
        intent.className = "triage-intent";
        intent.textContent = INTENTS[entry.intent] || entry.intent;
        top.appendChild(intent);
      }
      li.appendChild(top);
      var concerns = document.createElement("div");
      concerns.className = "triage-concerns";
      concerns.textContent = concernText(entry.concerns);
      li.appendChild(concerns);
      if ((entry.factors || []).length) {
        var factors = document.createElement("ul");
        factors.className = "factors";
        entry.factors.forEach(function (f) {
          var item = document.createElement("li");
          item.textContent = f;
          factors.appendChild(item);
        });
        li.appendChild(factors);
      }
      list.appendChild(li);
    });
  }

  // --- 「今つながる窓口」: lines that fit her concerns and are open now; one click puts one in the reply ---
  // Asked again when her concerns or urgency change, and every few minutes (a line may close).
  function refreshPlaces(c) {
    var key = c.conversation_id + "|" + (c.concerns || []).slice().sort().join(",") + "|" + c.urgency;
    if (key === placesKey && Date.now() - placesAt < PLACES_MAX_AGE_MS) { return; }
    var changed = placesKey !== null && key !== placesKey;
    placesKey = key;
    placesAt = Date.now();
    loadPlaces(c.conversation_id, key, changed);
  }

  async function loadPlaces(id, key, changed) {
    var seq = ++placesSeq;
    try {
      var body = await api("GET", "/api/conversations/" + encodeURIComponent(id) + "/places");
      if (seq !== placesSeq || id !== openId) { return; }
      renderPlaces(body.places || [], changed);
    } catch (e) {
      if (seq !== placesSeq || id !== openId || e.status === 401) { return; }
      placesKey = null;  // try again with the next refresh of the conversation
      setText($("places-status"), "窓口を読み込めませんでした（" + (e.status || "ネットワーク") + "）。");
    }
  }

  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }

  function renderPlaces(places, changed) {
    var list = $("places");
    list.textContent = "";
    places.forEach(function (place) {
      if (!place || typeof place.text !== "string") { return; }
      var li = document.createElement("li");
      li.className = "place";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "place-insert";
      button.setAttribute("data-testid", "place-insert");
      button.setAttribute("data-place-id", place.id || "");
      button.setAttribute("aria-label", "返信欄に入れる：" + place.text);
      var name = document.createElement("span");
      name.className = "place-name";
      name.textContent = place.name || "";
      var detail = document.createElement("span");
      detail.className = "place-detail";
      detail.textContent = [place.phone, place.hours].filter(Boolean).join("　");
      var action = document.createElement("span");
      action.className = "place-action";
      action.textContent = "＋ 返信欄に入れる";
      button.appendChild(name);
      if (detail.textContent) { button.appendChild(detail); }
      button.appendChild(action);
      button.addEventListener("click", function () { insertIntoReply(place.text); });
      li.appendChild(button);
      var url = safeUrl(place.url);
      if (url) {
        var link = document.createElement("a");
        link.className = "place-link";
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.textContent = "サイトを見る";
        link.setAttribute("aria-label", (place.name || "") + "のサイト（新しいタブ）");
        li.appendChild(link);
      }
      list.appendChild(li);
    });
    setText($("places-status"), !list.children.length ? "いま受付中で、この相談に合う窓口は見つかりません。"
      : changed ? "相談内容が変わったので、窓口を更新しました（" + time(Date.now() + clockOffset) + "）。" : "");
  }

  // At the cursor (or at the end), on a line of its own; the counselor reads it over before sending.
  function insertIntoReply(text) {
    var input = $("reply-input");
    var value = input.value;
    var start = typeof input.selectionStart === "number" ? input.selectionStart : value.length;
    var end = typeof input.selectionEnd === "number" ? input.selectionEnd : value.length;
    var before = value.slice(0, start), after = value.slice(end);
    var insert = (before && !/\n$/.test(before) ? "\n" : "") + text + (after && !/^\n/.test(after) ? "\n" : "");
    var limit = parseInt(input.getAttribute("maxlength"), 10) || 2000;
    if ((before + insert + after).length > limit) { say("返信欄に入りきりません。先に送るか、短くしてください。"); return; }
    input.value = before + insert + after;
    var caret = before.length + insert.length - (after && !/^\n/.test(after) ? 1 : 0);
    if (!input.disabled) {
      input.focus();
      input.setSelectionRange(caret, caret);
      noteTyping();
    }
  }

  // --- Typing, both ways ----------------------------------------------------------------------------
  function noteTyping() {
    if (!openId || !current || current.id !== openId || current.state !== "human" || current.holder !== session.user) { return; }
    var now = Date.now();
    if (typingSentFor === openId && now - typingSentAt < TYPING_EVERY_MS) { return; }
    typingSentFor = openId;
    typingSentAt = now;
    api("POST", "/api/conversations/" + encodeURIComponent(openId) + "/typing").catch(function () {
      /* a lost typing signal does not matter */
    });
  }
  $("reply-input").addEventListener("input", noteTyping);

  function showUserTyping() {
    $("user-typing").hidden = false;
    clearTimeout(userTypingTimer);
    userTypingTimer = setTimeout(hideUserTyping, USER_TYPING_MS);
  }

  function hideUserTyping() {
    clearTimeout(userTypingTimer);
    userTypingTimer = null;
    $("user-typing").hidden = true;
  }

  // --- Hand over to a colleague (a supervisor may also move anyone's) -------------------------------
  $("transfer-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!openId) { return; }
    var id = openId;
    var to = $("transfer-to").value.trim();
    var error = $("transfer-error");
    error.hidden = true;
    if (!to) { $("transfer-to").focus(); return; }
    if (current && current.id === id && current.holder === to) {
      error.textContent = to + " さんがすでに担当しています。";
      error.hidden = false;
      return;
    }
    $("transfer-submit").disabled = true;
    try {
      var body = await api("POST", "/api/conversations/" + encodeURIComponent(id) + "/transfer", { to: to });
      if (to === session.user) { takenHere[id] = true; } else { handedAwayHere[id] = true; }
      $("transfer-form").reset();
      say((body && body.holder || to) + " さんに引き継ぎました。");
    } catch (e) {
      var problem = transferProblem(e, to === session.user);
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
      }
    } finally {
      $("transfer-submit").disabled = false;
      pollConversation();
      pollActive();
    }
  });

  $("conv-takeover").addEventListener("click", function () { if (openId) { takeOver(openId, this); } });

  // Reply
  async function sendReply() {
    var input = $("reply-input");
    var text = input.value;
    if (sendingReply || !text.trim() || !openId) { return; }
    sendingReply = true;
    $("reply-send").disabled = true;
    try {
      await api("POST", "/api/conversations/" + encodeURIComponent(openId) + "/messages", { text: text });
      input.value = "";
      say("");
    } catch (e) {
      if (e.status === 409) { say("この相談は対応中ではないため、送れませんでした。"); }
      else if (e.status === 413) { say("長すぎて送れませんでした。分けて送ってください。"); }
      else if (e.status !== 401) { say("送れませんでした（" + (e.status || "ネットワーク") + "）。もう一度送ってください。"); }
    } finally {
      sendingReply = false;
      $("reply-send").disabled = false;
      pollConversation(true);
    }
  }
  $("reply-form").addEventListener("submit", function (event) { event.preventDefault(); sendReply(); });
  $("reply-input").addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) { return; }
    event.preventDefault();
    sendReply();
  });

  // Release to the bot
  $("release").addEventListener("click", async function () {
    if (!openId) { return; }
    var id = openId;
    this.disabled = true;
    try {
      await api("POST", "/api/conversations/" + encodeURIComponent(id) + "/release");
      say("ボットに戻しました。相談者にはそのことが伝わります。");
      pollActive();
    } catch (e) {
      if (e.status !== 401) { say("ボットに戻せませんでした（" + (e.status || "ネットワーク") + "）。"); }
    }
    pollConversation();
  });

  // Close with an outcome
  $("close-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!openId) { return; }
    var id = openId;
    var outcome = $("close-outcome").value;
    if (!outcome) { say("終了の結果を選んでください。"); $("close-outcome").focus(); return; }
    $("close-submit").disabled = true;
    try {
      await api("POST", "/api/conversations/" + encodeURIComponent(id) + "/close",
        { outcome: outcome, note: $("close-note").value });
      say("相談を終了しました。");
      $("close-form").reset();
      pollActive();
    } catch (e) {
      if (e.status !== 401) { say("終了できませんでした（" + (e.status || "ネットワーク") + "）。"); }
    }
    pollConversation();
  });

  // --- Start: a reload keeps the login of this tab if the cookie is still good. --------------------
  if (session && session.csrf) {
    enterDesk();
  } else {
    session = null;
    $("login").hidden = false;
  }
})();
