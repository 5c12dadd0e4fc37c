"""The lines she is shown follow the danger her words name, not the classifier's topic guess."""

from bot.triage import Context, triage


def guess(intent, confidence=0.8):
    return [{"name": intent, "confidence": confidence}]


def test_a_woman_followed_is_not_given_the_pregnancy_topic_the_classifier_guessed():
    """Transcript 27: she was shown the pregnancy hotline beside the police."""
    result = triage("駅出てからずっと同じ男の人がうしろにいる…外で待ってる", guess("pregnancy_worry"), score_risk=False)
    assert result.urgency == "emergency"
    assert "pregnancy" not in result.concerns
    assert "domestic_violence" in result.concerns


def test_a_topic_her_words_name_stays_beside_the_danger():
    result = triage("生理こなくて妊娠したかも。彼氏に殴られた", guess("pregnancy_worry"), score_risk=False)
    assert {"pregnancy", "domestic_violence"} <= set(result.concerns)


def test_host_money_guess_goes_when_the_words_say_an_overdose():
    result = triage("さっき眠剤ぜんぶ飲んだ", guess("host_club_trouble"), score_risk=False)
    assert result.concerns == ["suicide_risk"]


def test_the_topic_of_a_form_in_progress_is_kept():
    context = Context(active_topic="pregnancy")
    result = triage("彼氏に殴られた", guess("pregnancy_worry"), context, score_risk=False)
    assert "pregnancy" in result.concerns


def test_without_a_danger_in_the_words_the_guess_still_chooses_the_topic():
    """A calm or vague message keeps the classifier's reading: it is all there is."""
    result = triage("ちょっと不安なことがあって", guess("pregnancy_worry"), score_risk=False)
    assert "pregnancy" in result.concerns


def test_a_wish_to_die_guessed_beside_violence_is_kept():
    result = triage("彼氏に殴られた", guess("domestic_violence", 0.6) + guess("suicidal_ideation", 0.4), score_risk=False)
    assert "suicide_risk" in result.concerns


def test_a_wish_to_die_only_guessed_gives_way_to_an_emergency_her_words_name():
    """Transcript 29: drugged in a hotel, she was answered with the suicide words because the classifier read them."""
    text = "一緒にいる人が私の飲み物になんか入れてた気がする。頭ふわふわして立てない"
    result = triage(text, guess("suicidal_ideation"), score_risk=False)
    assert result.urgency == "emergency"
    assert result.concerns == ["sexual_violence"]


def test_a_wish_to_die_her_words_say_stays_beside_another_emergency():
    result = triage("彼が家の前にいる。もう死にたい", guess("suicidal_ideation"), score_risk=False)
    assert "suicide_risk" in result.concerns
