"""Triage per SPEC §2: the lexicon as a safety net, negation, figures of speech, context."""

import pytest

from bot import signals as sig
from bot.triage import Context, triage


def ranking(intent, confidence=0.9, second=None):
    items = [{"name": intent, "confidence": confidence}]
    if second:
        items.append({"name": second[0], "confidence": second[1]})
    return items


def rules_level(text):
    """The rules' urgency for a message the classifier reads as nothing in particular (no risk score)."""
    return triage(text, ranking("out_of_scope", 0.6), score_risk=False).urgency


@pytest.mark.parametrize(
    "text",
    [
        "さっき薬全部飲んだ",
        "ブロン50錠いった",
        "ODした…ふらふらする",
        "眠剤まとめて飲んじゃった",
        "今から飛び降りる",
        "ロープ買ってきた",
        "友達がODして意識ない",
    ],
)
def test_imminent_suicide_risk_is_emergency_even_if_the_classifier_misses(text):
    result = triage(text, ranking("out_of_scope", 0.6))
    assert result.urgency == "emergency"
    assert "suicide_risk" in result.concerns
    assert result.handoff


@pytest.mark.parametrize("text", ["しにたい", "氏にたい", "ﾀﾋにたい", "タヒりたい", "消えたい", "全部終わりにしたい", "リスカやめられない"])
def test_hidden_ideation_is_high(text):
    result = triage(text, ranking("mental_distress", 0.5))
    assert result.urgency == "high"
    assert "suicide_risk" in result.concerns


@pytest.mark.parametrize("text", ["死ぬほど眠い", "推しが尊すぎて死ぬ", "テスト死んだ笑", "このドラマのDV男ほんと無理"])
def test_figurative_speech_is_not_risk(text):
    result = triage(text, ranking("out_of_scope", 0.8))
    assert result.urgency == "low"
    assert not result.handoff


def test_negated_ideation_counts_as_distress_not_risk():
    result = triage("もう死にたいとは思ってないけど、眠れない", ranking("mental_distress", 0.8))
    assert result.urgency == "medium"
    assert "suicide_risk" not in result.concerns
    assert "mental_distress" in result.concerns


def test_condom_failure_yesterday_for_a_16_year_old():
    result = triage("昨日ゴム破れたかも…まだ16なんだけど", ranking("pregnancy_worry"))
    assert result.urgency == "high"
    assert result.concerns == ["pregnancy", "minor"]
    assert "16歳と記載" in result.factors
    assert result.handoff


def test_pregnancy_worry_outside_the_window_is_medium_for_an_adult():
    result = triage("2週間前に避妊失敗して、生理まだ来ない", ranking("pregnancy_worry"))
    assert result.urgency == "medium"
    assert not result.handoff


def test_age_given_earlier_carries_into_later_messages():
    result = triage("家に帰りたくない", ranking("toyoko_youth"), Context(age=15))
    assert "minor" in result.concerns
    assert result.urgency == "high"


def test_time_answered_in_the_form_opens_the_window():
    result = triage("ほんとに不安", ranking("pregnancy_worry"), Context(pregnancy_hours=30))
    assert result.urgency == "high"


def test_violence_happening_now_is_emergency():
    result = triage("今彼氏がドア叩いてて怖い", ranking("domestic_violence"))
    assert result.urgency == "emergency"


def test_recent_assault_is_emergency_past_assault_is_high():
    assert triage("さっき知らない人に襲われた", ranking("sexual_violence")).urgency == "emergency"
    assert triage("3年前にレイプされたことがずっと苦しい", ranking("sexual_violence")).urgency == "high"


def test_host_debt_alone_is_medium_coercion_is_high():
    assert triage("売掛が50万ある", ranking("host_club_trouble")).urgency == "medium"
    assert triage("担当に風俗行けって言われてる", ranking("host_club_trouble")).urgency == "high"


def test_asking_for_a_human_hands_off_without_raising_urgency():
    result = triage("人と話したい", ranking("request_human"))
    assert result.handoff
    assert result.urgency == "low"


def test_urgency_of_the_conversation_never_drops():
    result = triage("ありがとう", ranking("thank"), Context(max_urgency="emergency"))
    assert result.urgency == "low"
    assert result.max_urgency == "emergency"


def test_nlu_fallback_is_skipped_in_the_ranking():
    result = triage("うーん", [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "greet", "confidence": 0.2}])
    assert result.intent == "greet"


def test_a_general_information_question_is_low():
    result = triage("悪質なホストクラブについて相談できる窓口ってありますか？", ranking("host_club_trouble"))
    assert result.urgency == "low"
    assert result.concerns == ["host_club"]


def test_a_personal_question_is_not_treated_as_general():
    result = triage("売掛50万あるんだけど、払わなくていいって本当？", ranking("host_club_trouble"))
    assert result.urgency == "medium"


def test_losing_housing_next_month_is_medium_nowhere_tonight_is_high():
    assert triage("来月でアパート出なきゃいけない。次の家探してる", ranking("no_place_to_stay")).urgency == "medium"
    assert triage("今夜寝るとこない", ranking("no_place_to_stay")).urgency == "high"


def test_a_minor_being_lured_right_now_is_emergency():
    result = triage("知らないおじさんに泊めてあげるって言われてる、今。15歳", ranking("toyoko_youth"))
    assert result.urgency == "emergency"
    assert "minor" in result.concerns


def test_being_kept_from_leaving_is_emergency_whatever_the_intent():
    assert triage("ホテルにいるけど帰らせてくれない", ranking("host_club_trouble")).urgency == "emergency"


