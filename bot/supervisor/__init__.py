"""`familyhub run`: train if needed, then run Rasa, the action server and the gateway, supervised.

`--role gateway|rasa|actions` runs one kind of process only, for a process manager (systemd,
compose) that runs each kind, on one host or many (docs/deploy.md): a role of one process
replaces this one (exec), so the manager's signals reach it directly.
"""

from bot.supervisor.children import (
    NEEDED_SECRETS,
    RASA,
    ROLES,
    Child,
    child_env,
    children,
    rasa_endpoints,
    settings_env,
    tracker_env,
)
from bot.supervisor.processes import Supervisor
from bot.supervisor.run import ensure_model, run_all, run_role

__all__ = [
    "NEEDED_SECRETS",
    "RASA",
    "ROLES",
    "Child",
    "Supervisor",
    "child_env",
    "children",
    "ensure_model",
    "rasa_endpoints",
    "run_all",
    "run_role",
    "settings_env",
    "tracker_env",
]
