"""Cutting articles into passages on sentence boundaries, keeping exact offsets.

LangChain's recursive splitter does the cutting (paragraphs, then lines, then
sentence ends, then words); offsets are then found in the article so that
``chunk.text == article.text[chunk.start:chunk.end]`` always holds and any
quote inside a chunk maps back to the stored text.
"""

from __future__ import annotations

import hashlib

from langchain_text_splitters import RecursiveCharacterTextSplitter

from newsbot.models import Article, Chunk

_SEPARATORS = ["\n\n", "\n", r"(?<=[.!?…][”\"’)])\s+", r"(?<=[.!?…])\s+", r"(?<=[;:])\s+", " ", ""]


def _splitter(size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=min(overlap, size // 2), separators=_SEPARATORS,
        is_separator_regex=True, keep_separator=True, strip_whitespace=True,
    )


def chunk_article(article: Article, *, size: int = 600, overlap: int = 120) -> list[Chunk]:
    """The article's passages in order, each an exact slice of its text."""
    text = article.text
    chunks: list[Chunk] = []
    cursor = 0
    for piece in _splitter(size, overlap).split_text(text):
        start = text.find(piece, max(0, cursor - size))
        if start < 0:  # the splitter normalised something: fall back to a plain search
            start = text.find(piece)
        if start < 0:
            continue
        end = start + len(piece)
        chunks.append(Chunk(
            id=f"{article.id}#{len(chunks)}", article_id=article.id, index=len(chunks), text=piece,
            start=start, end=end, text_hash=hashlib.sha256(piece.encode()).hexdigest(),
        ))
        cursor = end
    return chunks
