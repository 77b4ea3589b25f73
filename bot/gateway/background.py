"""The gateway's loops that run for as long as it does: delivering the handoff outbox, the
handoff's clock (duty hours, escalation), and long-polling Telegram while holding the lock that
lets one gateway of many do it."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.gateway.channels.telegram import TelegramChannel
from bot.handoff import HandoffService, OutboxWorker
from bot.store import AdvisoryLock

log = logging.getLogger(__name__)


async def deliver_forever(
    outbox: OutboxWorker, channel: TelegramChannel | None, poll_seconds: float
) -> None:
    """Drain the outbox whenever woken, and every poll for retries that fell due; it delivers
    through Telegram once the channel runs."""
    while True:
        outbox.wakeup.clear()
        if not outbox.senders and channel is not None and channel.running:
            outbox.senders = channel.outbox_senders()
            log.info("handoff outbox delivering through Telegram")
        if outbox.senders:
            try:
                await outbox.drain()
            except Exception:
                log.exception("outbox drain failed")
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancel that
        # lands as the wait times out, and the gateway's shutdown would then wait for ever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(poll_seconds):
                await outbox.wakeup.wait()


async def poll_while_holding(channel: TelegramChannel, lock: AdvisoryLock) -> None:
    """Long-poll Telegram while this process holds the polling lock; stand by otherwise, and
    take over when the holder dies (its connection closes and PostgreSQL frees the lock)."""
    try:
        while True:
            await lock.acquire()
            try:
                await channel.start_polling()
            except Exception as error:
                log.error("telegram polling did not start: %s", type(error).__name__)
                await lock.release()
                await asyncio.sleep(lock.check_seconds)
                continue
            await lock.lost()
            await channel.stop_polling()
    finally:
        await lock.release()


async def tick_forever(service: HandoffService, seconds: float) -> None:
    """Alert requests that waited for duty hours, and escalate those nobody accepted."""
    while True:
        try:
            await asyncio.to_thread(service.tick)
        except Exception:
            log.exception("handoff tick failed")
        await asyncio.sleep(seconds)
