"""Lemma frames: the risk lexicon written in SudachiPy's normalized forms (issue #6).

One frame covers every conjugation and spelling Sudachi folds together: 「薬 * 全部 * 飲む ~ た」 matches
薬全部飲んだ／くすりぜんぶのんだ／薬を全部飲みました／お薬ぜんぶ飲んじゃった. Data only; the syntax:

- slots are separated by spaces; ``a|b`` are alternatives for one token (normalized form, folded by
  :func:`bot.textnorm.normalize`, so ホーム is written ほむ or ホーム alike);
- ``*`` is a gap of up to four tokens;
- ``~`` is a run of up to four auxiliary tokens (て, てる, ちゃう, 仕舞う, ます, た, れる…), so tense and
  politeness do not matter; write ``~ た`` where the frame needs the past (an overdose *taken*);
- the last slot that is not ``~``/``*``/an auxiliary is the predicate: its negation and its subject are read
  from the dependency parse (:mod:`bot.syntax`).

Keys are signal names in :mod:`bot.lexicon_table`; the signal's concern, level and code apply.
"""

from __future__ import annotations

from typing import Dict, Tuple

_DRUGS = "薬|お薬|睡眠薬|眠剤|市販薬|ぶろん|錠|錠剤|風邪薬|頭痛薬|精神薬|安定剤|処方薬|咳止め|鎮痛剤|でぱす|れきそたん"
_LOTS = "全部|全て|纏める|まとめる|大量|沢山|たくさん|一杯|いっぱい|一気|一箱|箱|しーと|瓶|何十|数十"

