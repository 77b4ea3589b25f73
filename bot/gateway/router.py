"""One path for every parent message: checks, safety screen, language, handoff or Rasa, replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.conversations import notice
from bot.conversations.erasure import Eraser
from bot.conversations.records import Conversations, ConversationState, Turn
from bot.core import LANGUAGES, Inbound, Outbound, Reply
from bot.gateway import hooks, payloads, reading, replies
from bot.gateway.answers import Work, interpret
from bot.gateway.hooks import Crisis, HandoffHook, NoHandoff
from bot.gateway.rasa import RasaClient, RasaUnavailable
from bot.gateway.ratelimit import RateLimiter
from bot.settings import Settings
from bot.text import normalise

log = logging.getLogger(__name__)

HUMAN_INTENTS = frozenset({"talk_to_human", "find_mentor"})


@dataclass
class Routed:
    """The reply, plus what the web chat needs: stored message ids, and whether all was erased."""

    reply: Reply
    message_ids: list[int] = field(default_factory=list)
    erased: bool = False


class Router:
    """Routes parent messages for every channel."""

    def __init__(
        self,
        settings: Settings,
        conversations: Conversations,
        eraser: Eraser,
        rasa: RasaClient,
        *,
        handoff: HandoffHook | None = None,
        notify: Callable[[str], None] = lambda _conversation_id: None,
    ) -> None:
        self.settings = settings
        self.conversations = conversations
        self.eraser = eraser
        self.rasa = rasa
        self.handoff: HandoffHook = handoff or NoHandoff()
        self.notify = notify
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        self.intents = payloads.known_intents()

    def screen(self, inbound: Inbound) -> Crisis | None:
        """The crisis screen on every word of the message (commands and captions too)."""
        text = reading.screened_text(inbound)
        return hooks.screen(text, None) if text else None

    def held_back(self, inbound: Inbound) -> float | None:
        """Seconds the sender must wait, or None; a crisis message is never held back."""
        wait = self.limiter.hit(inbound.conversation_id)
        if wait is not None and self.screen(inbound) is not None:
            return None
        return wait

    async def route(self, inbound: Inbound) -> Reply:
        """Rate limit (never for a crisis), then handle: what channels call (Telegram)."""
        wait = self.held_back(inbound)
        if wait is not None:
            state = await asyncio.to_thread(self.conversations.get, inbound.conversation_id)
            language = state.language if state else hooks_language(inbound.language_hint)
            return Reply(language, [replies.too_fast(language, int(wait))])
        return (await self.handle(inbound)).reply

    async def open_turn(
        self, find: Callable[[], ConversationState | None], *, handoff: bool = True
    ) -> tuple[ConversationState | None, bool]:
        """The conversation `find` returns and, with `handoff`, whether a mentor holds it.

        One trip to a database thread for both: every hop costs a message a fraction of a ms.
        """

        def both() -> tuple[ConversationState | None, bool]:
            state = find()
            held = handoff and state is not None and self.handoff.is_handed_off(state.id)
            return state, held

        return await asyncio.to_thread(both)

    async def handle(
        self,
        inbound: Inbound,
        state: ConversationState | None = None,
        shown: str | None = None,
        *,
        handed_off: bool | None = None,
    ) -> Routed:
        """Everything after the rate limit; `shown` is what the transcript keeps (a button's title).

        `state` and `handed_off` come together from `open_turn` for this message, or are looked up.
        """
        cid = inbound.conversation_id
        if state is None or handed_off is None:
            state, handed_off = await self.open_turn(lambda: self.conversations.get(cid))
        if state is None:
            language = hooks_language(inbound.language_hint)
            return Routed(Reply(language, [replies.ended(language)]))
        work = Work(state, state.language, state.language_locked, state.rasa_language)
        raw = reading.typed_text(inbound)
        command = inbound.kind == "payload" or raw.startswith("/")
        # Screened before anything else: an over-long, unreadable or command message gets help too.
        crisis = self.screen(inbound)
        refusal = self._refusal(inbound, state) if crisis is None else None
        if refusal is not None:
            return Routed(Reply(state.language, [refusal]))
        typed = inbound.kind != "payload"
        parsed = payloads.parse(raw) if command else None
        if typed and command and not (parsed is not None and self._known(parsed.intent)):
            alias = payloads.typed_command(raw)
            parsed = payloads.parse(alias) if alias else parsed
        known = parsed is not None and self._known(parsed.intent)
        if crisis is None and command and not known:
            unknown = replies.unknown_command if typed else replies.unknown_payload
            return Routed(Reply(state.language, [unknown(state.language)]))
        choice = reading.choose_language(
            work.language,
            work.locked,
            parsed,
            "" if parsed else normalise(raw),
            inbound.language_hint,
        )
        work.language, work.locked = choice.language, choice.locked
        if crisis is not None:
            if not work.locked and work.language == state.language and crisis.language:
                work.language = crisis.language  # the matched list tells the language best
            # The whole of what was written, a command's words too, for the mentor and transcript.
            raw = reading.screened_text(inbound)
            await self._crisis(work, raw, crisis.kind)
        elif parsed is not None and parsed.intent in self._local_intents():
            await self._local_payload(work, parsed)
        elif parsed is None and handed_off:
            # Only words go to the mentor; a button or command is acted on (below) as always.
            work.out += await asyncio.to_thread(self.handoff.relay_to_mentor, cid, raw)
        else:
            text = parsed.raw if parsed else reading.rasa_text(raw, choice.written_in)
            await self._ask_rasa(work, parsed, text)
        consenting = parsed is not None and parsed.intent == notice.CONSENT_INTENT
        if not state.notice_shown and not work.erase and not consenting:
            # Before the first stored message, whatever it is (a button too); the crisis reply first.
            at = len(work.out) if crisis is not None else 0
            work.out.insert(at, notice.notice_message(work.language, state.channel, self._days))
            work.notice_shown = True
        return await self._finish(work, shown or raw)

    async def _handed_off(self, conversation_id: str) -> bool:
        if isinstance(self.handoff, NoHandoff):
            return False  # no thread hop on every message when there are no mentors
        return await asyncio.to_thread(self.handoff.is_handed_off, conversation_id)

    @property
    def _days(self) -> int:
        return self.settings.retention_days

    def _known(self, intent: str) -> bool:
        return intent in self.intents or intent in self._local_intents()

    def _local_intents(self) -> frozenset[str]:
        return self.handoff.payload_intents | {notice.CONSENT_INTENT}

    def _refusal(self, inbound: Inbound, state: ConversationState) -> Outbound | None:
        language = state.language
        if inbound.kind == "unsupported":
            return replies.not_text(language)
        raw = reading.typed_text(inbound)
        if not raw:
            return replies.empty(language)
        limit = self.settings.max_message_chars
        if inbound.channel == "web" and len(raw) > limit:
            return replies.too_long(language, limit)
        return None

    async def _crisis(self, work: Work, raw: str, kind: str) -> None:
        """The crisis reply at once, then an urgent alert; never waits for Rasa."""
        cid = work.state.id
        work.intent = "crisis"
        work.out += hooks.crisis_messages(work.language, kind)
        log.warning("crisis screen matched (%s)", kind)
        try:
            if await self._handed_off(cid):
                work.out += await asyncio.to_thread(
                    self.handoff.relay_to_mentor, cid, raw, urgent=True
                )
            else:
                work.out += await asyncio.to_thread(
                    self.handoff.request, cid, "crisis", urgent=True
                )
        except Exception as error:
            log.error("urgent handoff failed: %s", type(error).__name__)

    async def _local_payload(self, work: Work, parsed: payloads.Payload) -> None:
        """Buttons the gateway answers itself: privacy consent and the handoff's own buttons."""
        cid = work.state.id
        work.intent = parsed.intent
        if parsed.intent == notice.CONSENT_INTENT:
            consent = parsed.entities.get("consent") == "yes"
            await asyncio.to_thread(self.conversations.record_consent, cid, consent)
            work.out.append(notice.consent_reply(work.language, consent))
            return
        work.out += await asyncio.to_thread(
            self.handoff.handle_payload, cid, parsed.intent, parsed.entities
        )

    async def _ask_rasa(self, work: Work, parsed: payloads.Payload | None, message: str) -> None:
        cid = work.state.id
        work.intent = parsed.intent if parsed else None
        try:
            if work.rasa_language != work.language:
                fresh = work.rasa_language is None
                await self.rasa.set_language(cid, work.language, fresh=fresh)
                work.rasa_language = work.language
            answers = await self.rasa.ask(cid, message, work.language)
        except RasaUnavailable as error:
            log.warning("rasa unavailable: %s", error)
            if parsed is not None and parsed.intent in HUMAN_INTENTS:
                work.out += await self._request_person(work, parsed.intent)
            work.out.insert(0, replies.unavailable(work.language))
            return
        shown = await interpret(work, answers, self._request_person)
        if not shown and not work.erase:
            work.out.append(replies.no_answer(work.language))

    async def _request_person(
        self, work: Work, topic: str | None, urgent: bool = False
    ) -> list[Outbound]:
        """Ask the handoff for a person; without one, say honestly where else to get help."""
        found = await asyncio.to_thread(self.handoff.request, work.state.id, topic, urgent=urgent)
        if not found and not urgent and isinstance(self.handoff, NoHandoff):
            # (An urgent request follows the crisis reply, which already gives every number.)
            return [replies.no_mentors(work.language)]
        return found

    async def _finish(self, work: Work, inbound_text: str) -> Routed:
        cid = work.state.id
        if work.erase:
            await self.erase(cid)
            return Routed(Reply(work.language, work.out), erased=True)
        turn = Turn(
            conversation_id=cid,
            language=work.language,
            language_locked=work.locked,
            rasa_language=work.rasa_language,
            inbound_text=inbound_text,
            outbound=work.out,
            intent=work.intent,
            notice_shown=work.notice_shown,
            store=not work.notice_shown,
        )
        ids = await asyncio.to_thread(self.conversations.finish_turn, turn)
        if ids:
            self.notify(cid)
        return Routed(Reply(work.language, work.out), ids)

    async def erase(self, conversation_id: str) -> None:
        """Everything about one parent: handoff first, then our rows and Rasa's tracker."""
        try:
            await asyncio.to_thread(self.handoff.forget, conversation_id)
        except Exception as error:
            log.error("handoff forget failed: %s", type(error).__name__)
        await asyncio.to_thread(self.eraser.erase, conversation_id)
        self.limiter.forget(conversation_id)
        self.notify(conversation_id)


def hooks_language(hint: str | None) -> str:
    return hint if hint in LANGUAGES else "en"
