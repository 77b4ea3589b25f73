"""The services directory partners edit: schema, validation with line numbers, search, live reload."""

from bot.directory.directory import Directory, SearchResult
from bot.directory.loader import check_bytes, load_directory
from bot.directory.localised import Text
from bot.directory.model import Contact, Location, Organization, Service
from bot.directory.problems import DirectoryError, Problem
from bot.directory.schedule import Schedule, Session

__all__ = [
    "Contact",
    "Directory",
    "DirectoryError",
    "Location",
    "Organization",
    "Problem",
    "Schedule",
    "SearchResult",
    "Service",
    "Session",
    "Text",
    "check_bytes",
    "load_directory",
]
