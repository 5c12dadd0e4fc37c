"""A message in another language: a safety net of crisis words, and a short, kind reply in her language.

The Japanese bot (Rasa, the lexicon, the replies) reads Japanese only. For a woman who writes in English,
Chinese, Korean, Vietnamese, Tagalog, Portuguese, Spanish or Nepali, this module triages the message from
crisis phrases written per language in ``bot/i18n/<code>.yml`` (wanting to die, self-harm, an overdose,
being hit, being locked in, sexual violence, pregnancy, nowhere to stay tonight) and answers in her
language: that it is a bot, whether a person will read it, 110/119 and that English can be asked for,
and the lines open now that speak her language. Pure: the caller says who is on duty and what time it is.

Numbers come only from the support directory (:mod:`bot.support.directory`): the YAML holds words, and
``{police}``/``{ambulance}`` are filled from the directory's 110 and 119 entries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot import signals as sig
from bot.language import JA, detect
from bot.levels import EMERGENCY, HIGH, LOW, MEDIUM, rank
from bot.support.directory import Place, load, open_in_language

I18N = Path(__file__).resolve().parent / "i18n"
LANGUAGES: Tuple[str, ...] = ("en", "zh", "ko", "vi", "tl", "pt", "es", "ne")
REPLY_FALLBACK = "en"  # she wrote in a language we have no words for: English, which 110/119 also take
NEGATION_WINDOW = 2  # words before a crisis phrase in which a negation cancels it ("I don't want to die")
INFORMATION_TOPICS = frozenset({"legal", "medical"})  # information lines, not crisis lines
SAFETY_CATEGORIES = frozenset({"suicide", "self_harm", "overdose", "hit", "locked_in", "sexual_violence", "help"})


@dataclass(frozen=True)
class Category:
    """One kind of crisis: what it means for triage, in the Japanese bot's terms (SPEC §2)."""

    intent: str
    concern: Optional[str]
    urgency: str
    factor: str  # Japanese, for the counselor
    signals: Tuple[str, ...] = ()


CATEGORIES: Dict[str, Category] = {
    "overdose": Category("suicidal_ideation", "suicide_risk", EMERGENCY, "過量服薬（OD）した", (sig.OVERDOSE_TAKEN,)),
    "locked_in": Category("domestic_violence", "domestic_violence", EMERGENCY, "閉じ込められている・外に出してもらえない",
                          (sig.DANGER_NOW,)),
    "suicide": Category("suicidal_ideation", "suicide_risk", HIGH, "希死念慮"),
    "self_harm": Category("suicidal_ideation", "suicide_risk", HIGH, "自傷"),
    "sexual_violence": Category("sexual_violence", "sexual_violence", HIGH, "性暴力の被害"),
    "hit": Category("domestic_violence", "domestic_violence", HIGH, "暴力を受けている"),
    "no_place": Category("no_place_to_stay", "no_place_to_stay", HIGH, "今夜泊まる場所がない", (sig.NO_PLACE_TONIGHT,)),
    "pregnancy": Category("pregnancy_worry", "pregnancy", HIGH, "妊娠の不安"),
    # A cry for help (「救命」「살려주세요」): danger, a person must answer.
    "help": Category("request_human", None, HIGH, "助けを求める叫び", (sig.WANTS_HUMAN,)),
    # Asking for help or a person (「帮帮我」「necesito ayuda」): the bot cannot talk in her language, so a person
    # is asked for (handoff), without a crisis.
    "wants_help": Category("request_human", None, MEDIUM, "助け・人との相談を求めている", (sig.WANTS_HUMAN,)),
}
# Japanese names of languages we can recognise but have no words for (the counselor still sees which).
OTHER_NAMES = {"th": "タイ語", "id": "インドネシア語", "fr": "フランス語", "de": "ドイツ語", "ru": "ロシア語",
               "hi": "ヒンディー語", "my": "ミャンマー語", "mn": "モンゴル語", "si": "シンハラ語", "ur": "ウルドゥー語",
               "bn": "ベンガル語", "fa": "ペルシア語", "ar": "アラビア語", "it": "イタリア語", "uk": "ウクライナ語",
               "km": "クメール語", "ms": "マレー語"}


@dataclass(frozen=True)
class Lexicon:
    """One language's words: how to fold text, its negations, crisis patterns and reply texts."""

    code: str
    name_ja: str
    fold_accents: bool
    drop_spaces: bool
    negations_before: Tuple[str, ...]
    negations_after: Tuple[str, ...]
    fillers: FrozenSet[str]
    patterns: Tuple[Tuple[str, re.Pattern[str]], ...]
    texts: Mapping[str, str]


