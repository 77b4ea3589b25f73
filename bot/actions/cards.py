"""Sending directory results as service cards: three per message burst, a "more" button, language notice."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from rasa_sdk.executor import CollectingDispatcher

from bot.core import LANGUAGE_NAMES
from bot.directory import DirectoryError, SearchResult
from bot.directory.live import get_directory

log = logging.getLogger(__name__)

PAGE_SIZE = 3


def limit_for(page: int) -> int:
    """How many results to ask the search for: up to `page`, and one more to know if there are more.

    The search's order puts services in the parent's language first, so the language notice
    (none of them is in that language) can be decided from this prefix alone.
    """
    return page * PAGE_SIZE + 1


def payload(intent: str, filters: dict[str, str], page: int) -> str:
    """A button payload that repeats the search with the same filters, at `page`."""
    entities = {k: v for k, v in filters.items() if v}
    entities["page"] = str(page)
    return f"/{intent}{json.dumps(entities, ensure_ascii=False, sort_keys=True)}"


def search(**kwargs: object) -> list[SearchResult] | None:
    """The directory's search results, or None when no directory could be loaded."""
    try:
        directory = get_directory()
    except DirectoryError:
        log.error("no services directory is loaded; cannot signpost")
        return None
    return directory.search(**kwargs)  # type: ignore[arg-type]


def show(
    dispatcher: CollectingDispatcher,
    results: Sequence[SearchResult],
    *,
    language: str,
    page: int = 1,
    more: tuple[str, dict[str, str]] | None = None,
    response: str = "utter_service_card",
    language_notice: bool = True,
) -> int:
    """Send one page of cards (and the notice and "more" button); returns how many cards were sent."""
    start = (page - 1) * PAGE_SIZE
    shown = list(results[start : start + PAGE_SIZE])
    if not shown:
        return 0
    if language_notice and page == 1 and not any(r.in_parent_language for r in results):
        # The language's own name: "Soomaali", "Türkçe"; the service type is for the reports.
        dispatcher.utter_message(
            response="utter_no_match_in_language",
            language_name=LANGUAGE_NAMES[language],
            service_type=shown[0].service.category,
        )
    for result in shown:
        dispatcher.utter_message(response=response, service_id=result.service.id)
    if more is not None and len(results) > start + PAGE_SIZE:
        intent, filters = more
        dispatcher.utter_message(
            response="utter_more_services", payload=payload(intent, filters, page + 1)
        )
    return len(shown)
