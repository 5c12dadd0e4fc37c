"""Which language she wrote in (SPEC §2 ``language``: ISO 639-1, ``"ja"`` by default).

A message in another language is triaged and answered in that language (:mod:`bot.multilingual`), so a
Japanese message read as foreign would lose the Japanese bot, its triage and its counselor wording. Hence
guards before the package is asked: any kana, full-width letters (typed with a Japanese keyboard),
romaji SNS Japanese (「shinitai」「mou muri」) and messages with no letters at all (emoji, digits, 「ｗｗ」)
never leave Japanese. Han-only text is Japanese unless it carries Chinese evidence (「想死」「救命」「我好累」).
Everything else is read by CLD2 (``pycld2``: no dependencies, its model inside the wheel, ~1 MiB and
0.02 ms a message). A short message the package reads as an unlikely language (「ok」 as Dutch) keeps the
conversation's language (``previous``), or the one whose crisis words it contains (``hint``).

Romaji is treated as Japanese; :func:`romaji_to_kana` gives its kana so the Japanese lexicon can read it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, List, Optional, Tuple

import pycld2

JA = "ja"
# Languages the package's verdict is trusted for (where a Tokyo user may plausibly write from); an
# unreliable or rarer verdict on a short message is more often a misreading than a Danish or Somali user.
PLAUSIBLE = frozenset({"en", "zh", "ko", "vi", "tl", "pt", "es", "ne", "th", "id", "fr", "de", "ru", "hi", "my",
                       "mn", "si", "ur", "bn", "fa", "ar", "it", "uk", "km", "ms"})
# Package codes folded into the one we answer in.
FOLD = {"zh-Hant": "zh", "fil": "tl", "ceb": "tl", "mr": "ne", "sa": "ne", "bh": "ne", "iw": "he", "jw": "id"}
SHORT_LETTERS = 12  # below this many letters, a verdict outside PLAUSIBLE or not reliable is not trusted

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_FULLWIDTH_LATIN = re.compile(r"[\uff21-\uff3a\uff41-\uff5a]")
_HAN = re.compile(r"[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
# Letters only Vietnamese writes (horn, breve, stroke, tone marks under or hooked above a vowel).
_VIETNAMESE = re.compile(r"[ơưăđƠƯĂĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_LAUGH = re.compile(r"^[wｗW]{2,}$")

# Han characters a Japanese writer does not use: simplified forms, and traditional forms Japanese replaced.
_ZH_ONLY = set("这们吗么呢吧你她说话让给还过个妈帮为对难见觉怀药杀关门钱饭买发开坏离孩气乐爱车晚经迟锁"
               "头时间样认识问题现边办欢谢请电马东尔处动无书长")
_ZH_ONLY |= set("這們嗎麼說讓幫懷藥關裡錢發覺壞醫")
# 我 is Chinese's "I"; Japanese has it only in these words.
_JA_WITH_WO = ("我慢", "我々", "自我", "我儘")
# Chinese words that a Japanese message would not contain on its own.
_ZH_WORDS = ("想死", "救命", "救救", "我想", "我要", "我好", "我很", "我不", "我被", "我在", "我的", "不想", "不要",
             "怎么", "怎麼", "什么", "什麼", "没有", "沒有", "自杀", "活不", "不了", "朋友", "好累", "好怕")
# Han characters only Japanese uses (shinjitai and kokuji), and Japanese words.
_JA_ONLY = set("々気楽対売読歳払働込関発薬変恋広図済戦駅辺帰悩姉円験様県価単")
_JA_WORDS = ("彼氏", "無理", "限界", "家出", "大丈夫", "相談", "援交", "風俗")

# Romaji: one syllable at a time (Hepburn, kunrei and SNS spellings). The kana, for the Japanese lexicon.
_ROMAJI = {
    "a": "あ", "i": "い", "u": "う", "e": "え", "o": "お",
    "ka": "か", "ki": "き", "ku": "く", "ke": "け", "ko": "こ", "ga": "が", "gi": "ぎ", "gu": "ぐ", "ge": "げ",
    "go": "ご", "sa": "さ", "shi": "し", "si": "し", "su": "す", "se": "せ", "so": "そ", "za": "ざ", "ji": "じ",
    "zi": "じ", "zu": "ず", "ze": "ぜ", "zo": "ぞ", "ta": "た", "chi": "ち", "ti": "ち", "tsu": "つ", "tu": "つ",
    "te": "て", "to": "と", "da": "だ", "di": "ぢ", "du": "づ", "de": "で", "do": "ど", "na": "な", "ni": "に",
    "nu": "ぬ", "ne": "ね", "no": "の", "ha": "は", "hi": "ひ", "fu": "ふ", "hu": "ふ", "he": "へ", "ho": "ほ",
    "ba": "ば", "bi": "び", "bu": "ぶ", "be": "べ", "bo": "ぼ", "pa": "ぱ", "pi": "ぴ", "pu": "ぷ", "pe": "ぺ",
    "po": "ぽ", "ma": "ま", "mi": "み", "mu": "む", "me": "め", "mo": "も", "ya": "や", "yu": "ゆ", "yo": "よ",
    "ra": "ら", "ri": "り", "ru": "る", "re": "れ", "ro": "ろ", "wa": "わ", "wo": "を", "n": "ん", "nn": "ん",
    "sha": "しゃ", "shu": "しゅ", "sho": "しょ", "cha": "ちゃ", "chu": "ちゅ", "cho": "ちょ", "ja": "じゃ",
    "ju": "じゅ", "jo": "じょ", "she": "しぇ", "che": "ちぇ", "je": "じぇ", "fa": "ふぁ", "fi": "ふぃ",
    "fe": "ふぇ", "fo": "ふぉ", "sya": "しゃ", "syu": "しゅ", "syo": "しょ", "tya": "ちゃ", "tyu": "ちゅ",
    "tyo": "ちょ", "zya": "じゃ", "zyu": "じゅ", "zyo": "じょ",
}
for _c, _k in {"k": "き", "g": "ぎ", "n": "に", "h": "ひ", "b": "び", "p": "ぴ", "m": "み", "r": "り"}.items():
    for _v, _small in (("a", "ゃ"), ("u", "ゅ"), ("o", "ょ")):
        _ROMAJI[f"{_c}y{_v}"] = _k + _small
_LONGEST = max(len(s) for s in _ROMAJI)
# Words that only Japanese written in romaji has (never "no", "yo", "to", "de": other languages use them too).
_ROMAJI_WORDS = frozenset({
    "shinitai", "sinitai", "shinu", "shinou", "shinda", "shindara", "shinitakunai", "tasukete", "tsurai", "turai", "muri", "mou", "kowai", "itai", "kurushii", "sabishii", "kanashii", "yabai",
    "shindoi", "dareka", "onegai", "gomen", "arigatou", "arigato", "kusuri", "zenbu", "nonda", "ninshin",
    "seiri", "kareshi", "naguru", "nagurareta", "iede", "kaerenai", "kaeritakunai", "tomaru", "basho", "kietai",
    "jisatsu", "risuka", "kamo", "kana", "desu", "masu", "nai", "dekinai", "genkai", "hontou", "honto", "nande",
    "konbanwa", "konnichiwa", "ohayou", "oyasumi", "daijoubu", "daijobu", "soudan", "kimochi", "watashi",
})
_ROMAJI_ENDINGS = ("tai", "takunai", "kunai", "masu", "desu", "kete", "shii", "nakatta", "chatta", "rareta")


def _syllables(word: str) -> Optional[List[str]]:
    """``word`` cut into romaji syllables (a doubled consonant is a small っ), or None if it is not romaji."""
    out: List[str] = []
    i = 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == word[i + 1] and word[i] in "kstpgzdbcfjmhr" and word[i] != "n":
            out.append("っ")
            i += 1
            continue
        if word.startswith("tch", i):
            out.append("っ")
            i += 1
            continue
        for size in range(min(_LONGEST, len(word) - i), 0, -1):
            piece = word[i:i + size]
            if piece in _ROMAJI and not (piece == "n" and word[i + 1:i + 2] in tuple("aiueoy")):
                out.append(_ROMAJI[piece])
                i += size
                break
        else:
            if word[i] in "-'" and out:
                out.append("ー" if word[i] == "-" else "")
                i += 1
                continue
            return None
    return out


def _romaji_words(text: str) -> Optional[List[str]]:
    words = re.findall(r"[a-z'\-]+", text.lower())
    if not words or re.sub(r"[a-z'\-\s\d\W_]", "", text.lower()):
        return None
    return words if all(_syllables(w) is not None for w in words) else None


def is_romaji_japanese(text: str) -> bool:
    """Latin letters that spell Japanese: every word is romaji and one is unmistakably Japanese."""
    words = _romaji_words(text)
    if not words:
        return False
    return any(w in _ROMAJI_WORDS or (len(w) >= 5 and w.endswith(_ROMAJI_ENDINGS)) for w in words)


def romaji_to_kana(text: str) -> str:
    """Hiragana for a romaji message (「shinitai」→「しにたい」); other text is returned unchanged."""
    if not is_romaji_japanese(text):
        return text

    def word(match: re.Match) -> str:
        return "".join(_syllables(match.group(0).lower()) or [match.group(0)])

    return re.sub(r"[A-Za-z'\-]+", word, text)


def han_language(text: str) -> str:
    """Han-only text: Chinese when it carries Chinese evidence, else Japanese (「無理」「限界」 are hers)."""
    if any(c in _JA_ONLY for c in text) or any(w in text for w in _JA_WORDS):
        return JA
    if any(c in _ZH_ONLY for c in text) or any(w in text for w in _ZH_WORDS):
        return "zh"
    if "我" in text and not any(w in text for w in _JA_WITH_WO):
        return "zh"
    return JA


def _letters(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c).startswith("L"))


_SHOUTED_WORDS = frozenset({"HELP", "HELLO", "HEY", "PLEASE", "SORRY", "THANKS", "YES", "AYUDA", "SOCORRO"})


def _shorthand(text: str) -> bool:
    """Latin letters that say nothing about the language: an acronym alone (「DV」「OD」「LINE」, which a Japanese
    message uses too) or words without vowels (「tskt」「mjd」「kwsk」, Japanese SNS shorthand)."""
    words = re.findall(r"[A-Za-z]+", text)
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 5 and words[0] not in _SHOUTED_WORDS:
        return True
    return bool(words) and not any(re.search(r"[aeiouyAEIOUY]", w) for w in words)


def _package(text: str) -> Tuple[str, bool]:
    """The package's best guess (folded to our codes) and whether it says the guess is reliable."""
    clean = text.encode("utf-8", "ignore").decode("utf-8")  # lone surrogates dropped: CLD2 reads UTF-8 only
    try:
        reliable, _, details = pycld2.detect(clean, bestEffort=True)
    except pycld2.error:  # bytes CLD2 refuses (control characters)
        return "un", False
    code = details[0][1]
    return FOLD.get(code, code), bool(reliable)


