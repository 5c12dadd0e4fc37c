/* Akari counselor console. Plain JS, no dependencies.
 * The session cookie is HttpOnly; the CSRF token from the login answer goes on every POST.
 * Live updates come over the WebSocket /api/console/events (typed, numbered frames, no message text);
 * every frame refreshes the queue at once. Polling stays as a slower fallback, faster while the socket is down. */
(function () {
  "use strict";

  var QUEUE_POLL_MS = 3000;               // while the live socket is down
  var CONVERSATION_POLL_MS = 2000;
  var LIVE_POLL_MS = 15000;               // fallback while it is up (frames do the real work)
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

  function $(id) { return document.getElementById(id); }

  var session = load();          // {user, role, csrf, open, held: []}
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
      session = { user: body.user, role: body.role, csrf: body.csrf_token, open: null, held: [] };
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
    renderHeld();
    pollQueue();
    if (session.open) { openConversation(session.open); }
    connectEvents();
  }

  function stopPolling() {
    clearTimeout(queueTimer); queueTimer = null;
    clearTimeout(conversationTimer); conversationTimer = null;
  }

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
    if (frame.type === "alert" && typeof frame.conversation_id === "string") {
      pendingAlerts[frame.conversation_id] = frame;
    }
    pollQueue();
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
      if (session.held.indexOf(id) < 0) { session.held.push(id); }
      save();
      renderHeld();
      say("対応を始めました。");
      openConversation(id);
      pollQueue();
    } catch (e) {
      button.disabled = false;
      if (e.status === 409 && /most/.test(e.message)) { say("同時に対応できる数の上限です。どれかを終えてから対応してください。"); }
      else if (e.status === 409) { say("この相談は、ほかの相談員がすでに対応しています。"); pollQueue(); }
      else if (e.status === 403) { say("操作が拒否されました。ページを読み込み直して、ログインし直してください。"); }
      else if (e.status !== 401) { say("対応を始められませんでした（" + (e.status || "ネットワーク") + "）。"); }
    }
  }

  function renderHeld() {
    var list = $("held");
    list.textContent = "";
    var held = (session && session.held) || [];
    $("held-title").hidden = held.length === 0;
    held.forEach(function (id) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = "相談 " + id.slice(0, 8) + (id === openId ? "（表示中）" : "");
      button.addEventListener("click", function () { openConversation(id); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function forgetHeld(id) {
    if (!session || session.held.indexOf(id) < 0) { return; }
    session.held = session.held.filter(function (h) { return h !== id; });
    save();
    renderHeld();
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
      $("reply-input").value = "";
    }
    session.open = id;
    save();
    renderHeld();
    $("conversation").hidden = false;
    $("conv-title").textContent = "相談 " + id.slice(0, 8);
    pollConversation(true);
  }

  function closeView() {
    clearTimeout(conversationTimer);
    openId = null;
    if (session) { session.open = null; save(); }
    $("conversation").hidden = true;
    renderHeld();
  }
  $("conv-dismiss").addEventListener("click", closeView);

  function time(ts) {
    var d = new Date(ts);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
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
            forgetHeld(id);
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
    (c.messages || []).forEach(function (m) {
      if (rendered[m.id]) { return; }
      rendered[m.id] = true;
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
    var note = $("conv-note");
    if (c.state === "closed" || c.state === "bot") {
      note.textContent = c.state === "closed" ? "この相談は終了しています。" : "この相談はボットに戻っています。";
      note.hidden = false;
      $("conv-dismiss").hidden = false;
      forgetHeld(c.conversation_id);
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
  }

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
      forgetHeld(id);
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
      forgetHeld(id);
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
