"""What is counted: the events, and the buckets that minutes waited fall into."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Event(StrEnum):
    """One kind of thing that happened, as the daily counts name it (docs/reports.md)."""

    CONVERSATION = "conversation"  # a new conversation: its first turn
    INTENT = "intent"  # detail: what the parent asked about (the assistant's intent)
    SERVICE_SHOWN = "service_shown"  # detail: service id; flag: "same" or "other" language
    NO_SERVICE_IN_LANGUAGE = "no_service_in_language"  # detail: the service type asked for
    FALLBACK = "fallback"  # the assistant did not understand (asked to rephrase)
    CRISIS = "crisis"  # detail: the crisis kind
    GENTLE_CHECK = "gentle_check"  # detail: "self" or "other"
    CHECK_ANSWER = "check_answer"  # detail: "safe" or "not_safe"
    HANDOFF_REQUESTED = "handoff_requested"  # detail: topic; flag: "urgent"
    HANDOFF_ACCEPTED = "handoff_accepted"  # + organisation, waited, duty
    HANDOFF_ENDED = "handoff_ended"  # detail: who or what ended it
    HANDOFF_ABANDONED = "handoff_abandoned"  # closed unaccepted, not by the parent's cancel
    HANDOFF_CANCELLED = "handoff_cancelled"  # the parent stopped waiting
    HANDOFF_ESCALATED = "handoff_escalated"  # nobody accepted in time: alerted more widely
    FEEDBACK = "feedback"  # detail: good, ok or bad; + organisation


URGENT = "urgent"
SAME_LANGUAGE = "same"
OTHER_LANGUAGE = "other"
IN_DUTY = "in"
OUT_OF_DUTY = "out"

# Upper ends (minutes) of the buckets that minutes waited fall into; the last is open.
WAIT_BUCKETS: tuple[int, ...] = (1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440)


def bucket_label(lower: int, upper: int | None) -> str:
    return f"{lower}-{upper}" if upper is not None else f"{lower}+"


def wait_bucket(minutes: float) -> str:
    """The bucket of a wait: "0-1", "1-2", "2-5" … "1440+" (the lower end is included)."""
    lower = 0
    for upper in WAIT_BUCKETS:
        if minutes < upper:
            return bucket_label(lower, upper)
        lower = upper
    return bucket_label(lower, None)


def bucket_bounds(label: str) -> tuple[int, int | None]:
    """(lower, upper) minutes of a bucket label; upper None for the open last bucket."""
    if label.endswith("+"):
        return int(label[:-1]), None
    lower, upper = label.split("-")
    return int(lower), int(upper)


ALL_BUCKETS: tuple[str, ...] = tuple(
    bucket_label(lower, upper)
    for lower, upper in zip((0, *WAIT_BUCKETS), (*WAIT_BUCKETS, None), strict=True)
)


@dataclass(frozen=True, slots=True)
class Count:
    """One thing that happened, by every dimension a daily count keeps (none is a person's)."""

    event: Event
    channel: str
    language: str
    detail: str = ""
    flag: str = ""
    waited: str = ""
    duty: str = ""
    organisation: str = ""
