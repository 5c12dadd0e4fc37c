"""Facts the triage needs from a message: the writer's age, how long ago something happened, whose danger it is.

Both work on :func:`bot.textnorm.normalize` output, so full-width digits and
katakana are already folded. They return ``None`` when the message does not
say, never a guess dressed up as a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from bot import lexicon
from bot.analysis import Analysis, norm_of
from bot.levels import EMERGENCY, HIGH, rank
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
        r"|とか|の子|[。、,.!?！？\s]|$)"
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


# 「中3のときに」「16歳の頃」「高校時代」: an age she was, not the age she is.
_PAST_AGE = re.compile(r"(?:くらい|ぐらい)?(?:の(?:とき|時|頃|ころ|冬|夏|春|秋|終わり|はじめ|初め)|時代|の時期|から|以来)")


def _current(pattern: re.Pattern, norm: str) -> Optional[re.Match]:
    """The first match that is not an age she was (「中3のときに」)."""
    return next((m for m in pattern.finditer(norm) if not _PAST_AGE.match(norm, m.end())), None)


def parse_age(text: str | Analysis) -> Optional[int]:
    """Age the writer gives for herself, e.g. 「16歳」「中2」「JKです」 → 16, 14, 16."""
    norm = norm_of(text)
    for pattern in _AGE_PATTERNS:
        match = _current(pattern, norm)
        if match:
            age = int(match.group(1))
            if 6 <= age <= 90:
                return age
    for pattern, fixed in _SCHOOL_AGES:
        match = _current(pattern, norm)
        if not match:
            continue
        if fixed is not None:
            return fixed
        grade = int(match.group(1))
        return 12 + grade if pattern.pattern.startswith("中") else min(15 + grade, 17)
    return None


# (pattern, hours) — most specific first. Hours are rough on purpose: they
# only decide which side of 72 / 120 hours and three weeks something falls.
_STATUS = "高校|中学|小学|大学|短大|専門|学生|社会人|無職|フリーター|主婦|[0-9０-９一二三四五六七八九十]+(?:歳|才|さい)|妊娠|付き合|つきあ|住ん|働い|実家|一人暮らし"
_RELATIVE_TIMES = [
    (re.compile(r"さっき|いまさっき|今さっき|たった今|ついさっき|数時間前|いましがた|今日|きょう|今朝|けさ|今夜|こんや|今晩"), 3.0),
    # 「今高校生で」「今20歳」: 今 before a status says what she is, not when something happened.
    # 「いま」 as a word (not inside 思います), 「今」 not after a span of time (「5年経った今」; 「たった今」 is listed above).
    (re.compile(r"(?:(?<![ぁ-ん])いま|(?<!経った)(?<!経って)(?<!たった)今)(?!日|朝|夜|晩|月|週|年|まで|は|も|回|度|更|後|の|ごろ|頃|どき|でも|から|さら|だに|なお|まだ|す|せ|" + _STATUS + ")"), 1.0),
    (re.compile(r"一昨日の夜|おとといの夜|一昨晩"), 42.0),  # before 昨日: 「一昨日」 contains it
    (re.compile(r"一昨日|おととい|おとつい"), 48.0),
    (re.compile(r"(?<!一)(?:昨日の夜|昨夜|昨晩)|ゆうべ|夕べ|きのうの夜"), 18.0),
    (re.compile(r"(?<!一)昨日|きのう|きのお"), 24.0),
    (re.compile(r"先週|せんしゅう"), 7 * 24.0),
    (re.compile(r"先月|せんげつ"), 30 * 24.0),
]

_COUNTED_TIMES = [
    (re.compile(_NUM + r"時間(?:くらい|ぐらい|ほど)?(?:前|まえ|たつ|経つ|たった|経った)"), 1.0),
    (re.compile(_NUM + r"日(?:くらい|ぐらい|ほど)?(?:前|まえ|たつ|経つ|たった|経った)"), 24.0),
    (re.compile(_NUM + r"週間?(?:くらい|ぐらい|ほど)?(?:前|まえ|たつ|経つ|たった|経った)"), 7 * 24.0),
    (re.compile(_NUM + r"(?:か|ヶ|ケ|カ|ヵ|こ)?月(?:くらい|ぐらい|ほど)?(?:前|まえ|もたっ|も経っ|たっ|経っ)"), 30 * 24.0),
    (re.compile(_NUM + r"年(?:くらい|ぐらい|ほど)?(?:前|まえ|もたっ|も経っ|たっ|経っ)"), 365 * 24.0),
]


def parse_hours_ago(text: str | Analysis) -> Optional[float]:
    """How many hours ago the event in the message happened, if it says.

    「さっき」 → 3, 「昨日」 → 24, 「3日前」 → 72, 「2週間前」 → 336.
    """
    norm = norm_of(text)
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


# --- whose danger it is -------------------------------------------------------------------------
# A rule over who the subject is, not a parser: a person other than her, marked as the subject
# (が/は/、), then within the same clause a predicate saying that person is in danger.
_PEOPLE = (
    "友達", "友だち", "ともだち", "友人", "親友", "彼氏", "かれし", "彼女", "妹", "弟", "姉", "兄", "お姉ちゃん", "お兄ちゃん",
    "母", "お母さん", "おかん", "父", "お父さん", "おとん", "娘", "息子", "子ども", "子供", "こども", "赤ちゃん", "うちの子",
    "その子", "あの子", "この子", "先輩", "後輩", "知り合い", "同級生", "クラスの子", "ルームメイト", "同居人", "旦那", "夫",
)
_PERSON = "(?:" + "|".join(sorted({re.escape(normalize(p)) for p in _PEOPLE}, key=len, reverse=True)) + "|(?<![のこそあど])まま|ぱぱ(?!活))"
_SUBJECT = re.compile(_PERSON + r"(?:の[^。、!?でにをへとがはも]{1,6}?)?(?:が|は|、|ってば)")
_REPORTED_BY = re.compile(r"^[ぁ-ん]{0,4}?(?:って|と)[^。!?\n]{0,6}?" + _PERSON + "(?:から|が)")
_FIRST_PERSON = "私|わたし|あたし|うち(?!の子)|自分|僕|ぼく|俺|おれ"
# Clause breaks: past them the subject may have changed (「彼氏が浮気したから薬全部飲んだ」).
_CLAUSE_BREAK = re.compile("[。!?\n]|から|ので|けど|のに|たら|なら|ても|間に|うちに|隙に|とき|時に|せいで|ために|" + _FIRST_PERSON)
_FIRST_GAP_MAX = 20
# Before the first danger predicate, another verb (て-form) or a comma may start a clause about someone else.
_OTHER_VERB = re.compile("て(?!る)|、")
# Predicates in these families only say she/he is the victim when passive (「殴られてる」, not 「殴ってくる」).
_VICTIM_ONLY_PASSIVE = frozenset({"dv", "dv_now", "death_threat", "trapped_now", "followed", "sexual_violence"})
_PASSIVE = re.compile("られ|され|かれ|たれ|われ|に遭|にあっ|被害")
# A wish (「死にたい」) is someone else's only when reported (「死にたいって」).
_WISH = re.compile("たい|たか|しかない|ほうが|方が|ねば|ねたら|かな")
_REPORTED = re.compile("^[ぁ-ん]{0,3}?(?:って|と言|とか言|らしい|みたい|と話)")
_DENIED = re.compile("^[ぁ-ん]{0,3}?(?:してない|しなかった|じゃない|ことはない|ことない|わけじゃ|てない|やめ)")
# Not a state of that person: an order or a ban aimed at her (「ODしろって」), a thing given (「ブロンくれた」), a topic.
_NOT_A_STATE = re.compile("^(?:しろ|しな|するな|すんな|させ|とか|なんか|くれ|もら|渡|売|買|持|の話|って何|ってなに)")


@dataclass(frozen=True)
class OtherInDanger:
    """Someone else (a friend, a child, family) in danger; ``level`` is the urgency that danger carries."""

    person: str
    level: str


def _victim_predicates(norm: str) -> List[Tuple[int, int, str]]:
    """(start, end, urgency) of every predicate that can say a person is in danger."""
    found = []
    for signal in lexicon.SIGNALS:
        if signal.concern in (None, "suicide_risk", "domestic_violence", "sexual_violence") and signal.urgency in (HIGH, EMERGENCY):
            found += [(start, end, signal.urgency) for start, end in lexicon.spans(norm, signal)
                      if _reads_as_victim(norm, signal.name, start, end)]
    return sorted(found)


def _reads_as_victim(norm: str, family: str, start: int, end: int) -> bool:
    after = norm[end:end + 8]
    if _DENIED.match(after) or _NOT_A_STATE.match(after):
        return False
    if family in _VICTIM_ONLY_PASSIVE:
        return bool(_PASSIVE.search(norm[start:end] + after[:4]))
    if _WISH.search(norm[start:end] + after[:3]):
        return bool(_REPORTED.match(after))
    return True


def _chain(norm: str, anchor: int, predicates: List[Tuple[int, int, str]]) -> List[str]:
    """Levels of the predicates that belong to the subject ending at ``anchor``.

    The first must follow closely, in the same clause; later ones may be joined by て
    (「友達がリスカして血が止まらない」) or overlap (「ブロン大量に飲んだ」).
    """
    levels: List[str] = []
    for start, end, level in predicates:
        if start < anchor and not levels:
            continue
        gap = norm[anchor:start]
        if gap and (_CLAUSE_BREAK.search(gap) or (not levels and (_OTHER_VERB.search(gap) or len(gap) > _FIRST_GAP_MAX))):
            break
        levels.append(level)
        anchor = max(anchor, end)
    return levels


def other_in_danger(text: str | Analysis) -> Optional[OtherInDanger]:
    """The person other than the writer who is in danger, if the message says so.

    「友達がさっきブロン大量に飲んだって」「妹が彼氏に殴られてる」 → found;
    「さっき薬全部飲んだ」「友達に相談したら死にたいなら死ねって言われた」 → None.
    """
    norm = norm_of(text)
    predicates = _victim_predicates(norm)
    for subject in _SUBJECT.finditer(norm):
        levels = _chain(norm, subject.end(), predicates)
        if levels:
            return OtherInDanger(_person(subject.group(0)), max(levels, key=rank))
    for _start, end, level in predicates:
        reported = _REPORTED_BY.match(norm[end:])
        if reported:
            return OtherInDanger(_person(reported.group(0)), level)
    return None


def _person(span: str) -> str:
    match = re.search(_PERSON, span)
    return match.group(0) if match else span