def test_dialect_and_habitual_violence():
    assert triage("もう生ぎでぐねぇ", ranking("greet", 0.9)).urgency == "high"
    assert triage("旦那さ酒飲むど手ぇ出すんだ", ranking("greet", 0.8)).urgency == "high"


def test_a_threat_said_in_jest_is_not_violence():
    result = triage("バイト先の店長に殺される笑", ranking("out_of_scope"))
    assert result.urgency == "low"


def test_figurative_death_does_not_lift_a_secondary_suicide_guess():
    result = triage("ライブ最高すぎて死ねる", ranking("out_of_scope", 0.55, ("suicidal_ideation", 0.4)))
    assert result.urgency == "low" and "suicide_risk" not in result.concerns


def test_a_depicted_death_does_not_lift_a_secondary_suicide_guess():
    # transcript 30 went to a counselor once the blended classifier put suicide second at 0.38 (session 18)
    scene = ranking("out_of_scope", 0.56, ("suicidal_ideation", 0.38))
    watched = triage("昨日のドラマで屋上から飛び降りるシーンあってガチ泣きした😭", scene)
    assert watched.urgency == "low" and "suicide_risk" not in watched.concerns  # nor the suicide words in reply
    assert triage("昨日ドラマ見てて、なんかもう疲れた", scene).urgency == "high"  # no depiction: the guess counts


def test_yes_to_the_means_question_is_an_emergency():
    context = Context(answering="suicide_means", previous_concerns=("suicide_risk",), max_urgency="high")
    result = triage("うん", ranking("affirm"), context)
    assert result.urgency == "emergency"
    assert "suicide_risk" in result.concerns


def test_naming_the_means_in_reply_is_an_emergency_whatever_the_intent():
    context = Context(answering="suicide_means", previous_concerns=("suicide_risk",))
    assert triage("わからない、カッターは机にある", ranking("deny", 0.6), context).urgency == "emergency"


def test_no_to_the_means_question_keeps_the_topic_without_escalating():
    context = Context(answering="suicide_means", previous_concerns=("suicide_risk",), max_urgency="high")
    result = triage("ううん、ない", ranking("deny"), context)
    assert result.urgency == "high"
    assert "suicide_risk" in result.concerns


def test_no_safe_place_tonight_is_high():
    context = Context(answering="safe_place", previous_concerns=("toyoko",))
    result = triage("ない", ranking("deny"), context)
    assert result.urgency == "high"
    assert "no_place_to_stay" in result.concerns


def test_coercion_written_in_kana():
    assert triage("担当の売掛が払えなくて風俗いけって言われてる", ranking("host_club_trouble")).urgency == "high"


def test_nowhere_to_sleep_in_kana_only_is_high_whatever_the_intent():
    assert triage("きょうねるとこない", ranking("mental_distress", 0.69, ("no_place_to_stay", 0.3))).urgency == "high"


# --- someone else in danger (issue #7 item 3, SPEC §2: a friend's crisis is still a concern) ---

@pytest.mark.parametrize(
    "text, intent, urgency, concern",
    [
        ("友達がさっきブロン大量に飲んだって", "suicidal_ideation", "emergency", "suicide_risk"),
        ("友達がリスカして血が止まらない", "suicidal_ideation", "emergency", "suicide_risk"),
        ("友達が屋上にいて飛び降りるって", "suicidal_ideation", "emergency", "suicide_risk"),
        ("子どもが息してない", "out_of_scope", "emergency", None),
        ("うちの子が呼んでも起きない", "greet", "emergency", None),
        ("ブロン大量に飲んだって友達からLINEきた", "out_of_scope", "emergency", "suicide_risk"),
        ("妹が彼氏に殴られてる", "domestic_violence", "high", "domestic_violence"),
        ("友達が死にたいって言ってる", "mental_distress", "high", "suicide_risk"),
        ("友達が知らない人に襲われたって", "sexual_violence", "high", "sexual_violence"),
    ],
)
def test_someone_else_in_danger_is_flagged_as_theirs(text, intent, urgency, concern):
    result = triage(text, ranking(intent, 0.6))
    assert "third_party" in result.signals
    assert result.urgency == urgency
    assert result.handoff
    if concern:
        assert concern in result.concerns


@pytest.mark.parametrize(
    "text",
    [
        "さっき薬全部飲んだ",
        "友達に相談したら死にたいなら死ねって言われた",
        "彼氏が浮気してて死にたい",
        "彼氏が別れるって言うから薬全部飲んだ",
        "母が寝てる間に薬全部飲んだ",
        "彼氏が殴ってくる",
        "友達とODした",
        "友達は知らないけど私いまOD中",
        "妹もリスカしてる",
        "彼氏が帰してくれない",
    ],
)
def test_her_own_crisis_is_not_someone_elses(text):
    result = triage(text, ranking("suicidal_ideation", 0.6))
    assert "third_party" not in result.signals
    assert result.urgency in ("high", "emergency")


# --- answers to the safety question, read by bot.yesno ---

def test_im_okay_to_is_there_a_safe_place_means_yes_there_is():
    context = Context(answering="safe_place", previous_concerns=("toyoko",), max_urgency="medium")
    result = triage("大丈夫", ranking("goodbye", 0.5), context)
    assert "no_place_to_stay" not in result.concerns
    assert result.urgency == "medium"


@pytest.mark.parametrize("text, urgency", [("大丈夫", "high"), ("いまはいない", "high"), ("大丈夫じゃない", "emergency"),
                                           ("いる", "emergency"), ("うん、隣の部屋にいる", "emergency")])
def test_is_he_near_you(text, urgency):
    context = Context(answering="dv_nearby", previous_concerns=("domestic_violence",), max_urgency="high")
    assert triage(text, ranking("out_of_scope", 0.4), context).urgency == urgency


