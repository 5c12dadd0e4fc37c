"""The risk lexicon: a safety net under the classifier.

A classifier can miss 「ﾀﾋにたい」 or 「ブロン50錠いった」; these word lists cannot
be argued out of them. Patterns are written as plain phrases ("*" = a short
gap) and normalised with :func:`bot.textnorm.normalize`, so one entry covers
katakana, half-width and stretched spellings. A hit may be cancelled by a
negation right after it (「死にたいとは思ってない」) or by a figurative frame
(「死ぬほど眠い」).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Iterable, List, Optional, Tuple

from bot import signals as sig
from bot.levels import EMERGENCY, HIGH, LOW, MEDIUM  # noqa: F401  (re-exported for old imports)
from bot.language import romaji_to_kana
from bot.textnorm import normalize

_GAP = ".{0,12}?"
_SENTENCE_END = re.compile(r"[。!?！？\n]|けど|でも|が、")


@dataclass(frozen=True)
class Signal:
    """One family of phrases that means the same risk.

    ``code`` (a :mod:`bot.signals` constant) is what behaviour reads; ``factor`` is
    only for counselors to read and may be reworded freely.
    """

    name: str
    concern: Optional[str]
    urgency: str
    factor: str
    phrases: Tuple[str, ...] = ()
    regexes: Tuple[str, ...] = ()
    negatable: bool = False
    figurative_guard: bool = False
    media_guard: bool = True
    code: Optional[str] = None


@dataclass(frozen=True)
class Hit:
    """A signal found in a message; ``negated`` hits count as past or denied risk.

    ``figurative`` hits (「店長に殺される笑」) are no risk at all; ``start``/``end``
    locate the match in the normalised text (:func:`bot.textnorm.normalize`).
    """

    signal: Signal
    negated: bool = False
    figurative: bool = False
    start: int = 0
    end: int = 0

    @property
    def counts(self) -> bool:
        """Whether this hit is a present, literal risk."""
        return not (self.negated or self.figurative)


def _phrase_regex(phrase: str) -> str:
    parts = [re.escape(normalize(part)) for part in phrase.split("*")]
    return _GAP.join(parts)


@cache
def _compiled(signal: Signal) -> re.Pattern:
    alternatives = [_phrase_regex(p) for p in signal.phrases] + list(signal.regexes)
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


_NEGATIONS = re.compile(
    "|".join(
        _phrase_regex(p)
        for p in (
            "とは思ってない", "とは思ってません", "とは思わない", "とは思わなく", "って思わなくな",
            "と思わなくな", "と思うことはなくな", "とは思っていない", "わけじゃない", "わけではない",
            "訳じゃない", "わけじゃなく", "気持ちはもうない", "気持ちはなくな", "のはもうやめた",
            "はもうしてない", "はもうやめ", "のはやめた", "とかは思ってない", "なんて思ってない", "とかじゃな",
            "とかではな", "わけでもな", "とか思ってな", "とか思わな", "とか思ってません", "とかは思わな", "か思ってな",
            "か思わな",
            "って思ってない", "はしてない", "はしてません", "たことはない", "たことない",
        )
    )
)
_PAST_THEN_NOW = re.compile(
    "|".join(_phrase_regex(p) for p in ("前は", "昔は", "以前は", "去年は", "前まで", "一時期", "頃は", "ころは", "時期は"))
)
_NOW_OK = re.compile(
    "今は(?:もう)?(?:大丈夫|してない|やめ|思ってない|平気|落ち着|そこまで)|もう.{0,6}(?:やってない|してない|やめ)|やめた"
    "|やめて.{0,4}たつ"
)
_FIGURATIVE = re.compile(
    "ほど|すぎ|過ぎ|尊|笑|草|w$|ww|眠|ねむ|暇|ひま|腹|おなか|お腹|暑|寒|疲れ|てすと|テスト|推し|おし|かわい|可愛|面白|おもしろ|まじ|ばいと"
)
_MEDIA = re.compile("どらま|ドラマ|漫画|まんが|あにめ|アニメ|映画|にゅうす|にゅす|ニュース|小説|げむ|ゲーム|って何|ってなに|とは[?？]")


SUICIDE = "suicide_risk"

SIGNALS: Tuple[Signal, ...] = (
    Signal(
        "overdose_taken", SUICIDE, EMERGENCY, "過量服薬（OD）をしたと記載",
        phrases=(
            "薬*全部飲ん", "薬*全部のん", "薬*まとめて飲", "薬*まとめてのん", "薬*大量に飲", "薬*いっぱい飲",
            "錠*飲ん", "錠*のん", "錠いった", "錠いっ", "錠キメ", "ブロン*飲ん", "ブロン*のん", "ブロン*いった",
            "ブロン*キメ", "眠剤*全部", "眠剤*まとめ", "睡眠薬*全部", "睡眠薬*まとめ", "睡眠薬*大量",
            "市販薬*大量", "大量に飲んだ", "過剰摂取した", "ODした", "ODしちゃ", "ODしてしま", "ODしてる",
            "OD中", "ODしました", "オーバードーズした", "パキった", "💊*飲んだ", "薬飲みまくった", "薬*ぜんぶ",
            "ぜんぶ飲んだ", "全部飲んだ", "ぜんぶのんだ", "全部のんだ", "起きない*od", "シート*飲ん", "シート*のん",
            "箱*飲ん", "箱*のん", "瓶*飲ん", "一気に飲ん", "一気にのん", "いっぱい飲んじゃ", "飲みすぎて*ふらふら",
        ),
        regexes=(r"(?<![a-z])od(?:した|しちゃ|してる|して|中|った)",),
        media_guard=False,
        code=sig.OVERDOSE_TAKEN,
    ),
    Signal(
        "body_emergency", None, EMERGENCY, "意識がない・呼吸がない・倒れている",
        phrases=(
            "意識ない", "意識がない", "意識が戻らない", "息してない", "息をしてない", "呼吸してない", "呼んでも起きない",
            "ゆすっても起きない", "倒れてる", "たおれてる", "泡ふいて", "泡吹いて", "けいれん", "痙攣",
        ),
        media_guard=False,
        code=sig.BODY_EMERGENCY,
    ),
    Signal(
        "self_harm_bleeding", SUICIDE, EMERGENCY, "自傷による出血が止まらない",
        phrases=("血*止まらない", "血*とまらない", "血がとまらん", "血が止まらん", "深く切"),
        media_guard=False,
        code=sig.BODY_EMERGENCY,
    ),
    Signal(
        "dangerous_place", SUICIDE, EMERGENCY, "危険な場所にいる（屋上・線路・橋など）",
        phrases=(
            "屋上にいる", "屋上にいて", "屋上に居", "屋上にきた", "屋上に来た", "線路*いる", "線路の前", "踏切*いる",
            "ベランダ*出", "ベランダ*いる", "柵*越え", "フェンス*越え", "高いところ*いる", "橋の上", "ホームの端",
        ),
        media_guard=False,
        code=sig.DANGEROUS_PLACE,
    ),
    Signal(
        "means_ready", SUICIDE, EMERGENCY, "自殺の手段を用意している",
        phrases=(
            "ロープ*買", "ロープ*用意", "練炭", "薬*集めて", "薬*ためて", "薬*貯め", "💊*ため", "💊*集め", "錠*ためて",
            "錠*貯め", "錠*集めて", "紐*首", "タオル*首",
        ),
        media_guard=False,
        code=sig.MEANS_NAMED,
    ),
    Signal(
        "suicide_plan", SUICIDE, EMERGENCY, "自殺の計画・手段・時期の言及",
        phrases=(
            "今から死", "いまから死", "今から飛び降り", "飛び降りる", "飛び降りよう", "飛び降りたい", "首*吊", "首つり",
            "首をつ", "遺書", "決行", "最後のメッセージ", "手首*切っ", "線路*飛び込", "電車*飛び込", "ホーム*飛び込",
            "飛び込む", "死ぬ準備", "死ぬ方法", "死に方", "楽に死ね", "確実に死ね", "今夜死", "今日死ぬ", "明日死ぬ",
            "死ぬって決めた", "もう決めた", "これで最後", "さよなら*みんな", "みんな*さよなら", "今までありがとう",
            "お別れ", "最後に*ありがとう", "遺書*書", "もう終わりにする", "今日で終わり", "今夜で終わり", "今から薬",
            "今からOD", "今からod", "方法*決め", "やり方*決め", "日にち*決め", "明日*死の", "今夜*死の", "明日*死ぬ",
            "死ぬつもり", "死にに行",
        ),
        media_guard=False,
        code=sig.SUICIDE_PLAN,
    ),
    Signal(
        "suicidal_ideation", SUICIDE, HIGH, "希死念慮の表現",
        phrases=(
            "死にたい", "しにたい", "氏にたい", "タヒにたい", "タヒりたい", "タヒる", "4にたい", "死にたか",
            "死のうかな", "死のうと", "死んでしまいたい", "死んじゃいたい", "死んじゃおうかな", "死ぬしかない",
            "死んだ方が", "死んだほうが", "死ねたら", "死にてぇ", "死にて", "しにてえ", "消えたい", "消えてしまいたい",
            "消えちゃいたい", "いなくなりたい", "居なくなりたい", "生きてたくない", "生きていたくない",
            "生きてる意味", "生きている意味", "生きる意味", "生きてく意味", "終わりにしたい", "終わらせたい",
            "楽になりたい", "自殺", "じさつ", "自死", "リスカ", "アムカ", "レグカ", "自傷", "切りたい",
            "切っちゃった", "腕切", "手首切", "希死念慮", "死にたみ", "生まれてこなければ", "生まれてこなきゃ",
            "オーバードーズ", "過剰摂取", "ブロン", "パキる", "パキって", "目覚めたくない", "朝が来なければ",
            "死ぬこと*考え", "死について考え", "死ぬこと*ばかり", "死ぬこと*ばっか", "死のうと思", "死ねば",
            "死にたく*なる", "いなくなれば", "消えてなくなりたい", "生ぎでぐね", "生きてぐね", "生ぎたぐね",
            "生きたくね", "生きとうない", "死にたいねん", "死にたいっちゃ", "しにたいねん", "死にてえ",
            "吸い込まれそう", "吸い込まれたい", "轢かれたい", "ひかれたい", "飛び込みたい", "残念って思",
            "目が覚めなければ", "このまま消え",
        ),
        regexes=(r"(?<![a-z])od(?![a-z])",),
        negatable=True,
        media_guard=False,
    ),
    Signal(
        "dv_now", "domestic_violence", EMERGENCY, "暴力が今起きている・加害者が近くにいる",
        phrases=(
            "今*殴られ", "今*殴って", "今*蹴られ", "今*暴れ", "いま*殴", "ドア*叩いて", "ドア*蹴", "ドア*たたいて",
            "隠れてる", "隠れてます", "隠れてい", "かくれてる", "かくれてます", "包丁", "刃物", "家の前にいる",
            "家の前におる", "家の前に来", "家の前まで来", "ドアの前にいる", "ドアの前におる", "インターホン*鳴らし",
            "閉じ込められ", "隣で寝て", "隣にいる", "となりにいる", "すぐ近くにいる", "同じ部屋にいる", "もうすぐ帰ってくる",
            "暴れてる", "怒鳴ってる", "物投げてる", "もの投げてる", "叫んでる", "包丁持",
            "今から来る", "こっちに向かって", "探しに来", "家に来る",
        ),
        code=sig.DANGER_NOW,
    ),
    Signal(
        "followed", "domestic_violence", EMERGENCY, "つけられている・待ち伏せされている",
        phrases=(
            "つけられてる", "つけられてい", "後をつけ", "尾行", "追いかけられ", "待ち伏せ", "ついてきて", "ついてくる",
            "後ろにいる", "付いてきて", "後ろ*歩いて", "後ろ*ついて", "つけてくる",
        ),
        code=sig.FOLLOWED,
    ),
    Signal(
        "trapped_now", None, EMERGENCY, "今、帰してもらえない・閉じ込められている",
        phrases=(
            "帰らせてくれない", "帰してくれない", "帰らせてもらえない", "帰してもらえない", "閉じ込められ",
            "出してくれない", "部屋から出られない", "帰さない", "かえさない", "車に乗せられ", "連れて行かれそう",
            "連れてかれそう",
        ),
        code=sig.DANGER_NOW,
    ),
    Signal(
        "death_threat", "domestic_violence", HIGH, "殺すと脅されている",
        phrases=("殺される", "殺すぞ", "殺すって", "殺すと言われ", "ころされる", "ころすって"),
        figurative_guard=True,
    ),
    Signal(
        "dv", "domestic_violence", HIGH, "DV・虐待の訴え",
        phrases=(
            "殴られ", "殴る", "なぐられ", "蹴られ", "叩かれ", "たたかれ", "ぶたれ", "暴力", "モラハラ",
            "束縛", "怒鳴られ", "監視され", "ストーカー", "つきまと", "付きまと", "暴言", "物を投げ", "ものを投げ",
            "あざが", "あざでき", "あざだらけ", "青あざ", "虐待", "生活費*くれない", "お金*渡してくれない",
            "首*絞め", "首しめ", "首を締め", "手ぇ出", "手を出され", "手出して", "手出され", "手ぇあげ", "手をあげ",
            "手を上げ", "逃げられない", "逃げらんね", "逃げられへん",
        ),
        regexes=(r"(?<![a-z])dv(?![a-z])",),
    ),
    Signal(
        "sexual_violence", "sexual_violence", HIGH, "性被害の訴え",
        phrases=(
            "レイプ", "犯され", "おかされ", "襲われ", "無理やり*され", "無理やり*ヤ", "無理やり*やら", "無理矢理",
            "むりやり", "性被害", "性暴力", "痴漢", "ちかん", "盗撮", "リベンジポルノ", "裸*ばらま", "裸*拡散",
            "裸*晒", "写真*ばらま", "画像*ばらま", "動画*ばらま", "画像*拡散", "動画*拡散", "写真*拡散", "画像*晒",
            "薬*盛られ", "酔わされ", "同意してない", "嫌って言ったのに", "やめてって言ったのに", "触られ",
            "さわられ", "性的*写真*送れ", "裸*送れ", "自撮り*送れ",
        ),
    ),
    Signal(
        "sex_work_coercion", "host_club", HIGH, "性産業・売春への強要",
        phrases=(
            "風俗*行け", "風俗*行かされ", "風俗*働け", "風俗*紹介", "風俗*沈め", "風俗*勧め", "風俗*させられ",
            "風俗で払", "風俗で返", "立ちんぼ*しろ", "立ちんぼ*させ", "立ちんぼ*やれ", "立ちんぼで払", "立ちんぼで返",
            "立ちんぼ", "体*売れ", "体を売", "からだ売", "売春", "援交*しろ", "パパ活*しろ", "パパ活*させ",
            "パパ活で払", "パパ活で返", "AV*出ろ", "AV*出され", "AV*出て", "沈められ", "沈める", "飛んだら",
            "払えないと", "返すまで", "脅され", "風族", "で働けって", "働けって言われ", "店*紹介", "紹介*店",
            "辞めさせてくれない", "辞めさせてもらえない", "やめさせてくれない", "やめさせてもらえない",
            "面接*連れ", "稼げって", "稼いでこい", "売れって", "公園に立", "大久保公園", "立てば", "立って稼",
            "パパ活*紹介", "客*紹介", "客とらせ", "客を取", "客とれ", "風俗*面接", "風俗*決め", "断ったら*キレ",
            "断ったら*怒",
        ),
        regexes=(
            "(?:風俗|ふうぞく|立ちんぼ|たちんぼ|ぱぱ活|av|売春|援交)"
            ".{0,10}?(?:いけ|行け|働け|はたらけ|やれ|しろ|させ|勧め|すすめ|紹介|沈め|落とさ|稼げ|かせげ)",
        ),
        code=sig.COERCION,
    ),
    Signal(
        "host_club", "host_club", MEDIUM, "ホストクラブの売掛・金銭トラブル",
        phrases=("ホスト", "売掛", "売り掛け", "掛けが", "掛け*払", "ホス狂", "担当*売掛", "担当*お金", "シャンパン", "ホスクラ"),
    ),
    Signal(
        "toyoko", "toyoko", MEDIUM, "トー横・繁華街・家出",
        phrases=("歌舞伎町", "グリ下", "家出", "いえで", "補導", "トー横キッズ"),
        regexes=(r"(?<![ぁ-ん])と横(?!にな)",),
    ),
    Signal(
        "no_place_tonight", "no_place_to_stay", HIGH, "今夜泊まる場所がない",
        phrases=(
            "泊まる*ない", "とまる*ない", "寝る場所*ない", "寝るとこ*ない", "寝る所*ない", "今夜*行くとこ*ない",
            "今日*寝る場所", "今夜*寝る場所", "帰る家*ない", "帰る場所*ない", "帰るところ*ない",
            "帰るとこ*ない", "行くところがない", "行くとこない", "行く場所がない", "追い出され", "追い出さ", "野宿",
            "公園で寝", "路上で寝", "外で寝", "駅で寝", "広場で寝", "で寝よう", "家に帰れない", "家帰れない",
            "いえかえれない", "ねるとこ*ない", "ねるところ*ない", "ねる場所*ない", "とまるとこ*ない", "ねれるとこ*ない",
            "寝れるとこ*ない", "締め出され", "鍵*変えられ", "部屋に入れない", "家に入れない", "鍵を変えられ",
        ),
        code=sig.NO_PLACE_TONIGHT,
    ),
    Signal(
        "no_home", "no_place_to_stay", MEDIUM, "住まいがない・失いそう",
        phrases=(
            "家がない", "住むところ*ない", "住む所*ない", "住むとこ*ない", "ネカフェ難民", "ネカフェ暮らし",
            "ネカフェ*泊", "漫喫*泊", "ホームレス", "退去", "住む場所", "家を出ることに",
        ),
    ),
    Signal(
        "adult_luring", "toyoko", MEDIUM, "知らない大人からの誘い（泊め・ホテル）",
        phrases=(
            "泊めてあげる", "泊めてくれる", "泊まっていい", "ホテル行こう", "ホテルいこう", "ついて行って大丈夫",
            "ついてって大丈夫", "ついていって大丈夫", "家来ない", "家においで", "うちに来な", "お金あげるから",
            "万あげる", "スカウト", "寮あるよ", "寮あるから", "寮付き", "住み込みで",
        ),
        code=sig.LURING,
    ),
    Signal(
        "pregnancy", "pregnancy", MEDIUM, "妊娠の不安",
        phrases=(
            "妊娠", "にんしん", "生理*こない", "生理*来ない", "生理*きてない", "生理*来てない", "生理*遅れ",
            "生理*とまっ", "生理*止まっ", "ゴム*破", "ゴム*やぶ", "ゴム*外れ", "ゴム*取れ", "ゴムなし", "ゴム*つけ",
            "中出し", "なかだし", "生で", "生でし", "避妊*失敗", "避妊*しなかった", "避妊*してない", "避妊*してくれ",
            "アフピル", "アフターピル", "緊急避妊", "検査薬", "陽性",
        ),
    ),
    Signal(
        "money", "money", MEDIUM, "生活費・借金の困りごと",
        phrases=(
            "借金", "お金がない", "おかねない", "金がない", "お金ない", "家賃*払えない", "家賃*滞納", "生活保護",
            "失業", "クビになっ", "給料*未払い", "給料*出ない", "給料*払われ", "食べるもの*ない", "消費者金融",
            "サラ金", "闇金", "ヤミ金", "リボ", "督促", "滞納",
        ),
    ),
    Signal(
        "distress", "mental_distress", MEDIUM, "気分の落ち込み・不安",
        phrases=(
            "眠れない", "ねむれない", "寝れない", "不安", "寂しい", "さみしい", "さびしい", "孤独", "パニック",
            "病み", "病んで", "やんでる", "鬱", "うつ", "しんどい", "つらい", "辛い", "泣きそう", "泣いて", "涙が",
            "過呼吸", "何もしたくない", "メンヘラ", "虚無", "消耗", "限界",
        ),
    ),
)

REQUEST_HUMAN = re.compile(
    _phrase_regex("人と話") + "|" + _phrase_regex("人間と") + "|" + _phrase_regex("人間に") + "|"
    + _phrase_regex("相談員") + "|" + _phrase_regex("ボットじゃなく") + "|" + _phrase_regex("botじゃなく")
    + "|" + _phrase_regex("AIじゃなく") + "|" + _phrase_regex("カウンセラー")
)


def _sentence_after(norm: str, end: int) -> str:
    rest = norm[end:end + 24]
    stop = _SENTENCE_END.search(rest)
    return rest[: stop.start()] if stop else rest


def _sentence_around(norm: str, start: int, end: int) -> str:
    before = norm[max(0, start - 16):start]
    cut = max(before.rfind(ch) for ch in "。!?！？\n")
    return before[cut + 1:] + norm[start:end] + _sentence_after(norm, end)


def _is_negated(norm: str, match: re.Match) -> bool:
    after = _sentence_after(norm, match.end())
    if _NEGATIONS.match(after) or _NEGATIONS.search(after[:14]):
        return True
    before = norm[max(0, match.start() - 12):match.start()]
    return bool(_PAST_THEN_NOW.search(before) and _NOW_OK.search(norm[match.end():]))


def _is_figurative(norm: str, match: re.Match) -> bool:
    return bool(_FIGURATIVE.search(_sentence_around(norm, match.start(), match.end())))


def find_signals(text: str, signals: Iterable[Signal] = SIGNALS) -> List[Hit]:
    """Every signal present in ``text``, at most one hit per signal.

    A signal counts once when any of its phrases is found un-negated;
    otherwise a negated find is reported so the caller can note it.
    """
    norm = normalize(romaji_to_kana(text))  # 「shinitai」「kusuri zenbu nonda」 read as the kana they spell
    media = bool(_MEDIA.search(norm))
    hits: List[Hit] = []
    for signal in signals:
        if media and signal.media_guard:
            continue
        hit = _first_hit(norm, signal)
        if hit is not None:
            hits.append(hit)
    return hits


def _first_hit(norm: str, signal: Signal) -> Optional[Hit]:
    """The first present, literal match; else a negated one; else a figurative one."""
    fallback: Optional[Hit] = None
    for match in _compiled(signal).finditer(norm):
        where = {"start": match.start(), "end": match.end()}
        if signal.figurative_guard and _is_figurative(norm, match):
            fallback = fallback or Hit(signal, figurative=True, **where)
            continue
        if signal.negatable and _is_negated(norm, match):
            if fallback is None or fallback.figurative:
                fallback = Hit(signal, negated=True, **where)
            continue
        return Hit(signal, **where)
    return fallback


def spans(norm: str, signal: Signal) -> List[Tuple[int, int]]:
    """Every match of ``signal`` in normalised text, for reading who a risk belongs to."""
    return [(m.start(), m.end()) for m in _compiled(signal).finditer(norm)]


def asks_for_human(text: str) -> bool:
    """True when the message asks for a person rather than the bot."""
    return bool(REQUEST_HUMAN.search(normalize(text)))


_FIGURATIVE_DEATH = re.compile(
    "(?:すぎ|過ぎ|ほど)て?.{0,3}(?:死|氏|しぬ|しね|たひ)|(?:死|氏)(?:ぬ|んだ|ねる)(?:笑|w|草)|尊.{0,4}(?:死|しぬ)"
    "|(?:死|氏|し)ぬほど.{0,3}(?:眠|ねむ|暑|あつ|寒|さむ|忙|いそが|疲|好き|すき|かわい|可愛|面白|おもしろ|笑|腹|お腹|おなか|暇|ひま|美味|おいし|うま|楽し|たのし)"
)


def figurative_death(text: str) -> bool:
    """「最高すぎて死ねる」「眠すぎて氏ぬ」: death as a figure of speech."""
    return bool(_FIGURATIVE_DEATH.search(normalize(text)))


# Matched on width-folded text with katakana kept: 「カッター」 folded to hiragana would be 「かった」 (past tense).
_MEANS_WORDS = "(?:睡眠薬|眠剤|市販薬|ブロン|ぶろん|薬(?!局|剤師|物)|くすり|クスリ|💊|錠|カッター|刃物|包丁|ナイフ|カミソリ|かみそり|剃刀|ロープ|紐|ひも|練炭)"
_MEANS_AT_HAND = re.compile(
    _MEANS_WORDS + r"[^。!?\n]{0,8}?(?:ある|あります|持って|もって|手元|ためて|ためた|貯め|集め|用意|買った|買ってきた|握って|机に|そばに|ここに)"
)
_NOT_AT_HAND = re.compile("^[ぁ-ん]{0,2}?(?:ない|ません|なかった)")


def means_at_hand(text: str) -> bool:
    """A means of self-harm said to be at hand (「カッター持ってる」「睡眠薬ためてある」), not denied."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return any(not _NOT_AT_HAND.match(folded[m.end():]) for m in _MEANS_AT_HAND.finditer(folded))


