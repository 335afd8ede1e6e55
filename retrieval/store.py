"""The corpus in Chroma, kept as generations so a reload switches atomically.

A live corpus is one *generation*: ``{prefix}_g{N}_chunks`` (passages with
their vectors) and ``{prefix}_g{N}_articles`` (full texts and metadata). A
registry collection's metadata names the active generation, the embedding
model and the last reload. A sync builds generation N+1 beside the live one —
copying unchanged articles' vectors, embedding only new text — verifies it,
then commits by one registry write; only then is the old one deleted. A crash
at any point leaves either the old or the new corpus, never a mix. Searches
keep using the generation they started on until the switch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsbot.models import Article, Chunk
from newsbot.settings import Settings
from retrieval.embeddings import Embedder
from retrieval.generation import Generation, chunk_records, open_client
from retrieval.loaders import LoadFailure

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
REFRESH_SECONDS = 2.0


class ReloadInProgress(RuntimeError):
    """A second sync while one is running."""


class EmbeddingModelMismatch(RuntimeError):
    """The store was built with another embedding model than the one configured."""


class StoreVerificationError(RuntimeError):
    """A freshly built generation failed its checks; the old one keeps serving."""


@dataclass
class IngestReport:
    """What a sync did, article by article."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[LoadFailure] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    articles: int = 0
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
    mode: str