def test_an_unclear_answer_raises_nothing():
    context = Context(answering="suicide_means", previous_concerns=("suicide_risk",), max_urgency="high")
    result = triage("うーん", ranking("affirm", 0.3), context)
    assert result.urgency == "high"


# --- sexual assault windows: 12 h emergency, 120 h still in time for the one-stop centre ---

def test_assault_two_days_ago_is_high_and_still_in_time():
    result = triage("おととい知らない人にレイプされた", ranking("sexual_violence"))
    assert result.urgency == "high"
    assert "assault_recent" in result.signals
    assert result.hours_since_event == 48


def test_the_counselor_reads_the_rule_that_made_an_assault_an_emergency():
    from bot.limits import ASSAULT_EMERGENCY_HOURS

    result = triage("さっき知らない人に襲われた", ranking("sexual_violence"))
    assert any(f"{ASSAULT_EMERGENCY_HOURS:.0f}時間以内" in f for f in result.factors)
    assert not any("24時間" in f for f in result.factors)


# --- means across turns (issue #6) ---

def test_means_named_earlier_and_tonight_now_is_an_emergency():
    first = triage("睡眠薬ためてある", ranking("mental_distress", 0.5))
    assert "means_named" in first.signals
    context = Context(recent_signals=tuple(first.signals), concerns=tuple(first.concerns), max_urgency=first.max_urgency)
    second = triage("今夜ぜんぶ飲む", ranking("out_of_scope", 0.5), context)
    assert second.urgency == "emergency"
    assert "suicide_risk" in second.concerns


def test_tonight_without_means_named_earlier_is_not_an_emergency():
    assert triage("今夜ぜんぶ飲む", ranking("out_of_scope", 0.5)).urgency == "low"
    context = Context(recent_signals=("means_named",))
    assert triage("今夜は飲まないでおく", ranking("out_of_scope", 0.5), context).urgency != "emergency"


def test_wish_to_die_with_a_means_at_hand_is_an_emergency():
    assert triage("死にたい。カッター持ってる", ranking("suicidal_ideation")).urgency == "emergency"
    assert triage("死にたいけどカッターはもう持ってない", ranking("suicidal_ideation")).urgency == "high"


def test_the_abuser_coming_home_in_a_violence_conversation_is_an_emergency():
    context = Context(concerns=("domestic_violence",), previous_concerns=("domestic_violence",), max_urgency="high")
    result = triage("やばい、帰ってきた", ranking("out_of_scope", 0.5), context)
    assert result.urgency == "emergency"
    assert "danger_now" in result.signals
    assert triage("今日は帰ってこないみたい", ranking("out_of_scope", 0.5), context).urgency != "emergency"
    assert triage("今夜も帰ってくるのがこわい", ranking("domestic_violence"), context).urgency == "high"
    assert triage("やばい、帰ってきた", ranking("out_of_scope", 0.5)).urgency == "low"


def test_dying_of_sleepiness_is_a_figure_but_dying_of_pain_is_not():
    assert "figurative" in triage("死ぬほど眠い", ranking("out_of_scope")).signals
    hurt = triage("死ぬほどつらい", ranking("mental_distress", 0.5, ("suicidal_ideation", 0.4)))
    assert "figurative" not in hurt.signals
    assert hurt.urgency == "high"


def test_romaji_japanese_is_read_by_the_lexicon():
    """「shinitai」 is Japanese typed without a kana keyboard: the safety net reads it (bot.language)."""
    assert triage("shinitai", []).urgency == "high"
    assert triage("kusuri zenbu nonda", []).urgency == "emergency"
    assert triage("hello", []).urgency == "low"


@pytest.mark.parametrize(
    "text, urgency",
    [
        ("金尽きるまで飲んだくれて死のう。", "high"),  # a volitional 死のう on its own is a wish to die
        ("しぬもう無理そう。つかれた", "high"),
        ("死ぬのならいいかなと思っています", "high"),
        ("久しぶりー、実はさぁ、もう死のうと思うんだよね", "emergency"),  # a decision, like 「死にます」
        ("来週どっかで遺体が見つかったら、それうちなんで", "emergency"),  # her own body to be found: a plan
        ("死体が出たら俺だと思ってください", "emergency"),
    ],
)
def test_ways_of_saying_she_will_die_that_have_no_tai(text, urgency):
    assert triage(text, ranking("mental_distress", 0.5)).urgency == urgency


@pytest.mark.parametrize("text", ["暑くて死ぬ", "死ぬほど笑った", "死ぬかと思ったけど楽しかった"])
def test_hyperbole_with_shinu_stays_calm(text):
    assert triage(text, ranking("out_of_scope", 0.8)).urgency == "low"


@pytest.mark.parametrize(
    "text, concern",
    [
        ("こないだ親からコップ飛んできて、マジで危なかった", "domestic_violence"),
        ("彼に物を投げられた", "domestic_violence"),
        ("父が寝てる私の胸とか触ってくる", "sexual_violence"),
        ("ワインを飲ませてから無理やり犯すなんてひどすぎる", "sexual_violence"),
        ("誰にも言えないまま臨月になってしまって", "pregnancy"),
    ],
)
def test_violence_and_hidden_pregnancy_without_the_usual_words(text, concern):
    result = triage(text, ranking("mental_distress", 0.5))
    assert result.urgency == "high" and concern in result.concerns


def test_a_plea_opening_a_pregnancy_question_is_not_a_cry_of_danger():
    plea = triage("助けて下さい。彼女が妊娠してしまいました", ranking("pregnancy_worry", 0.9), score_risk=False)
    assert plea.urgency == "medium"
    assert triage("助けて。妊娠したかも。死にたい", ranking("pregnancy_worry", 0.9)).urgency == "high"
    assert triage("助けて", ranking("mental_distress", 0.5)).urgency == "high"


