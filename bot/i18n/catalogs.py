"""Loading the gettext catalogs: compiled .mo files, or the .po compiled in memory when missing."""

from __future__ import annotations

import logging
import threading
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"

_cache: dict[str, NullTranslations] = {}
_lock = threading.Lock()


def catalog_paths(language: str, locales_dir: Path | None = None) -> tuple[Path, Path]:
    """The .po and .mo files of one language (in locales/ unless told otherwise)."""
    folder = (locales_dir or LOCALES_DIR) / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def load(language: str, locales_dir: Path | None = None) -> NullTranslations:
    """The translations of `language`, from the newer of .mo and .po; NullTranslations when none."""
    po_path, mo_path = catalog_paths(language, locales_dir)
    po_time = po_path.stat().st_mtime if po_path.exists() else None
    mo_time = mo_path.stat().st_mtime if mo_path.exists() else None
    # A stale .mo (the .po edited since the last `make i18n-compile`) would hide new translations.
    if mo_time is not None and (po_time is None or mo_time >= po_time):
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if po_time is not None:
        return _compile_in_memory(po_path, language)
    log.warning("no catalog for language %r in %s; English is used", language, po_path.parent)
    return NullTranslations()


def _compile_in_memory(po_path: Path, language: str) -> NullTranslations:
    """Compile a .po file without writing a .mo, so a fresh clone still speaks every language."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    # Fuzzy entries stay out, exactly as `pybabel compile` leaves them out.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def get(language: str) -> NullTranslations:
    """The cached translations of `language`."""
    found = _cache.get(language)
    if found is None:
        with _lock:
            found = _cache.get(language)
            if found is None:
                found = load(language)
                _cache[language] = found
    return found


def clear_cache() -> None:
    """Forget loaded catalogs (tests, or after recompiling)."""
    with _lock:
        _cache.clear()