FRAMES: Dict[str, Tuple[str, ...]] = {
    # Not a signal: a place that is dangerous when she has spoken of dying (bot.triage._apply_place).
    "place_now": (
        "川辺|河原|河川敷|川沿い|川|海|崖|橋|屋上|線路|踏切|ほむ|ホーム|ビル|ベランダ|高い|岸壁|ダム|樹海|駅 * 居る|来る|立つ|着く|向かう|座る|登る|行く ~",
    ),
    "overdose_taken": (
        f"{_DRUGS} * {_LOTS} * 飲む ~ た",
        f"{_LOTS} * {_DRUGS} * 飲む ~ た",
        f"{_DRUGS} * 飲む ~ 過ぎる ~ た",
        "od|おばどず|過剰摂取 ~ 為る ~ た",
        "錠 * 言う|行く|飲む ~ た",
        "今|いま|さっき 薬|睡眠薬|眠剤|市販薬 を 飲む ~ た",
    ),
    "body_emergency": (
        "意識 * 無い|ない",
        "意識 * 戻る ~ ない",
        "息|呼吸 * 為る ~ ない",
        "呼ぶ|揺する|叩く ~ も * 起きる ~ ない",
        "倒れる ~ てる",
        "救急車 * 呼ぶ ~ 欲しい|下さる|呉れる",
        f"{_DRUGS}|od * 動く ~ ない",
    ),
    # Waking somewhere unknown with no memory: a drugged assault until she says otherwise (guide §2).
    "woke_unknown_place": (
        "記憶 * 無い|ない * 知る ~ ない * 部屋|場所|ほてる|家",
        "目 * 覚める ~ 知る ない 部屋|場所|ほてる|家|車",
        "起きる ~ 知る ない 部屋|場所|ほてる|家|車",
    ),
    "self_harm_bleeding": (
        "血 * 止まる ~ ない",
        "深い|深く * 切る ~ た",
    ),
    "dangerous_place": (
        "屋上|線路|踏切|橋|崖|柵|ふぇんす|手すり|ほむ|ホーム * 越える|乗り越える|跨ぐ ~",
        "屋上|線路|踏切|崖 に 居る|来る|立つ|登る",
        "橋 の 上 に 居る|立つ",
        "飛び降りる|飛び込む ~ う|よう|たい * 思う|つもり|積もり|来る|居る",
    ),
    "suicide_plan": (
        "一緒 に 死ぬ * 人|相手|子",
        "一緒 に 死ぬ ~ たい|呉れる|欲しい",
        "死ぬ 場所|所 * 探す",
        "死ぬ ちゃう ます",
        "死ぬ ~ 方法|やり方|準備|つもり|積もり",
        "遺書 * 書く ~",
        "今夜|今日|今から|これから|明日 * 死ぬ ~",
        "首 * 吊る ~",
        "自殺|死ぬ ~ 場所|日|日にち|方法 * 決める ~",
    ),
    "suicidal_ideation": (
        "死ぬ ~ たい",
        "死ぬ ~ う|よう * 思う|かな",
        "死ぬ ~ 方|ほう * 良い|いい|増し|まし|楽",
        "死ぬ ~ せる ~ 下さる|欲しい|呉れる",
        "消える ~ たい",
        "居る ~ 無い|ない ~ 成る ~ たい",
        "生きる ~ たい ~ 無い|ない",
        "生きる ~ 意味|価値 * 無い|ない",
        "生きる ~ 意味|価値 * 分かる ~ ない",
        "生きる ~ の * 辛い|しんどい|疲れる|嫌 ~",
        "死ぬ * 楽 * 成る|なれる",
        "死ぬ ~ の だ 良い|いい|構う",
        "此の世 * 居る ~ ない * 方|ほう * 良い|いい",
        "自殺|自死 * 為る|考える ~",
        "楽 に 成る ~ たい",
        "終わり に 為る ~ たい",
        "終わる ~ せる ~ たい",
        "生まれる ~ 来る ~ 無い|ない|なければ",
        "目 * 覚める ~ 無い|ない ~ 欲しい|たい|良い|いい",
        "腕|手首|足 * 切る ~",
    ),
    "selling_sex": (
        "私|自分|体|身体|からだ ~ を 売る ~",
        "私|自分 * 売る * 稼ぐ ~",
    ),
    "rescue_call": (
        "警察|救急車|救急 * 呼ぶ ~ て|で|欲しい|下さる|呉れる",
    ),
    "dv_now": (
        "頭|腹|お腹|首|背中|胸|包丁|ナイフ|刃物 * 刺す ~ れる|られる",
        "今|いま * 殴る|蹴る|叩く ~ れる|られる",
        "ドア|扉|玄関 * 叩く|蹴る ~ てる",
        "包丁|刃物|ナイフ * 持つ ~",
    ),
    "followed": (
        "付ける|つける|尾行 ~ れる|られる ~ てる",
        "後 * 付いて来る|付く|着く|追う ~",
        "追い掛ける|追いかける ~ られる|れる",
        "待ち伏せ ~",
    ),
    "trapped_now": (
        "閉じ込める ~ られる|れる",
        "帰す|帰る|出す|出る ~ せる ~ 呉れる|貰う|もらえる|貰える ~ ない",
        "帰す|出す ~ 呉れる|貰える ~ ない",
        "監禁 ~ 為る ~ れる|られる",
    ),
    "dv": (
        "殴る|蹴る|叩く|ぶつ|殴り掛かる|突き飛ばす|引きずる|怒鳴る ~",
        "首 * 絞める|締める ~",
        "髪 * 引っ張る|掴む ~",
        "足蹴り|暴行|蹴り * 為る ~ れる|られる",
        "物|もの|皿|コップ|灰皿|リモコン|椅子|茶碗|缶|瓶|スマホ|携帯|ケータイ|本 * 投げる|投げ付ける ~",
        "投げ付ける|投げつける ~ られる|れる",
        "スマホ|携帯|ケータイ|LINE|ライン|メール * 勝手に|勝手 * 見る|チェック ~ れる|られる",
        "友達|友人|家族|男 * 会う な って|と 言う ~",
        "コップ|皿|灰皿|物|リモコン|椅子|茶碗 * 飛ぶ ~ で 来る",
        "給料|お金|金|生活費|通帳 * 取る|取り上げる|奪う ~ れる|られる",
        "給料|お金|金|生活費|通帳 * 管理 ~ 為る ~ れる|られる",
    ),
    "sexual_violence": (
        "無理矢理|無理やり * 為る ~ れる|られる",
        "犯す|襲う ~ れる|られる",
        "触る ~ れる|られる",
        "無理矢理|無理やり * 犯す|襲う|抱く ~",
        "胸|尻|お尻|股|下半身|陰部|太股|太もも * 揉む|触る|舐める|撫でる|撫で回す ~ れる|られる",
        "胸|尻|お尻|股|下半身|陰部|太股|太もも * 揉む|触る|舐める|撫でる|撫で回す ~ て 来る",
        "服|スカート|下着|ぱんつ|パンツ の 中 に 手 * 入れる ~",
        "後ろ|背後|後方|いきなり|急に|無理矢理|無理やり|知らない|見知らぬ * 抱き付く|抱きつく ~ れる|られる",
    ),
    "no_place_tonight": (
        "今夜|今日|今晩 * 泊まる|寝る ~ 所|ところ|場所 * 無い|ない",
        "今夜|今日|今晩 * 帰る ~ 所|ところ|場所|家 * 無い|ない",
    ),
}

__all__ = ["FRAMES"]
