/* Display labels for the codes the server sends, shared by the console and the statistics page.
 * Logic always keys on the codes; these words are only shown. The order of keys is the display order. */

export const URGENCY = { emergency: "緊急", high: "高", medium: "中", low: "低" };

export const CONCERNS = {
  pregnancy: "妊娠", domestic_violence: "DV", sexual_violence: "性暴力", host_club: "ホストクラブ",
  toyoko: "トー横", no_place_to_stay: "居場所なし", suicide_risk: "自殺リスク", mental_distress: "心の不調",
  money: "お金", minor: "未成年"
};

export const CHANNELS = { webchat: "Webチャット", line: "LINE" };

export const ROLES = { user: "相談者", bot: "ボット", system: "システム", counselor: "相談員", notice: "お知らせ" };

export const STATES = { bot: "ボット対応中", waiting: "順番待ち", human: "相談員対応中", closed: "終了" };

export const INTENTS = {
  greet: "あいさつ", goodbye: "おわり", affirm: "はい", deny: "いいえ", thank: "お礼", request_human: "相談員を希望",
  pregnancy_worry: "妊娠の不安", domestic_violence: "DV", sexual_violence: "性暴力", host_club_trouble: "ホストクラブ",
  toyoko_youth: "トー横・家出", no_place_to_stay: "居場所なし", suicidal_ideation: "死にたい気持ち",
  mental_distress: "心の不調", money_trouble: "お金の困りごと", out_of_scope: "その他"
};

/** How a counselor closed a conversation (the codes the close form sends). */
export const OUTCOMES = {
  resolved: "解決した", referred: "他の窓口につないだ", emergency_services: "緊急通報した",
  no_response: "返事がなくなった", other: "その他"
};

/** Most urgent first: the order the queue and the statistics list them in. */
export const URGENCY_ORDER = Object.freeze(Object.keys(URGENCY));

/** The word for a code; an unknown code shows as itself (a new code still shows), a missing one as `fallback`. */
export function label(map, code, fallback = "") {
  if (typeof code !== "string" || code === "") { return fallback; }
  return Object.hasOwn(map, code) ? map[code] : code;
}

/** Her concerns as one short line, 「妊娠・DV」, or 「—」 when there are none. */
export function concernText(list) {
  return (Array.isArray(list) ? list : []).map(function (c) { return label(CONCERNS, c); }).join("・") || "—";
}

/** 0 for the most urgent; unknown levels after every known one. */
export function urgencyRank(code) {
  const i = URGENCY_ORDER.indexOf(code);
  return i < 0 ? URGENCY_ORDER.length : i;
}

/** Rows for a chart: every known code in display order (0 when absent), then any code the server added. */
export function knownRows(map, counts, classPrefix = "") {
  const rows = Object.keys(map).map(function (key) {
    return { key: key, label: map[key], value: counts[key] || 0, cls: classPrefix ? classPrefix + key : "" };
  });
  Object.keys(counts).forEach(function (key) {
    if (!Object.hasOwn(map, key)) { rows.push({ key: key, label: key, value: counts[key], cls: "" }); }
  });
  return rows;
}