def test_now_before_a_status_is_not_a_time():
    result = triage("私は今高校生で、彼氏とゴムだけで避妊してるけど不安です", ranking("pregnancy_worry", 0.9),
                    score_risk=False)
    assert result.hours_since_event is None and "ec_window" not in result.signals


def test_an_attempt_told_as_past_experience_with_now_safe_is_medium():
    result = triage("死のうとしたことがあるけど今は大丈夫", ranking("suicidal_ideation", 0.9), score_risk=False)
    assert result.urgency == "medium"


@pytest.mark.parametrize(
    "text, urgency",
    [
        ("自分なんてこの世にいないほうがいいんじゃないか", "high"),  # a question that affirms, not a denial
        ("自殺場所はもう決めてあります", "emergency"),
        ("7月16日に死のうと思う。朝の7時がいい", "emergency"),  # the hour chosen (session 17); a date alone stays high
        ("電車でお尻を撫で回された", "high"),
        ("服の中に手を入れてきて、やめてって言ってもやめてくれなかった", "high"),
    ],
)
def test_more_ways_danger_is_said(text, urgency):
    assert triage(text, ranking("mental_distress", 0.5)).urgency == urgency


def test_a_kitchen_knife_while_cooking_is_not_violence():
    result = triage("包丁を洗っているとき指を切ってしまった。絆創膏がない", ranking("out_of_scope", 0.9))
    assert "danger_now" not in result.signals and result.urgency != "emergency"
    assert triage("彼が包丁を向けてきた", ranking("domestic_violence", 0.9)).urgency == "emergency"


def test_a_school_year_alone_does_not_put_her_on_the_street():
    result = triage("高校生です。", ranking("no_place_to_stay", 0.8), score_risk=False)
    assert result.urgency != "high"
    assert triage("高校生です。トー横にいる", ranking("toyoko_youth", 0.9)).urgency == "high"


@pytest.mark.parametrize(
    "text",
    [
        "彼氏がスマホ勝手に見て、友達とも会うなって言われてる",
        "元カレがバイト先まで来る。毎日LINE50件とかくる",
        "同棲してる彼氏、怒ると物投げてくる",
        "彼氏にお前なんか死ねって言われた",
        "しぬもう無理そう。つかれた",
    ],
)
def test_control_stalking_and_abuse_said_plainly_are_high_without_the_classifier(text):
    assert triage(text, (), score_risk=False).urgency == "high"


@pytest.mark.parametrize("text", ["友達が家まで来てくれた", "ボールを投げる練習してる", "毎晩2時ごろに寝る"])
def test_ordinary_words_near_those_stay_calm(text):
    assert triage(text, (), score_risk=False).urgency == "low"


@pytest.mark.parametrize("text", [
    "明日テストとか無理",  # folded, ストーカー would read 「すとか」
    "夜行バスとかゲストハウスよりはマシ",
    "渋谷と横浜に行った",  # not トー横
    "準備しといて、風邪薬飲んだ",  # not シート
])
def test_words_that_only_look_like_risk_words_once_folded(text):
    result = triage(text, (), score_risk=False)
    assert result.urgency == "low" and not result.concerns


def test_katakana_risk_words_are_still_read():
    assert "domestic_violence" in triage("元彼がストーカーになった", (), score_risk=False).concerns
    assert "toyoko" in triage("トー横にいる", (), score_risk=False).concerns


@pytest.mark.parametrize("text", ["無理だよ、話し相手がいません、誰も助けてくれません", "助けてって言いたいけど声が出ない"])
def test_speaking_about_help_is_not_a_cry_for_it(text):
    assert triage(text, ranking("mental_distress", 0.9), score_risk=False).urgency == "medium"


def test_a_guess_of_housing_trouble_is_not_raised_by_a_day_word():
    trip = triage("昨日から仕事でカプセルホテルに泊まっています。快適です", ranking("no_place_to_stay", 0.6),
                  score_risk=False)
    assert trip.urgency != "high" and "no_place_tonight" not in trip.signals
    walking = triage("始発まであと4時間、ずっと歩いてる。お金ないからどこにも入れない", (), score_risk=False)
    assert walking.urgency == "high" and "no_place_tonight" in walking.signals


@pytest.mark.parametrize("text, concern", [
    ("もう疲れた そろそろかな", "suicide_risk"),
    ("高1の終わり、父の子どもを妊娠した", "sexual_violence"),
    ("子どもの前で夫に足蹴りをされた", "domestic_violence"),
    ("売掛金が増えると寝る暇もないほど働かされるようになった", "host_club"),
    # dialect, kana, polite or plain tellings with no classifier (session 14)
    ("もう生きとるのがつらか", "suicide_risk"),  # 九州・広島の言い方
    ("生きとっても意味なかよ", "suicide_risk"),
    ("最近すぐ死にとうなる", "suicide_risk"),
    ("一緒に薬飲んでくれる子いないかな", "suicide_risk"),  # looking for someone to overdose with
    ("電車に轢かれたら死ねるかなって考えてる", "suicide_risk"),
    ("バイト帰りに知らない男に後ろから抱きつかれた", "sexual_violence"),
    ("夜になると親に家から閉め出される", "no_place_to_stay"),
    # hidden spellings: a mask mark inside the word, the word in quote brackets
    ("レ○プされたのがずっと怖い", "sexual_violence"),  # a mask mark inside the word
    ("自.殺の方法ずっと調べてる", "suicide_risk"),
    ("彼氏からLINEで『殺す』って毎日くる", "domestic_violence"),  # the word in quote brackets
    ("兄貴に毎日どつかれとる", "domestic_violence"),
    ("ｶﾚｼにくびしめられた", "domestic_violence"),
    ("無理やり脱がされて撮られた", "sexual_violence"),
    ("今夜から行き場ない", "no_place_to_stay"),
])
def test_indirect_but_plain_high_risk(text, concern):
    result = triage(text, (), score_risk=False)
    assert result.urgency == "high" and concern in result.concerns


