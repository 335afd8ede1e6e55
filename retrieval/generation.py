"""One generation of the corpus: its chunk and article collections in Chroma, seen at one revision.

Split from :mod:`retrieval.store` so that the store reads as the sync
protocol and this module as the Chroma plumbing: create, fill in batches,
copy vectors, search, drop.

A full reload builds a generation whole. A small reload then changes it in
place (:mod:`retrieval.store_delta`): its rows carry ``born`` = the revision
they belong to (under row ids suffixed ``@<revision>``), and the rows it
replaces are *hidden* by the registry write that commits it. A
:class:`Generation` object is one view of the collections, as of one committed
revision (:class:`View`): every read filters out rows born later and rows
hidden at that revision, so a reader holding it never sees a half-applied
reload. A view also counts its readers, so that a replaced view's rows (or
collections) are deleted only once the searches still running on it have
finished.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import chromadb
import numpy as np

from newsbot.models import Article, Chunk
from retrieval.embeddings import Embedder
from retrieval.store_rows import (
    ARTICLE_FIELDS,
    ChunkRecord,
    View,
    article_metadata,
    chroma_function,
    row_id,
    stored_chunk,
)

log = logging.getLogger(__name__)
PAGE = 2000
GROUP = 500  # article or hash ids per `$in` filter
SLACK = 16  # extra nearest rows asked for, to make up for rows a view filters out
_DUMMY = [1.0, 0.0]  # article records need a vector; they are never searched
# Rows per Chroma write. Chroma's Rust binding holds the GIL for a whole call (about 0.5 ms a passage on
# 2 cores), so one call with thousands of rows would stall the bot's event loop for a second; 128-row
# calls keep each stall under ~100 ms and cost no measurable ingest time.
WRITE_BATCH = 128


class Generation:
    """The two collections of one generation, seen at one revision, with what was read held in memory."""

    def __init__(self, client: chromadb.ClientAPI, base: str, embedder: Embedder, chunks: Any, articles: Any,
                 view: View | None = None) -> None:
        self.client, self.base, self.embedder = client, base, embedder
        self._chunks, self._articles = chunks, articles
        self.view = view or View()
        rev = self.view.rev
        self.name = base if rev is None or rev == self.number(base) else f"{base}r{rev}"
        self._max_batch = max(1, min(client.get_max_batch_size() - 1, WRITE_BATCH))
        self._lock = threading.Lock()
        self._readers = 0
        self._idle = threading.Condition()
        self._article_cache: dict[str, Article] | None = None
        self._article_rows: dict[str, str] = {}
        self._chunk_cache: list[Chunk] | None = None
        self._chunk_rows: dict[str, str] = {}
        self.reload_counts()

    # --- lifecycle -------------------------------------------------------
    @classmethod
    def create(cls, client: chromadb.ClientAPI, name: str, embedder: Embedder) -> Generation:
        cls.drop_named(client, name)  # a crash may have left a half-built one under this name
        config: Any = {"hnsw": {"space": "cosine"}}
        ef = chroma_function(embedder)
        chunks = client.create_collection(f"{name}_chunks", embedding_function=ef, configuration=config)
        articles = client.create_collection(f"{name}_articles", embedding_function=ef, configuration=config)
        return cls(client, name, embedder, chunks, articles)

    @classmethod
    def open(cls, client: chromadb.ClientAPI, name: str, embedder: Embedder, *, bind: bool = True,
             view: View | None = None) -> Generation:
        """Open a generation; ``bind=False`` when it was built by another model (read-only until rebuilt)."""
        ef = chroma_function(embedder) if bind else None
        chunks = client.get_collection(f"{name}_chunks", embedding_function=ef)
        articles = client.get_collection(f"{name}_articles", embedding_function=ef)
        return cls(client, name, embedder, chunks, articles, view)

    def at(self, view: View) -> Generation:
        """The same collections seen at another revision (a new object: readers of this one keep theirs)."""
        return Generation(self.client, self.base, self.embedder, self._chunks, self._articles, view)

    def derive(self, view: View, articles: dict[str, Article], article_rows: dict[str, str],
               chunks: list[Chunk], chunk_rows: dict[str, str]) -> Generation:
        """The same collections at a later revision, with its articles and passages already known."""
        out = self.at(view)
        out._article_cache, out._article_rows = articles, article_rows
        out._chunk_cache, out._chunk_rows = chunks, chunk_rows
        return out

    def drop(self) -> None:
        self.drop_named(self.client, self.base)

    @staticmethod
    def drop_named(client: chromadb.ClientAPI, name: str) -> None:
        for suffix in ("_chunks", "_articles"):
            try:
                client.delete_collection(f"{name}{suffix}")
            except Exception as exc:  # noqa: BLE001 - absent is fine
                log.debug("nothing to delete for %s%s: %s", name, suffix, exc)

    @staticmethod
    def names(client: chromadb.ClientAPI, prefix: str) -> set[str]:
        pattern = re.compile(rf"^({re.escape(prefix)}_g\d+)_(?:chunks|articles)$")
        out = set()
        for col in client.list_collections():
            m = pattern.match(getattr(col, "name", col))
            if m:
                out.add(m.group(1))
        return out

    @staticmethod
    def number(name: str) -> int | None:
        m = re.search(r"_g(\d+)$", name)
        return int(m.group(1)) if m else None

    # --- readers -----------------------------------------------------------
    def pin(self) -> None:
        """A reader starts using this generation."""
        with self._idle:
            self._readers += 1

    def unpin(self) -> None:
        with self._idle:
            self._readers -= 1
            if self._readers <= 0:
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no reader uses this generation; False if some still do after ``timeout`` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._readers <= 0, timeout)

    # --- writing ---------------------------------------------------------
    def add_chunks(self, records: list[ChunkRecord], born: int | None = None) -> list[str]:
        """Store passages (as rows of revision ``born`` when given); their row ids."""
        rows = [row_id(r.id, born) for r in records]
        for lo in range(0, len(records), self._max_batch):
            part = records[lo : lo + self._max_batch]
            metas = [r.metadata if born is None else {**r.metadata, "born": born, "chunk_id": r.id} for r in part]
            write = self._chunks.add if born is None else self._chunks.upsert  # a revision's rows may be retried
            write(ids=rows[lo : lo + self._max_batch], documents=[r.text for r in part], metadatas=metas,
                  embeddings=np.asarray([r.embedding for r in part], dtype=np.float32))
        return rows

    def add_articles(self, articles: list[Article], chunk_counts: dict[str, int], born: int | None = None) -> list[str]:
        """Store article records (as rows of revision ``born`` when given); their row ids."""
        rows = [row_id(a.id, born) for a in articles]
        for lo in range(0, len(articles), self._max_batch):
            part = articles[lo : lo + self._max_batch]
            write = self._articles.add if born is None else self._articles.upsert
            write(ids=rows[lo : lo + self._max_batch], documents=[a.text for a in part], embeddings=[_DUMMY for _ in part],
                  metadatas=[article_metadata(a, chunk_counts.get(a.id, 0), born) for a in part])
        return rows

    def delete_rows(self, chunk_rows: list[str], article_rows: list[str]) -> None:
        for collection, rows in ((self._chunks, chunk_rows), (self._articles, article_rows)):
            for lo in range(0, len(rows), self._max_batch):
                collection.delete(ids=rows[lo : lo + self._max_batch])

    @property
    def collections(self) -> tuple[Any, Any]:
        """The Chroma collections (passages, articles) behind this generation."""
        return self._chunks, self._articles

    # --- reading ---------------------------------------------------------
    def reload_counts(self) -> None:
        """Counts as committed with the revision, else as the collections hold (a whole generation)."""
        if self.view.chunks is not None and self.view.articles is not None:
            self.chunk_count, self.article_count = self.view.chunks, self.view.articles
        else:
            self.chunk_count, self.article_count = self._chunks.count(), self._articles.count()

    @property
    def articles(self) -> dict[str, Article]:
        """Every article of this generation by id, read once and then held in memory."""
        with self._lock:
            if self._article_cache is None:
                cache: dict[str, Article] = {}
                for row, text, meta in self._rows(self._articles, self.view.hidden_articles):
                    aid = str(meta.get("article_id", row))
                    cache[aid] = Article(id=aid, text=text, **{k: str(meta.get(k, "")) for k in ARTICLE_FIELDS})
                    self._article_rows[aid] = row
                self._article_cache = cache
            return self._article_cache

    def article_rows(self) -> dict[str, str]:
        """Row id of each article's record."""
        self.articles  # noqa: B018 - read once
        return self._article_rows

    def chunk_counts(self) -> dict[str, int]:
        """Stored passage count per article (from the article records)."""
        return {str(m.get("article_id", row)): int(m.get("chunks", 0))
                for row, _, m in self._rows(self._articles, self.view.hidden_articles, documents=False)}

    def all_chunks(self) -> list[Chunk]:
        with self._lock:
            if self._chunk_cache is None:
                chunks = []
                for row, text, meta in self._rows(self._chunks, self.view.hidden_chunks):
                    chunk = stored_chunk(row, text, meta)
                    chunks.append(chunk)
                    self._chunk_rows[chunk.id] = row
                self._chunk_cache = chunks
            return self._chunk_cache

    def chunk_rows(self) -> dict[str, str]:
        """Row id of each passage (by chunk id)."""
        self.all_chunks()
        return self._chunk_rows

    def chunk_batches(self, article_ids: list[str]) -> Iterator[tuple[int, list[ChunkRecord]]]:
        """Stored chunk records (with vectors) of these articles, for copying into a new generation.

        Yields (articles done so far, records) so that a caller can report progress.
        """
        for lo in range(0, len(article_ids), GROUP):
            group = article_ids[lo : lo + GROUP]
            got = self._chunks.get(where={"article_id": {"$in": group}}, include=["documents", "metadatas", "embeddings"])
            recs = [ChunkRecord.stored(i, d, m, e) for i, d, m, e in
                    zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)
                    if self.view.sees(i, m, self.view.hidden_chunks)]
            for k in range(0, len(recs), self._max_batch):
                yield lo + len(group), recs[k : k + self._max_batch]

    def vectors_for(self, text_hashes: set[str]) -> dict[str, Any]:
        """Vectors already computed for these chunk texts: the same text is never embedded twice."""
        out: dict[str, Any] = {}
        hashes = sorted(h for h in text_hashes if h)
        if self._chunk_cache is not None:  # the passages are known: fetch the few rows by id
            rows = {c.text_hash: self._chunk_rows[c.id] for c in self._chunk_cache if c.text_hash in text_hashes}
            wanted = sorted(rows.values())
            for lo in range(0, len(wanted), PAGE):
                got = self._chunks.get(ids=wanted[lo : lo + PAGE], include=["metadatas", "embeddings"])
                out.update((m["text_hash"], e) for m, e in zip(got["metadatas"], got["embeddings"], strict=True))
            return out
        for lo in range(0, len(hashes), GROUP):
            got = self._chunks.get(where={"text_hash": {"$in": hashes[lo : lo + GROUP]}},
                                   include=["metadatas", "embeddings"])
            for m, e in zip(got["metadatas"], got["embeddings"], strict=True):
                out.setdefault(m["text_hash"], e)
        return out

    def any_vector(self) -> list[float] | None:
        got = self._chunks.get(limit=1, include=["embeddings"])
        return list(got["embeddings"][0]) if len(got["ids"]) else None

    def search(self, vector: list[float], k: int) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity, best first (one HNSW query on this collection).

        Asks for a few more than ``k`` and drops the rows this view does not see (more if that left too few).
        Queried through chromadb directly: LangChain's Chroma wrapper would give the same rows but costs
        ~25 MB of imports (langsmith and its tracers) in every process for one call.
        """
        want = min(k, self.chunk_count)
        if want <= 0:
            return []
        n = want + len(self.view.hidden_chunks) + SLACK
        while True:  # ends: once n passes the rows stored, fewer than n come back
            got = self._chunks.query(query_embeddings=[list(vector)], n_results=n,
                                     include=["documents", "metadatas", "distances"])
            ids, docs, metas, dists = got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0]
            seen = [(stored_chunk(cid, doc, meta), 1.0 - float(dist))
                    for cid, doc, meta, dist in zip(ids, docs, metas, dists, strict=True)
                    if self.view.sees(cid, meta, self.view.hidden_chunks)]
            if len(seen) >= want or len(ids) < n:
                return seen[:want]
            n *= 2

    def _rows(self, collection: Any, hidden: frozenset[str], *,
              documents: bool = True) -> Iterator[tuple[str, str, dict]]:
        """(row id, document, metadata) of every row this view sees, page by page."""
        include = ["documents", "metadatas"] if documents else ["metadatas"]
        offset = 0
        while True:
            got = collection.get(include=include, limit=PAGE, offset=offset)
            if not got["ids"]:
                return
            docs = got["documents"] if documents else [""] * len(got["ids"])
            for row, doc, meta in zip(got["ids"], docs, got["metadatas"], strict=True):
                if self.view.sees(row, meta, hidden):
                    yield row, doc, meta or {}
            offset += len(got["ids"])


def records_of(chunks: list[Chunk], vector: Callable[[Chunk], Any]) -> list[ChunkRecord]:
    """Chunk records ready for :meth:`Generation.add_chunks`."""
    return [ChunkRecord.of(c, vector(c)) for c in chunks]
