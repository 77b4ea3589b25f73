"""Reads the entries other entries refer to (organizations, locations), ids, lists and contacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.directory import schema, values
from bot.directory.model import Contact, Location, Organization
from bot.directory.nodes import NodeChecker

T = TypeVar("T")


class RecordChecker(NodeChecker):
    """Node checks that know the file's ids, so references can be resolved and repeats caught."""

    def __init__(self) -> None:
        super().__init__()
        self.organizations: dict[str, Organization] = {}
        self.locations: dict[str, Location] = {}
        self.id_lines: dict[tuple[str, str], int] = {}

    def _entries(self, node: Node | None, what: str) -> list[Node]:
        if node is None:
            return []
        if isinstance(node, ScalarNode):
            self.add(node, f"'{what}' should be a list of entries, each starting with '- id: ...'")
            return []
        return self.items(node, what)

    def _unique(self, kind: str, ident: str, node: Node) -> bool:
        first = self.id_lines.setdefault((kind, ident), node.start_mark.line + 1)
        if first != node.start_mark.line + 1:
            self.add(
                node,
                f"{kind} id '{ident}' is used twice (first on line {first}); each id must be different",
            )
            return False
        return True

    def _known(self, kind: str, ident: str) -> bool:
        """Whether an entry with this id exists, even one that has problems of its own."""
        return (kind, ident) in self.id_lines

    def _ident(self, node: Node, kind: str) -> tuple[str | None, str, dict[str, Node] | None]:
        """The entry's id and a name for it in messages."""
        line = node.start_mark.line + 1
        label = f"the {kind} on line {line}"
        spec = {
            "service": schema.SERVICE_FIELDS,
            "location": schema.LOCATION_FIELDS,
            "organization": schema.ORGANIZATION_FIELDS,
        }[kind]
        raw_id = None
        if isinstance(node, MappingNode):
            raw_id = next(
                (
                    v.value
                    for k, v in node.value
                    if getattr(k, "value", None) == "id" and isinstance(v, ScalarNode)
                ),
                None,
            )
        if raw_id:
            label = f"{kind} '{raw_id}'"
        found = self.fields(node, spec, label)
        ident = (
            self.convert(found["id"], f"the id of {label}", values.slug)
            if found and "id" in found
            else None
        )
        if ident is not None and not self._unique(kind, ident, found["id"] if found else node):
            ident = None
        return ident, label, found

    def _organization(self, node: Node) -> Organization | None:
        ident, label, f = self._ident(node, "organization")
        if f is None:
            return None
        name = self.scalar(f["name"], f"the name of {label}") if "name" in f else None
        if ident is None:
            return None
        return Organization(
            id=ident,
            name=name or ident,
            url=self._opt(f, "url", label, values.url),
            phone=self._opt(f, "phone", label, values.phone),
            email=self._opt(f, "email", label, values.email),
        )

    def _location(self, node: Node) -> Location | None:
        ident, label, f = self._ident(node, "location")
        if f is None:
            return None
        name = self.text(f["name"], f"the name of {label}") if "name" in f else None
        address = self._opt(f, "address", label, str)
        code = self._opt(f, "postcode", label, values.postcode)
        area = self._opt(f, "area", label, str)
        directions = (
            self.text(f["directions"], f"the directions of {label}") if "directions" in f else None
        )
        if ident is None or name is None or address is None or code is None or area is None:
            return None
        return Location(ident, name, address, code, area, directions)

    def _opt(
        self, f: dict[str, Node], field: str, label: str, check: Callable[[str], T]
    ) -> T | None:
        node = f.get(field)
        if node is None:
            return None
        if node.__class__ is not ScalarNode:
            return self.convert(node, f"{field} of {label}", check)
        # The common case, inline: this runs for almost every value in the file.
        try:
            return check(node.value)
        except values.Invalid as error:
            self.add(node, f"{field} of {label}: {error}")
            return None

    def _list(
        self, f: dict[str, Node], field: str, label: str, check: Callable[[str], T]
    ) -> tuple[T, ...]:
        if field not in f:
            return ()
        found = self.converted_items(f[field], f"{field} of {label}", check)
        if (
            isinstance(f[field], SequenceNode)
            and not f[field].value
            and schema.SERVICE_FIELDS.get(field)
        ):
            self.add(f[field], f"{field} of {label} is empty; give at least one")
        return found

    def _reference(
        self, f: dict[str, Node], field: str, label: str, known: dict[str, T]
    ) -> T | None:
        return self._reference_node(f[field], field, label, known) if field in f else None

    def _reference_node(self, node: Node, kind: str, label: str, known: dict[str, T]) -> T | None:
        ident = self.scalar(node, f"the {kind} of {label}")
        if ident is None:
            return None
        if ident not in known:
            if self._known(kind, ident):
                return None  # the entry exists but has problems of its own, reported there
            hint = values.did_you_mean(ident, tuple(known)) or f"; add it under '{kind}s:' first"
            self.add(node, f"{label} refers to {kind} '{ident}', which does not exist{hint}")
            return None
        return known[ident]

    def _contact(self, node: Node, label: str) -> Contact:
        what = f"the contact of {label}"
        f = self.fields(node, dict.fromkeys(schema.CONTACT_FIELDS, False), what)
        if f is None:
            return Contact()
        return Contact(
            phone=self._opt(f, "phone", what, values.phone),
            phone_option=self._opt(f, "phone_option", what, lambda v: str(values.whole_number(v))),
            sms=self._opt(f, "sms", what, values.phone),
            sms_keyword=self._opt(f, "sms_keyword", what, str),
            email=self._opt(f, "email", what, values.email),
            url=self._opt(f, "url", what, values.url),
        )
