"""The UI's typed settings, each overridable by NEWSRAG_<FIELD> (and some by app.py's flags)."""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

MIB = 1024 * 1024  # Gradio's "MB" in its own upload messages; ours say it the same way
REMOTE_CONCURRENCY = 4  # answers at once with a remote generator when NEWSRAG_APP_CONCURRENCY is unset


class AppSettings(BaseSettings):
    """Where the UI listens, who may log in, and how much it accepts at once."""

    model_config = SettingsConfigDict(env_prefix="NEWSRAG_", extra="ignore")

    app_host: str = "127.0.0.1"
    app_port: int = 7860
    auth: SecretStr | None = Field(default=None, description='one login as "user:password"')
    auth_file: Path | None = Field(default=None, description='a file of "user:password" lines')
    allow_open: bool = Field(default=False, description="serve beyond loopback without a login")
    login_delay_s: float = Field(default=1.0, description="wait after a client's first failed login")
    login_max_delay_s: float = Field(default=30.0, description="the wait doubles per failure up to this")
    max_question_chars: int = 1000
    max_upload_mb: float = Field(
        default=20.0, description="per file; 1 MB = 1,048,576 bytes, as Gradio counts"
    )
    max_upload_files: int = 20
    app_concurrency: int | None = Field(
        default=None, description=f"questions answered at once with a remote generator ({REMOTE_CONCURRENCY})"
    )

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * MIB)


def format_size(n_bytes: float) -> str:
    """Sizes as Gradio's upload check prints them ("20.0 MB"), so the label, our error and the
    browser's own message agree."""
    value, units = float(n_bytes), ("B", "KB", "MB", "GB", "TB")
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    return f"{value:.1f} {units[unit]}"


def answer_concurrency(settings: AppSettings, generator: str) -> int:
    """How many questions the UI answers at once: one for the in-process llama.cpp model (a second
    would only queue inside it), else the remote server's capacity."""
    if generator == "llamacpp":
        if (settings.app_concurrency or 1) > 1:
            log.warning(
                "NEWSRAG_APP_CONCURRENCY=%s ignored: the in-process llama.cpp generator answers one question "
                "at a time (set NEWSRAG_GENERATOR=openai or ollama to answer several at once)",
                settings.app_concurrency,
            )
        return 1
    return max(1, settings.app_concurrency or REMOTE_CONCURRENCY)
