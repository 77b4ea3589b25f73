"""`python -m bot.serve_actions -p PORT`: the action server that `familyhub run` starts, rasa-sdk
serving the actions of `bot.actions`.

The actions read no settings: the services directory they search is set here, from the
settings, when this module is imported. Sanic serves from worker processes that import this
module again (they are spawned, not forked), so each of them sets it too.
"""

from __future__ import annotations

import sys

from rasa_sdk.__main__ import main_from_args
from rasa_sdk.endpoint import create_argument_parser

from bot.directory.live import set_directory_path
from bot.settings import get_settings

ACTIONS_PACKAGE = "bot.actions"

_settings = get_settings()
set_directory_path(_settings.services_directory, _settings.zone, _settings.directory_reload_seconds)


def main(argv: list[str] | None = None) -> None:
    """Serve the actions; `argv` takes rasa-sdk's own options (e.g. `-p 5055`)."""
    options = sys.argv[1:] if argv is None else argv
    main_from_args(create_argument_parser().parse_args(["--actions", ACTIONS_PACKAGE, *options]))


if __name__ == "__main__":
    main()
