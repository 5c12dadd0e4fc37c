/* Akari statistics page (an ES module, no build step); charts are SVG built here. Labels are the console's
 * (console/labels.js). Reads GET /api/stats (counts and times only, never message text) with the session cookie. */
import { CONCERNS, OUTCOMES, URGENCY, URGENCY_ORDER, knownRows } from "./console/labels.js";
import { addDays, axis, count, dailyPoints, duration, hourPoints, japaneseDay, parseDay, todayInTokyo } from
  "./stats-report.js";

var SVG_NS = "http://www.w3.org/2000/svg";
function $(id) { return document.getElementById(id); }
function setText(id, text) { $(id).textContent = text; }

var shown = null;              // {data, from, to} of the report on screen, for redrawing on resize
var loading = 0;               // the number of the latest request; older answers are ignored

// --- SVG ------------------------------------------------------------------------------------------
function svgEl(name, attrs, text) {
  var node = document.createElementNS(SVG_NS, name);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
  if (text !== undefined) { node.textContent = text; }
  return node;
}
function newSvg(width, height, label) {
  return svgEl("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "img",
    "aria-label": label, focusable: "false" });
}
function widthOf(container) { return Math.max(280, Math.floor(container.clientWidth || 640)); }

// Vertical bars: points = [{label, value, title}]; label is shown under every k-th bar.
function columnChart(container, points, name) {
  var width = widthOf(container), height = 230;
  var left = 40, right = 8, top = 18, bottom = 30;
  var plotW = width - left - right, plotH = height - top - bottom;
  var max = Math.max.apply(null, points.map(function (p) { return p.value; }).concat([0]));
  var total = points.reduce(function (a, p) { return a + p.value; }, 0);
  var peak = points.filter(function (p) { return p.value === max && max > 0; })[0];
  var svg = newSvg(width, height, name + "：合計" + count(total) + "件" +
    (peak ? "、最も多いのは" + peak.title.split("：")[0] + "の" + count(max) + "件" : ""));
  var a = axis(max);
  for (var v = 0; v <= a.top; v += a.step) {
    var y = top + plotH - (v / a.top) * plotH;
    svg.appendChild(svgEl("line", { x1: left, x2: width - right, y1: y, y2: y, "class": v ? "grid" : "baseline" }));
    svg.appendChild(svgEl("text", { x: left - 6, y: y + 4, "class": "tick", "text-anchor": "end" }, count(v)));
  }
  var band = plotW / Math.max(1, points.length);
  var barW = Math.max(1, Math.min(40, band * 0.72));
  var every = Math.max(1, Math.ceil(points.length / Math.max(1, Math.floor(plotW / 46))));
  points.forEach(function (p, i) {
    var h = (p.value / a.top) * plotH;
    var x = left + i * band + (band - barW) / 2;
    var bar = svgEl("rect", { x: x, y: top + plotH - h, width: barW, height: Math.max(0, h), "class": "bar" });
    bar.appendChild(svgEl("title", {}, p.title + " " + count(p.value) + "件"));
    svg.appendChild(bar);
    if (p.value > 0 && band >= 20) {
      svg.appendChild(svgEl("text", { x: x + barW / 2, y: top + plotH - h - 4, "class": "value",
        "text-anchor": "middle" }, count(p.value)));
    }
    if (i % every === 0) {
      svg.appendChild(svgEl("text", { x: left + i * band + band / 2, y: height - 10, "class": "tick",
        "text-anchor": "middle" }, p.label));
    }
  });
  container.replaceChildren(svg);
}

// Horizontal bars: rows = [{label, value, cls}], in the order given.
function barChart(container, rows, name) {
  var width = widthOf(container);
  var rowH = 30, top = 6;
  var labelW = Math.min(170, 16 + Math.max.apply(null, rows.map(function (r) { return r.label.length; })) * 15);
  var valueW = 64;
  var height = top * 2 + rows.length * rowH;
  var plotW = Math.max(40, width - labelW - valueW);
  var max = Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
  var svg = newSvg(width, height, name + "：" + rows.map(function (r) { return r.label + " " + count(r.value) + "件"; }).join("、"));
  svg.appendChild(svgEl("line", { x1: labelW, x2: labelW, y1: top, y2: height - top, "class": "baseline" }));
  rows.forEach(function (r, i) {
    var y = top + i * rowH;
    var w = (r.value / max) * plotW;
    svg.appendChild(svgEl("text", { x: labelW - 8, y: y + rowH / 2 + 5, "class": "label", "text-anchor": "end" }, r.label));
    var bar = svgEl("rect", { x: labelW, y: y + 5, width: Math.max(0, w), height: rowH - 10, rx: 3,
      "class": "bar" + (r.cls ? " " + r.cls : "") });
    bar.appendChild(svgEl("title", {}, r.label + "：" + count(r.value) + "件"));
    svg.appendChild(bar);
    svg.appendChild(svgEl("text", { x: labelW + w + 6, y: y + rowH / 2 + 5, "class": "value" }, count(r.value) + "件"));
  });
  container.replaceChildren(svg);
}