def fold(text: str, accents: bool = True, spaces: bool = False) -> str:
    """Lower case, apostrophes dropped, punctuation and symbols as single spaces; accents dropped for Latin
    script (people often type without them), spaces dropped where spacing varies (Korean, Chinese)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "").replace("'", "").replace("`", "")
    if accents:
        text = unicodedata.normalize("NFKD", text.replace("đ", "d"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text)
    text = " ".join(text.split())
    return text.replace(" ", "") if spaces else text


def _compile(phrase: str, accents: bool, drop_spaces: bool) -> re.Pattern[str]:
    """A phrase with ``(a|b)`` alternatives and ``(…)?`` optional groups, folded like the text; on whole
    words where words are spaced."""
    out: List[str] = []
    for part in re.split(r"([()|?])", phrase):
        if part in ("(", ")", "|", "?"):
            out.append("(?:" if part == "(" else part)
            continue
        core = fold(part, accents, drop_spaces)
        lead = " " if part[:1].isspace() else ""
        trail = " " if part[-1:].isspace() and core else ""
        out.append(lead + re.escape(core) + trail)
    body = re.sub(" +", " ", "".join(out))
    if drop_spaces:
        return re.compile("(?:" + body.replace(" ", "") + ")")
    return re.compile(r"(?:^| )(?:" + body.strip() + r")(?= |$)")


def _load_one(path: Path) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    accents, spaces = bool(data.get("fold_accents")), bool(data.get("drop_spaces"))
    patterns = tuple((category, _compile(phrase, accents, spaces))
                     for category in CATEGORIES for phrase in (data.get("crisis") or {}).get(category) or ())
    return Lexicon(
        code=data["language"], name_ja=data["name_ja"], fold_accents=accents, drop_spaces=spaces,
        negations_before=tuple(fold(n, accents) for n in data.get("negations_before") or ()),
        negations_after=tuple(fold(n, accents, spaces) for n in data.get("negations_after") or ()),
        fillers=frozenset(fold(f, accents) for f in data.get("fillers") or ()),
        patterns=patterns, texts=data["replies"],
    )


@lru_cache(maxsize=1)
def lexicons() -> Dict[str, Lexicon]:
    """Every language's words, read once."""
    return {code: _load_one(I18N / f"{code}.yml") for code in LANGUAGES}


def _negated(lexicon: Lexicon, folded: str, start: int, end: int) -> bool:
    """A negation right before the phrase (past a filler such as "really"), or right after it as Korean
    puts it (「죽고 싶지 않아」)."""
    if any(folded[end:].lstrip().startswith(n) for n in lexicon.negations_after):
        return True
    if lexicon.drop_spaces:
        return any(folded[:start].endswith(n) for n in lexicon.negations_before)
    words = folded[:start].split()
    while words and words[-1] in lexicon.fillers:
        words.pop()
    tail = " ".join(words[-NEGATION_WINDOW:])
    return any(tail == n or tail.endswith(" " + n) for n in lexicon.negations_before)


def crisis_categories(text: str, language: str) -> List[str]:
    """Crisis categories whose phrases in ``language`` the text contains, not negated, in CATEGORIES order.

    A shorter phrase inside a negated longer one is negated too ("not going to kill myself")."""
    lexicon = lexicons().get(language)
    if lexicon is None:
        return []
    folded = fold(text, lexicon.fold_accents, lexicon.drop_spaces)
    matches = [(category, m.start(), m.end()) for category, pattern in lexicon.patterns
               for m in pattern.finditer(folded)]
    negated = [(s, e) for _, s, e in matches if _negated(lexicon, folded, s, e)]
    found: List[str] = []
    for category, start, end in matches:
        inside = any(s <= start and end <= e for s, e in negated)
        if category not in found and not inside:
            found.append(category)
    return [c for c in CATEGORIES if c in found]


def crisis_language(text: str, guess: Optional[str] = None) -> Optional[str]:
    """The language whose crisis words the text contains: the guess's own first, then any other."""
    order = ([guess] if guess in LANGUAGES else []) + [code for code in LANGUAGES if code != guess]
    return next((code for code in order if crisis_categories(text, code)), None)


def language_of(text: str, previous: str = JA) -> str:
    """Her language for this message (:func:`bot.language.detect`, helped by the crisis words)."""
    return detect(text, previous, hint=crisis_language)


def name_ja(language: str) -> str:
    lexicon = lexicons().get(language)
    return lexicon.name_ja if lexicon else OTHER_NAMES.get(language, f"外国語（{language}）")


