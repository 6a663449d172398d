"""Every ``SCOUT_*`` environment variable, read and checked in one typed object.

An entry point (a CLI command, a flow) builds :class:`Settings` once with :meth:`Settings.from_env`
and hands it down; the layers below take the fields they need instead of reading the
environment. A bad value is refused with one sentence naming the variable, before anything starts.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.defaults import FALLBACK_DB_PATH
from core.errors import InputError

__all__ = ["FALLBACK_DB_PATH", "Settings"]

#: ``SCOUT_PREFECT_SERVER``: one local Prefect server shared by every command (the default), or
#: Prefect's own temporary server started and stopped by each command.
PREFECT_SERVER_MODES = ("shared", "temporary")


def _positive(name: str, raw: Any, whole: bool) -> Any:
    """``raw`` as a positive finite number: text, 0, negatives, nan and inf are refused (a nan
    rate would switch pacing off and a zero one would fail deep inside a run)."""
    if raw is None or isinstance(raw, (int, float)):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    try:
        value = int(text) if whole else float(text)
    except ValueError:  # also int() of 4,300+ digits
        value = 0
    if not 0 < value < math.inf:
        raise InputError(f"{name} must be a positive {'whole number' if whole else 'number'}, not {text!r}.")
    return value


def _units(name: str, raw: Any) -> Any:
    """A quota in whole units >= 0 (``10_000`` allowed)."""
    if raw is None or isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        value = -1
    if value < 0:
        raise InputError(f"{name} must be a whole number of units >= 0, not {text!r}.")
    return value


def _seconds(name: str, raw: Any) -> Any:
    """A number of seconds >= 0 (0: do not wait); nan and inf are refused."""
    if raw is None or isinstance(raw, (int, float)):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < math.inf:
        raise InputError(f"{name} must be a number of seconds >= 0, not {text!r}.")
    return value


class Settings(BaseSettings):
    """The process's configuration. ``None`` means unset: the consumer's own default applies."""

    model_config = SettingsConfigDict(env_prefix="SCOUT_", frozen=True, extra="ignore")

    db: str | None = None
    lock_timeout: float | None = None
    rate_per_second: float | None = None
    rate_burst: int | None = None
    read_timeout: float | None = None
    max_body_bytes: int | None = None
    bluesky_url: str | None = None
    mastodon_url: str | None = None
    youtube_url: str | None = None
    instagram_url: str | None = None
    tiktok_url: str | None = None
    youtube_web_url: str | None = None
    # Credentials: read here, checked and remembered for redaction where they are used.
    youtube_api_key: str | None = None
    instagram_token: str | None = None
    instagram_user_id: str | None = None
    tiktok_token: str | None = None
    youtube_daily_quota: int | None = None
    youtube_search_quota: int | None = None
    # Which Prefect API a CLI command reports to when PREFECT_API_URL is unset, and how long the
    # shared server waits, once no command uses it, before it stops.
    prefect_server: Literal["shared", "temporary"] | None = None
    prefect_idle: float | None = None
    # Test-only fault injection (warehouse.load.fault_point): "stage:batch".
    fault_kill_at: str | None = None
    fault_stop_at: str | None = None

    @field_validator("rate_per_second", "read_timeout", "prefect_idle", mode="before")
    @classmethod
    def _positive_number(cls, raw: Any, info: Any) -> Any:
        return _positive(f"SCOUT_{info.field_name.upper()}", raw, whole=False)

    @field_validator("rate_burst", "max_body_bytes", mode="before")
    @classmethod
    def _positive_whole(cls, raw: Any, info: Any) -> Any:
        return _positive(f"SCOUT_{info.field_name.upper()}", raw, whole=True)

    @field_validator("youtube_daily_quota", "youtube_search_quota", mode="before")
    @classmethod
    def _quota(cls, raw: Any, info: Any) -> Any:
        return _units(f"SCOUT_{info.field_name.upper()}", raw)

    @field_validator("lock_timeout", mode="before")
    @classmethod
    def _lock_seconds(cls, raw: Any, info: Any) -> Any:
        return _seconds(f"SCOUT_{info.field_name.upper()}", raw)

    @field_validator("prefect_server", mode="before")
    @classmethod
    def _server_mode(cls, raw: Any) -> Any:
        text = None if raw is None else str(raw).strip().lower()
        if text and text not in PREFECT_SERVER_MODES:
            raise InputError(f"SCOUT_PREFECT_SERVER must be one of {', '.join(PREFECT_SERVER_MODES)}, not {raw!r}.")
        return text or None

    @classmethod
    def from_env(cls, error: type[InputError] = InputError) -> Settings:
        """The settings from the environment; a bad value raises ``error`` (a family's own
        InputError) with the one sentence that names the variable."""
        try:
            return cls()
        except ValidationError as exc:
            first = exc.errors()[0]
            cause = first.get("ctx", {}).get("error")
            raise error(str(cause) if cause else f"SCOUT_{str(first['loc'][0]).upper()}: {first['msg']}") from None

    def platform_url(self, platform: str) -> str | None:
        """``SCOUT_<PLATFORM>_URL``, or None when unset."""
        return getattr(self, f"{platform}_url", None) or None

    def credential(self, variable: str) -> str:
        """The stripped value of a credential variable (``SCOUT_TIKTOK_TOKEN``), "" when unset."""
        return (getattr(self, variable.removeprefix("SCOUT_").lower(), None) or "").strip()
