"""Median and 90th percentile of minutes waited, from the buckets the counts keep."""

from __future__ import annotations

from collections import Counter

from bot.analytics import ALL_BUCKETS, bucket_bounds
from bot.reports.disclosure import SMALLEST_SHOWN


def _minutes(value: int) -> str:
    if value >= 60 and value % 60 == 0:
        hours = value // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{value} minute{'s' if value != 1 else ''}"


def bucket_words(label: str) -> str:
    """ "2-5" → "2 to 5 minutes"; "0-1" → "under 1 minute"; "1440+" → "24 hours or more"."""
    lower, upper = bucket_bounds(label)
    if upper is None:
        return f"{_minutes(lower)} or more"
    if lower == 0:
        return f"under {_minutes(upper)}"
    if lower >= 60 and upper % 60 == 0 and lower % 60 == 0:
        return f"{lower // 60} to {_minutes(upper)}"
    if upper >= 60 and upper % 60 == 0 and lower < 60:
        return f"{_minutes(lower)} to {_minutes(upper)}"
    return f"{lower} to {_minutes(upper)}"


def quantile(buckets: Counter[str], share: float) -> str | None:
    """The bucket in which the given share of waits ends (None when there are no waits)."""
    total = sum(buckets.values())
    if not total:
        return None
    running = 0
    for label in ALL_BUCKETS:
        running += buckets.get(label, 0)
        if running >= share * total:
            return label
    return ALL_BUCKETS[-1]


def median_and_p90(buckets: Counter[str], may_show: bool = True) -> list[str]:
    """The two texts for a table: shown only for 5 or more waits that may be shown."""
    total = sum(buckets.values())
    if total < SMALLEST_SHOWN or not may_show:
        return (
            ["not shown (fewer than 5 accepted)"] * 2
            if total < SMALLEST_SHOWN
            else ["withheld"] * 2
        )
    median, p90 = quantile(buckets, 0.5), quantile(buckets, 0.9)
    assert median is not None and p90 is not None
    return [bucket_words(median), bucket_words(p90)]
