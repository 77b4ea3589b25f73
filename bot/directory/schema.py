"""The vocabulary of the services directory: field names, categories and other allowed values."""

from __future__ import annotations

from bot.settings import LANGUAGES

TOP_LEVEL_FIELDS = ("version", "organizations", "locations", "services")

CATEGORIES = (
    "family_hub",
    "group",
    "maternity_mentor",
    "mental_health",
    "infant_feeding",
    "crisis",
)
CRISIS_KINDS = (
    "suicide_self_harm",
    "harm_to_baby",
    "domestic_abuse",
    "medical_emergency",
    "postpartum_psychosis",
    "general",
)
ACCESS = ("drop_in", "self_referral", "health_visitor_referral", "gp_referral", "midwife_referral")
STATUSES = ("active", "inactive", "temporarily_closed")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BY_APPOINTMENT = "by_appointment"
ALWAYS = "always"
TEXT_LANGUAGES = LANGUAGES

ORGANIZATION_FIELDS = {"id": True, "name": True, "url": False, "phone": False, "email": False}
LOCATION_FIELDS = {
    "id": True,
    "name": True,
    "address": True,
    "postcode": True,
    "area": True,
    "directions": False,
}
CONTACT_FIELDS = ("phone", "phone_option", "sms", "sms_keyword", "email", "url")
SESSION_FIELDS = {"day": True, "start": True, "end": True, "location": False, "note": False}
SERVICE_FIELDS = {
    "id": True,
    "name": True,
    "description": True,
    "category": True,
    "tags": False,
    "crisis_kind": False,
    "organization": False,
    "status": False,
    "languages": True,
    "locations": False,
    "area": False,
    "schedule": True,
    "schedule_description": False,
    "access": True,
    "application_process": False,
    "eligibility_description": False,
    "pregnancy": False,
    "minimum_age_months": False,
    "maximum_age_months": False,
    "contact": False,
    "last_reviewed": True,
}

# Texts a parent reads, by where they live; `familyhub directory coverage` counts these.
SERVICE_TEXT_FIELDS = (
    "name",
    "description",
    "schedule_description",
    "application_process",
    "eligibility_description",
)
LOCATION_TEXT_FIELDS = ("name", "directions")