def test_being_overworked_by_a_company_is_not_host_coercion():
    assert triage("ブラック企業で働かされてる", (), score_risk=False).urgency == "low"


@pytest.mark.parametrize("text", [
    "死にたい気持ちがある。明日は朝9時からバイト",
    "3月10日に祖母が死んだ",
    "もう死のうとは思ってない",
    "前はもう死のうと思ってたけど今は大丈夫",
    "猫の赤ちゃんが生まれそう",
    "姉がもうすぐ生まれそうで病院にいる",
    "ボールを遠くまで投げられるようになった",
    "彼氏のスマホを勝手に見てしまった",
    "明日は友達に会うなー楽しみ",
    "グループLINEの通知が100件きてた",
    "彼氏が家の前で待っててくれた",
    "自分の胸を触ったらしこりがある",
    "叔父の子が妊娠したらしい",
    "終電逃して始発まで外で飲んでた",
    "スマホが虫の息",
    "救急車呼べるほどじゃないけど",
    "一人で産んで一人で育てるつもりです",
    "祖父がこの世を去って一年",
    "遺体を見つけたのは私です",
    "死体が出てくるドラマ、私好きなんだよね",
    "昨日のニュースで遺体が見つかったって。私怖い",
    "遺体が見つかったニュース、自分だったらと思うと怖い",
])
def test_ordinary_sentences_near_the_new_words_are_not_emergencies_or_abuse(text):
    result = triage(text, (), score_risk=False)
    assert result.urgency != "emergency"
    assert not {"domestic_violence", "sexual_violence"} & set(result.concerns)
    assert "late_pregnancy" not in result.signals


@pytest.mark.parametrize("text, urgency", [
    ("助けてくれませんか", "high"),
    ("ストーカされてる", "high"),
    ("妊娠36週だけど誰にも言えてない", "high"),
    ("妊娠8ヶ月、親にも彼氏にも言ってない", "high"),
    ("トイレで産んじゃった", "high"),
    ("お腹痛くて、赤ちゃん出てきそう", "emergency"),
    ("彼氏に首を絞められたことがある", "high"),  # not history: nothing says it is over
    ("妊娠してるけど誰にも言えない。助けて", "high"),
])
def test_what_the_review_found_missing(text, urgency):
    assert triage(text, (), score_risk=False).urgency == urgency


def test_toyoko_spelled_every_way():
    for text in ["ト横にいる", "ト〜横キッズ", "トーヨコいる", "とー横なう"]:
        assert "toyoko" in triage(text, (), score_risk=False).concerns


@pytest.mark.parametrize("text", ["今高校生で、親とけんかした", "大学生で一人暮らしです", "中学生で毎日塾"])
def test_a_school_year_is_not_sex_without_a_condom(text):
    assert "pregnancy" not in triage(text, (), score_risk=False).concerns  # 「高校生で」 contains 「生で」


def test_sex_without_a_condom_is_still_read():
    assert "pregnancy" in triage("昨日生でしちゃった", (), score_risk=False).concerns


@pytest.mark.parametrize("text", ["妊娠してて出血が止まらない", "生理の血が止まらない"])
def test_bleeding_in_a_pregnancy_or_a_period_is_her_body_not_self_harm(text):
    result = triage(text, (), score_risk=False)
    assert result.urgency == "emergency" and "body_emergency" in result.signals
    assert "suicide_risk" not in result.concerns
    assert "suicide_risk" in triage("腕切って血が止まらない", (), score_risk=False).concerns


@pytest.mark.parametrize("text", ["死にとうないよ", "一緒にお酒飲んでくれる友達ほしい", "姪っ子に抱きつかれてかわいかった"])
def test_the_same_words_in_calm_sentences_stay_calm(text):
    assert triage(text, (), score_risk=False).urgency in ("low", "medium")


@pytest.mark.parametrize("text", ["夫から逃げてきました。今夜泊まる場所がありません", "今夜寝るところがございません"])
def test_polite_there_is_none_reads_like_plain_none(text):
    result = triage(text, (), score_risk=False)
    assert result.urgency == "high" and "no_place_tonight" in result.signals


def test_polite_negation_of_a_verb_is_not_folded():
    assert triage("今日は出かけません", (), score_risk=False).urgency == "low"


def test_a_station_platform_jump_decided_is_an_emergency():
    assert triage("今夜ホームから飛ぶって決めた", (), score_risk=False).urgency == "emergency"


@pytest.mark.parametrize("text", ["11月●日に生理がきた", "暴言・暴力はもうない平和な家です笑", "推しの『尊い』って言葉好き"])
def test_masked_dates_and_lists_stay_calm(text):
    result = triage(text, (), score_risk=False)
    assert result.urgency != "emergency"
    assert "sexual_violence" not in result.concerns


@pytest.mark.parametrize("text", [
    "起きたら知らない部屋にいて何も覚えてない",  # waking somewhere unknown
    "友達がブロン飲みすぎて動かない",  # someone who took pills and does not move
    "痴漢された、いま駅のトイレ。まだ近くにいるかも",  # the man still near
])
def test_a_body_or_a_man_in_danger_now_is_an_emergency(text):
    assert triage(text, (), score_risk=False).urgency == "emergency"