_HINDI_WORDS = frozenset({"मैं", "है", "हूँ", "हूं", "हैं", "नहीं", "मुझे", "क्या", "मेरा", "मेरी", "था", "थी"})


def _devanagari(text: str) -> str:
    """Devanagari: Nepali (the language of most who write it in Tokyo) unless Hindi's own words are there."""
    words = set(re.findall(r"[\u0900-\u0963\u0966-\u097f]+", text))
    return "hi" if words & _HINDI_WORDS else "ne"


def _guarded(text: str) -> Optional[str]:
    """What the guards decide before the package is asked (Japanese first), or None."""
    letters = _letters(text)
    if not letters or _KANA.search(text) or _FULLWIDTH_LATIN.search(text) or _LAUGH.match(text):
        return JA
    if is_romaji_japanese(text):
        return JA
    if _HANGUL.search(text):
        return "ko"
    han = len(_HAN.findall(letters))
    if han and han * 2 >= len(letters):
        return han_language(text)
    if _VIETNAMESE.search(text):
        return "vi"
    return None


def read(text: str) -> Tuple[Optional[str], bool]:
    """The verdict on the text alone and whether a guard gave it; None when it cannot be told."""
    guarded = _guarded(text)
    if guarded is not None:
        return guarded, True
    if _shorthand(text):
        return None, False
    code, reliable = _package(text)
    if _DEVANAGARI.search(text) and code in ("ne", "hi", "un"):
        return _devanagari(text), False
    if code in ("ja", "zh"):
        return han_language(text), False
    if code not in PLAUSIBLE or (len(_letters(text)) < SHORT_LETTERS and not reliable):
        return None, False
    return code, False


Hint = Callable[[str, Optional[str]], Optional[str]]


def detect(text: str, previous: str = JA, hint: Optional[Hint] = None) -> str:
    """ISO 639-1 code of the language ``text`` is written in.

    ``previous`` (the conversation's language so far) is kept when the text alone cannot tell (「ok」,
    an emoji in an English conversation) — unless the guards say Japanese. ``hint(text, guess)`` names the
    language whose crisis words the text contains (the guess's own first), so 「socorro」, which the package
    reads as Somali, and 「me corté」, read as French, are still answered in Portuguese and Spanish.
    """
    text = (text or "").strip()
    if not text:
        return previous
    verdict, by_guard = read(text)
    if by_guard:
        return previous if verdict == JA and not _letters(text) else verdict
    hinted = hint(text, verdict) if hint else None
    return hinted or verdict or previous
