"""The validated directory records: organizations, locations, contacts and services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.directory.localised import Text
from bot.directory.schedule import Schedule
from bot.directory.schema import ACTIVE


@dataclass(frozen=True, slots=True)
class Organization:
    """Who runs a service."""

    id: str
    name: str
    url: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """A place where sessions happen."""

    id: str
    name: Text
    address: str
    postcode: str
    area: str
    directions: Text | None = None

    @property
    def outward_code(self) -> str:
        """The first half of the postcode (e.g. N7), used for area search."""
        return self.postcode.split()[0].upper() if self.postcode.strip() else ""


@dataclass(frozen=True, slots=True)
class Contact:
    """How to reach a service."""

    phone: str | None = None
    phone_option: str | None = None
    sms: str | None = None
    sms_keyword: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """One thing a family can go to, join, call or be referred to."""

    id: str
    name: Text
    description: Text
    category: str
    languages: tuple[str, ...]
    schedule: Schedule
    access: tuple[str, ...]
    last_reviewed: date
    tags: tuple[str, ...] = ()
    crisis_kind: tuple[str, ...] = ()
    organization: Organization | None = None
    status: str = ACTIVE
    locations: tuple[Location, ...] = ()
    area: str | None = None
    schedule_description: Text | None = None
    application_process: Text | None = None
    eligibility_description: Text | None = None
    pregnancy: bool = False
    minimum_age_months: int | None = None
    maximum_age_months: int | None = None
    contact: Contact = Contact()
    line: int = 0

    def text(self, field: str, language: str | None = None) -> str | None:
        """A parent-facing text field in `language`, English when untranslated; None when unset."""
        value = getattr(self, field)
        if value is None:
            return None
        if not isinstance(value, Text):
            raise ValueError(f"{field} is not a text field")
        return value.get(language)

    @property
    def active(self) -> bool:
        """Whether the service is running (not inactive or closed)."""
        return self.status == ACTIVE

    def is_open_at(self, when: datetime) -> bool:
        """Whether a session is running at `when` (on the schedule's clock, TIMEZONE)."""
        return self.schedule.is_open_at(when)

    def next_session(self, now: datetime) -> datetime | None:
        """Start of the session running now or next, on the schedule's clock; None when none."""
        return self.schedule.next_session(now)

    def location_for(self, location_id: str | None) -> Location | None:
        """The location with this id, or the only location when the id is None."""
        if location_id is None:
            return self.locations[0] if len(self.locations) == 1 else None
        return next((loc for loc in self.locations if loc.id == location_id), None)
