"""The daily counts the reports are built from: what happened, counted as it happens.

Nothing counted belongs to one parent (bot.store.models.DailyCount): a day, a channel, a
language, what happened, and for handoffs the minutes waited as a bucket, duty hours and the
mentor's organisation. `Tally` keeps counts in memory and writes them every few seconds.
"""

from bot.analytics.events import (
    ALL_BUCKETS,
    IN_DUTY,
    OTHER_LANGUAGE,
    OUT_OF_DUTY,
    SAME_LANGUAGE,
    URGENT,
    Count,
    Event,
    bucket_bounds,
    wait_bucket,
)
from bot.analytics.tally import Tally, first_kept_day, purge_before, write

__all__ = [
    "ALL_BUCKETS",
    "IN_DUTY",
    "OTHER_LANGUAGE",
    "OUT_OF_DUTY",
    "SAME_LANGUAGE",
    "URGENT",
    "Count",
    "Event",
    "Tally",
    "bucket_bounds",
    "first_kept_day",
    "purge_before",
    "wait_bucket",
    "write",
]
