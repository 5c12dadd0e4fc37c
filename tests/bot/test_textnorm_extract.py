"""Spelling folds and the facts pulled out of messages."""

import pytest

from bot.extract import other_in_danger, parse_age, parse_hours_ago
from bot.textnorm import normalize


@pytest.mark.parametrize(
    "variant",
    ["しにたい", "シニタイ", "ｼﾆﾀｲ", "しにたーーい", "しにたいいいい", "し に た い"],
)
def test_hidden_spellings_fold_to_one_form(variant):
    assert normalize(variant) == "しにたい"


def test_width_and_case_fold():
    assert normalize("ＯＤした") == "odした"
    assert normalize("ﾀﾋにたい") == "たひにたい"


@pytest.mark.parametrize(
    "text, age",
    [
        ("まだ16なんだけど", 16),
        ("16歳です", 16),
        ("１５さい", 15),
        ("中2です", 14),
        ("高1なんだけど", 16),
        ("JKなんだけど", 16),
        ("中学生です", 14),
        ("23歳の会社員です", 23),
        ("17", 17),
    ],
)
def test_age(text, age):
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["こんばんは", "3日前にゴム破れた", "2時間ねむれない", "中出しされた"])
def test_no_age_when_none_is_given(text):
    assert parse_age(text) is None


@pytest.mark.parametrize(
    "text, hours",
    [
        ("さっきゴム破れた", 3),
        ("昨日の夜ゴムなしでした", 18),
        ("昨日ゴム破れた", 24),
        ("おとといエッチした", 48),
        ("一昨日の夜ゴム破れたかも…", 42),  # not read as 「昨日の夜」 inside 「一昨日の夜」
        ("一昨日", 48),
        ("3日前", 72),
        ("３日くらい前かな", 72),
        ("みっか前", 72),
        ("2週間前", 336),
        ("1ヶ月前", 720),
        ("10時間前", 10),
    ],
)
def test_hours_ago(text, hours):
    assert parse_hours_ago(text) == hours


def test_no_time_when_none_is_given():
    assert parse_hours_ago("生理が遅れてる") is None


@pytest.mark.parametrize(
    "text, person, level",
    [
        ("友達がさっきブロン大量に飲んだって", "友達", "emergency"),
        ("友だちのあやちゃんがODしたっぽい", "友だち", "emergency"),
        ("友達、さっき薬全部飲んだみたい", "友達", "emergency"),
        ("友達が腕切ってて血が止まらない", "友達", "emergency"),
        ("彼氏がODして意識ない", "彼氏", "emergency"),
        ("うちの子が息してない", "うちの子", "emergency"),
        ("妹が彼氏に殴られてる", "妹", "high"),
        ("弟は死にたいって毎日言ってる", "弟", "high"),
        ("友達が歌舞伎町で知らないおじさんにホテル連れてかれそう", "友達", "emergency"),
        ("先輩が飛び降りるって言ってる", "先輩", "emergency"),
    ],
)
def test_whose_danger_someone_else(text, person, level):
    other = other_in_danger(text)
    assert other is not None
    assert (other.person, other.level) == (normalize(person), level)


@pytest.mark.parametrize(
    "text",
    [
        "さっき薬全部飲んだ",
        "友達に相談したら死にたいなら死ねって言われた",
        "彼氏がレイプしてきた",
        "彼氏がずっとついてくる",
        "彼氏が浮気したから薬全部飲んだ",
        "友達がリスカしてないか心配",
        "友達がテストで死にそう",
        "このままがいい",
        "彼氏がODしろって",
        "彼氏がODとかするなって",
        "友達がブロンくれた",
        "友達はもうODやめたって",
        "母が怒って薬全部飲んだ",
    ],
)
def test_whose_danger_hers_or_nobodys(text):
    assert other_in_danger(text) is None
