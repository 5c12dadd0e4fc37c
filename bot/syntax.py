"""What GiNZA's dependency parse says about a risk predicate: is it negated, and whose is it (issue #6).

Substring rules guess negation from the next few characters; the parse knows which predicate a ない
belongs to. 「死にたいとは思ってない」: 死ぬ is the complement of 思う, and 思う is negated → denied.
「死にたいって思わない日はない」: that 思う is itself inside a negated clause → a double negation, so the
wish stands. 「友達が薬を全部飲んだ」: the subject of 飲む is 友達 → someone else's danger.
All functions are pure and read an :class:`bot.analysis.Analysis` with tokens.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from bot.analysis import Analysis, Token

# Normalized forms (after textnorm.normalize) that negate the predicate they follow.
NEGATORS = frozenset({"ない", "無い", "ぬ", "ず", "ん", "まい", "ねえ", "ねぇ", "へん", "ひん"})
# Function words that stay in the predicate's own bunsetsu (「死に/たく/ない」「飲ん/で/ない」).
_FUNCTION_POS = frozenset({"AUX", "SCONJ", "PART"})
_FUNCTION_DEPS = frozenset({"aux", "fixed", "cop", "mark"})
# Verbs of thinking or saying and formal nouns whose negation reaches the clause they govern.
_FRAMING = frozenset({
    "思う", "考える", "感じる", "言う", "訳", "わけ", "事", "こと", "積もり", "つもり", "気", "気持ち", "程",
})
_SELF = frozenset({"私", "わたし", "あたし", "うち", "自分", "僕", "俺", "おれ", "わたくし", "あたい"})
# A person other than the writer, as a subject (normalized forms).
PEOPLE = frozenset({
    "友達", "友人", "親友", "彼氏", "彼女", "妹", "弟", "姉", "兄", "母", "お母さん", "父", "お父さん", "娘", "息子",
    "子供", "子ども", "子", "赤ちゃん", "先輩", "後輩", "知り合い", "同級生", "ルームメイト", "同居人", "旦那", "夫",
    "ママ", "まま", "パパ", "ぱぱ", "相方", "連れ", "ダチ", "だち",
})


def chunk_after(tokens: Sequence[Token], index: int) -> List[int]:
    """Indexes of the function words that follow token ``index`` in its own phrase."""
    out = []
    for j in range(index + 1, min(len(tokens), index + 8)):
        token = tokens[j]
        attached = token.dep in _FUNCTION_DEPS or token.pos in _FUNCTION_POS
        trailing_nai = token.norm in ("無い", "ない") and token.pos in ("ADJ", "AUX")
        if not (attached or trailing_nai) or token.norm in ("が", "を", "に", "は", "と", "って", "から", "けど", "ので"):
            break
        out.append(j)
    return out


def own_negation(analysis: Analysis, index: int, after: int = -1) -> bool:
    """True when a negator follows the predicate inside its own phrase (「死なない」「飲んでない」).

    Tokens up to ``after`` belong to the frame itself (「生きたくない」 is the risk, not its denial).
    """
    tokens = analysis.tokens
    return any(tokens[j].norm in NEGATORS and not _rhetorical(tokens, j) for j in chunk_after(tokens, index) if j > after)


def _rhetorical(tokens: Sequence[Token], j: int) -> bool:
    """「いないほうがいいんじゃないか」: a ない after だ that asks a question affirms, it does not deny."""
    asks = j + 1 < len(tokens) and tokens[j + 1].norm in ("か", "かな", "かしら", "?", "？")
    return asks and j > 0 and tokens[j - 1].norm == "だ"


def passive(analysis: Analysis, index: int) -> bool:
    """「殴られる」「つけられてる」: the subject is the one it happens to."""
    tokens = analysis.tokens
    return any(tokens[j].norm in ("れる", "られる") for j in chunk_after(tokens, index))


def _governor(analysis: Analysis, index: int) -> Optional[int]:
    """The verb of thinking/saying or formal noun this predicate is the complement of, if any."""
    tokens = analysis.tokens
    head = tokens[index].head
    if head == index or not 0 <= head < len(tokens):
        return None
    return head if tokens[head].norm in _FRAMING else None


def negated(analysis: Analysis, index: int, after: int = -1) -> bool:
    """Whether the risk said by the predicate at ``index`` is denied.

    Negated in its own phrase, or framed by a negated 思う/言う/わけ — unless that frame sits in a negated
    clause itself (「死にたいと思わない日はない」 is a wish every day).
    """
    if not analysis.tokens:
        return False
    if own_negation(analysis, index, after):
        return True
    frame = _governor(analysis, index)
    if frame is None or not own_negation(analysis, frame):
        return False
    return not _in_negated_clause(analysis, frame)


def _in_negated_clause(analysis: Analysis, index: int) -> bool:
    """「思わない日はない」: the clause modifies a noun whose own predicate is negated."""
    tokens = analysis.tokens
    outer = tokens[index].head
    if outer == index or not 0 <= outer < len(tokens):
        return False
    if tokens[index].dep != "acl" or tokens[outer].pos not in ("NOUN", "PRON"):
        return False  # 「思ってないけど、眠れない」: a negated clause beside it is not a double negation
    predicate = tokens[outer].head
    return tokens[predicate].norm in ("無い", "ない") or own_negation(analysis, predicate)


def _subject_index(analysis: Analysis, index: int) -> Optional[int]:
    for i, token in enumerate(analysis.tokens):
        if token.head == index and token.dep == "nsubj":
            return i
    return None


def _clause_between(analysis: Analysis, subject: int, predicate: int) -> bool:
    """「彼氏が浮気してて死にたい」: another predicate between them; the subject is that one's, not the wish's."""
    between = analysis.tokens[subject + 1:predicate]
    return any(t.pos == "VERB" or t.norm == "為る" for t in between)


def subject_of(analysis: Analysis, index: int) -> Optional[str]:
    """The person the predicate at ``index`` is about, when the parse names one other than her.

    Follows the predicate up through 〜て-chains and a framing 言う (「友達が死にたいって言ってる」).
    """
    tokens = analysis.tokens
    seen = set()
    while 0 <= index < len(tokens) and index not in seen:
        seen.add(index)
        subject = _subject_index(analysis, index)
        if subject is not None:
            noun = tokens[subject]
            if noun.norm in _SELF or noun.norm not in PEOPLE or _clause_between(analysis, subject, index):
                return None
            return noun.norm
        token = tokens[index]
        if token.dep not in ("advcl", "ccomp") or token.head == index:
            return None
        index = token.head
    return None


__all__ = ["NEGATORS", "PEOPLE", "chunk_after", "negated", "own_negation", "passive", "subject_of"]
