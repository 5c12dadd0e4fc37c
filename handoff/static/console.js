/* Akari counselor console. Plain JS, no dependencies.
 * The session cookie is HttpOnly; the CSRF token from the login answer goes on every POST. */
(function () {
  "use strict";

  var QUEUE_POLL_MS = 3000;
  var CONVERSATION_POLL_MS = 2000;
  var STORE_KEY = "akari.console";
  var BASE_TITLE = "Akari 相談員コンソール";
  var ALERT_TITLES = ["【緊急】Akari", "【緊急】待っている人がいます"];

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
    renderHeld();
    pollQueue();
    if (session.open) { openConversation(session.open); }
  }

  function stopPolling() {
    clearTimeout(queueTimer); queueTimer = null;
    clearTimeout(conversationTimer); conversationTimer = null;
  }

  // --- The queue ------------------------------------------------------------------------------------
  async function pollQueue() {
    clearTimeout(queueTimer);
    if (!session) { return; }
    try {
      var body = await api("GET", "/api/queue");
      renderQueue(body.queue || []);
    } catch (e) {
      if (e.status === 401) { return; }
      say("一覧を更新できません（" + (e.status || "ネットワーク") + "）。再試行します。");
    }
    if (session) { queueTimer = setTimeout(pollQueue, QUEUE_POLL_MS); }
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
      '<div class="concerns"></div><ul class="factors"></ul>' +
      '<button type="button" class="claim" data-testid="claim-button">対応する</button>';
    row.querySelector(".claim").addEventListener("click", function () { claim(id, this); });
    return row;
  }

  function renderQueue(entries) {
    var list = $("queue");
    var rows = {};
    Array.prototype.forEach.call(list.children, function (row) { rows[row.getAttribute("data-conversation-id")] = row; });
    var emergencies = {}, fresh = [];
    entries.forEach(function (entry, index) {
      var id = entry.conversation_id;
      var row = rows[id] || queueRow(id);
      delete rows[id];
      row.setAttribute("data-urgency", entry.urgency);
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
    if (fresh.length) { raiseAlert(fresh.length); }
    if (!Object.keys(emergencies).length) { stopFlash(); }
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

  function raiseAlert(count) {
    var alert = $("alert");
    alert.textContent = "緊急の相談が" + count + "件、新しく入りました。一覧の赤い行を確認してください。";
    alert.hidden = false;
    beep();
    stopFlash();
    var i = 0;
    document.title = ALERT_TITLES[0];
    flashTimer = setInterval(function () {
      i += 1;
      document.title = ALERT_TITLES[i % ALERT_TITLES.length];
    }, 1000);
  }

  function stopFlash() {
    if (flashTimer) { clearInterval(flashTimer); flashTimer = null; }
    document.title = BASE_TITLE;
    if (!Object.keys(knownEmergencies).length) { $("alert").hidden = true; }
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

  async function pollConversation(scroll) {
    clearTimeout(conversationTimer);
    var id = openId;
    var closedView = false;
    if (!id || !session) { return; }
    try {
      var body = await api("GET", "/api/conversations/" + encodeURIComponent(id));
      if (id === openId) { renderConversation(body, scroll); }
      closedView = body.state === "closed";
    } catch (e) {
      if (e.status === 401) { return; }
      if (e.status === 404) { say("この相談は見つかりません（保存期間を過ぎた可能性があります）。"); forgetHeld(id); closeView(); return; }
      say("相談を更新できません（" + (e.status || "ネットワーク") + "）。再試行します。");
    }
    if (openId === id && !closedView) { conversationTimer = setTimeout(pollConversation, CONVERSATION_POLL_MS); }
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
