"""The community rules a deployment tunes: limits, thresholds and modes of the social studio.

One frozen record, built from the settings (`identity.service.community_rules`) and
carried by the store, so that every rule reads the same figures whoever calls it;
the defaults are the safe ones (invitation-only is the one switch left off).
"""
from __future__ import annotations

from dataclasses import dataclass

DAY_S = 24 * 3600


@dataclass(frozen=True)
class CommunityRules:
    # Clips each account may start in any 24 hours: established adult, new account, teen account.
    generations_per_day: int = 20
    generations_per_day_new: int = 5
    generations_per_day_teen: int = 5
    new_account_days: int = 7  # an account younger than this is "new"
    enroll_attempts_per_day: int = 5  # recordings judged against a challenge, pass or fail
    reports_per_window: int = 10  # reports one account may file per window...
    report_window_s: int = 3600  # ...of this many seconds
    report_hide_threshold: int = 3  # distinct accounts reporting a clip hide it pending review
    feed_break_after: int = 40  # clips seen in one feed session before a take-a-break notice
    feed_session_gap_s: int = 1800  # this long without the feed starts a new session
    invite_only: bool = False  # CAMEO_INVITE_ONLY: sign-up needs an unused invitation code
    invites_per_account: int = 3
    handle_cooling_off_days: int = 90  # a deleted account's handle is nobody's for this long

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if isinstance(value, bool):
                continue
            least = 0 if name in ("handle_cooling_off_days", "invites_per_account") else 1
            if not isinstance(value, int) or value < least:
                raise ValueError(f"community rule {name} must be a whole number of at least {least}, not {value!r}")