// --- The report -------------------------------------------------------------------------------------
function render() {
  if (!shown) { return; }
  var data = shown.data, total = data.conversations || 0;

  setText("period", japaneseDay(parseDay(shown.from)) + " 〜 " + japaneseDay(parseDay(shown.to)));
  setText("total", count(total));
  var perDayValues = Object.keys(data.per_day || {}).length;
  setText("total-sub", total ? "相談のあった日 " + perDayValues + "日" : "この期間の相談はありません。");

  var rate = data.handoff_rate;
  setText("handoff-rate", rate === null || rate === undefined ? "—" : (rate * 100).toFixed(1) + "%");
  setText("handoff-sub", rate === null || rate === undefined ? "相談がないため計算できません。"
    : count(total) + "件のうち" + count(Math.round(rate * total)) + "件が相談員の順番待ちへ");

  var wait = data.wait_to_claim || {};
  setText("wait-median", duration(wait.median_s));
  setText("wait-p95", duration(wait.p95_s));
  setText("wait-sub", wait.n ? "順番待ちに入ってから相談員が対応を始めるまで（" + count(wait.n) + "件）"
    : "相談員が対応を始めた相談はまだありません。");

  var daily = dailyPoints(data.per_day || {}, shown.from, shown.to);
  setText("per-day-title", daily.title);
  columnChart($("chart-day"), daily.points, daily.title);
  columnChart($("chart-hour"), hourPoints(data.per_hour || {}), "時間帯ごとの相談数");

  var concerns = knownRows(CONCERNS, data.by_concern || {});
  concerns.sort(function (x, y) { return y.value - x.value; });   // stable: ties keep the fixed order
  barChart($("chart-concern"), concerns, "相談の内容");
  barChart($("chart-urgency"), knownRows(URGENCY, data.by_urgency || {}, "urgency-"), "緊急度");

  var outcomes = knownRows(OUTCOMES, data.outcomes || {});
  var recorded = outcomes.reduce(function (a, r) { return a + r.value; }, 0);
  setText("outcome-note", "相談員が終了した相談の結果です（" + count(recorded) + "件。ボットだけで終わった相談は含みません）。");
  barChart($("chart-outcome"), outcomes, "相談の結果");

  var body = $("first-reply");
  body.textContent = "";
  var first = data.first_human_reply || {};
  URGENCY_ORDER.forEach(function (code) {
    var row = first[code] || {};
    var tr = document.createElement("tr");
    [URGENCY[code], count(row.n), duration(row.median_s), duration(row.p95_s)].forEach(function (text, i) {
      var cell = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) {
        cell.scope = "row";
        var badge = document.createElement("span");
        badge.className = "badge urgency-" + code;
        badge.textContent = text;
        cell.appendChild(badge);
      } else {
        cell.textContent = text;
      }
      tr.appendChild(cell);
    });
    body.appendChild(tr);
  });
}

// --- Loading ----------------------------------------------------------------------------------------
function query(from, to) { return "?from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to); }

async function load(from, to) {
  var mine = ++loading;
  var status = $("status");
  status.textContent = "読み込んでいます…";
  $("show").disabled = true;
  $("report").setAttribute("aria-busy", "true");
  var response, data = null;
  try {
    response = await fetch("/api/stats" + query(from, to), { credentials: "same-origin", cache: "no-store" });
    try { data = await response.json(); } catch (e) { /* not JSON */ }
  } catch (e) {
    response = null;
  }
  if (mine !== loading) { return; }
  $("show").disabled = false;
  $("report").removeAttribute("aria-busy");
  if (response && response.status === 401) {
    status.textContent = "";
    shown = null;
    $("report").hidden = true;
    $("csv").hidden = true;
    $("login-needed").hidden = false;
    return;
  }
  $("login-needed").hidden = true;
  if (!response || !response.ok || !data) {
    status.textContent = !response ? "サーバーにつながりません。ネットワークを確かめて、もう一度「表示」を押してください。"
      : response.status === 400 ? "日付の形式が正しくありません。"
      : "統計を読み込めませんでした（" + response.status + "）。しばらくしてからもう一度お試しください。";
    return;
  }
  shown = { data: data, from: from, to: to };
  $("report").hidden = false;
  $("csv").href = "/api/stats.csv" + query(from, to);
  $("csv").hidden = false;
  render();
  status.textContent = "";
}

function submitRange() {
  var from = $("from").value, to = $("to").value;
  if (parseDay(from) === null || parseDay(to) === null) {
    setText("status", "開始日と終了日を入れてください。");
    return;
  }
  if (parseDay(from) > parseDay(to)) {
    setText("status", "開始日は終了日より前の日にしてください。");
    $("from").focus();
    return;
  }
  try { history.replaceState(null, "", "/stats" + query(from, to)); } catch (e) { /* the address stays */ }
  load(from, to);
}

$("range").addEventListener("submit", function (event) { event.preventDefault(); submitRange(); });
Array.prototype.forEach.call(document.querySelectorAll(".preset"), function (button) {
  button.addEventListener("click", function () {
    var today = todayInTokyo();
    $("to").value = today;
    $("from").value = addDays(today, 1 - Number(button.getAttribute("data-days")));
    submitRange();
  });
});

var resizeTimer = null;
window.addEventListener("resize", function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(render, 150);
});

// --- Start: the range in the address, else the last 30 days (as the server counts them) -------------
var params = new URLSearchParams(location.search);
var today = todayInTokyo();
var to = parseDay(params.get("to")) !== null ? params.get("to") : today;
var from = parseDay(params.get("from")) !== null ? params.get("from") : addDays(to, -29);
$("from").value = from;
$("to").value = to;
$("from").max = today;
$("to").max = today;
submitRange();
