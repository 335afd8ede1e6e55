"""NewsService: the one facade the CLI and the Discord bot call.

It owns the store, the embedder and the retriever, and runs the one-way flow
question -> retrieve -> compose. Every method is blocking and thread-safe;
the bot calls them through ``asyncio.to_thread`` so its event loop never
waits on embedding or Chroma. Reloads build beside the live corpus (see
:mod:`retrieval.store`), so questions keep being answered while one runs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from newsbot.engine import Reader
from newsbot.engine.parse import ParseCache, Parser
from newsbot.models import Answer, Article, Evidence
from newsbot.settings import Settings, get_settings
from retrieval import store_lock
from retrieval.chunking import chunk_article
from retrieval.embeddings import Embedder, make_embedder
from retrieval.loaders import LoadResult, load_paths
from retrieval.reload_lease import ReloadLease
from retrieval.search import HybridRetriever
from retrieval.store import CorpusStore, IngestReport, StoreStats

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
MAX_QUESTION_CHARS = 2000


class QuestionError(ValueError):
    """The question cannot be asked as given (empty, or far too long)."""


class NewsService:
    """Ask, ingest, reload and inspect one corpus. Opens the store lazily."""

    def __init__(self, settings: Settings | None = None, *, role: str = "newsbot",
                 wait: float = store_lock.WAIT_SECONDS, read_ahead: bool = False) -> None:
        """``role`` and ``wait``: how this process names itself on an embedded store and how long it
        waits for another process to close it (see :mod:`retrieval.store_lock`). ``read_ahead``: a long-lived
        process (the bot) parses the corpus in the background after each switch (:meth:`start_read_ahead`)."""
        self.settings = settings or get_settings()
        self._role, self._wait = role, wait
        self._background_read = read_ahead and self.settings.read_ahead
        self._read_thread: threading.Thread | None = None
        self._read_stop = threading.Event()
        self._read_again = threading.Event()
        self._lock = threading.Lock()
        self._store: CorpusStore | None = None
        self._embedder: Embedder | None = None
        self._retriever: HybridRetriever | None = None
        self._reader: Reader | None = None
        self._reloading = threading.Event()

    # --- wiring -----------------------------------------------------------
    def _open(self) -> tuple[CorpusStore, HybridRetriever]:
        with self._lock:
            if self._store is None:
                self._embedder = make_embedder(self.settings)
                self._store = CorpusStore(self.settings, self._embedder, role=self._role, wait=self._wait)
                self._retriever = HybridRetriever(self._store, self._embedder, k=self.settings.top_k)
            assert self._retriever is not None
            return self._store, self._retriever

    @property
    def store(self) -> CorpusStore:
        return self._open()[0]

    @property
    def reader(self) -> Reader:
        """The offline reader, its parses cached beside the store (``parses.sqlite3``) so a new process does not
        parse again what an earlier one did."""
        with self._lock:
            if self._reader is None:  # a server-mode process writes nothing locally: its parses stay in memory
                path = None if self.settings.chroma_url else self.settings.data_dir / "parses.sqlite3"
                self._reader = Reader(Parser(ParseCache(path)), encoder=self._reader_encoder)
            return self._reader

    def _reader_encoder(self, texts: list[str]):  # noqa: ANN202 - an array of vectors
        """The judge's MiniLM (int8 ONNX, what its cosine feature was fit on, whatever embeds the store), with this
        service's threads and model cache, so the process holds one model where retrieval uses it too."""
        from retrieval.embeddings import shared_onnx

        return shared_onnx(self.settings.embedding_threads, self.settings.model_cache_dir).embed_array(texts)

    @property
    def reloading(self) -> bool:
        """True while a reload or ingest is being built."""
        return self._reloading.is_set()

    def _chunker(self, article: Article) -> list:
        return chunk_article(article, size=self.settings.chunk_size, overlap=self.settings.chunk_overlap)

    # --- questions ----------------------------------------------------------
    def retrieve(self, question: str, *, k: int | None = None) -> list[Evidence]:
        """The passages the answer will be composed from, best first (``k`` deeper for evaluation)."""
        _, retriever = self._open()
        return retriever.search(clean_question(question), k)

    def ask(self, question: str, *, mode: str | None = None) -> Answer:
        """Answer ``question`` from the corpus: extractive by default, LLM when configured."""
        question = clean_question(question)
        started = time.perf_counter()
        evidence = self.retrieve(question)
        effective = self.settings.effective_mode(mode)
        if effective == "llm":
            from newsbot.llm import (
                compose_llm,  # imported only when an endpoint is used
            )

            answer = compose_llm(question, evidence, self.settings)
        else:
            answer = self.compose(question, evidence)
        log.info("answered in %.0f ms: verdict=%s mode=%s citations=%d",
                 (time.perf_counter() - started) * 1000, answer.verdict.value, answer.mode, len(answer.citations))
        return answer

    def compose(self, question: str, evidence: list[Evidence]) -> Answer:
        """The offline reader's answer to ``question`` from ``evidence`` (retrieved passages, best first)."""
        return self.reader.read(question, evidence)

    # --- corpus -------------------------------------------------------------
    def ensure_corpus(self, progress: Progress | None = None) -> IngestReport | None:
        """Ingest the corpus folder if the store holds nothing yet (a reading-ahead service reads an existing
        corpus ahead instead)."""
        store, _ = self._open()
        if not store.is_empty():
            if self._background_read:
                self.start_read_ahead()  # a corpus from an earlier run: parse it now, not on each first read
            return None
        return self.reload(actor="first run", progress=progress)

    def reload(self, *, actor: str | None = None, progress: Progress | None = None) -> IngestReport:
        """Re-read the corpus folder: add, update and drop articles to match it (feeds' articles stay)."""
        return self.ingest([self.settings.corpus_dir], actor=actor, prune=True, progress=progress)

    def ingest(
        self, paths: Sequence[Path], *, actor: str | None = None, prune: bool = False, rebuild: bool = False,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Load ``paths`` and sync them into the store (``prune`` drops articles not among them).

        Files inside the corpus folder are named relative to it, as a reload names them, so ingesting one
        file or subfolder of it never holds an article twice under two ids.
        """
        result = load_paths(list(paths), max_bytes=self.settings.max_article_bytes, root=self.settings.corpus_dir)
        return self._sync(result, actor=actor, prune=prune, rebuild=rebuild, progress=progress)

    def add(self, result: LoadResult, *, actor: str | None = None) -> IngestReport:
        """Add already-loaded articles (a Discord attachment or URL), keeping all others."""
        return self._sync(result, actor=actor, prune=False, rebuild=False, progress=None)

    @contextmanager
    def reload_session(self) -> Iterator[ReloadLease]:
        """Hold the right to reload for a longer job (a feed poll); raises ``ReloadInProgress`` when taken."""
        store, _ = self._open()
        with store.reload_session() as lease:
            yield lease

    def sync_feeds(self, result: LoadResult, *, remove: Collection[str], actor: str | None,
                   lease: ReloadLease) -> IngestReport:
        """A feed poll's reload: add or replace its articles, drop ``remove``; every other article stays."""
        return self._sync(result, actor=actor, prune=False, rebuild=False, progress=None, remove=remove, lease=lease)

    def _sync(self, result: LoadResult, *, actor: str | None, prune: bool, rebuild: bool,
              progress: Progress | None, remove: Collection[str] = (), lease: ReloadLease | None = None,
              ) -> IngestReport:
        store, retriever = self._open()
        self._reloading.set()
        try:
            report = store.sync(result.articles, failures=result.failures, prune=prune, remove=remove, actor=actor,
                                rebuild=rebuild, progress=progress, chunker=self._chunker, lease=lease)
            if report.switched:
                retriever.warm()  # build BM25 and the article cache now, not on the next question
                if self._background_read:
                    self.start_read_ahead()
            return report
        finally:
            self._reloading.clear()

    def articles(self) -> list[Article]:
        return self.store.articles()

    def stats(self) -> StoreStats:
        return self.store.stats()

    # --- reading ahead ------------------------------------------------------
    def read_ahead(self, stop: threading.Event | None = None) -> int:
        """Parse every paragraph of the corpus into the parse cache now (those parsed before are read back),
        so no question's first read waits for spaCy; returns the paragraphs read. Parsing at ingest instead
        would halve ingest speed (README, Evaluation); this runs when the caller chooses."""
        return self.reader.parser.prepare(self.store.articles(), stop=stop)

    def start_read_ahead(self) -> None:
        """:meth:`read_ahead` in a background thread (one at a time; a switch while it runs reads again after
        it). Questions are answered meanwhile, each waiting for at most one small batch's parse."""
        with self._lock:
            self._read_again.set()
            if self._read_thread is not None:
                return  # the running thread sees the request before it decides to end (under this lock)
            self._read_stop.clear()
            self._read_thread = threading.Thread(target=self._read_loop, name="newsbot-read-ahead", daemon=True)
            self._read_thread.start()

    def _read_loop(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._read_again.is_set() or self._read_stop.is_set():
                        return
                    self._read_again.clear()
                started = time.perf_counter()
                n = self.read_ahead(self._read_stop)
                log.info("read ahead: %d paragraphs in %.1f s", n, time.perf_counter() - started)
        except Exception:  # noqa: BLE001 - a cache warm-up: questions parse what they need anyway
            log.exception("reading ahead failed; questions will parse their passages as they come")
        finally:
            with self._lock:
                self._read_thread = None

    def wait_read_ahead(self, timeout: float | None = None) -> bool:
        """Wait for a background read-ahead to finish; True when none is running."""
        thread = self._read_thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def close(self) -> None:
        self._read_stop.set()
        self.wait_read_ahead(30)
        with self._lock:
            if self._store is not None:
                self._store.close()
            if self._reader is not None:
                self._reader.parser.close()
            self._store = self._retriever = self._reader = None


def clean_question(question: str) -> str:
    """Collapse white space and control characters; refuse empty and oversized questions."""
    text = "".join(ch if ch.isprintable() else " " for ch in question)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("The question is empty: ask something about the news corpus.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is {len(text):,} characters long; keep it under {MAX_QUESTION_CHARS:,}.")
    return text
