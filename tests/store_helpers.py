"""Articles and a chunker for store and search tests: small, hashed as the loaders hash them."""

from __future__ import annotations

from newsbot.models import Article, Chunk
from retrieval.chunking import chunk_article
from retrieval.loaders import content_hash


def art(aid: str, text: str, *, title: str = "", published: str = "") -> Article:
    """An article from the wire with its content hash filled in (as the store expects)."""
    a = Article(id=aid, title=title or aid, text=text, publisher="Wire", published=published)
    return a.model_copy(update={"content_hash": content_hash(a)})


def chunker(a: Article) -> list[Chunk]:
    """Small passages (200 characters, 40 overlap), so a short article makes several."""
    return chunk_article(a, size=200, overlap=40)