_NOW_OR_INTENT = re.compile(
    "今夜|今晩|こんや|今日|きょう|今から|いまから|これから|今すぐ|いますぐ|もうすぐ|明日|あした|全部|ぜんぶ|まとめて|一気"
    "|飲む|のむ|飲も|のも|飲んじゃ|のんじゃ|やる(?!気)|やろ|使う|つかう|決めた|実行|終わらせ|終わりにする"
)
_NOT_NOW = re.compile("(?:飲ま|のま|やら|使わ|つかわ|し)(?:ない|ません)|やめ|ないよ|ないから|ないで")


def intends_now(text: str) -> bool:
    """「今夜ぜんぶ飲む」「いまから」: intent or a time, said after a means was named."""
    norm = normalize(text)
    return bool(_NOW_OR_INTENT.search(norm)) and not _NOT_NOW.search(norm)


_ARRIVES = re.compile(
    "帰ってきた|帰ってきそう|帰宅した|戻ってきた|(?<!出)来た|来ちゃった|来てる|起きた|起きちゃった"
    "|目を覚ました|近くにいる|そこにいる|隣にいる"
)
_NOT_ARRIVED = re.compile("帰ってこない|来ない|こない|いない|起きてない|寝てる")


def abuser_arrives(text: str) -> bool:
    """「帰ってきた」「起きた」: said in a conversation about violence, the person is near her now."""
    norm = normalize(text)
    return bool(_ARRIVES.search(norm)) and not _NOT_ARRIVED.search(norm)
