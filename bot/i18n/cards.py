"""Service and Family Hub cards built from the directory, in the parent's language."""

from __future__ import annotations

from datetime import datetime

from bot.directory.model import Contact, Location, Service
from bot.directory.schedule import Session, session_start, week_minute
from bot.i18n import N_, translate
from bot.i18n import formats as fmt

ACCESS = {
    "drop_in": N_("Just come along, no need to book."),
    "self_referral": N_("You can refer yourself."),
    "health_visitor_referral": N_("Ask your health visitor to refer you."),
    "gp_referral": N_("Ask your GP to refer you."),
    "midwife_referral": N_("Ask your midwife to refer you."),
}


def _next(service: Service, now: datetime) -> tuple[datetime, Session] | None:
    """Start and session of the session running now or next."""
    local = service.schedule.local(now)
    found = service.schedule.minutes_to_next(week_minute(local))
    if found is None:
        return None
    delta, session = found
    return session_start(local, delta, session), session


def _session_end(start: datetime, session: Session) -> datetime:
    return start.replace(hour=session.end.hour, minute=session.end.minute)


def when_line(service: Service, language: str, now: datetime) -> str:
    """When the service runs next, or that it is always open or by appointment."""
    if service.schedule.always:
        return translate(language, "Open 24 hours, every day")
    found = _next(service, now)
    if found is None:
        return translate(language, "By appointment")
    start, session = found
    if start <= service.schedule.local(now):
        end = _session_end(start, session)
        return translate(language, "On now, until {time}", time=fmt.clock(end, language))
    return translate(
        language,
        "Next session: {day_time}",
        day_time=fmt.day_and_time(start, language, service.schedule.zone),
    )


def place(service: Service, now: datetime) -> Location | None:
    """The location of the next session, or the service's only (or first) location."""
    found = _next(service, now)
    if found is not None:
        location = service.location_for(found[1].location)
        if location is not None:
            return location
    return service.locations[0] if service.locations else None


def where_line(location: Location | None, service: Service, language: str) -> str | None:
    """The address, or the area a service without a place covers."""
    if location is not None:
        return translate(
            language,
            "Where: {place}, {address}, {postcode}",
            place=location.name.get(language),
            address=location.address,
            postcode=location.postcode,
        )
    if service.area:
        return translate(language, "Area: {area}", area=service.area)
    return None


def join_line(service: Service, language: str) -> str | None:
    """How to join or be referred."""
    how = service.text("application_process", language)
    if how:
        return translate(language, "How to join: {how}", how=how)
    sentences = [translate(language, ACCESS[a]) for a in service.access if a in ACCESS]
    return " ".join(sentences) or None


def contact_lines(service: Service, language: str) -> list[str]:
    """A phone or text number, and an email or web address; the organization's when the service has none."""
    contact = service.contact
    if not any((contact.phone, contact.sms, contact.email, contact.url)) and service.organization:
        org = service.organization
        contact = Contact(phone=org.phone, email=org.email, url=org.url)
    lines = []
    if contact.phone and contact.phone_option:
        lines.append(
            translate(
                language,
                "Phone: {phone}, then press {option}",
                phone=contact.phone,
                option=contact.phone_option,
            )
        )
    elif contact.phone:
        lines.append(translate(language, "Phone: {phone}", phone=contact.phone))
    if contact.sms and contact.sms_keyword:
        lines.append(
            translate(
                language,
                "Text {keyword} to {number}",
                keyword=contact.sms_keyword,
                number=contact.sms,
            )
        )
    elif contact.sms:
        lines.append(translate(language, "Text {number}", number=contact.sms))
    if contact.email:
        lines.append(translate(language, "Email: {email}", email=contact.email))
    elif contact.url:
        lines.append(translate(language, "Website: {url}", url=contact.url))
    return lines


def service_card(service: Service, language: str, now: datetime) -> str:
    """Name, one-line description, languages, next session, address, how to join, contact."""
    lines = [service.name.get(language), service.description.get(language)]
    if service.languages:
        lines.append(
            translate(
                language,
                "Languages: {languages}",
                languages=fmt.language_list(service.languages, language),
            )
        )
    lines.append(when_line(service, language, now))
    if service.schedule_description:
        lines.append(service.schedule_description.get(language))
    lines.append(where_line(place(service, now), service, language) or "")
    lines.append(join_line(service, language) or "")
    lines.extend(contact_lines(service, language))
    return "\n".join(line for line in lines if line)


def _today_line(hub: Service, language: str, now: datetime) -> str:
    """Whether the hub is open today, and until when."""
    local = hub.schedule.local(now)
    today = [s for s in hub.schedule.sessions if s.day == local.weekday()]
    if hub.schedule.always:
        return translate(language, "Open 24 hours, every day")
    if hub.is_open_at(local):
        end = next(s.end for s in today if s.start <= local.time() < s.end)
        return translate(language, "Open now, until {time}", time=fmt.clock(end, language))
    later = [s for s in today if local.time() < s.start]
    if later:
        return translate(
            language,
            "Open today: {hours}",
            hours=fmt.time_range(later[0].start, later[0].end, language),
        )
    found = _next(hub, now)
    if found is None:
        return translate(language, "Closed today.")
    return translate(
        language,
        "Closed now. Next open: {day_time}",
        day_time=fmt.day_and_time(found[0], language, hub.schedule.zone),
    )


def opening_hours(hub: Service, language: str) -> list[str]:
    """One line per run of days with the same hours ("Monday–Friday 09:00–17:00")."""
    by_day: dict[int, str] = {}
    for s in hub.schedule.sessions:
        hours = fmt.time_range(s.start, s.end, language)
        by_day[s.day] = f"{by_day[s.day]}, {hours}" if s.day in by_day else hours
    lines: list[str] = []
    days = sorted(by_day)
    i = 0
    while i < len(days):
        j = i
        while (
            j + 1 < len(days)
            and days[j + 1] == days[j] + 1
            and by_day[days[j + 1]] == by_day[days[i]]
        ):
            j += 1
        first, last = fmt.day_name(days[i], language), fmt.day_name(days[j], language)
        label = first if i == j else f"{first}–{last}"
        lines.append(f"{label} {by_day[days[i]]}")
        i = j + 1
    return lines


def hub_card(hub: Service, language: str, now: datetime, full: bool = True) -> str:
    """A Family Hub: name, address, whether it is open today, and (full) the weekly hours and contact."""
    location = place(hub, now)
    lines = [hub.name.get(language)]
    if location is not None:
        address = translate(
            language,
            "Address: {address}, {postcode}",
            address=location.address,
            postcode=location.postcode,
        )
        lines.append(address)
    if full and location is not None and location.directions is not None:
        lines.append(location.directions.get(language))
    lines.append(_today_line(hub, language, now))
    if full:
        hours = opening_hours(hub, language)
        if hours:
            lines.append(translate(language, "Opening hours:"))
            lines.extend(hours)
        lines.extend(contact_lines(hub, language))
    return "\n".join(line for line in lines if line)
