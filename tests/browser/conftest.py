"""The browser tests drive the page served by the real stack (tests/integration/stack.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.stack import Stack, start_stack, stop_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield start_stack(tmp_path_factory)
    stop_stack()
