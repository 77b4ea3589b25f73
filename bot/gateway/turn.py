"""A parent's turn: one message, from either channel, answered and recorded.

`Router.take` is the whole path, read top to bottom:
1. screen for a crisis: always first, on every word the parent sent;
2. refuse a message that is too long, too fast or unreadable, but never a crisis;
3. choose the conversation's language;
4. a crisis reply, a button the gateway answers, words for the mentor, or Rasa;
5. the replies: Rasa's, its directives acted on, and the privacy notice when it is due;
6. record the turn, or erase everything when the parent asked for it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any

from bot.conversations import Conversations, ConversationState, Eraser, TurnRecord, notice
from bot.core import (
    CRISIS_INTENT,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Directive,
    Inbound,
    Outbound,
    Refusal,
    Reply,
)
from bot.gateway import payloads, replies
from bot.gateway.counting import Counting
from bot.gateway.crisis import CRISIS_PAYLOAD, Safety, gentle_check, not_safe, rasa_metadata
from bot.gateway.handoff import Handoff, NoHandoff
from bot.gateway.payloads import Payload
from bot.gateway.rasa import RasaClient, RasaUnavailable
from bot.gateway.ratelimit import Counters, RateLimiter
from bot.language import LanguageChoice, choose_language
from bot.safety import Assessment, Level, SafetyNet, safety_net
from bot.settings import Settings
from bot.text import normalise

log = logging.getLogger(__name__)

HUMAN_INTENTS = frozenset({"talk_to_human", "find_mentor"})
# A conversation, and whether a mentor holds it: looked up together (see Router.open).
Opened = tuple[ConversationState | None, bool]


class Router:
    """Takes every parent message, on every channel, through one turn."""

    def __init__(
        self,
        settings: Settings,
        conversations: Conversations,
        eraser: Eraser,
        rasa: RasaClient,
        *,
        handoff: Handoff | None = None,
        notify: Callable[[str], None] = lambda _conversation_id: None,
        counting: Counting | None = None,
        net: SafetyNet | None = None,
        client_limiter: RateLimiter | None = None,
        counters: Counters | None = None,
    ) -> None:
        self.settings = settings
        self.conversations = conversations
        self.eraser = eraser
        self.rasa = rasa
        self.handoff: Handoff = handoff or NoHandoff()
        # The phrase lists alone unless the learned detector is given (gateway start-up).
        self.safety = Safety(net or safety_net(None), self.handoff)
        self.notify = notify
        self.counting = counting or Counting(None, None)
        # Messages per session; counted where `counters` count (Redis, with several gateways).
        self.limiter = RateLimiter(
            settings.rate_limit_per_minute, counters=counters, prefix="session:"
        )
        # Messages per client address, across all of its sessions (bot/gateway/clients.py).
        self.client_limiter = client_limiter
        self.intents = payloads.known_intents()

    async def take(
        self, inbound: Inbound, opened: Opened | None = None, *, shown: str | None = None
    ) -> Reply:
        """Answer one parent message, and record it.

        `opened` is the conversation and whether a mentor holds it, when the channel has
        looked them up already (`open`); `shown` is what the transcript keeps instead of a
        button's payload (its title).
        """
        cid = inbound.conversation_id
        raw = inbound.typed
        # (A voice note's or photo's caption is never a command.)
        command = inbound.kind == "payload" or (inbound.kind != "media" and raw.startswith("/"))
        typed = inbound.kind != "payload"
        parsed = payloads.read(raw, typed=typed, known=self._known) if command else None
        # 1. Screen for a crisis, on every word the parent sent (commands and captions too);
        # "No, I am not safe" is one too.
        verdict = not_safe(parsed) or await self.safety.assess(inbound.words)

        # 2. Refuse a message that is too long, too fast (for its conversation, or for its
        # client's address, all sessions together) or unreadable; never a crisis.
        limit = self.settings.max_message_chars
        long = inbound.channel == "web" and len(inbound.text or inbound.payload or "") > limit
        if long and (not verdict.crisis or inbound.kind == "payload"):
            language = await self._language_of(inbound, opened)
            return Reply(language, [replies.too_long(language, limit)], Refusal.TOO_LONG)
        wait = self.limiter.hit(cid)
        if wait is None and inbound.client is not None and self.client_limiter is not None:
            wait = self.client_limiter.hit(inbound.client)
        if wait is not None and not verdict.crisis:
            language = await self._language_of(inbound, opened)
            too_fast = [replies.too_fast(language, int(wait))]
            return Reply(language, too_fast, Refusal.TOO_FAST, retry_after=int(wait))
        state, handed_off = opened or await self.open(lambda: self.conversations.get(cid))
        if state is None:
            language = _hinted(inbound.language_hint)
            return Reply(language, [replies.ended(language)])
        if not verdict.crisis:
            unreadable = self._unreadable(inbound, raw, command, parsed, state.language, handed_off)
            if unreadable is not None:
                return Reply(state.language, [unreadable], Refusal.UNREADABLE)
        if inbound.media is not None and shown is None:
            shown = replies.media_shown(state.language, inbound.media.kind, raw)

        # 3. Choose the language: a language button's, else by the words (bot.language).
        choice = self._language(state, parsed, raw, inbound.language_hint)
        record = TurnRecord(
            conversation_id=cid,
            language=choice.language,
            language_locked=choice.locked,
            rasa_language=state.rasa_language,
            inbound_text=shown or raw,
            outbound=[],
            language_settled=choice.settled,
        )

        # 4. A crisis, a button the gateway answers, words for the mentor, or Rasa (which asks
        # gently "are you safe?" when the safety net is unsure: bot/gateway/crisis.py).
        erase = False
        check = verdict.level is Level.CHECK
        if verdict.crisis:
            # All that was written, a command's words too, for the mentor and the transcript.
            record.inbound_text = shown or inbound.words or raw
            media = inbound.media if handed_off else None
            await self.safety.answer(record, verdict, inbound.words, state.language, media)
        elif parsed is not None and parsed.intent in self._local_intents():
            await self._local_payload(record, parsed)
        elif parsed is None and handed_off:
            # Only words, voice notes, photos and files go to the mentor (marked urgent when
            # unsure); a button is acted on.
            relay = functools.partial(
                self.handoff.relay_to_mentor, cid, raw, urgent=check, media=inbound.media
            )
            record.outbound += await asyncio.to_thread(relay)
            if check:
                record.outbound += gentle_check(record.language, verdict.subject)[:1]
        else:
            text = parsed.raw if parsed else normalise(raw, choice.written_in)
            erase = await self._ask_rasa(record, parsed, CRISIS_PAYLOAD if check else text, verdict)

        # 5. The replies: before the first stored message, whatever it is, the privacy notice
        # (after the crisis reply).
        consenting = parsed is not None and parsed.intent == notice.CONSENT_INTENT
        if not state.notice_shown and not erase and not consenting:
            at = len(record.outbound) if verdict.crisis else 0
            days = self.settings.retention_days
            record.outbound.insert(at, notice.notice_message(record.language, state.channel, days))
            record.notice_shown = True
            record.store = False

        # 6. Count it for the reports (bot.analytics: nothing of the parent's), and record
        # the turn, or erase everything.
        self.counting.turn(state.channel, record, verdict, parsed)
        if erase:
            await self.erase(cid)
            return Reply(record.language, record.outbound, erased=True)
        ids = await asyncio.to_thread(self.conversations.finish_turn, record)
        if ids:
            self.notify(cid)
        return Reply(record.language, record.outbound, message_ids=ids)

    async def open(
        self, find: Callable[[], ConversationState | None], *, handoff: bool = True
    ) -> Opened:
        """The conversation `find` returns and, with `handoff`, whether a mentor holds it.

        One trip to a database thread for both: every hop costs a message a fraction of a ms.
        """

        def both() -> Opened:
            state = find()
            held = handoff and state is not None and self.handoff.is_handed_off(state.id)
            return state, held

        return await asyncio.to_thread(both)

    async def erase(self, conversation_id: str) -> None:
        """Everything about one parent: handoff first, then our rows and Rasa's tracker."""
        try:
            await asyncio.to_thread(self.handoff.forget, conversation_id)
        except Exception as error:
            log.error("handoff forget failed: %s", type(error).__name__)
        await asyncio.to_thread(self.eraser.erase, conversation_id)
        self.limiter.forget(conversation_id)
        self.notify(conversation_id)

    async def _language_of(self, inbound: Inbound, opened: Opened | None) -> str:
        """The conversation's language, for a refusal that comes before the turn opens it."""
        state = opened[0] if opened else None
        if opened is None:
            state = await asyncio.to_thread(self.conversations.get, inbound.conversation_id)
        return state.language if state else _hinted(inbound.language_hint)

    def _language(
        self, state: ConversationState, parsed: Payload | None, raw: str, hint: str | None
    ) -> LanguageChoice:
        if parsed is None:
            return choose_language(
                state.language,
                state.language_locked,
                normalise(raw),
                hint,
                settled=state.language_settled,
            )
        chosen = payloads.chosen_language(parsed)
        if chosen:
            return LanguageChoice.chosen(chosen)
        return LanguageChoice(
            state.language, state.language_locked, state.language, state.language_settled
        )

    def _unreadable(
        self,
        inbound: Inbound,
        raw: str,
        command: bool,
        parsed: Payload | None,
        language: str,
        handed_off: bool,
    ) -> Outbound | None:
        """Why the message cannot be read: not text, empty, or a command or button not ours.

        A voice note, photo or file is read by a mentor only: without one it is not text.
        """
        if inbound.kind == "unsupported" or (inbound.kind == "media" and not handed_off):
            return replies.not_text(language)
        if inbound.kind == "media":
            return None
        if not raw:
            return replies.empty(language)
        if command and not (parsed is not None and self._known(parsed.intent)):
            typed = inbound.kind != "payload"
            return (replies.unknown_command if typed else replies.unknown_payload)(language)
        return None

    def _known(self, intent: str) -> bool:
        return intent in self.intents or intent in self._local_intents()

    def _local_intents(self) -> frozenset[str]:
        return self.handoff.payload_intents | {notice.CONSENT_INTENT}

    async def _local_payload(self, record: TurnRecord, parsed: Payload) -> None:
        """Buttons the gateway answers itself: privacy consent and the handoff's own buttons."""
        cid = record.conversation_id
        record.intent = parsed.intent
        if parsed.intent == notice.CONSENT_INTENT:
            consent = parsed.entities.get("consent") == "yes"
            await asyncio.to_thread(self.conversations.record_consent, cid, consent)
            record.outbound.append(notice.consent_reply(record.language, consent))
            return
        record.outbound += await asyncio.to_thread(
            self.handoff.handle_payload, cid, parsed.intent, parsed.entities
        )

    async def _ask_rasa(
        self, record: TurnRecord, parsed: Payload | None, text: str, verdict: Assessment
    ) -> bool:
        """Rasa's answer, its directives acted on; True when the parent asked to be erased."""
        cid, language = record.conversation_id, record.language
        check = verdict.level is Level.CHECK
        record.intent = CRISIS_INTENT if check else parsed.intent if parsed else None
        try:
            if record.rasa_language != language:
                await self.rasa.set_language(cid, language, fresh=record.rasa_language is None)
                record.rasa_language = language
            answers = await self.rasa.ask(cid, text, language, rasa_metadata(verdict))
            self.counting.asked(cid)
        except RasaUnavailable as error:
            log.warning("rasa unavailable: %s", error)
            if parsed is not None and parsed.intent in HUMAN_INTENTS:
                record.outbound += await self._request_person(record, parsed.intent)
            record.outbound.insert(0, replies.unavailable(language))
            if check:  # unsure whether it is a crisis: ask gently all the same
                record.outbound += gentle_check(language, verdict.subject)
            return False
        erase = False
        for answer in answers:
            if answer.message is not None:
                record.outbound.append(answer.message)
            elif answer.directive is not None:
                erase = await self._directive(record, answer.directive) or erase
        if not answers:
            record.outbound.append(replies.no_answer(language))
        return erase

    async def _directive(self, record: TurnRecord, directive: dict[str, Any]) -> bool:
        """Act on one of Rasa's directives (never shown); True for erase."""
        name = directive.get("directive")
        if name == Directive.LANGUAGE and directive.get("language") in LANGUAGES:
            record.language, record.language_locked = str(directive["language"]), True
            record.language_settled = True
            if record.rasa_language != record.language:
                # Unknown whether the action set the slot: set it next time.
                record.rasa_language = None
        elif name == Directive.ERASE:
            record.outbound.append(replies.erased(record.language))
            return True
        elif name == Directive.HANDOFF:
            topic = directive.get("topic")
            urgent = bool(directive.get("urgent", False))
            record.outbound += await self._request_person(
                record, str(topic) if topic else None, urgent
            )
        else:
            log.warning("unknown directive from rasa: %s", str(name)[:40])
        return False

    async def _request_person(
        self, record: TurnRecord, topic: str | None, urgent: bool = False
    ) -> list[Outbound]:
        """Ask the handoff for a person; without mentors, say honestly where else to get help."""
        cid = record.conversation_id
        found = await asyncio.to_thread(self.handoff.request, cid, topic, urgent=urgent)
        if not found and not urgent and isinstance(self.handoff, NoHandoff):
            # (An urgent request follows the crisis reply, which already gives every number.)
            return [replies.no_mentors(record.language)]
        return found


def _hinted(hint: str | None) -> str:
    """A language hint (Telegram's language_code) when it is one of ours, else the default."""
    return hint if hint in LANGUAGES else DEFAULT_LANGUAGE
