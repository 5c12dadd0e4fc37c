"""Slot names shared by the actions and domain.yml, named once."""

AGE = "age"
AGE_DECLINED = "age_declined"
MAX_URGENCY = "max_urgency"
CONCERNS_SO_FAR = "concerns_so_far"
LAST_TRIAGE = "last_triage"
PREVIOUS_CONCERNS = "previous_concerns"
TRIAGED_MESSAGE = "triaged_message"
INTRODUCED = "introduced"
OFFERED_HUMAN = "offered_human"
ASKED_QUESTION = "asked_question"
HANDOFF_NOTICE = "handoff_notice"  # which notice about counselors was given (bot.replies.NOTICE_*)

PREGNANCY_WHEN = "pregnancy_when"
PREGNANCY_HOURS = "pregnancy_hours"
LAST_PERIOD = "last_period"
TEST_DONE = "test_done"
PREGNANCY_INTRO_GIVEN = "pregnancy_intro_given"
FORM_EXIT = "form_exit"
PREGNANCY_ADVISED = "pregnancy_advised"  # the advice for the time was given as soon as it was known
REQUESTED_SLOT = "requested_slot"

PREGNANCY_FORM = "pregnancy_form"
FORM_SLOTS = (PREGNANCY_WHEN, LAST_PERIOD, TEST_DONE, AGE)
