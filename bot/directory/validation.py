"""Turns the file's nodes into a Directory, or into every problem found, each with its line."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from yaml.nodes import Node, ScalarNode

from bot.directory import schema, values
from bot.directory.directory import Directory
from bot.directory.model import Contact, Location, Service
from bot.directory.problems import Problem
from bot.directory.records import RecordChecker
from bot.directory.schedule import Schedule, Session


def build_directory(
    root: Node, zone: ZoneInfo, today: date | None = None
) -> tuple[Directory | None, list[Problem]]:
    """The directory in `root` with its schedules on `zone`'s clock, or None and the sorted problems."""
    builder = _Builder(zone, today or date.today())
    directory = builder.build(root)
    problems = sorted(builder.problems)
    return (directory if not problems else None), problems


class _Builder(RecordChecker):
    """Builds the records in dependency order: organizations and locations, then services."""

    def __init__(self, zone: ZoneInfo, today: date) -> None:
        super().__init__()
        self.zone = zone
        self.today = today

    def build(self, root: Node) -> Directory | None:
        top = self.fields(root, dict.fromkeys(schema.TOP_LEVEL_FIELDS, False), "the file")
        if top is None:
            return None
        if "services" not in top:
            self.add(root, "the file has no 'services:' list")
        if "version" in top:
            self.convert(top["version"], "version", lambda v: values.one_of(v, ("1",), "version"))
        for node in self._entries(top.get("organizations"), "organizations"):
            org = self._organization(node)
            if org:
                self.organizations[org.id] = org
        for node in self._entries(top.get("locations"), "locations"):
            loc = self._location(node)
            if loc:
                self.locations[loc.id] = loc
        services = []
        for node in self._entries(top.get("services"), "services"):
            service = self._service(node)
            if service:
                services.append(service)
        return Directory(tuple(services), self.zone, self.organizations, self.locations)

    def _service(self, node: Node) -> Service | None:
        ident, label, f = self._ident(node, "service")
        if f is None:
            return None
        texts = {
            field: self.text(f[field], f"the {field} of {label}")
            for field in schema.SERVICE_TEXT_FIELDS
            if field in f
        }
        category = self._opt(
            f, "category", label, lambda v: values.one_of(v, schema.CATEGORIES, "category")
        )
        crisis_kind = self._crisis_kind(f, node, label, category)
        organization = self._reference(f, "organization", label, self.organizations)
        declared = tuple(
            loc
            for item in (
                self.items(f["locations"], f"locations of {label}") if "locations" in f else []
            )
            if (loc := self._reference_node(item, "location", label, self.locations))
        )
        schedule = self._schedule(f["schedule"], label, declared) if "schedule" in f else None
        # A session's location counts as one of the service's, so partners need not list it twice.
        sessions = schedule.sessions if schedule else ()
        extra = {s.location for s in sessions if s.location} - {loc.id for loc in declared}
        locations = declared + tuple(self.locations[loc_id] for loc_id in sorted(extra))
        minimum = self._opt(f, "minimum_age_months", label, values.whole_number)
        maximum = self._opt(f, "maximum_age_months", label, values.whole_number)
        if minimum is not None and maximum is not None and maximum < minimum:
            self.add(
                f["maximum_age_months"],
                f"maximum_age_months of {label} is below minimum_age_months",
            )
        reviewed = self._opt(f, "last_reviewed", label, values.calendar_date)
        if reviewed and reviewed > self.today + timedelta(days=1):
            self.add(f["last_reviewed"], f"last_reviewed of {label} ({reviewed}) is in the future")
        languages = self._list(f, "languages", label, values.language_code)
        access = self._list(
            f, "access", label, lambda v: values.one_of(v, schema.ACCESS, "way to get the service")
        )
        contact = self._contact(f["contact"], label) if "contact" in f else Contact()
        if category == "crisis" and not (contact.phone or contact.sms):
            self.add(node, f"{label} is a crisis line but has no contact phone or sms")
        name, description = texts.get("name"), texts.get("description")
        if (
            None in (ident, name, description, category, schedule, reviewed)
            or not languages
            or not access
        ):
            return None
        assert ident and name and description and category and schedule and reviewed
        return Service(
            id=ident,
            name=name,
            description=description,
            category=category,
            languages=languages,
            schedule=schedule,
            access=access,
            last_reviewed=reviewed,
            tags=self._list(f, "tags", label, lambda v: values.slug(v, "tag")),
            crisis_kind=crisis_kind,
            organization=organization,
            status=self._opt(
                f, "status", label, lambda v: values.one_of(v, schema.STATUSES, "status")
            )
            or schema.ACTIVE,
            locations=locations,
            area=self._opt(f, "area", label, str),
            schedule_description=texts.get("schedule_description"),
            application_process=texts.get("application_process"),
            eligibility_description=texts.get("eligibility_description"),
            pregnancy=bool(self._opt(f, "pregnancy", label, values.boolean)),
            minimum_age_months=minimum,
            maximum_age_months=maximum,
            contact=contact,
            line=node.start_mark.line + 1,
        )

    def _crisis_kind(
        self, f: dict[str, Node], node: Node, label: str, category: str | None
    ) -> tuple[str, ...]:
        kinds = self._list(f, "crisis_kind", label, _crisis_kind)
        if category == "crisis" and "crisis_kind" not in f:
            self.add(
                node,
                f"{label} is a crisis line, so it needs crisis_kind: a list from {', '.join(schema.CRISIS_LINE_KINDS)}",
            )
        elif category not in ("crisis", None) and "crisis_kind" in f:
            self.add(
                f["crisis_kind"],
                f"crisis_kind is only for services in the crisis category ({label} is '{category}')",
            )
        return kinds

    def _schedule(self, node: Node, label: str, locations: tuple[Location, ...]) -> Schedule | None:
        if isinstance(node, ScalarNode):
            word = node.value.strip().lower().replace(" ", "_")
            if word == schema.BY_APPOINTMENT:
                return Schedule(self.zone, by_appointment=True)
            if word == schema.ALWAYS:
                return Schedule(self.zone, always=True)
            self.add(
                node,
                f"the schedule of {label} should be a list of sessions, or 'by_appointment', or 'always'",
            )
            return None
        sessions = []
        ok = True
        for item in self.items(node, f"the schedule of {label}"):
            session = self._session(item, label, locations)
            ok = ok and session is not None
            if session:
                sessions.append(session)
        return Schedule.weekly(tuple(sessions), self.zone) if ok else None

    def _session(self, node: Node, label: str, locations: tuple[Location, ...]) -> Session | None:
        what = f"the session on line {node.start_mark.line + 1} of {label}"
        f = self.fields(node, schema.SESSION_FIELDS, what)
        if f is None:
            return None
        day = self._opt(f, "day", what, values.day)
        start = self._opt(f, "start", what, values.clock_time)
        end = self._opt(f, "end", what, values.clock_time)
        if start is not None and end is not None and end <= start:
            self.add(
                f["end"],
                f"{what} ends at {end:%H:%M}, which is not after its start at {start:%H:%M}",
            )
            end = None
        location = None
        if "location" in f:
            found = self._reference_node(f["location"], "location", label, self.locations)
            location = found.id if found else None
        elif len(locations) > 1:
            self.add(node, f"{what} needs 'location:', because {label} has more than one location")
        note = self.text(f["note"], f"the note of {what}") if "note" in f else None
        if day is None or start is None or end is None:
            return None
        return Session(day, start, end, location or (locations[0].id if locations else None), note)


def _crisis_kind(value: str) -> str:
    return values.one_of(value, schema.CRISIS_LINE_KINDS, "crisis kind")