class CorpusStore:
    """Chroma-backed corpus with atomic generation switches. Thread-safe."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.prefix = settings.collection
        self.client, self.mode = open_client(settings)
        self._registry = self.client.get_or_create_collection(f"{self.prefix}_registry", embedding_function=embedder)
        self._swap = threading.Lock()
        self._sync_lock = threading.Lock()
        self._live: Generation | None = None
        self._meta: dict = {}
        self._refreshed = 0.0
        self.refresh()
        self._collect_garbage()

    # --- reading ----------------------------------------------------------
    def refresh(self) -> bool:
        """Re-read the registry (another process may have switched); True if the live generation changed."""
        self._refreshed = time.monotonic()
        meta = dict(self.client.get_collection(f"{self.prefix}_registry", embedding_function=self.embedder).metadata or {})
        name = meta.get("active") or None
        with self._swap:
            current = self._live.name if self._live else None
            self._meta = meta
            if name == current:
                return False
            self._live = Generation.open(self.client, name, self.embedder) if name else None
            return True

    def live(self) -> Generation | None:
        """The generation to read from; check the embedding model first.

        In server mode another process may switch generations: the registry is re-read every few seconds.
        """
        if self.mode == "server" and time.monotonic() - self._refreshed > REFRESH_SECONDS:
            self.refresh()
        with self._swap:
            live, model = self._live, self._meta.get("model")
        if live is not None and model and model != self.embedder.model_id:
            raise EmbeddingModelMismatch(
                f"The corpus was embedded with {model!r} but {self.embedder.model_id!r} is configured. "
                "Rebuild it with `newsbot ingest --rebuild` (or set NEWSBOT_EMBEDDING_BACKEND back)."
            )
        return live

    @property
    def generation(self) -> str | None:
        return self._live.name if self._live else None

    def is_empty(self) -> bool:
        live = self.live()
        return live is None or live.article_count == 0

    def articles(self) -> list[Article]:
        live = self.live()
        items = list(live.articles.values()) if live else []
        return sorted(items, key=lambda a: (a.published or "", a.title), reverse=True)

    def article(self, article_id: str) -> Article | None:
        live = self.live()
        return live.articles.get(article_id) if live else None

    def chunks(self) -> list[Chunk]:
        live = self.live()
        return live.all_chunks() if live else []

    def dense_search(self, vector: list[float], k: int) -> list[tuple[Chunk, float]]:
        live = self.live()
        return live.search(vector, k) if live else []

    def stats(self) -> StoreStats:
        live = self.live()
        return StoreStats(
            articles=live.article_count if live else 0, chunks=live.chunk_count if live else 0,
            generation=live.name if live else None, embedding_model=self._meta.get("model") or self.embedder.model_id,
            last_reload_at=self._meta.get("reload_at"), last_reload_by=self._meta.get("reload_by"), mode=self.mode,
        )

    # --- writing ----------------------------------------------------------
    def sync(
        self, articles: Sequence[Article], *, failures: Sequence[LoadFailure] = (), prune: bool = True,
        actor: str | None = None, rebuild: bool = False, progress: Progress | None = None,
        chunker: Callable[[Article], list[Chunk]],
    ) -> IngestReport:
        """Make the corpus hold ``articles`` (and, unless ``prune``, every other article it had)."""
        if not self._sync_lock.acquire(blocking=False):
            raise ReloadInProgress("A reload is already running; try again when it has finished.")
        try:
            return self._sync(articles, failures, prune, actor, rebuild, progress, chunker)
        finally:
            self._sync_lock.release()

    def _sync(self, articles, failures, prune, actor, rebuild, progress, chunker) -> IngestReport:  # noqa: ANN001
        started = time.perf_counter()
        self.refresh()
        with self._swap:
            live, model = self._live, self._meta.get("model")
        if live is not None and model and model != self.embedder.model_id and not rebuild:
            self.live()  # raises EmbeddingModelMismatch with the how-to
        old = live.articles if live and not rebuild else {}
        report = IngestReport(failed=list(failures))
        wanted = {a.id: a for a in articles}
        for aid, art in wanted.items():
            if aid not in old:
                report.added.append(aid)
            elif old[aid].content_hash != art.content_hash:
                report.updated.append(aid)
            else:
                report.unchanged.append(aid)
        previous = live.articles if live else {}
        report.removed = sorted(a for a in previous if a not in wanted) if prune else []
        keep = {aid: a for aid, a in previous.items() if aid not in wanted and not prune}
        if not rebuild and live is not None and not (report.added or report.updated or report.removed):
            report.articles, report.chunks = live.article_count, live.chunk_count
            report.generation, report.seconds = live.name, time.perf_counter() - started
            return report
        final = {**keep, **wanted} if not rebuild else {**keep, **wanted}
        seq = int(self._meta.get("seq", 0)) + 1
        gen = Generation.create(self.client, f"{self.prefix}_g{seq}", self.embedder)
        try:
            self._fill(gen, live if not rebuild else None, final, report, set(report.added + report.updated)
                       if not rebuild else set(final), progress, chunker)
            self._verify(gen, final)
        except Exception:
            gen.drop(self.client)
            raise
        meta = {"active": gen.name, "model": self.embedder.model_id, "seq": seq,
                "reload_at": datetime.now(UTC).isoformat(timespec="seconds"), "reload_by": actor or "unknown"}
        self._registry.modify(metadata=meta)  # the commit point
        with self._swap:
            self._live, self._meta = gen, meta
        if progress:
            progress("switch", 1, 1)
        if live is not None:
            live.drop(self.client)
        report.articles, report.chunks = gen.article_count, gen.chunk_count
        report.generation, report.switched = gen.name, True
        report.seconds = time.perf_counter() - started
        log.info("switched to %s: %d articles, %d chunks (%d embedded) in %.1fs by %s", gen.name,
                 report.articles, report.chunks, report.chunks_embedded, report.seconds, actor)
        return report

    def _fill(self, gen: Generation, live: Generation | None, final: dict[str, Article], report: IngestReport,
              fresh: set[str], progress: Progress | None, chunker: Callable[[Article], list[Chunk]]) -> None:
        copied = [aid for aid in final if aid not in fresh]
        if live is not None and copied:
            for n, batch in enumerate(live.chunk_batches(copied), 1):
                gen.add_chunks(batch)
                if progress:
                    progress("copy", n, n)
        new_chunks = [c for aid in final if aid in fresh for c in chunker(final[aid])]
        vectors = live.vectors_for({c.text_hash for c in new_chunks}) if live is not None else {}
        missing = list(dict.fromkeys(c.text for c in new_chunks if c.text_hash not in vectors))
        embedded: dict[str, list[float]] = {}
        step = 256
        for lo in range(0, len(missing), step):
            part = missing[lo : lo + step]
            embedded.update(zip(part, self.embedder.embed_documents(part), strict=True))
            if progress:
                progress("embed", min(lo + step, len(missing)), len(missing))
        report.chunks_embedded = len(missing)
        report.chunks_reused = len(new_chunks) - sum(1 for c in new_chunks if c.text_hash not in vectors)
        records = chunk_records(new_chunks, lambda c: vectors.get(c.text_hash) or embedded[c.text])
        gen.add_chunks(records)
        gen.add_articles(list(final.values()), {aid: sum(1 for c in new_chunks if c.article_id == aid) for aid in fresh})

    def _verify(self, gen: Generation, final: dict[str, Article]) -> None:
        gen.reload_counts()
        if gen.article_count != len(final):
            raise StoreVerificationError(f"expected {len(final)} articles, found {gen.article_count}")
        if final and gen.chunk_count == 0:
            raise StoreVerificationError("the new corpus has no passages")
        if final:
            probe = gen.any_vector()
            if probe is None or not gen.search(probe, 1):
                raise StoreVerificationError("a probe search of the new corpus returned nothing")

    def _collect_garbage(self) -> None:
        """Drop generations older than the active one (a crash may have left them)."""
        active = self._live.name if self._live else None
        seq = int(self._meta.get("seq", 0))
        for name in Generation.names(self.client, self.prefix):
            number = Generation.number(name)
            if name != active and number is not None and number < seq:
                log.info("removing stale generation %s", name)
                Generation.drop_named(self.client, name)

    def close(self) -> None:
        """Nothing to flush: Chroma persists each write. Kept for symmetry with server mode."""
        with self._swap:
            self._live = None