@pytest.mark.parametrize("text", ["パソコンが動かない", "朝目が覚めたら知らない天井だった、引っ越したばかり"])
def test_ordinary_waking_and_broken_things_are_not_emergencies(text):
    assert triage(text, (), score_risk=False).urgency != "emergency"


@pytest.mark.parametrize("text", ["起きたら知らない部屋にいて何も覚えてない", "目が覚めたら知らないホテルで服が乱れてた",
                                  "記憶がなくて知らない家で目が覚めました"])
def test_waking_somewhere_unknown_is_a_suspected_assault_whatever_the_classifier_reads(text):
    result = triage(text, ranking("mental_distress"))
    assert result.urgency == "emergency" and "sexual_violence" in result.concerns
    assert sig.ASSAULT_RECENT in result.signals and sig.BODY_EMERGENCY not in result.signals


@pytest.mark.parametrize("intent", ["out_of_scope", "mental_distress", "toyoko_youth"])
def test_a_minor_who_does_not_want_to_go_home_tonight_is_high_whatever_the_classifier_reads(intent):
    result = triage("家に帰りたくなくて今夜どうしよう", ranking(intent), Context(age=15))
    assert result.urgency == "high" and {"toyoko", "minor"} <= set(result.concerns)


def test_an_adult_who_does_not_want_to_go_home_is_not_raised():
    assert triage("家に帰りたくない…", ranking("mental_distress"), score_risk=False).urgency == "medium"


@pytest.mark.parametrize("text, signal", [
    ("さっき眠剤ぜんぶ流し込んだ なんかふわふわしてきた", "overdose_taken"),  # kana ぜんぶ, another verb
    ("市販薬まとめて流し込んだ", "overdose_taken"),
    ("屋上の柵こえちゃった🙃 風つよ", "dangerous_place"),  # the fence, in kana
    ("駅出てからずっと同じ男の人がうしろにいる…外で待ってる", "followed"),
    ("知らない人の家で目が覚めた。服がない。どこかわからない", "woke_unknown_place"),  # the place said first
    ("部屋の外から鍵かけられてて出られない", "trapped_now"),
    ("一緒に終わりにしてくれる人いないかな", "suicide_plan"),  # someone to die with, said softly
    ("腕切ったら思ったより深くて、タオルも真っ赤。止まんない", "self_harm_bleeding"),
    ("ひとりで産まれそう お腹いたいの間隔みじかくなってきた", "labour_now"),
])
def test_emergencies_in_other_spellings_and_orders(text, signal):
    """Found by a probe of new messages (session 16): each was one level short, or read as a housing worry."""
    result = triage(text, ranking("out_of_scope", 0.6), score_risk=False)
    assert result.urgency == "emergency", signal


@pytest.mark.parametrize("text", [
    "風邪薬を水で流し込んだ",
    "眠剤を流し込んで寝た",
    "顔が真っ赤で汗が止まらない",
    "髪切ったら笑いが止まらない",
    "鍵なくして家から出られない",
    "柵の外から見てた",
    "友達とホラー映画みた、後ろからついてくる系のやつ",
])
def test_the_same_words_in_ordinary_sentences_stay_calm(text):
    assert rules_level(text) != "emergency"


@pytest.mark.parametrize("text", [
    "ロヒ50錠とお酒いっしょにいった",  # a count and the slang いった, words apart
    "80~90錠一気飲み",
    "デパス20錠飲んだ",
    "知らない男にもらったお酒飲んだら体が動かない",  # drugged: a drink given, then the body fails
    "先輩にお酒飲まされて意識がもうろうとしてる",
])
def test_many_tablets_and_a_drink_that_took_her_body_are_emergencies(text):
    assert rules_level(text) == "emergency"


@pytest.mark.parametrize("text", [
    "アフターピル1錠飲んだけど大丈夫かな",  # was an overdose emergency: any 錠 before 飲んだ counted
    "毎朝ピル1錠飲んでる",
    "ロキソニン2錠飲んだ",
    "医者に10錠までって言われた",
    "一日3錠って先生がいってた",
    "風邪で錠剤飲んだ",
    "もらったお酒飲みすぎて記憶がない笑",
    "友達にもらったジュース飲んだら元気出た",
])
def test_a_dose_and_a_night_of_drinking_are_not_overdoses_or_drugging(text):
    assert rules_level(text) != "emergency"


@pytest.mark.parametrize("text", [
    "新宿のホテルにいる。一緒にいる人が私の飲み物になんか入れてた気がする。頭ふわふわして立てない",
    "いま渋谷。改札出てからずっと同じ男が後ろにいて、コンビニ入っても外で待ってる。どうしよ",
    "部屋に鍵かけられて出してもらえない。スマホだけ隠してて、彼氏が寝てる間に打ってる",
    "元旦那からLINEで『今から行くから』って。住所教えてないのに、なんで知ってるの",
    "駅のホームなう。次の快速きたら、って思ってる。不思議と怖くない",
    "ちょ いま家の前にもとかれおる インターホンなんかいもならしてくる けいさつよぶべき？？",
])
def test_emergencies_a_second_probe_found_said_another_way(text):
    """Session-17 probe (written by a helper who never saw the rules): each was triaged low by the rules."""
    assert rules_level(text) == "emergency"


@pytest.mark.parametrize("text", [
    "次の電車きたら乗るね",
    "家の前に彼氏が迎えに来てくれた",
    "子どもが寝ないからお風呂から出してもらえない笑",
    "ジュースに氷入れたらふわふわのかき氷みたい",
    "頭いたすぎてロキソニン2錠のんだ。明日テストなのに死ぬほどねむい笑",  # 明日…死ぬ was a suicide plan
    "今日ばり暑かね〜 死ぬかと思ったっちゃん。博多で35度とかありえんけん",
])
def test_their_ordinary_neighbours_are_not_emergencies(text):
    assert rules_level(text) != "emergency"


