"""Plain words for the codes the counts keep: languages, channels, intents, service types."""

from __future__ import annotations

from bot.core import CRISIS_KINDS, LANGUAGES

LANGUAGE_NAMES = {"en": "English", "so": "Somali", "tr": "Turkish"}
# Somali and Turkish first: the families the service exists for.
ORDER = ("so", "tr", "en")
LANGUAGE_ORDER = tuple(code for code in ORDER if code in LANGUAGES)
CHANNEL_NAMES = {"web": "Web chat", "telegram": "Telegram"}
CHANNELS = tuple(CHANNEL_NAMES)

# What parents asked about: the intents that are a need, in plain words.
NEEDS = {
    "find_mentor": "A maternity mentor",
    "mental_health": "Feeling low or anxious",
    "infant_feeding": "Feeding",
    "find_groups": "Groups and activities",
    "find_hub": "Family Hubs",
    "talk_to_human": "To talk to a person",
    "crisis": "Crisis words (read by the assistant)",
    "help": "What the assistant can do",
    "delete_my_data": "Deleting their data",
    "out_of_scope": "Something the assistant does not cover",
}
SERVICE_TYPES = {
    "family_hub": "Family Hub",
    "group": "Groups and activities",
    "maternity_mentor": "Maternity mentor",
    "mental_health": "Mental health support",
    "infant_feeding": "Feeding support",
    "crisis": "Crisis line",
}
TOPICS = {
    "crisis": "Possible crisis",
    "mental_health": "Feeling low or anxious",
    "find_mentor": "A maternity mentor",
    "talk_to_human": "Asked for a person",
    "infant_feeding": "Feeding",
    "find_groups": "Groups and activities",
    "fallback": "Not understood",
}
CRISIS_NAMES = {
    "suicide_self_harm": "Suicide or self-harm",
    "harm_to_baby": "Harm to the baby",
    "domestic_abuse": "Domestic abuse",
    "medical_emergency": "Medical emergency",
    "postpartum_psychosis": "Postpartum psychosis",
}
assert set(CRISIS_NAMES) == set(CRISIS_KINDS)
# Crisis replies of no listed kind: "No, not safe" to the gentle check, or a kind not known.
OTHER_CRISES = {"not_safe_answer": 'After "not safe" to a gentle check', "": "Kind not known"}
FEEDBACK = {"good": "👍 Good", "ok": "😐 All right", "bad": "👎 Not good"}


def plain(code: str, names: dict[str, str]) -> str:
    """The plain name of a code, or the code made readable."""
    return names.get(code) or code.replace("_", " ").capitalize() or "Not given"
