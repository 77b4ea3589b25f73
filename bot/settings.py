"""Every setting of the service, read once from the environment or a `.env` file."""

from __future__ import annotations

import ipaddress
import re
import secrets
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BOT_DIR = PROJECT_ROOT / "bot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'familyhub.db'}",
        description="SQLAlchemy URL of our database. SQLite file by default; postgresql+psycopg://… for PostgreSQL.",
    )
    rasa_tracker_store_url: str = Field(
        default="",
        description=(
            "SQLAlchemy URL of Rasa's tracker store, which erasure and retention also reach. "
            "Unset: beside our store: var/rasa_tracker.db with SQLite; with PostgreSQL the same "
            "database as DATABASE_URL, in the schema RASA_TRACKER_SCHEMA."
        ),
    )
    rasa_tracker_schema: str = Field(
        default="rasa",
        pattern=r"^[a-z_][a-z0-9_]*$",
        description="PostgreSQL schema of Rasa's tracker tables (made when missing); PostgreSQL only.",
    )
    erasure_log: Path = Field(
        default=PROJECT_ROOT / "var" / "erased.log",
        description=(
            "File where the ids of erased conversations are appended, outside the database, so "
            "`familyhub erasure reapply` can erase them again after a restore from backup "
            "(docs/deploy.md#database). Keep it on storage the backups do not overwrite."
        ),
    )
    services_directory: Path = Field(
        default=PROJECT_ROOT / "services_directory.yaml",
        description="Path of the services directory YAML that partners edit.",
    )
    directory_reload_seconds: float = Field(
        default=2.0,
        description="How often the running service checks the directory file for changes.",
    )

    gateway_host: str = Field(
        default="127.0.0.1", description="Address the gateway (web chat, API, NLG) listens on."
    )
    gateway_port: int = Field(
        default=8000, description="Port of the gateway; the web chat is at http://host:port/."
    )
    public_base_url: str = Field(
        default="",
        description="Public URL of the gateway, used in embed snippets (defaults to http://host:port).",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description=(
            "Addresses or networks of the reverse proxies whose X-Forwarded-For the gateway "
            'believes, as JSON: ["127.0.0.1"], ["10.0.0.0/8"]. Unset: none; the client address '
            "is the connection's (docs/security.md#reverse-proxy)."
        ),
    )
    frame_ancestors: list[str] = Field(
        default_factory=list,
        description=(
            "Origins allowed to show the web chat in a frame (a council embedding it), as JSON: "
            '["https://www.council.gov.uk"]. Unset: no site may frame it.'
        ),
    )
    max_request_bytes: int = Field(
        default=65_536,
        ge=1024,
        description=(
            "Largest request body accepted on any route, refused with 413 while it streams in. "
            "A transport limit: it is never below 16 x MAX_MESSAGE_CHARS, so a long crisis "
            "message always reaches the crisis screen."
        ),
    )
    nlg_secret: SecretStr | None = Field(
        default=None,
        description=(
            "Secret Rasa sends to the gateway's /nlg in the X-NLG-Secret header. `familyhub run` "
            "makes one for each run when unset; without it /nlg refuses every call."
        ),
    )
    health_token: SecretStr | None = Field(
        default=None,
        description=(
            "Bearer token that shows /healthz's details (each part's state). Unset: details only "
            "to calls from this machine that came through no proxy."
        ),
    )
    client_messages_per_minute: int = Field(
        default=300,
        description=(
            "Web chat messages per minute from one client address (an IPv6 /64), across all its "
            "sessions. Generous: families share a hub's Wi-Fi. A crisis message is never refused."
        ),
    )
    client_sessions_per_minute: int = Field(
        default=60,
        description="New web chat sessions per minute from one client address (an IPv6 /64).",
    )
    web_idle_hours: float = Field(
        default=12,
        gt=0,
        description=(
            "Hours without a message after which a web chat token stops working; while a request "
            "for a person or a chat with a mentor is open it lasts until that ends."
        ),
    )
    quick_exit_url: str = Field(
        default="https://www.bbc.co.uk/weather",
        description="Neutral page the web chat's quick exit button leaves for.",
    )
    rasa_host: str = Field(
        default="127.0.0.1", description="Address of the Rasa server (keep it on loopback)."
    )
    rasa_port: int = Field(
        default=5005, description="Port of the first Rasa server; more workers take the next ports."
    )
    rasa_workers: int = Field(
        default=1, description="How many Rasa server processes `familyhub run` starts."
    )
    rasa_urls: list[str] = Field(
        default_factory=list,
        description=(
            'Rasa servers on other hosts, as JSON: ["http://10.0.0.5:5005", "http://10.0.0.6:5005"]. '
            "Unset: the RASA_WORKERS servers on RASA_HOST from RASA_PORT. The gateway sends each "
            "conversation to one by a hash of its id, and to the next while that one is down."
        ),
    )
    redis_url: str = Field(
        default="",
        description=(
            "redis:// (or rediss:// with TLS) URL of the Redis that several Rasa processes share "
            "as their lock store, so one conversation's messages are never processed at once, "
            "and in which every gateway counts the rate limits (per session and per client). "
            "Unset: each Rasa process locks, and each gateway counts, in its own memory."
        ),
    )
    action_server_host: str = Field(
        default="127.0.0.1", description="Address of the action server (keep it on loopback)."
    )
    action_server_port: int = Field(default=5055, description="Port of the action server.")
    rasa_timeout_seconds: float = Field(
        default=8.0,
        description="How long the gateway waits for Rasa before telling the parent it is unavailable.",
    )
    rasa_auth_token: SecretStr | None = Field(
        default=None,
        description="Token that guards Rasa's HTTP API; the gateway sends it. `familyhub run` makes a new one at each start when unset.",
    )
    model_dir: Path = Field(
        default=BOT_DIR / "models", description="Where trained Rasa models are written and read."
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None,
        description="Bot token from @BotFather. Unset: no Telegram; the web chat still works.",
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Base URL of the Bot API (tests point it at a local fake server).",
    )
    telegram_webhook_url: str = Field(
        default="", description="Public HTTPS URL for Telegram webhook mode. Unset: long polling."
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        description="Secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token (webhook mode).",
    )

    secret_key: SecretStr | None = Field(
        default=None,
        description="Key for hashing external ids and tokens. Unset: a random key is made once and kept in var/secret_key.",
    )
    retention_days: int = Field(
        default=30,
        description="Days a transcript is kept before it is purged; a conversation with no activity for this long is deleted entirely.",
    )
    report_retention_days: int = Field(
        default=1096,
        description="Days the reports' daily counts are kept (about 3 years). They hold nothing about any one parent, so erasure leaves them.",
    )
    report_population_file: Path = Field(
        default=PROJECT_ROOT / "population.yaml",
        description="YAML file with the borough's population shares by language, and their source, for the reports' reach section.",
    )
    purge_interval_minutes: int = Field(
        default=60, description="How often expired transcripts are purged."
    )
    max_message_chars: int = Field(default=2000, description="Longest web chat message accepted.")
    rate_limit_per_minute: int = Field(
        default=20, description="Messages per minute one sender may send."
    )

    handoff_escalate_minutes: int = Field(
        default=10,
        description="Minutes before an unaccepted handoff request is alerted again, more widely.",
    )
    handoff_alerts_per_day: int = Field(
        default=3,
        ge=1,
        description="Requests for a person from one conversation whose alerts are pushed to mentors in 24 hours; later ones wait in the list mentors see with /waiting.",
    )
    handoff_idle_hours: int = Field(
        default=24,
        description="Hours without a message from either side after which a conversation with a mentor ends.",
    )
    mentor_invite_hours: int = Field(
        default=72, description="How long a mentor invite link stays valid."
    )
    duty_hours: str = Field(
        default="Mon-Fri 09:00-17:00",
        description="Default duty hours of mentor organisations (Europe/London), e.g. 'Mon-Fri 09:00-17:00'.",
    )
    duty_hours_by_organisation: dict[str, str] = Field(
        default_factory=dict,
        description='Duty hours per organisation, as JSON: {"Manor Gardens": "Mon-Thu 09:30-16:30"}.',
    )
    telegram_bot_username: str = Field(default="", description="Bot username, for invite links.")

    timezone: str = Field(
        default="Europe/London", description="Time zone of schedules, opening hours and duty hours."
    )
    log_level: str = Field(
        default="INFO",
        description="Log level: DEBUG, INFO, WARNING or ERROR. Logs never hold message text.",
    )

    @field_validator("frame_ancestors")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        # Each goes into a response header: an origin, nothing that could end the directive.
        for origin in value:
            if not re.fullmatch(r"https?://[A-Za-z0-9.*-]+(:[0-9]+)?", origin):
                raise ValueError(f"not an origin such as https://www.council.gov.uk: {origin!r}")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        # Each is a proxy's address or its own network: a range as wide as "everyone" would let
        # any client forge its address (the review's FORWARDED_ALLOW_IPS=*).
        for network in value:
            try:
                parsed = ipaddress.ip_network(network, strict=False)
            except ValueError as error:
                message = f"TRUSTED_PROXIES: not an address or network: {network!r}"
                raise ValueError(message) from error
            if parsed.prefixlen < (8 if parsed.version == 4 else 7):
                raise ValueError(f"TRUSTED_PROXIES: {network!r} is wider than any proxy's network")
        return value

    def hashing_key(self) -> bytes:
        """SECRET_KEY, or a random key made on first use and kept beside the default database."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        return _stored_key(PROJECT_ROOT / "var" / "secret_key")

    def tracker_store_url(self) -> str:
        """RASA_TRACKER_STORE_URL, or where it goes beside DATABASE_URL when unset (the schema
        RASA_TRACKER_SCHEMA keeps Rasa's tables apart from ours on PostgreSQL)."""
        if self.rasa_tracker_store_url:
            return self.rasa_tracker_store_url
        if self.database_url.startswith("postgresql"):
            return self.database_url
        return f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa_tracker.db'}"

    @property
    def zone(self) -> ZoneInfo:
        """TIMEZONE, the clock of schedules, opening hours and duty hours."""
        return ZoneInfo(self.timezone)

    @property
    def action_server_url(self) -> str:
        return f"http://{self.action_server_host}:{self.action_server_port}/webhook"

    @property
    def gateway_url(self) -> str:
        return self.public_base_url or f"http://{self.gateway_host}:{self.gateway_port}"


def settings_table() -> str:
    """The README's table of settings, made from the fields above so it cannot go stale."""
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if isinstance(default, Path):
            default = (
                default.relative_to(PROJECT_ROOT)
                if default.is_relative_to(PROJECT_ROOT)
                else default
            )
        elif isinstance(default, str) and str(PROJECT_ROOT) in default:
            default = default.replace(str(PROJECT_ROOT) + "/", "")
        shown = "(unset)" if default in (None, "", {}) else f"`{default}`"
        rows.append(f"| `{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n".join(rows)


@lru_cache
def _stored_key(path: Path) -> bytes:
    """The key kept in `path`, made on first use; read once, as every message hashes with it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once per process, at its outer edge (the `familyhub` commands, the
    gateway's and the action server's start); everything else is given what it needs."""
    return Settings()


if __name__ == "__main__":
    print(settings_table())
