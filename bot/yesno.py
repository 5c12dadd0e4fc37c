"""One reader of short yes/no answers, for the bot and the handoff service.

Pure and free of rasa, so ``handoff/`` (Python 3.11) imports it too. A wrong
"yes" is the costly mistake (her details shared, a danger missed), so:

* a negation anywhere wins (「いいよ、でも親には言わないで」 is a no);
* only a short answer made wholly of yes-words is a yes (「はい？どういうこと？」 is not);
* 「大丈夫です」「いいです」「結構です」 usually mean "no thanks" and are never a yes;
* anything else is ``None``: unclear, ask again in plain words.

:func:`safety` reads the other meaning of 「大丈夫」: "I'm safe".
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional

from bot.textnorm import normalize, to_hiragana

# Double negatives that mean yes: replaced before negations are looked for.
_YES_IDIOMS = re.compile(
    "かまいません|構いません|かまわない|構わない|かまわん|構わん|かまへん|かまん|問題ない(?:です)?|問題ありません"
    "|差し支えない|さしつかえない|差し支えありません|さしつかえありません"
)
_NO = re.compile(
    "いいえ|(?:^|(?<=[^ぁ-ゖ一-龥])|(?<=[はも]))(?:いや|いえ|やだ)|いいや|嫌|やめて|やめろ|やめとく|やめておく|やめます"
    "|だめ|駄目|無理|むり|ううん|ちがう|違う|じゃない|じゃなく|ではない|ではなく|しない|しません|できません|いりません|要りません"
    "|いらない|要らない|ないで|たくない|ほしくない|欲しくない|お断り|断る|断ります|遠慮|困る|こまる|同意しな|同意できな|同意しかね"
    "|(?<![a-z])(?:no|nope|ng)(?![a-z])|🙅|❌|✖|×|👎"
)
_HESITATION = re.compile("う[ー〜~～-]+ん|う[ー〜~～-]*む|ん[ー〜~～-]+|^ん[?？]")
# Whole answers that usually mean "no thanks"; never a yes.
_SOFT_NO = re.compile("^(?:大丈夫|だいじょうぶ|だいじょぶ|結構|けっこう)(?:です|っす)?$|^いいです$")
_YES_WORD = (
    "はい|うん|うむ|ええ|おう|yes|yeah|yep|sure|okay|ok|おk|おっけ|おけまる|おけ|いいよ|いいですよ|いいっすよ|いいっす|ええよ|ええで"
    "|ええけん|よかよ|よかです|問題ない|お願いします|おねがいします|お願い|おねがい|たのむ|頼む|頼みます|よろしくお願いします|よろしく"
    "|同意します|同意する|同意です|同意|どうぞ|もちろん|そうして|それでいい|それでお願い|伝えていい|伝えて|言っていい|話していい"
)
_YES_TOKEN = re.compile(
    f"^(?:まあ|全然|ぜんぜん|もちろん)?(?:{_YES_WORD})+(?:です|っす|ください|下さい|だよ|やで|よ|ね|な|で|っ|w|笑|m)*$"
)
_SPLIT = re.compile(r"[、,。.!！?？…‥・\s]+")
_SYMBOLS = re.compile(r"[^\w]|_")
_EMOJI_YES = re.compile("👍|👌|🙆|⭕|🙏|🆗|○|◯")
_FILLERS = frozenset({"あ", "あっ", "えと", "えっと", "あの", "じゃあ", "では", "じゃ"})
# Words that do not make an answer unclear when a yes-word is there too (「はい、ありがとう」).
_NEUTRAL = re.compile("^(?:わかりました|わかった|分かりました|分かった|了解|了解です|りょうかい|ありがとう|ありがとうございます)$")

_UNSAFE = re.compile("大丈夫じゃな|だいじょうぶじゃな|だいじょぶじゃな|平気じゃな|へいきじゃな|安全じゃな|だいじょばない|危ない|あぶない|怖い|こわい|助けて|たすけて")
_SAFE = re.compile("大丈夫|だいじょうぶ|だいじょぶ|平気|へいき|安全|無事|落ち着いて")
_SAFE_MAX_CHARS = 20

_ECHO_YES = re.compile(
    "^(?:まだ|今|いま|手元に|ここに|近くに)?(?:ある|あります|いる|います|おる|おります|持ってる|もってる|持ってます)(?:よ|ね|けど|です)*$"
)
_ECHO_NO = re.compile("^(?:もう|今は|いまは|今|いま|別に|べつに)?(?:ない|ありません|いない|いません|おらん|おらへん|ないです|ないよ|いないよ|ありません)(?:よ|ね|です|けど)*$")


def _fold(text: str) -> str:
    """Width, case and kana folded; long marks kept so 「うーん」 stays a hesitation."""
    folded = to_hiragana(unicodedata.normalize("NFKC", text or "").lower())
    return folded.replace("ぃ", "い").replace("ぉ", "お").replace("ぅ", "う")


def _tokens(text: str) -> List[str]:
    norm = normalize(_EMOJI_YES.sub("、ok、", _fold(text)))
    return [t for t in (_SYMBOLS.sub("", part) for part in _SPLIT.split(norm)) if t and t not in _FILLERS]


def read(text: str, echo: bool = False, lenient: bool = False) -> Optional[bool]:
    """True for a clear yes, False for a no, None when unclear.

    With ``echo`` the answer to a 「…ある？」「…いる？」 question may echo the verb:
    「ある」 is yes, 「ない」「いない」 is no. With ``lenient`` a yes-word first counts
    whatever follows (「うん、隣の部屋にいる」): only for questions where a missed yes
    is the costly mistake ("are you in danger?"), never for consent.
    """
    folded = _YES_IDIOMS.sub("ok", _fold(text))
    if _NO.search(normalize(folded)):
        return False
    tokens = _tokens(folded)
    if echo and any(_ECHO_NO.match(t) for t in tokens):
        return False
    if not tokens or _HESITATION.search(folded) or "?" in normalize(folded):
        return None
    if any(_SOFT_NO.match(t) for t in tokens):
        return False if all(_SOFT_NO.match(t) for t in tokens) else None
    if lenient and _YES_TOKEN.match(tokens[0]):
        return True
    return _all_yes(tokens, echo)


def _all_yes(tokens: List[str], echo: bool) -> Optional[bool]:
    """Yes only when every word is a yes-word (or a courtesy beside one)."""
    yes = [t for t in tokens if _YES_TOKEN.match(t) or (echo and _ECHO_YES.match(t))]
    rest = [t for t in tokens if t not in yes]
    return True if yes and all(_NEUTRAL.match(t) for t in rest) else None


def safety(text: str) -> Optional[bool]:
    """True when a short answer says "I'm safe" (大丈夫, 平気), False for "I'm not", None otherwise."""
    norm = normalize(_fold(text))
    if _UNSAFE.search(norm):
        return False
    if len(norm) <= _SAFE_MAX_CHARS and _SAFE.search(norm):
        return True
    return None
