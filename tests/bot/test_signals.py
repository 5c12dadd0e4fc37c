"""Signal codes: what behaviour reads (SPEC §2 ``signals``), stable when the counselor-facing words change."""

import dataclasses

import pytest

from bot import lexicon
from bot import signals as sig
from bot.triage import Context, triage


def ranking(intent, confidence=0.9):
    return [{"name": intent, "confidence": confidence}]


@pytest.mark.parametrize(
    "text, intent, code",
    [
        ("さっき薬全部飲んだ", "suicidal_ideation", sig.OVERDOSE_TAKEN),
        ("ブロン50錠いった", "out_of_scope", sig.OVERDOSE_TAKEN),
        ("手首切って血が止まらない", "suicidal_ideation", sig.BODY_EMERGENCY),
        ("いま屋上にいる", "suicidal_ideation", sig.DANGEROUS_PLACE),
        ("線路の前に立ってる", "out_of_scope", sig.DANGEROUS_PLACE),
        ("睡眠薬ためてある", "suicidal_ideation", sig.MEANS_NAMED),
        ("死にたい。カッターなら持ってる", "suicidal_ideation", sig.MEANS_NAMED),
        ("遺書書いた。今夜で終わりにする", "suicidal_ideation", sig.SUICIDE_PLAN),
        ("今彼氏がドア叩いてて怖い", "domestic_violence", sig.DANGER_NOW),
        ("ホテルにいるけど帰らせてくれない", "host_club_trouble", sig.DANGER_NOW),
        ("駅からずっと後をつけられてる", "out_of_scope", sig.FOLLOWED),
        ("担当に風俗行けって言われてる", "host_club_trouble", sig.COERCION),
        ("知らないおじさんが泊めてあげるって", "toyoko_youth", sig.LURING),
        ("今夜寝るとこない", "no_place_to_stay", sig.NO_PLACE_TONIGHT),
        ("昨日ゴム破れた", "pregnancy_worry", sig.EC_WINDOW),
        ("4日前にゴムなしでした", "pregnancy_worry", sig.EC_WINDOW),
        ("昨日の夜、知らない人にレイプされた", "sexual_violence", sig.ASSAULT_RECENT),
        ("もう死にたいとは思ってない", "mental_distress", sig.NEGATED),
        ("推しが尊すぎて死ぬ", "out_of_scope", sig.FIGURATIVE),
        ("店長に殺される笑", "out_of_scope", sig.FIGURATIVE),
        ("しにたい", "mental_distress", sig.LEXICON_FLOOR),
        ("人と話したい", "request_human", sig.WANTS_HUMAN),
        ("まだ15歳", "greet", sig.MINOR),
        ("友達がさっきブロン大量に飲んだって", "suicidal_ideation", sig.THIRD_PARTY),
    ],
)
def test_each_finding_carries_its_code(text, intent, code):
    assert code in triage(text, ranking(intent)).signals


@pytest.mark.parametrize(
    "text, intent, code",
    [
        ("来月でアパート出なきゃいけない。次の家探してる", "no_place_to_stay", sig.NO_PLACE_TONIGHT),
        ("2週間前に避妊失敗して、生理まだ来ない", "pregnancy_worry", sig.EC_WINDOW),
        ("1週間前にゴム破れた", "pregnancy_worry", sig.EC_WINDOW),
        ("3年前にレイプされたことがずっと苦しい", "sexual_violence", sig.ASSAULT_RECENT),
        ("さっき薬全部飲んだ", "suicidal_ideation", sig.THIRD_PARTY),
        ("カッターはもう持ってない", "mental_distress", sig.MEANS_NAMED),
        ("死ぬほど眠い", "out_of_scope", sig.LEXICON_FLOOR),
        ("眠れない", "mental_distress", sig.LEXICON_FLOOR),
        ("こんばんは", "greet", sig.NEGATED),
    ],
)
def test_codes_are_not_given_where_the_finding_is_absent(text, intent, code):
    assert code not in triage(text, ranking(intent)).signals


def test_every_code_used_is_a_known_one():
    used = {s.code for s in lexicon.SIGNALS if s.code}
    assert used <= set(sig.ALL)
    assert len(set(sig.ALL)) == len(sig.ALL)


def test_rewording_every_factor_changes_no_decision(monkeypatch):
    """Behaviour depends on codes only: give every lexicon factor new words and nothing else may change."""
    cases = [
        ("知らないおじさんに泊めてあげるって言われてる、今。15歳", "toyoko_youth", Context()),
        ("もう死にたいとは思ってないけど、窓口ってありますか？", "mental_distress", Context()),
        ("来月でアパート出なきゃいけない。次の家探してる", "no_place_to_stay", Context()),
        ("友達がリスカして血が止まらない", "suicidal_ideation", Context()),
    ]
    before = [triage(t, ranking(i), c) for t, i, c in cases]
    reworded = tuple(dataclasses.replace(s, factor=f"別の言い方{n}") for n, s in enumerate(lexicon.SIGNALS))
    monkeypatch.setattr(lexicon, "SIGNALS", reworded)
    monkeypatch.setattr(lexicon.find_signals, "__defaults__", (reworded,))
    after = [triage(t, ranking(i), c) for t, i, c in cases]
    for old, new in zip(before, after, strict=True):
        assert (new.urgency, new.concerns, new.signals, new.handoff) == (old.urgency, old.concerns, old.signals, old.handoff)
    assert sum(f.startswith("別の言い方") for new in after for f in new.factors) >= 3  # the new words did reach the factors
