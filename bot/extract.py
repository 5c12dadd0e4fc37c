"""Facts the triage needs from a message: the writer's age, and how long ago something happened.

Both work on :func:`bot.textnorm.normalize` output, so full-width digits and
katakana are already folded. They return ``None`` when the message does not
say, never a guess dressed up as a fact.
"""

from __future__ import annotations

import re
from typing import Optional

from bot.textnorm import normalize

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_KANA_DAYS = {"ふつか": 2, "みっか": 3, "よっか": 4, "いつか": 5, "むいか": 6, "なのか": 7, "いちにち": 1}

_NUM = r"(\d{1,3}|[一二三四五六七八九十]{1,2})"

# School years and labels that say "under 18" without a number.
_SCHOOL_AGES = [
    (re.compile(r"小学生|小([1-6])(?!\d)"), 11),
    (re.compile(r"中([1-3])(?![\d時])"), None),  # 中1 → 13, 中2 → 14, 中3 → 15
    (re.compile(r"高([1-3])(?![\d時])"), None),  # 高1 → 16, 高2 → 17, 高3 → 17 (could still be 17)
    (re.compile(r"中学生|中学|jc|じぇいしー"), 14),
    (re.compile(r"高校生|高校|jk|じぇいけー|女子高生"), 16),
]

_AGE_PATTERNS = [
    re.compile(r"(\d{1,2})(?:歳|才|さい)"),
    re.compile(r"(?:まだ|いま|今|私|わたし|うち|あたし)(\d{1,2})(?:な|だ|で|です|の|や|じゃ)"),
    re.compile(r"^(\d{1,2})(?:です|だよ|だけど|歳です)?[。!！.]*$"),
    re.compile(
        r"(?<![\d.:/万円])(1\d)(?![\d時日万円回人錠年月週分%:個本枚])(?:歳|才|さい)?"
        r"(?=だけど|だから|だし|なんだ|なんで|なの|なん|やけん|やから|やし|やねん|です|だよ|だ[。、!！]|で[、。家]"
        r"|とか|の子|の時|[。、,.!?！？\s]|$)"
    ),
]


def _to_int(token: str) -> int:
    """Read an Arabic or simple kanji number (三, 十二)."""
    if token.isdigit():
        return int(token)
    if len(token) == 2 and token[0] == "十":
        return 10 + _KANJI_DIGITS[token[1]]
    if len(token) == 2 and token[1] == "十":
        return _KANJI_DIGITS[token[0]] * 10
    return _KANJI_DIGITS[token[0]]


def parse_age(text: str) -> Optional[int]:
    """Age the writer gives for herself, e.g. 「16歳」「中2」「JKです」 → 16, 14, 16."""
    norm = normalize(text)
    for pattern in _AGE_PATTERNS:
        match = pattern.search(norm)
        if match:
            age = int(match.group(1))
            if 6 <= age <= 90:
                return age
    for pattern, fixed in _SCHOOL_AGES:
        match = pattern.search(norm)
        if not match:
            continue
        if fixed is not None:
            return fixed
        grade = int(match.group(1))
        return 12 + grade if pattern.pattern.startswith("中") else min(15 + grade, 17)
    return None


# (pattern, hours) — most specific first. Hours are rough on purpose: they
# only decide which side of 72 / 120 hours and three weeks something falls.
_RELATIVE_TIMES = [
    (re.compile(r"さっき|いまさっき|今さっき|たった今|ついさっき|数時間前|いましがた|今日|きょう|今朝|けさ|今夜|こんや|今晩"), 3.0),
    (re.compile(r"(?:いま|今)(?!日|朝|夜|晩|月|週|年|まで|は|も|回|度|更|後|の|ごろ|頃|どき|でも|から|さら|だに|なお|まだ)"), 1.0),
    (re.compile(r"昨日の夜|昨夜|ゆうべ|夕べ|きのうの夜|昨晩"), 18.0),
    (re.compile(r"昨日|きのう|きのお"), 24.0),
    (re.compile(r"一昨日|おととい|おとつい"), 48.0),
    (re.compile(r"先週|せんしゅう"), 7 * 24.0),
    (re.compile(r"先月|せんげつ"), 30 * 24.0),
]

_COUNTED_TIMES = [
    (re.compile(_NUM + r"時間(?:くらい|ぐらい|ほど)?(?:前|まえ|たつ|経つ|たった|経った)"), 1.0),
    (re.compile(_NUM + r"日(?:くらい|ぐらい|ほど)?(?:前|まえ|たつ|経つ|たった|経った)"), 24.0),
    (re.compile(_NUM + r"週間?(?:くらい|ぐらい|ほど)?(?:前|まえ|たつ|経つ|たった|経った)"), 7 * 24.0),
    (re.compile(_NUM + r"(?:か|ヶ|ケ|カ|ヵ|こ)?月(?:くらい|ぐらい|ほど)?(?:前|まえ)"), 30 * 24.0),
    (re.compile(_NUM + r"年(?:くらい|ぐらい|ほど)?(?:前|まえ)"), 365 * 24.0),
]


def parse_hours_ago(text: str) -> Optional[float]:
    """How many hours ago the event in the message happened, if it says.

    「さっき」 → 3, 「昨日」 → 24, 「3日前」 → 72, 「2週間前」 → 336.
    """
    norm = normalize(text)
    for pattern, unit in _COUNTED_TIMES:
        match = pattern.search(norm)
        if match:
            return _to_int(match.group(1)) * unit
    for word, days in _KANA_DAYS.items():
        if re.search(word + r"(?:くらい|ぐらい)?(?:前|まえ)", norm):
            return days * 24.0
    for pattern, hours in _RELATIVE_TIMES:
        if pattern.search(norm):
            return hours
    return None
