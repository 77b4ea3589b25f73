"""The handoff inside the running gateway: service, mentor desk, outbox worker and periodic tick."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.gateway.services import Services
from bot.handoff.delivery import TELEGRAM_SEND, record_sent
from bot.handoff.desk import MentorDesk
from bot.handoff.outbox import OutboxWorker
from bot.handoff.service import HandoffService
from bot.store.models import OutboxItem, utcnow

log = logging.getLogger(__name__)

# Retries that fell due are picked up at least this often, even without a wake-up.
OUTBOX_POLL_SECONDS = 1.0
# Requests waiting for duty hours or for escalation are looked at this often.
TICK_SECONDS = 30.0


class HandoffRuntime:
    """Builds the handoff's parts for one gateway process and runs its background tasks."""

    def __init__(
        self,
        services: Services,
        *,
        clock: Callable[[], datetime] = utcnow,
        tick_seconds: float = TICK_SECONDS,
        poll_seconds: float = OUTBOX_POLL_SECONDS,
    ) -> None:
        self.services = services
        self.tick_seconds = tick_seconds
        self.poll_seconds = poll_seconds
        self.loop = asyncio.get_running_loop()
        self.service = HandoffService(
            services.db,
            services.settings,
            outbox_notify=self.wake_outbox,
            parent_notify=services.notifier.notify,
            clock=clock,
        )
        self.worker = OutboxWorker(
            services.db,
            {},
            after_send={TELEGRAM_SEND: record_sent},
            after_failure={TELEGRAM_SEND: self.service.delivery_failed},
        )
        self.desk = MentorDesk(
            services.db,
            outbox_notify=self.wake_outbox,
            parent_notify=services.notifier.notify,
            settings=services.settings,
            clock=clock,
        )

    def wake_outbox(self) -> None:
        """Wake the worker now; safe from the router's worker threads."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self.worker.notify()
        else:
            self.loop.call_soon_threadsafe(self.worker.notify)

    def _bind_telegram(self) -> bool:
        """Use the Telegram bot as the outbox's sender once the channel is running."""
        if self.worker.senders:
            return True
        application = self.services.telegram
        if application is None or not application.running:
            return False
        from bot.handoff.senders import telegram_senders

        self.worker.senders = telegram_senders(application.bot)
        log.info("handoff outbox delivering through Telegram")
        return True

    async def deliver_forever(self) -> None:
        """Drain the outbox whenever woken, and every poll for retries that fell due."""
        while True:
            self.worker.wakeup.clear()
            if self._bind_telegram():
                try:
                    await self.worker.drain()
                except Exception:
                    log.exception("outbox drain failed")
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancel that
            # lands as the wait times out, and the gateway's shutdown would then wait for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self.worker.wakeup.wait()

    async def tick_forever(self) -> None:
        """Alert requests that waited for duty hours, and escalate those nobody accepted."""
        while True:
            try:
                await asyncio.to_thread(self.service.tick)
            except Exception:
                log.exception("handoff tick failed")
            await asyncio.sleep(self.tick_seconds)

    def pending(self) -> int:
        """How many outbox items wait for delivery."""
        with self.services.db.session() as session:
            count = session.scalar(
                select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "pending")
            )
            return int(count or 0)

    def health(self) -> dict[str, Any]:
        """For /healthz: whether alerts can go out, and how many wait in the outbox."""
        delivering = bool(self.worker.senders)
        pending = self.pending()
        return {
            "ok": delivering or pending == 0,
            "delivering": delivering,
            "outbox_pending": pending,
        }

    def start(self) -> None:
        """Register the Telegram handlers and start the background tasks on the gateway's loop."""
        from bot.gateway.channels.telegram.mentors import extension

        self.services.telegram_extensions.append(extension(self.desk))
        self.services.tasks.append(asyncio.create_task(self.deliver_forever()))
        self.services.tasks.append(asyncio.create_task(self.tick_forever()))


def install(
    services: Services,
    *,
    clock: Callable[[], datetime] = utcnow,
    tick_seconds: float = TICK_SECONDS,
    poll_seconds: float = OUTBOX_POLL_SECONDS,
) -> HandoffService:
    """The gateway's handoff factory: build, start, and return the router's HandoffHook."""
    runtime = HandoffRuntime(
        services, clock=clock, tick_seconds=tick_seconds, poll_seconds=poll_seconds
    )
    runtime.start()
    services.handoff_runtime = runtime
    return runtime.service
