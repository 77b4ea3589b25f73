"""Every setting of the service, read once from the environment or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BOT_DIR = PROJECT_ROOT / "bot"
LANGUAGES = ("en", "so", "tr")
DEFAULT_LANGUAGE = "en"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'familyhub.db'}",
        description="SQLAlchemy URL of our database. SQLite file by default; postgresql+psycopg://… for PostgreSQL.",
    )
    rasa_tracker_store_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa_tracker.db'}",
        description="SQLAlchemy URL of Rasa's tracker store, so that erasure and retention reach it.",
    )
    services_directory: Path = Field(
        default=PROJECT_ROOT / "services_directory.yaml",
        description="Path of the services directory YAML that partners edit.",
    )
    directory_reload_seconds: float = Field(
        default=2.0, description="How often the running service checks the directory file for changes."
    )

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    public_base_url: str = Field(
        default="", description="Public URL of the gateway, used in embed snippets (defaults to http://host:port)."
    )
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    rasa_workers: int = Field(default=1, description="How many Rasa server processes `familyhub run` starts.")
    action_server_host: str = "127.0.0.1"
    action_server_port: int = 5055
    rasa_timeout_seconds: float = Field(
        default=8.0, description="How long the gateway waits for Rasa before telling the parent it is unavailable."
    )
    model_dir: Path = BOT_DIR / "models"

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Bot token from @BotFather. Unset: no Telegram; the web chat still works."
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Base URL of the Bot API (tests point it at a local fake server).",
    )
    telegram_webhook_url: str = Field(
        default="", description="Public HTTPS URL for Telegram webhook mode. Unset: long polling."
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token (webhook mode)."
    )

    secret_key: SecretStr = Field(
        default=SecretStr("dev-only-change-me"),
        description="Key for hashing external ids and tokens. Set a long random value in production.",
    )
    retention_days: int = Field(default=30, description="Days a transcript is kept before it is purged.")
    purge_interval_minutes: int = 60
    max_message_chars: int = Field(default=2000, description="Longest web chat message accepted.")
    rate_limit_per_minute: int = Field(default=20, description="Messages per minute one sender may send.")

    handoff_escalate_minutes: int = Field(
        default=10, description="Minutes before an unaccepted handoff request is alerted again, more widely."
    )
    mentor_invite_hours: int = Field(default=72, description="How long a mentor invite link stays valid.")
    duty_hours: str = Field(
        default="Mon-Fri 09:00-17:00",
        description="Default duty hours of mentor organisations (Europe/London), e.g. 'Mon-Fri 09:00-17:00'.",
    )
    telegram_bot_username: str = Field(default="", description="Bot username, for invite links.")

    timezone: str = "Europe/London"
    log_level: str = "INFO"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.action_server_host}:{self.action_server_port}/webhook"

    @property
    def gateway_url(self) -> str:
        return self.public_base_url or f"http://{self.gateway_host}:{self.gateway_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once per process."""
    return Settings()
