"""The reports' counts written every few seconds, and those older than REPORT_RETENTION_DAYS
deleted once a day: a background task of the gateway."""

from __future__ import annotations

import asyncio
import logging
import time

from bot.analytics import Tally, first_kept_day, purge_before
from bot.gateway.counting import Counting

log = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = 24 * 3600


def write_and_purge(counting: Counting, tally: Tally, retention_days: int, purge: bool) -> int:
    """Intents looked up, counts written, and (with `purge`) old days deleted; rows deleted."""
    counting.resolve()
    tally.flush()
    if not purge or tally.db is None:
        return 0
    with tally.db.session() as session:
        return purge_before(session, first_kept_day(tally.day(), retention_days))


async def record_forever(
    counting: Counting, tally: Tally, retention_days: int, seconds: float, *, purge: bool
) -> None:
    """Write the counts every `seconds` until cancelled; purge old days once a day."""
    purged_at = 0.0
    while True:
        due = purge and time.monotonic() - purged_at >= PURGE_EVERY_SECONDS
        try:
            gone = await asyncio.to_thread(write_and_purge, counting, tally, retention_days, due)
            if due:
                purged_at = time.monotonic()
                if gone:
                    log.info("report counts purge: %d old rows", gone)
        except Exception as error:
            log.error("report counts not written: %s", type(error).__name__)
        await asyncio.sleep(seconds)
