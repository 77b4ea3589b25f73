"""The crisis reply: the emergency and support numbers, in the parent's language, never failing."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.core import CRISIS_KINDS, Outbound
from bot.i18n import N_, translate

log = logging.getLogger(__name__)

KINDS = CRISIS_KINDS
SUBJECTS = ("self", "other")  # "other": the parent writes about someone else in danger


@dataclass(frozen=True)
class Line:
    """One crisis line: a known role (or None), a phone or text number, and its name when unknown."""

    role: str | None
    number: str
    option: str | None = None
    keyword: str | None = None
    name: str | None = None


# Built-in fallbacks: used when the directory cannot be read or lacks one of these lines.
FALLBACK = {
    "emergency": Line("emergency", "999"),
    "nhs111": Line("nhs111", "111", option="2"),
    "samaritans": Line("samaritans", "116 123"),
    "shout": Line("shout", "85258", keyword="SHOUT"),
    "domestic_abuse": Line("domestic_abuse", "0808 2000 247"),
}
GENERAL_ROLES = ("emergency", "nhs111", "samaritans", "shout")
_IDS = {
    "emergency-999": "emergency",
    "nhs-111-mental-health": "nhs111",
    "samaritans": "samaritans",
    "shout": "shout",
    "domestic-abuse-helpline": "domestic_abuse",
}

OPENING = N_("I am so sorry you are going through this. You are not alone, and help is here now.")
# About someone else: say what to do for them, not only for the parent.
OPENING_OTHER = N_(
    "Thank you for telling me. The person you are worried about needs help now. "
    "If it is safe for you, stay with them until help comes."
)
# Postpartum psychosis is an emergency: urgent help today, not a support group.
OPENING_PSYCHOSIS = N_(
    "What you describe needs urgent help today. It can be a serious illness after birth. "
    "It can be treated, and it is not your fault. Ask someone you trust to stay with you and the baby."
)
OPENING_PSYCHOSIS_OTHER = N_(
    "What you describe needs urgent help today. It can be a serious illness after birth, "
    "and it can be treated. Stay with them, and do not leave them alone with the baby."
)
TEMPLATES = {
    "emergency": N_("If you or your baby are in danger right now, call {number}."),
    "emergency_other": N_("If they or anyone else are in danger right now, call {number}."),
    "nhs111": N_("Call NHS {number} and choose the mental health option."),
    "nhs111_option": N_("Call NHS {number} and press {option} for mental health support."),
    "samaritans": N_("Call Samaritans on {number}. It is free, any time, day or night."),
    "shout": N_("Text {keyword} to {number} to talk by text. It is free, any time."),
    "domestic_abuse": N_(
        "Call the National Domestic Abuse Helpline on {number}. It is free and open any time."
    ),
    "other_call": N_("{name}: call {number}"),
    "other_text": N_("{name}: text {keyword} to {number}"),
}
TEAM = N_("I am letting a person from our team know now, so they can get in touch with you.")


def opening(kind: str | None, subject: str = "self") -> str:
    """The first sentence of the crisis reply (a msgid): for the parent, or for someone else."""
    if kind == "postpartum_psychosis":
        return OPENING_PSYCHOSIS_OTHER if subject == "other" else OPENING_PSYCHOSIS
    return OPENING_OTHER if subject == "other" else OPENING


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


_ROLE_BY_NUMBER = {_digits(line.number): role for role, line in FALLBACK.items()}


def directory_lines(kind: str | None, language: str) -> list[Line]:
    """The active crisis lines for `kind` plus the general ones, in file order; [] when unreadable."""
    try:
        from bot.directory.live import get_directory

        directory = get_directory()
        services = [s for s in directory if s.category == "crisis" and s.active]
    except Exception:  # noqa: BLE001 (the crisis reply must go out whatever went wrong)
        log.exception("crisis reply: the directory cannot be read; built-in numbers are used")
        return []
    lines = []
    for service in services:
        if "general" not in service.crisis_kind and (
            kind is None or kind not in service.crisis_kind
        ):
            continue
        contact = service.contact
        number = contact.phone or contact.sms
        if not number:
            continue
        role = _IDS.get(service.id) or _ROLE_BY_NUMBER.get(_digits(number))
        option = str(contact.phone_option) if contact.phone and contact.phone_option else None
        keyword = contact.sms_keyword if not contact.phone else None
        lines.append(Line(role, str(number), option, keyword, service.name.get(language)))
    return lines


def crisis_lines(kind: str | None, language: str) -> list[Line]:
    """Directory lines, with a built-in line for every required role the directory lacks."""
    lines = directory_lines(kind, language)
    required = (
        [*GENERAL_ROLES, "domestic_abuse"] if kind == "domestic_abuse" else list(GENERAL_ROLES)
    )
    present = {line.role for line in lines}
    missing = [FALLBACK[role] for role in required if role not in present]
    if missing and lines:
        log.warning(
            "crisis reply: directory lacks %s; built-in numbers added", [m.role for m in missing]
        )
    for line in missing:
        # 999 always leads; the others follow the directory's order.
        if line.role == "emergency":
            lines.insert(0, line)
        else:
            lines.append(line)
    return lines


def line_text(line: Line, language: str, subject: str = "self") -> str:
    """One sentence for one line."""
    if line.role == "nhs111" and line.option:
        return translate(
            language, TEMPLATES["nhs111_option"], number=line.number, option=line.option
        )
    if line.role == "emergency" and subject == "other":
        return translate(language, TEMPLATES["emergency_other"], number=line.number)
    if line.role in FALLBACK:
        return translate(
            language, TEMPLATES[line.role], number=line.number, keyword=line.keyword or "SHOUT"
        )
    if line.keyword:
        return translate(
            language,
            TEMPLATES["other_text"],
            name=line.name,
            keyword=line.keyword,
            number=line.number,
        )
    return translate(language, TEMPLATES["other_call"], name=line.name, number=line.number)


def crisis_messages(language: str, kind: str | None, subject: str = "self") -> list[Outbound]:
    """The crisis reply in `language`: calm words, every number, and that a person is being told.

    `subject` "other": the parent writes about someone else, so the words say what to do for them.
    """
    kind = kind if kind in KINDS else None
    subject = subject if subject in SUBJECTS else "self"
    lines = crisis_lines(kind, language)
    body = "\n".join(
        [
            translate(language, opening(kind, subject)),
            *(f"• {line_text(line, language, subject)}" for line in lines),
        ]
    )
    return [Outbound(body, urgent=True), Outbound(translate(language, TEAM), urgent=True)]
