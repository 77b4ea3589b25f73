"""The `familyhub` commands' tests write directory files as the directory tests do."""

from tests.directory.conftest import write  # noqa: F401 (a fixture, shared)
