"""All configuration in one place, read from the environment and ``.env``.

Every variable is prefixed ``NEWSBOT_`` except the Discord token, which is
also accepted under its conventional name ``DISCORD_TOKEN``. Secrets are
``SecretStr`` so that printing or logging the settings never shows them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The repository root (this file is ``<root>/newsbot/settings.py``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: What every fetch calls itself (publishers see it in their logs; robots.txt rules name "newsbot").
DEFAULT_USER_AGENT = "newsbot/0.1 (news bot for Discord; fetches articles and feeds that moderators add)"


def default_model_cache() -> Path:
    """``$NEWSBOT_MODEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsbot``, else ``~/.cache/newsbot``."""
    explicit = os.environ.get("NEWSBOT_MODEL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsbot"


class Settings(BaseSettings):
    """newsbot's settings; see the README's configuration table."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # --- corpus and store -------------------------------------------------
    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="Chroma data directory (embedded mode).")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "seeds", description="Folder of articles that ingest and /reload read.")
    collection: str = Field(default="newsbot", min_length=3, description="Name prefix of the Chroma collections.")
    chroma_url: str | None = Field(default=None, description="Chroma server URL (http://host:port); unset = embedded.")
    max_article_bytes: int = Field(default=5_000_000, description="Larger article files are refused with a reason.")

    # --- fetching and feeds ----------------------------------------------
    fetch_allow_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts fetched even when they resolve to a loopback, private, link-local or metadata address.")
    fetch_timeout: float = Field(default=20.0, gt=0, description="Seconds per page or feed request.")
    fetch_user_agent: str = Field(
        default=DEFAULT_USER_AGENT, min_length=1, description="User-Agent of every fetch; add a contact URL or e-mail for publishers.")
    feed_host_delay: float = Field(default=2.0, ge=0, description="Seconds between two requests to one host.")
    feed_max_bytes: int = Field(default=10_000_000, ge=1, description="Larger feed documents are refused.")
    feed_retention_days: float = Field(default=30.0, ge=0,
                                       description="Feed articles older than this are dropped; 0 keeps them all.")
    mod_channel_id: int | None = Field(default=None, description="Channel where the bot reports what each poll did.")

    # --- embeddings ------------------------------------------------------
    embedding_backend: Literal["onnx", "sentence-transformers", "openai"] = "onnx"
    embedding_model: str = Field(default="all-MiniLM-L6-v2", description="Model name for the chosen backend.")
    embedding_api_base: str | None = None
    embedding_api_key: SecretStr | None = None
    embedding_threads: int = Field(default=0, description="onnxruntime intra-op threads; 0 = one per core.")
    model_cache_dir: Path | None = Field(
        default_factory=lambda: default_model_cache(),
        description="Where the ONNX model, once optimised for this machine, is kept (loads faster and leaner).",
    )

    # --- retrieval -------------------------------------------------------
    top_k: int = Field(default=30, ge=1, le=50, description="Passages the answer engine reads (best first).")
    read_ahead: bool = Field(
        default=True,
        description="The bot parses the whole corpus in the background after it starts and after each reload, so "
                    "a question's first read does not wait for spaCy (`newsbot ingest --read-ahead` does it at once).")
    chunk_size: int = Field(default=600, ge=100)
    chunk_overlap: int = Field(default=120, ge=0)

    # --- answers ---------------------------------------------------------
    answer_mode: Literal["extractive", "llm", "auto"] = "auto"
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = None
    llm_timeout: float = 30.0
    llm_temperature: float = 0.0
    llm_max_retries: int = 2
    llm_passages: int = Field(
        default=10, ge=1, le=50,
        description="Of the top_k passages, how many (best first) an LLM prompt holds; the extractive engine "
                    "reads them all.",
    )
    llm_min_coverage: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="Relevance floor: a passage reaches the model if it states this weighted share of the "
                    "question's terms (or reaches llm_min_similarity); calibrated by scripts/llm_relevance_floor.py.",
    )
    llm_min_similarity: float = Field(
        default=0.45, ge=-1.0, le=1.0,
        description="Relevance floor: ... or if its embedding's cosine similarity to the question is at least this.",
    )
    llm_max_tokens: int | None = Field(
        default=None, ge=1,
        description="Cap on the reply's tokens; unset = 800 for chat models, the server's own limit for reasoning "
                    "models (o1/o3/o4/gpt-5, sent as max_completion_tokens, which also counts their reasoning).",
    )
    prompts_dir: Path = PROJECT_ROOT / "prompts"

    # --- Discord ---------------------------------------------------------
    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "NEWSBOT_DISCORD_TOKEN")
    )
    discord_guild_id: int | None = Field(default=None, description="Sync commands to this guild only (fast).")
    moderator_role_id: int | None = None
    answer_channel_ids: list[int] = Field(default_factory=list, description="Channels/forums answered without a mention.")
    cooldown_seconds: float = 10.0
    feedback_db: Path | None = Field(default=None, description="The bot's SQLite file; unset = <data_dir>/feedback.sqlite3.")
    shard_count: int | None = Field(default=None, description="Set to use AutoShardedClient.")
    discord_api_base: str | None = Field(default=None, description="Another Discord REST base (a proxy or emulator).")
    discord_gateway_url: str | None = Field(default=None, description="Another gateway URL (a proxy or emulator).")

    log_level: str = "INFO"

    @model_validator(mode="after")
    def _feedback_beside_data(self) -> Settings:
        """The feedback file follows ``data_dir`` unless it is set itself (so it is never None once validated)."""
        if self.feedback_db is None:
            self.feedback_db = self.data_dir / "feedback.sqlite3"
        return self

    @property
    def feeds_db(self) -> Path:
        """The feed subscriptions and the entries seen, beside the store (they survive a restart)."""
        return self.data_dir / "feeds.sqlite3"

    @property
    def llm_configured(self) -> bool:
        """True when an OpenAI-compatible endpoint is set."""
        return bool(self.llm_base_url) or self.llm_api_key is not None

    def effective_mode(self, requested: str | None = None) -> str:
        """``extractive`` or ``llm`` after resolving ``auto``."""
        mode = requested or self.answer_mode
        if mode == "auto":
            return "llm" if self.llm_configured else "extractive"
        return mode


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings``)."""
    return Settings()
