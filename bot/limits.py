"""Hour limits that decide pregnancy and assault advice: one definition for triage and replies.

Pure and import-free, so ``bot/`` and ``handoff/`` can share it. Sources: the
emergency contraception pill is meant within 72 hours (the sooner the better);
a copper IUD fitted by a doctor works up to about 120 hours; a pregnancy test is
reliable about three weeks after the sex. One-stop centres for sexual violence
(#8891) offer emergency contraception, STI care and evidence collection within
that same 120 hours.
"""

from __future__ import annotations

EC_PILL_HOURS = 72.0  # emergency contraception pill (ノルレボ): within 72 h
EC_IUD_HOURS = 120.0  # copper IUD by a doctor: up to about 120 h
TEST_RELIABLE_HOURS = 21 * 24.0  # a pregnancy test is reliable about three weeks after
ASSAULT_EMERGENCY_HOURS = 12.0  # an assault this recent is an emergency (she may still be near the place or the person)
ASSAULT_RECENT_HOURS = EC_IUD_HOURS  # within this, a one-stop centre can still help with EC, STI care and evidence


def ec_window_open(hours: float) -> bool:
    """Whether emergency contraception (pill or IUD) is still possible this many hours after."""
    return hours <= EC_IUD_HOURS
