"""The corpus in Chroma, kept as generations so a reload switches atomically.

A live corpus is one *generation*: ``{prefix}_g{N}_chunks`` (passages with
their vectors) and ``{prefix}_g{N}_articles`` (full texts and metadata). A
registry collection's metadata names the active generation and its committed
revision, the embedding model and the last reload. A sync that changes much
builds generation N+1 beside the live one — copying unchanged articles'
vectors, embedding only new text (:mod:`retrieval.store_build`) — verifies it,
then commits by one registry write; only then, once the searches still
running on it have finished, is the old one deleted. A sync that changes
little writes its rows into the live generation instead, unseen by readers
until the same kind of registry write commits the next revision
(:mod:`retrieval.store_delta`). A crash at any point leaves either the old or
the new corpus, never a mix: the registry write is the commit point, and
leftovers of a crash are deleted on the next open (or the next sync).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from chromadb.errors import NotFoundError

from newsbot.models import Article, Chunk
from newsbot.settings import Settings
from retrieval import store_lock
from retrieval.chroma_client import open_client
from retrieval.embeddings import Embedder
from retrieval.generation import Generation
from retrieval.loaders import LoadFailure, content_hash
from retrieval.reload_lease import ReloadLease
from retrieval.store_build import build, checked, vectors
from retrieval.store_delta import (
    SERVER_GRACE,
    Delta,
    registry_meta,
    retired_of,
    tidy,
    view_of,
)
from retrieval.store_lock import StoreInUse
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


class CorpusStore:
    """Chroma-backed corpus with atomic generation switches. Thread-safe."""

    def __init__(self, settings: Settings, embedder: Embedder, *, role: str = "newsbot",
                 wait: float = store_lock.WAIT_SECONDS) -> None:
        """Open the store; an embedded one is first locked for this process, waiting up to ``wait`` s for
        another that has it open; ``role`` names us to the others (:mod:`retrieval.store_lock`)."""
        self.settings = settings
        self.embedder = embedder
        self.prefix = settings.collection
        self.client, self.mode, self._held = open_client(settings, role=role, wait=wait)
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
        """Re-read the registry (another process may have switched); True if the live revision changed."""
        self._refreshed = time.monotonic()
        meta = dict(self.client.get_collection(f"{self.prefix}_registry", embedding_function=None).metadata or {})
        name = meta.get("active") or None
        view = view_of(meta)
        with self._swap:
            current = (self._live.base, self._live.view.rev) if self._live else None
            if current == ((name, view.rev) if name else None):
                self._meta = meta
                return False
        same_model = meta.get("model") in (None, self.embedder.model_id)
        opened = Generation.open(self.client, name, self.embedder, bind=same_model, view=view) if name else None
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
    @contextmanager
    def reload_session(self) -> Iterator[ReloadLease]:
        """The right to reload, held for a job longer than one sync (a feed poll fetches, then syncs).

        No other reload runs meanwhile, in this process or in another one on the same store; pass the
        lease to :meth:`sync`. Raises :class:`ReloadInProgress` if another reload is running.
        """
        if not self._sync_lock.acquire(blocking=False):
            raise ReloadInProgress("A reload is already running; try again when it has finished.")
        try:
            lease = ReloadLease(self.client, self.prefix)
            lease.acquire()
            try:
                yield lease
            finally:
                lease.release()
        finally:
            self._sync_lock.release()

    def sync(
        self, articles: Sequence[Article], *, failures: Sequence[LoadFailure] = (), prune: bool = True,
        remove: Collection[str] = (), actor: str | None = None, rebuild: bool = False,
        progress: Progress | None = None, chunker: Callable[[Article], list[Chunk]], lease: ReloadLease | None = None,
    ) -> IngestReport:
        """Make the corpus hold ``articles`` and every other article it had, less those ``prune`` or ``remove`` drop.

        ``prune`` drops the articles not among ``articles`` that came from no feed (a reload mirrors the
        corpus folder and leaves the feeds' articles alone); ``remove`` drops these ids, whatever their kind.
        ``rebuild`` re-chunks and re-embeds everything into a new generation (after a model change).
        Raises :class:`ReloadInProgress` if another sync is running, in this process or in another
        one on the same store (:mod:`retrieval.reload_lease`), unless ``lease`` is that of the
        :meth:`reload_session` the caller holds.
        """
        if lease is not None:
            return self._sync(list(articles), list(failures), prune, set(remove), actor, rebuild, progress, chunker,
                              lease)
        with self.reload_session() as held:
            return self._sync(list(articles), list(failures), prune, set(remove), actor, rebuild, progress, chunker,
                              held)

    def _sync(self, articles: list[Article], failures: list[LoadFailure], prune: bool, remove: set[str],
              actor: str | None, rebuild: bool, progress: Progress | None,
              chunker: Callable[[Article], list[Chunk]], lease: ReloadLease) -> IngestReport:
        started = time.perf_counter()
        self.refresh()
        with self._swap:
            live, meta = self._live, self._meta
        model = meta.get("model")
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
        report.removed = sorted(aid for aid, art in previous.items()
                                if aid not in wanted and (aid in remove or (prune and not art.feed)))
        if live is not None and not rebuild and not (report.added or report.updated or report.removed):
            report.articles, report.chunks = live.article_count, live.chunk_count
            report.generation, report.seconds = live.name, time.perf_counter() - started
            return report
        dropped = set(report.removed)
        keep = {aid: a for aid, a in previous.items() if aid not in wanted and aid not in dropped}
        final = {**keep, **wanted}
        fresh = set(final) if rebuild else set(report.added + report.updated)
        grace = SERVER_GRACE if self.mode == "server" else 0.0  # other processes may read the old revision
        carried = tidy(live, retired_of(meta), grace) if live is not None else []  # interrupted or replaced rows
        new_chunks = [checked(c, final[aid]) for aid in final if aid in fresh for c in chunker(final[aid])]
        delta = None if rebuild or live is None else Delta.plan(live, int(meta.get("churn", 0)), final, fresh,
                                                                 new_chunks, carried)
        source = None if rebuild else live

        def find() -> Callable[[Chunk], Any]:
            return vectors(self.embedder, source, new_chunks, report, progress)

        if delta is not None:
            gen, churn = self._apply(delta, find), delta.churn
        else:
            seq = int(meta.get("seq", 0)) + 1
            fresh_gen = Generation.create(self.client, f"{self.prefix}_g{seq}", self.embedder)
            try:
                gen, churn = build(fresh_gen, source, final, fresh, new_chunks, find, progress, seq), 0
            except BaseException:
                fresh_gen.drop()
                raise
        if not lease.holds():  # broken as stale by another process (this one stalled): do not commit over it
            if delta is not None:
                delta.undo()
            else:
                gen.drop()
            raise ReloadInProgress("This reload lost its lock to another process and was abandoned; "
                                   "the corpus is unchanged. Try again when the other reload has finished.")
        new_meta = registry_meta(gen.base, gen.view, churn, delta.retired(time.time()) if delta else [],
                                 model=self.embedder.model_id,
                                 reload_at=datetime.now(UTC).isoformat(timespec="seconds"),
                                 reload_by=actor or "unknown")
        self._registry.modify(metadata=new_meta)  # the commit point
        with self._swap:
            self._live, self._meta = gen, new_meta
        if progress:
            progress("switch", 1, 1)
        if live is not None:
            if not live.wait_idle(READER_GRACE):
                log.warning("searches still running on %s after %.0fs; deleting it anyway", live.name, READER_GRACE)
            if delta is None:
                live.drop()
            elif self.mode == "embedded":  # a server's other clients may still read the old revision: next time
                live.delete_rows(delta.hidden_chunks, delta.hidden_articles)
        report.articles, report.chunks = gen.article_count, gen.chunk_count
        report.generation, report.switched = gen.name, True
        report.seconds = time.perf_counter() - started
        log.info("switched to %s: %d articles, %d chunks (%d embedded, %d reused) in %.1fs by %s", gen.name,
                 report.articles, report.chunks, report.chunks_embedded, report.chunks_reused, report.seconds, actor)
        return report

    @staticmethod
    def _apply(delta: Delta, find: Callable[[], Callable[[Chunk], Any]]) -> Generation:
        """Write a small reload into the live generation, unseen until committed; the view that commits it."""
        try:
            delta.write(find())
            return delta.verified()
        except BaseException:
            delta.undo()
            raise

    def _collect_garbage(self) -> None:
        """Drop generations the registry does not point at: leftovers of a crash.

        With a shared Chroma server another process may be building the next generation right now,
        so there only older generations are dropped.
        """
        active = self._live.base if self._live else None
        seq = int(self._meta.get("seq", 0))
        if self._live is not None and self.mode == "embedded":  # ours alone (store_lock); a server's may be in use
            tidy(self._live, retired_of(self._meta))
        for name in Generation.names(self.client, self.prefix):
            number = Generation.number(name)
            if name == active or number is None or (self.mode == "server" and number >= seq):
                continue
            log.info("removing generation %s left by an interrupted reload", name)
            Generation.drop_named(self.client, name)

    def close(self) -> None:
        """Nothing to flush: Chroma persists each write. Forget the live generation; let other processes in."""
        with self._swap:
            self._live = None
        held, self._held = self._held, None
        if held is not None:
            store_lock.release(held)


__all__ = ["CorpusStore", "EmbeddingModelMismatch", "IngestReport", "ReloadInProgress", "StoreInUse", "StoreStats",
           "StoreVerificationError"]
