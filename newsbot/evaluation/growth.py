"""Corpora of a chosen size for the bench: real RGB passages and the seed articles, repeated as needed.

The bench's shared corpus is every passage of the RGB file (neutral records,
see :mod:`newsbot.evaluation.corpus`) plus the seed articles. The growth
corpora repeat those records with distinct ids until they hold about the
asked number of chunks (counted with the product's own chunker and chunk
settings). Each copy carries a marker on every line, so its chunks are new
text that is really embedded: identical chunks would share one vector and
make a large corpus look cheaper to ingest than it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsbot.evaluation.corpus import neutral_record, read_rgb
from newsbot.models import Article
from retrieval.chunking import chunk_article
from retrieval.loaders import load_paths


def seed_records(seeds: Path | None) -> list[dict]:
    """The articles of the seed folder as JSONL records (none if the folder is absent)."""
    if seeds is None or not seeds.exists():
        return []
    return [{"id": a.id, "title": a.title, "text": a.text, "publisher": a.publisher, "published": a.published,
             "url": a.url} for a in load_paths([seeds]).articles]


def base_records(data: Path, seeds: Path | None, limit: int | None = None) -> list[dict]:
    """Every passage of the first ``limit`` RGB records (neutral, deduplicated) and the seed articles."""
    _, docs = read_rgb(data, limit)
    return [neutral_record(did, text) for did, text in docs.items()] + seed_records(seeds)


def chunk_count(row: dict, *, size: int, overlap: int) -> int:
    """How many chunks the product cuts this record into."""
    article = Article(id=str(row["id"]), title=str(row.get("title") or row["id"]), text=str(row["text"]).strip())
    return len(chunk_article(article, size=size, overlap=overlap))


def copy_of(row: dict, n: int) -> dict:
    """Copy ``n`` of a record: a distinct id and a marker on every line (so every chunk is new text)."""
    text = "\n".join(f"{line} [copy {n}]" if line.strip() else line for line in str(row["text"]).split("\n"))
    return {**row, "id": f"{row['id']}-copy{n}", "title": f"{row.get('title', '')} (copy {n})", "text": text}


def _cycle(rows: list[dict]) -> Iterator[dict]:
    yield from rows
    n = 1
    while True:
        for row in rows:
            yield copy_of(row, n)
        n += 1


def grow(rows: list[dict], target_chunks: int, *, size: int, overlap: int) -> tuple[list[dict], int]:
    """Records (the originals first, then numbered copies) until they hold ``target_chunks`` chunks or just over.

    Returns the records and their chunk count.
    """
    if not rows or target_chunks <= 0:
        return [], 0
    out: list[dict] = []
    total = barren = 0
    for row in _cycle(rows):
        if total >= target_chunks or barren > len(rows):  # barren: a whole round added no chunk
            break
        out.append(row)
        n = chunk_count(row, size=size, overlap=overlap)
        total += n
        barren = 0 if n else barren + 1
    return out, total
