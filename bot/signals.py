"""Machine-readable signal codes carried in every triage payload (SPEC §2 ``signals``).

Behaviour depends on these codes only, never on the Japanese ``factors`` shown to
counselors, so rewording a factor cannot change what the bot or the queue does.
"""

from __future__ import annotations

WANTS_HUMAN = "wants_human"  # she asked for a person
THIRD_PARTY = "third_party"  # the person in danger is someone else (a friend, a child, family)
MEANS_NAMED = "means_named"  # a means of self-harm named (now or in recent turns)
MINOR = "minor"  # she appears to be under 18
OVERDOSE_TAKEN = "overdose_taken"  # pills already taken
DANGER_NOW = "danger_now"  # violence, confinement or a dangerous person present now
FOLLOWED = "followed"  # being followed or watched
DANGEROUS_PLACE = "dangerous_place"  # a roof, a platform, a riverbank…
ASSAULT_RECENT = "assault_recent"  # sexual assault within 120 hours
EC_WINDOW = "ec_window"  # emergency contraception still possible (≤ 120 h)
NEGATED = "negated"  # risk words negated or in the past
FIGURATIVE = "figurative"  # 「死ぬほど眠い」: not risk
NO_PLACE_TONIGHT = "no_place_tonight"
LEXICON_FLOOR = "lexicon_floor"  # the risk lexicon alone puts this message at high or above (a score cannot lower it)
BODY_EMERGENCY = "body_emergency"  # a body in trouble now: unconscious, not breathing, bleeding that won't stop (119)
SUICIDE_PLAN = "suicide_plan"  # a plan, a time or a farewell for suicide
COERCION = "coercion"  # pushed into sex work (風俗・立ちんぼ・パパ活) or to pay with her body
LURING = "luring"  # an adult offering a bed, a hotel, money or a "job with a dorm"
SELLING_SEX = "selling_sex"  # selling sex to get by (パパ活・援交・売春) with no host named: sexual exploitation
PLACE_NAMED = "place_named"  # she says where she is (a bridge, a station, a roof): dangerous once she speaks of dying
INTENT_ONLY = "intent_only"  # the classifier read a high-risk topic that no word of the message backs: a guess
SAFE_NOW = "safe_now"  # she says she is safe for now (a safe place tonight, nothing at hand, housing trouble is later)
RESCUE_CALL = "rescue_call"  # she asks someone to call the police or an ambulance now
LATE_PREGNANCY = "late_pregnancy"  # far along with no one told or no care, or giving birth alone (孤立出産)
EC_TAKEN = "ec_taken"  # she has already taken the morning-after pill: a worry whether it works, no race with time
DRUGGED = "drugged"  # a drink spiked or forced on her and her body failing now (110 / 119, not the suicide words)
TIME_CHOSEN = "time_chosen"  # a wish to die with the day or hour chosen (「朝の7時がいいんです」): a plan, never history

ALL = (
    WANTS_HUMAN, THIRD_PARTY, MEANS_NAMED, MINOR, OVERDOSE_TAKEN, DANGER_NOW, FOLLOWED, DANGEROUS_PLACE,
    ASSAULT_RECENT, EC_WINDOW, NEGATED, FIGURATIVE, NO_PLACE_TONIGHT, LEXICON_FLOOR, BODY_EMERGENCY, SUICIDE_PLAN,
    COERCION, LURING, SELLING_SEX, RESCUE_CALL, SAFE_NOW, PLACE_NAMED, INTENT_ONLY, LATE_PREGNANCY, DRUGGED,
    EC_TAKEN, TIME_CHOSEN,
)
