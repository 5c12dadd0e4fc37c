"""The word lists triage reads besides the risk lexicon (bot/lexicon_table.py): what counts as a sexual event, a
need for the pill, running away, later rather than tonight, a general question. Data only, in one place.

Each list is matched on text normalised by :func:`bot.textnorm.normalize`.
"""

from __future__ import annotations

import re

SEX_EVENT = (
    "ゴム", "避妊", "中出し", "なかだし", "生で", "外出し", "えっち", "セックス", "やった", "ヤッ", "された",
    "アフピル", "アフターピル", "緊急避妊", "とした", "とやっ", "破れ", "外れ", "ナマ",
)

EC_QUESTION = ("アフピル", "アフターピル", "緊急避妊", "モーニングアフター")

# She has already taken it (「アフターピル1錠飲んだけど大丈夫かな」): a worry whether it works, no longer a race with time.
EC_TAKEN = re.compile("(?:あふたぴる|あふぴる|緊急避妊薬)[^。]{0,8}?(?:飲んだ(?!ほう|方|ら|こと|人|っけ)|のんだ(?!ほう|方|ら|こと|人|っけ)"
                      "|飲みました|のみました|飲んで(?:から|み)|服用し)")
# An earlier pill and new sex since (「前にアフターピル飲んだけど、昨日またゴムなしで」): the race is on again.
EC_AGAIN = ("また", "前に", "以前")
# The sex said in the message: a polite 「念のため」 before it is not a general question.
SEX_HAPPENED = ("ゴム", "中出し", "なかだし", "生で", "破れ", "外れ", "避妊失敗", "失敗した", "しちゃ", "された", "なしで")

# Sick after taking it: the pill may not have worked, so the race is on again (ask a pharmacist or a doctor).
VOMITED = ("吐い", "吐きそう", "もどし", "戻し", "嘔吐", "はいちゃ")

# She says the question is not for a need of hers now (「今必要なわけじゃないけど」「気になっただけ」).
JUST_ASKING = ("気になっただけ", "必要なわけじゃ", "必要なわけでは", "必要なわけではな", "いざって時", "いざという時", "いざというとき",
               "いざってとき", "念のため知", "参考までに", "そういう話になって", "今は必要な")

# Signs she needs it herself (not a general question about the rules).
NEEDS_IT = ("間に合", "飲んだほうが", "飲んだ方が", "飲むべき", "飲まなきゃ", "ほしい", "欲しい", "もらいたい", "どこで",
             "今から", "まだ", "すぐ", "どうしよ")

RUNAWAY = ("家出", "帰れない", "帰りたくない", "帰る家", "帰る場所", "泊め", "補導", "家を出", "家から逃げ", "親から逃げ", "逃げてみ",
           "帰ってない")

MINOR_ONLY_WORDS = ("補導", "児相", "児童相談所")

# Losing housing later (来月, 来週…) is real trouble but not "nowhere to sleep tonight".
LATER = ("来月", "来週", "月末", "ヶ月後", "か月後", "週間後", "半年", "探して", "探しています", "予定", "引っ越し先",
          "次の家", "更新", "契約が切れ", "暮らし", "生活", "ヶ月目", "か月目", "今月いっぱい", "友達の家", "友だちの家",
          "日払い", "安定しない")

NOW_WORDS = ("今", "いま", "さっき", "これから", "今から", "今夜", "今日", "言われてる", "誘われてる", "ついてって", "ついていって")

TONIGHT = ("今夜", "今晩", "今日", "こんや", "こんばん", "きょう", "今から", "いま", "寝るとこ", "ねるとこ", "寝る場所", "泊まる",
            "とまる", "泊まれ", "野宿", "外で",
            "公園", "出てけ", "追い出され", "入れない")

QUESTION_ENDINGS = ("?", "？", "ですか", "ますか", "かな", "の")

GENERAL_QUESTION = ("窓口", "本当", "ほんと", "できますか", "ありますか", "ってなに", "って何", "とは", "でも", "条件")