@pytest.mark.parametrize("text", [
    "5年前にDVの元彼から逃げて、今は別の県で普通に暮らしてます。最近やっと男の人の大きい声にビクッとしなくなりました",
    "中学の頃は親に殴られてたけど、今は一人暮らしで連絡も取ってなくて平和です。たまに夢に出てくるくらい",
    "昔リスカしてた跡、夏になると気になる。もう何年も切ってないけど、半袖着るのちょっと勇気いるんよね",
    "友達が前に彼氏に束縛されててずっと心配してたんだけど、去年ちゃんと別れて今は新しい人と幸せそう。ほんとよかった",
])
def test_a_danger_she_says_is_over_is_history(text):
    assert rules_level(text) == "medium"


@pytest.mark.parametrize("text", [
    "前に言ったけど、彼氏に毎日殴られてる",
    "去年から彼に殴られてる",
    "高校のとき彼氏に殴られてて、今も連絡してくる",
    "友達が前に彼氏に殴られてて、今も別れてない",
])
def test_a_past_word_with_the_danger_still_going_on_is_not_history(text):
    assert rules_level(text) in ("high", "emergency")


def test_an_emergency_contraception_question_for_later_is_not_urgent():
    text = "緊急避妊薬ってオンライン診療でも処方してもらえるって本当ですか？今必要なわけじゃないけど、いざって時のために知っておきたくて"
    result = triage(text, ranking("pregnancy_worry"), score_risk=False)
    assert result.urgency == "low" and "ec_window" not in result.signals


def test_an_emergency_contraception_need_is_still_high():
    assert triage("昨日ゴム破れた。アフターピルどこで買える？", ranking("pregnancy_worry"), score_risk=False).urgency == "high"


@pytest.mark.parametrize("text", [
    "アフターピル1錠飲んだけど大丈夫かな",  # was an overdose emergency, then an EC race (「飲んだ」 read as a need)
    "昨日アフターピル飲んでから生理みたいな出血がある",  # 昨日 is when she took the pill
    "昨日の夜ゴム破れて、今日アフターピル飲んだ。これで大丈夫？",
])
def test_emergency_contraception_already_taken_is_a_worry_not_a_race(text):
    result = triage(text, ranking("pregnancy_worry"), score_risk=False)
    assert result.urgency == "medium" and "ec_window" not in result.signals


@pytest.mark.parametrize("text", ["アフターピル飲んだほうがいいかな", "ゴム破れた。アフターピルってどこで買える"])
def test_emergency_contraception_still_to_take_stays_high(text):
    assert triage(text, ranking("pregnancy_worry"), score_risk=False).urgency == "high"


def test_the_pill_taken_is_remembered_while_she_answers_when_it_happened():
    """「昨日の夜」 in the check is not an EC race when she said earlier she has taken the pill."""
    first = triage("アフターピル1錠飲んだけど大丈夫かな", ranking("pregnancy_worry"), score_risk=False)
    assert "ec_taken" in first.signals
    context = Context(active_topic="pregnancy", pregnancy_hours=20, recent_signals=tuple(first.signals))
    answer = triage("昨日の夜", ranking("out_of_scope", 0.5), context, score_risk=False)
    assert answer.urgency in ("low", "medium") and "ec_taken" in answer.signals and "ec_window" not in answer.signals


def test_the_pill_taken_and_then_thrown_up_is_a_race_again():
    result = triage("昨日の夜ゴム破れて、今朝アフターピル飲んだけど吐いちゃった", ranking("pregnancy_worry"), score_risk=False)
    assert result.urgency == "high" and "ec_taken" not in result.signals


@pytest.mark.parametrize("text", [
    "死のうと思うんですよ。7月16日は、私の誕生日で、大安なんです。朝の7時がいいんです。",  # real dev D3-053, reworded
    "死にたい。誕生日に死ぬって決めた",
])
def test_a_wish_to_die_with_the_day_or_hour_chosen_is_a_plan(text):
    assert rules_level(text) == "emergency"
    assert "time_chosen" in triage(text, [], score_risk=False).signals  # a code, not a factor's wording


def test_a_chosen_time_told_as_history_is_still_an_emergency():
    # 「あの頃」 is a history anchor; a chosen hour is a plan now, whatever else the message says (session 17)
    assert rules_level("あの頃のことを思い出す。朝の7時に死ぬって決めた") == "emergency"


@pytest.mark.parametrize("text", ["死にたいけど3時に起きなきゃ", "12月1日から毎日死にたいと思ってる", "死にたい。運命の日って言葉きらい"])
def test_a_time_said_beside_a_wish_is_not_a_chosen_time(text):
    assert rules_level(text) == "high"



@pytest.mark.parametrize("text", [
    "30分前に薬全部飲んだ",  # 前に was briefly a history anchor
    "昔のこと思い出して薬全部飲んだ",
    "睡眠薬5錠飲んだ",  # three sleeping pills or more is an overdose
    "睡眠薬を３錠と、ロキソニンを４錠飲んだ",
    "デパス何錠飲めば死ねる？",
    "朝の7時に死ぬって決めた",  # 「時に」 is not history here
])
def test_what_a_review_of_the_session_found_lowered_is_an_emergency(text):
    assert rules_level(text) == "emergency"


@pytest.mark.parametrize("text", [
    "アフターピル飲んだことないんだけど、昨日ゴム破れた。間に合う？",
    "前にアフターピル飲んだけど、昨日またゴムなしでしちゃった",
    "念のため知りたいんですけど、昨日ゴムが破れました。アフターピルってまだ間に合いますか",
])
def test_a_pill_not_taken_or_taken_before_new_sex_is_still_a_race(text):
    result = triage(text, ranking("pregnancy_worry"), score_risk=False)
    assert result.urgency == "high" and "ec_taken" not in result.signals


