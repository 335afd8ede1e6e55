"""What one stored row is, and which rows a reader sees.

A generation's collections hold a row per passage and a row per article.
Rows written by a whole build keep their plain ids. Rows written in place by
a small reload (:mod:`retrieval.store_delta`) belong to a later *revision*:
they carry ``born`` and their own id (``chunk_id`` / ``article_id``) in their
metadata, under the row id ``<id>@<revision>``, so that the rows they replace
can stay stored — and seen by readers of the older revision — until the
registry write commits the reload. A :class:`View` says which rows a reader
of one committed revision sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chromadb.api.types import EmbeddingFunction

from newsbot.models import Article, Chunk
from retrieval.embeddings import Embedder

ARTICLE_FIELDS = ("title", "publisher", "published", "url", "language", "source", "feed", "content_hash")
_ROW_KEYS = ("born", "chunk_id")  # what a copy into a whole new generation leaves out


@dataclass(frozen=True)
class View:
    """The rows of one committed revision: every row born at or before ``rev``, less the ``hidden`` ones.

    ``rev`` None sees every row (a generation being built). The counts are those the revision was
    committed with (None: count the collections, which then hold nothing else).
    """

    rev: int | None = None
    hidden_chunks: frozenset[str] = field(default_factory=frozenset)
    hidden_articles: frozenset[str] = field(default_factory=frozenset)
    articles: int | None = None
    chunks: int | None = None

    def sees(self, row: str, meta: dict | None, hidden: frozenset[str]) -> bool:
        born = meta.get("born") if meta else None
        return row not in hidden and (born is None or self.rev is None or int(born) <= self.rev)


@dataclass(frozen=True)
class ChunkRecord:
    """A chunk as stored: what Chroma's add() takes."""

    id: str
    text: str
    metadata: dict
    embedding: Any  # list[float] or a numpy row as Chroma returned it (no conversion)

    @classmethod
    def of(cls, c: Chunk, vector: Any) -> ChunkRecord:
        return cls(c.id, c.text, {"article_id": c.article_id, "index": c.index, "start": c.start, "end": c.end,
                                  "text_hash": c.text_hash}, vector)

    @classmethod
    def stored(cls, row: str, text: str, meta: dict, vector: Any) -> ChunkRecord:
        """A stored row as a plain record again (its own id, no revision keys)."""
        return cls(str(meta.get("chunk_id", row)), text, {k: v for k, v in meta.items() if k not in _ROW_KEYS}, vector)


def row_id(item_id: str, born: int | None) -> str:
    return item_id if born is None else f"{item_id}@{born}"


def stored_chunk(row: str, text: str, meta: dict) -> Chunk:
    return Chunk(id=str(meta.get("chunk_id", row)), article_id=meta["article_id"], index=int(meta["index"]),
                 text=text, start=int(meta["start"]), end=int(meta["end"]), text_hash=meta.get("text_hash", ""))


def article_metadata(a: Article, chunks: int, born: int | None) -> dict:
    meta: dict[str, Any] = {**{f: getattr(a, f) for f in ARTICLE_FIELDS}, "chunks": chunks}
    if born is not None:
        meta.update(born=born, article_id=a.id)
    return meta


def chroma_function(embedder: Embedder | None) -> EmbeddingFunction | None:
    """The embedder as Chroma's embedding function, or None if it is not one (or not the collection's model)."""
    return embedder if isinstance(embedder, EmbeddingFunction) else None
