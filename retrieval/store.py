"""The corpus in Chroma, kept as generations so a reload switches atomically.

A live corpus is one *generation*: ``{prefix}_g{N}_chunks`` (passages with
their vectors) and ``{prefix}_g{N}_articles`` (full texts and metadata). A
registry collection's metadata names the active generation, the embedding
model and the last reload. A sync builds generation N+1 beside the live one —
copying unchanged articles' vectors, embedding only new text — verifies it,
then commits by one registry write; only then, once the searches still
running on it have finished, is the old one deleted. A crash at any point
leaves either the old or the new corpus, never a mix: the registry write is
the commit point, and leftovers of a crash are deleted on the next open.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from chromadb.errors import NotFoundError

from newsbot.models import Article, Chunk
from newsbot.settings import Settings
from retrieval.embeddings import Embedder
from retrieval.generation import Generation, chunk_records, open_client
from retrieval.loaders import LoadFailure, content_hash
from retrieval.store_types import (
    EmbeddingModelMismatch,
    IngestReport,
    ReloadInProgress,
    StoreStats,
    StoreVerificationError,
)

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
T = TypeVar("T")
REFRESH_SECONDS = 2.0  # server mode: how often the registry is re-read (another process may switch)
READER_GRACE = 30.0  # how long a switch waits for searches on the old generation before deleting it
EMBED_STEP = 256  # texts per embedding call (progress granularity)


class CorpusStore:
    """Chroma-backed corpus with atomic generation switches. Thread-safe."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.prefix = settings.collection
        self.client, self.mode = open_client(settings)
        # The registry holds no records: no embedding function, so any embedder can open it.
        self._registry = self.client.get_or_create_collection(f"{self.prefix}_registry", embedding_function=None)
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
        meta = dict(self.client.get_collection(f"{self.prefix}_registry", embedding_function=None).metadata or {})
        name = meta.get("active") or None
        with self._swap:
            current = self._live.name if self._live else None
            if name == current:
                self._meta = meta
                return False
        same_model = meta.get("model") in (None, self.embedder.model_id)
        opened = Generation.open(self.client, name, self.embedder, bind=same_model) if name else None
        with self._swap:
            self._live, self._meta = opened, meta
        return True

    @contextmanager
    def reading(self, *, check_model: bool = True) -> Iterator[Generation | None]:
        """The live generation, held for the reader: a switch meanwhile waits before deleting it.

        Raises :class:`EmbeddingModelMismatch` when the corpus was embedded by another model
        (unless ``check_model`` is False: counts and provenance can still be read).
        """
        if self.mode == "server" and time.monotonic() - self._refreshed > REFRESH_SECONDS:
            self.refresh()
        with self._swap:
            live, model = self._live, self._meta.get("model")
            if live is not None:
                live.pin()
        try:
            if check_model and live is not None and model and model != self.embedder.model_id:
                raise EmbeddingModelMismatch(model, self.embedder.model_id)
            yield live
        finally:
            if live is not None:
                live.unpin()

    def read(self, fn: Callable[[Generation], T], empty: T) -> T:
        """``fn`` on the live generation (``empty`` if there is none).

        In server mode another process may switch and delete the generation under us: then the
        registry is re-read and ``fn`` runs once more on the new one.
        """
        for attempt in range(2):
            with self.reading() as live:
                if live is None:
                    return empty
                try:
                    return fn(live)
                except NotFoundError:
                    if attempt or not self.refresh():
                        raise
        raise AssertionError("unreachable")

    def live(self) -> Generation | None:
        """The generation to read from right now (unheld: prefer :meth:`read` or :meth:`reading`)."""
        with self.reading() as live:
            return live

    @property
    def generation(self) -> str | None:
        return self._live.name if self._live else None

    def is_empty(self) -> bool:
        return self.read(lambda g: g.article_count == 0, True)

    def articles(self) -> list[Article]:
        """Every article with its text, newest first, then by title."""
        items = self.read(lambda g: list(g.articles.values()), [])
        items.sort(key=lambda a: a.title)
        return sorted(items, key=lambda a: a.published or "", reverse=True)

    def article(self, article_id: str) -> Article | None:
        return self.read(lambda g: g.articles.get(article_id), None)

    def chunks(self) -> list[Chunk]:
        """All passages of the live generation (for BM25)."""
        return self.read(lambda g: g.all_chunks(), [])

    def dense_search(self, vector: list[float], k: int) -> list[tuple[Chunk, float]]:
        """The ``k`` passages nearest to ``vector`` with their cosine similarity, best first."""
        return self.read(lambda g: g.search(vector, k), [])

    def stats(self) -> StoreStats:
        """Counts and provenance of the live corpus (also when it was built by another model)."""
        with self.reading(check_model=False) as live:
            meta = self._meta
            return StoreStats(
                articles=live.article_count if live else 0, chunks=live.chunk_count if live else 0,
                generation=live.name if live else None, embedding_model=meta.get("model") or self.embedder.model_id,
                last_reload_at=meta.get("reload_at"), last_reload_by=meta.get("reload_by"), mode=self.mode,
            )

    # --- writing ----------------------------------------------------------
    def sync(
        self, articles: Sequence[Article], *, failures: Sequence[LoadFailure] = (), prune: bool = True,
        actor: str | None = None, rebuild: bool = False, progress: Progress | None = None,
        chunker: Callable[[Article], list[Chunk]],
    ) -> IngestReport:
        """Make the corpus hold ``articles`` (and, unless ``prune``, every other article it had).

        ``rebuild`` re-chunks and re-embeds everything into a new generation (after a model change).
        Raises :class:`ReloadInProgress` if another sync is running in this process.
        """
        if not self._sync_lock.acquire(blocking=False):
            raise ReloadInProgress("A reload is already running; try again when it has finished.")
        try:
            return self._sync(list(articles), list(failures), prune, actor, rebuild, progress, chunker)
        finally:
            self._sync_lock.release()

    def _sync(self, articles: list[Article], failures: list[LoadFailure], prune: bool, actor: str | None,
              rebuild: bool, progress: Progress | None, chunker: Callable[[Article], list[Chunk]]) -> IngestReport:
        started = time.perf_counter()
        self.refresh()
        with self._swap:
            live, model = self._live, self._meta.get("model")
        if live is not None and model and model != self.embedder.model_id and not rebuild:
            raise EmbeddingModelMismatch(model, self.embedder.model_id)
        previous = live.articles if live else {}
        wanted = {a.id: a if a.content_hash else a.model_copy(update={"content_hash": content_hash(a)})
                  for a in articles}
        report = IngestReport(failed=failures)
        for aid, art in wanted.items():
            if aid not in previous:
                report.added.append(aid)
            elif previous[aid].content_hash != art.content_hash:
                report.updated.append(aid)
            else:
                report.unchanged.append(aid)
        report.removed = sorted(a for a in previous if a not in wanted) if prune else []
        if live is not None and not rebuild and not (report.added or report.updated or report.removed):
            report.articles, report.chunks = live.article_count, live.chunk_count
            report.generation, report.seconds = live.name, time.perf_counter() - started
            return report
        keep = {} if prune else {aid: a for aid, a in previous.items() if aid not in wanted}
        final = {**keep, **wanted}
        fresh = set(final) if rebuild else set(report.added + report.updated)
        seq = int(self._meta.get("seq", 0)) + 1
        gen = Generation.create(self.client, f"{self.prefix}_g{seq}", self.embedder)
        try:
            counts = self._fill(gen, None if rebuild else live, final, fresh, report, progress, chunker)
            self._verify(gen, final, counts)
        except BaseException:
            gen.drop()
            raise
        meta = {"active": gen.name, "model": self.embedder.model_id, "seq": seq,
                "reload_at": datetime.now(UTC).isoformat(timespec="seconds"), "reload_by": actor or "unknown"}
        self._registry.modify(metadata=meta)  # the commit point
        with self._swap:
            self._live, self._meta = gen, meta
        if progress:
            progress("switch", 1, 1)
        if live is not None:
            if not live.wait_idle(READER_GRACE):
                log.warning("searches still running on %s after %.0fs; deleting it anyway", live.name, READER_GRACE)
            live.drop()
        report.articles, report.chunks = gen.article_count, gen.chunk_count
        report.generation, report.switched = gen.name, True
        report.seconds = time.perf_counter() - started
        log.info("switched to %s: %d articles, %d chunks (%d embedded, %d reused) in %.1fs by %s", gen.name,
                 report.articles, report.chunks, report.chunks_embedded, report.chunks_reused, report.seconds, actor)
        return report

    def _fill(self, gen: Generation, live: Generation | None, final: dict[str, Article], fresh: set[str],
              report: IngestReport, progress: Progress | None,
              chunker: Callable[[Article], list[Chunk]]) -> Counter[str]:
        """Copy unchanged articles' passages with their vectors; chunk and embed the rest. Chunks per article."""
        counts: Counter[str] = Counter()
        copied = [aid for aid in final if aid not in fresh]
        if live is not None and copied:
            for done, batch in live.chunk_batches(copied):
                gen.add_chunks(batch)
                counts.update(r.metadata["article_id"] for r in batch)
                if progress:
                    progress("copy", done, len(copied))
        new_chunks = [_checked(c, final[aid]) for aid in final if aid in fresh for c in chunker(final[aid])]
        counts.update(c.article_id for c in new_chunks)
        vectors = live.vectors_for({c.text_hash for c in new_chunks}) if live is not None else {}
        missing = list(dict.fromkeys(c.text for c in new_chunks if c.text_hash not in vectors))
        embedded: dict[str, list[float]] = {}
        for lo in range(0, len(missing), EMBED_STEP):
            part = missing[lo : lo + EMBED_STEP]
            embedded.update(zip(part, self.embedder.embed_documents(part), strict=True))
            if progress:
                progress("embed", min(lo + EMBED_STEP, len(missing)), len(missing))
        report.chunks_embedded = len(missing)
        report.chunks_reused = sum(1 for c in new_chunks if c.text_hash in vectors)
        gen.add_chunks(chunk_records(new_chunks, lambda c: vectors[c.text_hash] if c.text_hash in vectors
                                     else embedded[c.text]))
        gen.add_articles(list(final.values()), counts)
        return counts

    def _verify(self, gen: Generation, final: dict[str, Article], counts: Counter[str]) -> None:
        """The new generation holds every article and passage, and a dense probe finds something."""
        gen.reload_counts()
        if gen.article_count != len(final):
            raise StoreVerificationError(f"expected {len(final)} articles in {gen.name}, found {gen.article_count}")
        expected = sum(counts.values())
        if gen.chunk_count != expected:
            raise StoreVerificationError(f"expected {expected} passages in {gen.name}, found {gen.chunk_count}")
        if expected:
            probe = gen.any_vector()
            if probe is None or not gen.search(probe, 1):
                raise StoreVerificationError(f"a probe search of {gen.name} returned nothing")

    def _collect_garbage(self) -> None:
        """Drop generations the registry does not point at: leftovers of a crash.

        With a shared Chroma server another process may be building the next generation right now,
        so there only older generations are dropped.
        """
        active = self._live.name if self._live else None
        seq = int(self._meta.get("seq", 0))
        for name in Generation.names(self.client, self.prefix):
            number = Generation.number(name)
            if name == active or number is None or (self.mode == "server" and number >= seq):
                continue
            log.info("removing generation %s left by an interrupted reload", name)
            Generation.drop_named(self.client, name)

    def close(self) -> None:
        """Nothing to flush: Chroma persists each write. Forget the live generation."""
        with self._swap:
            self._live = None


def _checked(chunk: Chunk, article: Article) -> Chunk:
    """The chunk, with its text hash filled in; refuse one that is not an exact slice of its article."""
    if chunk.article_id != article.id or article.text[chunk.start : chunk.end] != chunk.text:
        raise StoreVerificationError(f"passage {chunk.id} is not an exact slice of article {article.id}")
    if chunk.text_hash:
        return chunk
    return chunk.model_copy(update={"text_hash": hashlib.sha256(chunk.text.encode()).hexdigest()})


__all__ = ["CorpusStore", "EmbeddingModelMismatch", "IngestReport", "ReloadInProgress", "StoreStats",
           "StoreVerificationError"]