@pytest.mark.parametrize("text", [
    "1日6錠まで飲んでいいですか",
    "飲み会で出されたお酒が美味しくて記憶が飛んだ笑",
    "飲み物に氷入れてもらったら、ふわふわして楽しい",
    "次の電車来たらって思ってたら遅延してた",
    "家の前に知らない猫がいる",
    "睡眠薬1錠飲んで寝る",
])
def test_ordinary_sentences_the_review_found_raised_are_not_emergencies(text):
    assert rules_level(text) != "emergency"


def test_a_time_beside_a_wish_with_no_death_verb_is_not_a_plan():
    assert rules_level("死にたい。明日の9時に決めた面接がある") == "high"


@pytest.mark.parametrize("text", [
    "しにます　いままでありがとうございました",  # a farewell in kana
    "デパスのシート5枚、気づいたら全部空になってた。なんか体あったかくて眠い",  # sheets counted, emptied
    "咳止め一瓶いってもーた　心臓ばくばくしとる",  # a bottle, in Kansai speech
    "今週末いっしょに逝ける人いないかな。ひとりは怖いから",  # someone to die with
    "誰か私のこと終わらせてくれる人いない？",
    "彼氏の家から出してもらえない。スマホも取られてて",  # confined
    "担当に連れてこられたマンションにいる。外から鍵かけられてる",
    "さっき手首深くいきすぎたかも。タオル真っ赤で全然とまらん",  # bleeding, in dialect
    "グリ下でいっしょにおった子がパキって動かんくなった",  # a friend after an overdose
    "お腹がさっきから10分おきくらいにすごい痛くなる。たぶん産まれる。",  # labour, alone
    "10分間隔でお腹痛い、これ陣痛？まだ34週なのに",
])
def test_emergencies_a_session_18_probe_found_said_another_way(text):
    assert rules_level(text) == "emergency"


@pytest.mark.parametrize("text, level", [
    ("家出してきた〜今日どこで寝よっかな笑", "high"),  # nowhere to sleep tonight, lightly said
    ("お腹だいぶ大きくなってきたけど病院行ってないし、親にも誰にも言ってない。たぶん7ヶ月くらい", "high"),
    ("咳止め3箱いっちゃった、気持ち悪い", "emergency"),  # boxes counted; drugs by name
    ("メジコン1箱いった、世界回ってる", "emergency"),
    ("デパス1シート全部いった", "emergency"),
    ("血が全然止まらへん", "emergency"),
    ("友達パキって起きひん", "emergency"),
])
def test_what_the_session_18_probe_found_at_the_wrong_level(text, level):
    assert rules_level(text) == level


@pytest.mark.parametrize("text", [
    "薬のシート空になったから明日病院いかなきゃ", "咳止め一瓶いくらするの？", "一瓶いっても大丈夫？",
    "ティッシュ一箱あけた、花粉やばい", "スマホ動かんくなった", "鼻血止まらんのやけど笑",
    "親に夜は外に出してもらえない", "外から鍵かけるタイプの物置", "今日どこで寝るかはホテル決めてある",
    "もう産まれるって連絡きた！姉の出産、楽しみ", "5分おきに頭痛い。生まれてからずっと偏頭痛持ち",
    "陣痛っていつから10分おきになるの？", "バイト終わらせてくれる人いないかな笑", "一緒に逝こうって言われたけど断った",
    "誰にも言ってないけど7ヶ月前に彼と別れた", "妊娠7ヶ月、病院は毎月行ってる", "17ヶ月の息子がいる",
    # what a reviewer found the first version of these phrases raised (session 18)
    "頭痛薬1箱空になったから薬局で買い足さなきゃ", "咳止め一瓶いったん冷蔵庫に入れといた", "ロキソニン1箱買った",
    "推しの新曲、マジで私を終わらせてくる笑", "親が厳しくて夜は家から出してもらえない", "外から鍵かけられる物置、子供のころ怖かった",
    "お風呂あがり、タオル真っ赤で色落ちとまらん、洗濯失敗", "生理痛が5分おきに痛い、陣痛かよ笑",
    "陣痛が10分おきに痛くなったら産まれるって本当？まだ20週だけど", "猫にベッド占領された、今日どこで寝よ",
    "誰にも言えないけど、7月に推しのライブ行く", "誰にも言ってないけど8月に彼氏と旅行行く予定",
    "妊娠7ヶ月、まだ職場に言えてないけど健診はちゃんと行ってる", "部活きつすぎてしにます",
])
def test_the_session_18_phrases_leave_ordinary_sentences_calm(text):
    assert rules_level(text) in ("low", "medium")


@pytest.mark.parametrize("text", ["明日とか死ぬかも", "もう明日とか死ぬ", "決めた、明日の夜とか死ぬ。", "薬全部ためた。明日の夜とか死ぬ。"])
def test_tomorrow_and_death_is_still_a_plan(text):
    # a guard for 「締め切り明日とか死ぬ。」 hid these in review, and was taken out (session 18)
    assert rules_level(text) == "emergency"


def test_a_scene_in_one_sentence_does_not_silence_her_wish_in_the_next():
    second = ranking("out_of_scope", 0.56, ("suicidal_ideation", 0.38))
    assert triage("ドラマで屋上から飛び降りるシーン見て泣いた。私もあっち側に行きたい", second).urgency == "high"
    assert triage("ドラマで屋上から飛び降りるシーン見て泣いた\n私もあっち側に行きたい", second).urgency == "high"  # a line break
