"""What the corpus store reports and raises: ingest reports, live-corpus stats, and its errors.

Kept apart from :mod:`retrieval.store` so renderers (CLI, Discord) can import
these plain types without the Chroma machinery; ``retrieval.store`` re-exports
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from retrieval.loaders import LoadFailure


class ReloadInProgress(RuntimeError):
    """A second sync while one is running."""


class EmbeddingModelMismatch(RuntimeError):
    """The store was built with another embedding model than the one configured."""

    def __init__(self, stored: str, configured: str) -> None:
        super().__init__(
            f"The corpus was embedded with {stored!r} but {configured!r} is configured. "
            "Rebuild it with `newsbot ingest --rebuild` (or delete the data directory and ingest again), "
            "or set NEWSBOT_EMBEDDING_BACKEND back to the model that built it."
        )
        self.stored, self.configured = stored, configured


class StoreVerificationError(RuntimeError):
    """A freshly built generation failed its checks; the old one keeps serving."""


@dataclass
class IngestReport:
    """What a sync did, article by article (ids), and what it cost."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[LoadFailure] = field(default_factory=list)
    chunks_embedded: int = 0  # texts sent to the embedding model
    chunks_reused: int = 0  # new chunks whose text already had a vector in the live corpus
    articles: int = 0  # in the corpus after the sync
    chunks: int = 0
    seconds: float = 0.0
    generation: str | None = None
    switched: bool = False


@dataclass
class StoreStats:
    """Counts and provenance of the live corpus."""

    articles: int
    chunks: int
    generation: str | None
    embedding_model: str
    last_reload_at: str | None
    last_reload_by: str | None
    mode: str  # "embedded" | "server"