PERSONAL = ("私", "わたし", "うち", "あたし", "自分", "彼氏", "担当", "払えない", "困って", "どうしよ", "助けて", "つらい",
             "しんどい", "怖い", "こわい", "不安", "親", "夫", "旦那", "友達", "友だち", "歳", "中学", "高校", "んだけど",
             "万", "てるんだ", "ているん", "されて", "された")

MEANS = ("カッター", "刃物", "包丁", "ナイフ", "カミソリ", "剃刀", "薬", "くすり", "💊", "ロープ", "紐", "ひも", "練炭",
          "ベランダ", "屋上", "線路", "ホーム")

# A risk told as history (guide §2: past DV that has ended, a suicide attempt 「中3のときに」 → medium).
PAST_ANCHORS = re.compile(
    "当時|一時期|学生のころ|学生の頃|学生時代|子供のころ|子どもの頃|子供の頃|小さいころ|小さい頃|昔は|以前は|前は|その頃|そのころ"
    "|(?:歳|才|年生|中[1-3１-３]|高[1-3１-３])の(?:とき|時)|年前に|ときに|時に(?!は)"
    "|(?:小学校|小学生|中学|中学生|高校|高校生|大学|大学生)(?:の)?(?:頃|ころ|とき|時)"
)
# Weaker anchors (昔, 去年): history only when she also says it is over now (「昔のこと思い出して薬全部飲んだ」 is now).
PAST_ANCHORS_WEAK = re.compile("昔(?!から)|去年|昨年")
PRESENT_MARKERS = re.compile(
    "今も|いまも|今でも|いまでも|まだ|最近|ずっと|毎日|毎晩|今日|きょう|今夜|昨日|きのう|さっき|いつも|続いて|続け|頃から|ころから"
    "|今(?!は)|(?<![ぁ-ん])いま(?!は)|てる|ている|ています|てます|たい|助けて|どうしたら|どうすれば"
)
# Said of now, these end a story told as history even in the present tense (「今は別れて、穏やかに暮らしています」).
NOW_SAFE = re.compile(
    "(?:今|いま)は(?:もう)?.{0,12}?(?:別れ|離れ|離婚|逃げ|大丈夫|平気|落ち着|安全|幸せ|穏やか|元気|やめ|してない|しておらず"
    "|普通に|ふつうに|平和|一人暮らし|ひとり暮らし|別の(?:県|町|街|場所))"
    "|何年も(?:して|切って|やって|会って)(?:ない|ません)"
)

# 「〜したことがある」 is history only when she also says it is over now (「彼氏に首を絞められたことがある」 is not).
PAST_EXPERIENCE = re.compile("[たっだ]ことが(?:ある|あり|あった)|[たっだ]ことある")

# Made to work or pay by someone (in a message about a host: coercion, guide §1.4).
MADE_TO_EARN = ("働かされ", "稼がされ", "払わされ", "返させられ", "働かせられ")

# Bleeding in these words is her body (a pregnancy, a period), unless she also speaks of cutting herself.
BODY_BLEEDING = ("生理", "妊娠", "出産", "流産", "不正出血", "お腹", "おなか", "赤ちゃん", "中絶", "鼻血")
SELF_HARM = ("切っ", "切り", "切る", "りすか", "あむか", "傷", "刺", "自傷")

# A day or an hour chosen for dying (「7月16日は…誕生日で、大安なんです…朝の7時がいいんです」): a plan, not a wish.
TIME_CHOSEN = re.compile(
    r"(?:\d{1,2}月\d{1,2}日|\d{1,2}時|誕生日|命日|大安)(?:が(?:いい|いいんです)(?:[。!！]|$)"
    r"|[^。]{0,12}?(?:に死|で死|に飛び|に逝|にいく|に行く)[^。]{0,8}?(?:決め|にする|ことにし|つもり))"
    r"|運命の日(?:に|になったら)|決行"
)
