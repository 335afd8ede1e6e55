"""One generation of the corpus: its chunk and article collections in Chroma.

Split from :mod:`retrieval.store` so that the store reads as the sync
protocol and this module as the Chroma plumbing: create, fill in batches,
copy vectors, search (through LangChain's Chroma vector store), drop. A
generation also counts its readers, so that the store deletes a replaced
generation only once the searches still running on it have finished.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api.types import EmbeddingFunction
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings as LangChainEmbeddings

from newsbot.models import Article, Chunk
from newsbot.settings import Settings
from retrieval.embeddings import Embedder

log = logging.getLogger(__name__)
PAGE = 2000
GROUP = 500  # article or hash ids per `$in` filter
_DUMMY = [1.0, 0.0]  # article records need a vector; they are never searched
_ARTICLE_FIELDS = ("title", "publisher", "published", "url", "language", "source", "content_hash")


@dataclass(frozen=True)
class ChunkRecord:
    """A chunk as stored: what Chroma's add() takes."""

    id: str
    text: str
    metadata: dict
    embedding: Any  # list[float] or a numpy row as Chroma returned it (no conversion)


def open_client(settings: Settings) -> tuple[chromadb.ClientAPI, str]:
    """An embedded PersistentClient, or an HttpClient when a Chroma server URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                     ssl=url.scheme == "https", settings=chroma_settings)
        return client, "server"
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings), "embedded"


def chroma_function(embedder: Embedder | None) -> EmbeddingFunction | None:
    """The embedder as Chroma's embedding function, or None if it is not one (or not the collection's model)."""
    return embedder if isinstance(embedder, EmbeddingFunction) else None


def chunk_records(chunks: list[Chunk], vector: Callable[[Chunk], Any]) -> list[ChunkRecord]:
    return [ChunkRecord(c.id, c.text, {"article_id": c.article_id, "index": c.index, "start": c.start,
                                       "end": c.end, "text_hash": c.text_hash}, vector(c)) for c in chunks]


def _chunk(id_: str, text: str, meta: dict) -> Chunk:
    return Chunk(id=id_, article_id=meta["article_id"], index=int(meta["index"]), text=text,
                 start=int(meta["start"]), end=int(meta["end"]), text_hash=meta.get("text_hash", ""))


class Generation:
    """The two collections of one generation, with its articles held in memory once read."""

    def __init__(self, client: chromadb.ClientAPI, name: str, embedder: Embedder, chunks: Any,
                 articles: Any) -> None:
        self.client, self.name, self.embedder = client, name, embedder
        self._chunks, self._articles = chunks, articles
        self._max_batch = max(1, min(client.get_max_batch_size() - 1, 5000))
        self._lock = threading.Lock()
        self._readers = 0
        self._idle = threading.Condition()
        self._article_cache: dict[str, Article] | None = None
        self._chunk_cache: list[Chunk] | None = None
        self._vectorstore: Chroma | None = None
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
    def open(cls, client: chromadb.ClientAPI, name: str, embedder: Embedder, *, bind: bool = True) -> Generation:
        """Open a generation; ``bind=False`` when it was built by another model (read-only until rebuilt)."""
        ef = chroma_function(embedder) if bind else None
        chunks = client.get_collection(f"{name}_chunks", embedding_function=ef)
        articles = client.get_collection(f"{name}_articles", embedding_function=ef)
        return cls(client, name, embedder, chunks, articles)

    def drop(self) -> None:
        self.drop_named(self.client, self.name)

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
    def add_chunks(self, records: list[ChunkRecord]) -> None:
        for lo in range(0, len(records), self._max_batch):
            part = records[lo : lo + self._max_batch]
            self._chunks.add(ids=[r.id for r in part], documents=[r.text for r in part],
                             metadatas=[r.metadata for r in part],
                             embeddings=np.asarray([r.embedding for r in part], dtype=np.float32))

    def add_articles(self, articles: list[Article], chunk_counts: dict[str, int]) -> None:
        for lo in range(0, len(articles), self._max_batch):
            part = articles[lo : lo + self._max_batch]
            self._articles.add(
                ids=[a.id for a in part], documents=[a.text for a in part], embeddings=[_DUMMY for _ in part],
                metadatas=[{**{f: getattr(a, f) for f in _ARTICLE_FIELDS}, "chunks": chunk_counts.get(a.id, 0)}
                           for a in part],
            )

    # --- reading ---------------------------------------------------------
    def reload_counts(self) -> None:
        self.chunk_count = self._chunks.count()
        self.article_count = self._articles.count()

    @property
    def articles(self) -> dict[str, Article]:
        """Every article of this generation by id, read once and then held in memory."""
        with self._lock:
            if self._article_cache is None:
                cache: dict[str, Article] = {}
                for ids, docs, metas in self._pages(self._articles, ["documents", "metadatas"]):
                    for i, d, m in zip(ids, docs, metas, strict=True):
                        cache[i] = Article(id=i, text=d, **{k: str(m.get(k, "")) for k in _ARTICLE_FIELDS})
                self._article_cache = cache
            return self._article_cache

    def chunk_counts(self) -> dict[str, int]:
        """Stored passage count per article (from the article records)."""
        return {i: int(m.get("chunks", 0)) for ids, _, metas in self._pages(self._articles, ["metadatas", "metadatas"])
                for i, m in zip(ids, metas, strict=True)}

    def all_chunks(self) -> list[Chunk]:
        with self._lock:
            if self._chunk_cache is None:
                self._chunk_cache = [_chunk(i, d, m) for ids, docs, metas in
                                     self._pages(self._chunks, ["documents", "metadatas"])
                                     for i, d, m in zip(ids, docs, metas, strict=True)]
            return self._chunk_cache

    def chunk_batches(self, article_ids: list[str]) -> Iterator[tuple[int, list[ChunkRecord]]]:
        """Stored chunk records (with vectors) of these articles, for copying into a new generation.

        Yields (articles done so far, records) so that a caller can report progress.
        """
        for lo in range(0, len(article_ids), GROUP):
            group = article_ids[lo : lo + GROUP]
            got = self._chunks.get(where={"article_id": {"$in": group}}, include=["documents", "metadatas", "embeddings"])
            recs = [ChunkRecord(i, d, m, e) for i, d, m, e in
                    zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)]
            for k in range(0, len(recs), self._max_batch):
                yield lo + len(group), recs[k : k + self._max_batch]

    def vectors_for(self, text_hashes: set[str]) -> dict[str, Any]:
        """Vectors already computed for these chunk texts: the same text is never embedded twice."""
        out: dict[str, Any] = {}
        hashes = sorted(h for h in text_hashes if h)
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
        """Nearest chunks by cosine similarity, best first (LangChain's Chroma vector store over this collection)."""
        if self.chunk_count == 0 or k <= 0:
            return []
        if self._vectorstore is None:
            lc = self.embedder if isinstance(self.embedder, LangChainEmbeddings) else None
            self._vectorstore = Chroma(client=self.client, collection_name=self._chunks.name,
                                       embedding_function=lc, create_collection_if_not_exists=False)
        hits = self._vectorstore.similarity_search_by_vector_with_relevance_scores(vector, k=min(k, self.chunk_count))
        return [(_chunk(doc.id, doc.page_content, doc.metadata), 1.0 - float(dist)) for doc, dist in hits]

    def _pages(self, collection: Any, include: list[str]) -> Iterator[tuple[list, list, list]]:
        offset = 0
        while True:
            got = collection.get(include=list(dict.fromkeys(include)), limit=PAGE, offset=offset)
            if not got["ids"]:
                return
            yield got["ids"], got[include[0]], got[include[1]]
            offset += len(got["ids"])
