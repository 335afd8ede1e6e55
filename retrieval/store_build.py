"""What every reload does before it commits: check the passages, find their vectors, or build a whole generation.

Split from :mod:`retrieval.store` (the sync protocol). A whole new generation
is built beside the live one — unchanged passages copied with their vectors,
the rest embedded — and verified before the registry write switches to it; a
small reload is written in place instead (:mod:`retrieval.store_delta`). Both
get their vectors from :func:`vectors`: a passage whose text the live corpus
already holds is never embedded again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from typing import Any

from newsbot.models import Article, Chunk
from retrieval.embeddings import Embedder
from retrieval.generation import Generation, records_of
from retrieval.store_rows import View
from retrieval.store_types import IngestReport, StoreVerificationError

Progress = Callable[[str, int, int], None]
EMBED_STEP = 256  # texts per embedding call (progress granularity)


def checked(chunk: Chunk, article: Article) -> Chunk:
    """The chunk, with its text hash filled in; refuse one that is not an exact slice of its article."""
    if chunk.article_id != article.id or article.text[chunk.start : chunk.end] != chunk.text:
        raise StoreVerificationError(f"passage {chunk.id} is not an exact slice of article {article.id}")
    if chunk.text_hash:
        return chunk
    return chunk.model_copy(update={"text_hash": hashlib.sha256(chunk.text.encode()).hexdigest()})


def vectors(embedder: Embedder, live: Generation | None, chunks: list[Chunk], report: IngestReport,
            progress: Progress | None) -> Callable[[Chunk], Any]:
    """A vector for each of these passages: reused where the live corpus has its text, else embedded (batched)."""
    known = live.vectors_for({c.text_hash for c in chunks}) if live is not None else {}
    missing = list(dict.fromkeys(c.text for c in chunks if c.text_hash not in known))
    embedded: dict[str, Any] = {}
    embed = getattr(embedder, "embed_array", None) or embedder.embed_documents  # numpy rows where offered
    for lo in range(0, len(missing), EMBED_STEP):
        part = missing[lo : lo + EMBED_STEP]
        embedded.update(zip(part, embed(part), strict=True))
        if progress:
            progress("embed", min(lo + EMBED_STEP, len(missing)), len(missing))
    report.chunks_embedded = len(missing)
    report.chunks_reused = sum(1 for c in chunks if c.text_hash in known)
    return lambda c: known[c.text_hash] if c.text_hash in known else embedded[c.text]


def build(gen: Generation, live: Generation | None, final: dict[str, Article], fresh: set[str],
          new_chunks: list[Chunk], vector: Callable[[], Callable[[Chunk], Any]], progress: Progress | None,
          seq: int) -> Generation:
    """Fill the new generation ``gen`` and verify it; the view of it that revision ``seq`` commits.

    ``vector`` is called once the copy is done (so progress reads copy, then embed).
    """
    counts: Counter[str] = Counter()
    copied = [aid for aid in final if aid not in fresh]
    if live is not None and copied:
        for done, batch in live.chunk_batches(copied):
            gen.add_chunks(batch)
            counts.update(r.metadata["article_id"] for r in batch)
            if progress:
                progress("copy", done, len(copied))
    counts.update(c.article_id for c in new_chunks)
    gen.add_chunks(records_of(new_chunks, vector()))
    gen.add_articles(list(final.values()), counts)
    verify(gen, final, counts)
    return gen.at(View(rev=seq, articles=gen.article_count, chunks=gen.chunk_count))


def verify(gen: Generation, final: dict[str, Article], counts: Counter[str]) -> None:
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
