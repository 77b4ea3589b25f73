"""The token that guards Rasa's HTTP API, taken from the environment instead of the command line.

`rasa run --enable-api` without `--auth-token` lets any local process read transcripts, inject
events or load another model (and a model can run code: CVE-2024-3660). Rasa takes the token
only as `--auth-token`, and a command line is visible to every user of the machine (`ps`,
/proc/PID/cmdline); a process's environment is visible only to its own user and root. So the
supervisor sets RASA_AUTH_TOKEN and `python -m rasa_addons run …` adds the option to its own
argument list in memory, where `ps` does not see it.

It guards the API routes (`/status`, `/conversations/…`, `/model…`) only: the REST channel
(`/webhooks/rest/webhook`) has no authentication in Rasa and stays on loopback. Rasa compares
the `token` query parameter, so Sanic's access log (which would print the URL) is turned off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV_NAME = "RASA_AUTH_TOKEN"
OPTION = "--auth-token"


def with_token(argv: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    """`argv` (Rasa's arguments, without the program) with `--auth-token` added for `run`."""
    token = environ.get(ENV_NAME, "")
    if not argv or argv[0] != "run" or not token or _given(argv):
        return argv
    # One argument, `--auth-token=TOKEN`: a token that starts with "-" (token_urlsafe makes
    # one in 64) would otherwise be read by argparse as an option, and Rasa would not start.
    return [*argv, f"{OPTION}={token}"]


def _given(argv: list[str]) -> bool:
    return any(arg == OPTION or arg.startswith(f"{OPTION}=") for arg in argv)


def install(argv: list[str], environ: dict[str, str] | None = None) -> None:
    """Rewrite `argv` in place (sys.argv) and keep Sanic from logging URLs with the token."""
    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    argv[1:] = with_token(argv[1:], environ)
    if _given(argv):
        environ.setdefault("SANIC_ACCESS_LOG", "false")
