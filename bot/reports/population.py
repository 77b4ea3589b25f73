"""The borough's population shares by language, entered in a small YAML file with their source
(REPORT_POPULATION_FILE), against which the reach section compares new conversations."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Population:
    source: str = "No population figures were given (REPORT_POPULATION_FILE)."
    measure: str = ""
    shares: dict[str, float] = field(default_factory=dict)  # percent, by language code


class PopulationError(ValueError):
    """A population file that cannot be read."""


def read_population(path: Path | None) -> Population:
    """The figures in `path`; none (with a note saying so) when the file does not exist."""
    if path is None or not path.exists():
        return Population()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        shares = {str(k): float(v) for k, v in (data.get("shares") or {}).items()}
        source = str(data["source"]).strip()
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise PopulationError(
            f"{path}: needs 'source' and 'shares' (percent by language): {error}"
        ) from error
    if not source:
        raise PopulationError(f"{path}: 'source' must say where the figures come from")
    return Population(source, str(data.get("measure") or ""), shares)