def triage(text: str, language: str) -> Dict[str, Any]:
    """The triage payload for a message in ``language`` (the keys of ``bot.triage.Triage.as_payload()``
    plus ``language``). Words of every language are read, hers first, so a misread language still counts."""
    categories = crisis_categories(text, language) or crisis_categories(text, crisis_language(text) or "")
    chosen = [CATEGORIES[c] for c in categories]
    urgency = max((c.urgency for c in chosen), key=rank, default=LOW)
    signals = [s for c in chosen for s in c.signals]
    if chosen:
        signals.append(sig.LEXICON_FLOOR)
    label = name_ja(language)
    return {
        "intent": chosen[0].intent if chosen else "out_of_scope",
        "confidence": 1.0 if chosen else 0.0,
        "urgency": urgency,
        "concerns": list(dict.fromkeys(c.concern for c in chosen if c.concern)),
        "handoff": rank(urgency) >= rank(HIGH) or sig.WANTS_HUMAN in signals,
        "factors": [f"{label}：{c.factor}" for c in chosen] or [f"{label}のメッセージ（危機の語なし）"],
        "signals": list(dict.fromkeys(signals)),
        "age": None,
        "hours_since_event": None,
        "max_urgency": urgency,
        "risk": 1.0 if rank(urgency) >= rank(HIGH) else 0.0,  # a crisis-phrase indicator, not a calibrated score
        "language": language,
        "categories": categories,
    }


def _hours(place: Place, texts: Mapping[str, str]) -> str:
    """Opening hours in numbers and her words (the directory's display hours are Japanese)."""
    machine = place.hours_machine
    if machine == "24h":
        return texts["hours_24"]
    if isinstance(machine, list):
        spans = dict.fromkeys(f"{w['open']}–{w['close']}" for w in machine if w.get("open") and w.get("close"))
        return ", ".join(spans)
    return ""


def place_line(place: Place, texts: Mapping[str, str]) -> str:
    """・name: number or address (hours)."""
    names = _place_names()
    reach = place.phone or place.url or ""
    hours = _hours(place, texts)
    return f"・{names.get(place.id, place.name)}: {reach}" + (f" ({hours})" if hours else "")


@lru_cache(maxsize=1)
def _place_names() -> Dict[str, str]:
    """Names of the places in Latin letters, one for every language (proper nouns)."""
    return yaml.safe_load((I18N / "places.yml").read_text(encoding="utf-8")) or {}


def _emergency_numbers() -> Dict[str, str]:
    places = load()
    return {"police": places["police-110"].phone or "", "ambulance": places["emergency-119"].phone or ""}


def _places(language: str, concerns: Sequence[str], now: Optional[datetime]) -> List[Place]:
    """Lines open now in her language that fit what she wrote (a legal or medical information line only when
    its topics are hers): a suicidal girl is not handed a law office."""
    wanted = set(concerns)
    fits = [p for p in open_in_language(language, list(concerns), now=now, limit=6)
            if wanted & set(p.topics) or not (INFORMATION_TOPICS & set(p.topics))]
    return sorted(fits, key=lambda p: not wanted & set(p.topics))[:3]


def reply(payload: Mapping[str, Any], counselors_on_duty: int, *, introduce: bool = True,
          entered_queue: bool = True, now: Optional[datetime] = None) -> List[str]:
    """What she sees (at most 5 messages, no blank line inside one): the bot says it is a bot (when it has not
    yet in her language); on entering the queue, whether a person will read it (once); otherwise an invitation
    to say what is happening; 110/119 (English can be asked for); lines in her language open now; for danger
    to her, a safety question last."""
    language = payload.get("language") or REPLY_FALLBACK
    lexicon = lexicons().get(language) or lexicons()[REPLY_FALLBACK]
    texts = {k: v.format(**_emergency_numbers()) for k, v in lexicon.texts.items()}
    categories = [c for c in payload.get("categories") or () if c in CATEGORIES]
    messages = [texts["bot"]] if introduce else []
    if payload.get("handoff") and entered_queue:
        messages.append(texts["person"] if counselors_on_duty > 0 else texts["nobody"])
    elif not payload.get("handoff"):
        messages.append(texts["calm"])
    messages.append(texts["overdose"] if "overdose" in categories else texts["emergency"])
    places = _places(lexicon.code, list(payload.get("concerns") or ()), now)
    if places:
        messages.append("\n".join([texts["places"]] + [place_line(p, texts) for p in places]))
    if SAFETY_CATEGORIES & set(categories):
        messages.append(texts["safety"])
    return messages[:5]


def safe_for_queue(payload: Mapping[str, Any]) -> Dict[str, Any]:
    """The payload as stored with the conversation (without the internal category names)."""
    return {k: v for k, v in payload.items() if k != "categories"}

