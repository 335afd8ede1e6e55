"""Cutting articles into overlapping passages on sentence boundaries, with exact offsets.

LangChain's ``RecursiveCharacterTextSplitter`` decides where passages end
(paragraphs, then lines, then sentence ends, then clauses, then words). It runs
without overlap, so its passages follow each other in the text and each one
starts at the first non-space character after the previous one: offsets are
exact by construction, never guessed by searching (a search can land on an
earlier copy of repeated text). The overlap is then added here: a passage
starts up to ``overlap`` characters earlier, at a sentence start if there is
one in reach, else at a word start. Every passage is at most ``size``
characters and ``chunk.text == article.text[chunk.start:chunk.end]`` always.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from newsbot.models import Article, Chunk

_ENDS = ".!?…"
_CLOSERS = "\"'”’»)]"
#: A sentence ends at . ! ? … (maybe followed by one closing quote or bracket) before whitespace.
_SENTENCE_BREAK = rf"(?:(?<=[{_ENDS}])|(?<=[{_ENDS}][{re.escape(_CLOSERS)}]))\s+"
_SEPARATORS = [r"\n[^\S\n]*\n\s*", r"\n\s*", _SENTENCE_BREAK, r"(?<=[;:])\s+", r"\s+", ""]
_NON_SPACE = re.compile(r"\S")
_WORD_START = re.compile(r"(?<=\s)\S")


@lru_cache(maxsize=16)
def _splitter(size: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=0, separators=_SEPARATORS, is_separator_regex=True,
        keep_separator=True, strip_whitespace=True,
    )


def chunk_article(article: Article, *, size: int = 600, overlap: int = 120) -> list[Chunk]:
    """The article's passages in order: exact slices that cover all its non-space text."""
    if size < 2:
        raise ValueError("chunk size must be at least 2 characters")
    overlap = max(0, min(overlap, size // 2))
    text = article.text
    chunks: list[Chunk] = []
    end = 0
    for piece in _splitter(size - overlap).split_text(text):
        found = _NON_SPACE.search(text, end)
        start = found.start() if found else -1
        if start < 0 or not text.startswith(piece, start):
            raise ValueError(f"chunking lost its place in article {article.id!r} near offset {end}")
        end = start + len(piece)
        if chunks and overlap:
            start = _overlap_start(text, start, floor=chunks[-1].start + 1, reach=overlap)
        passage = text[start:end]
        n = len(chunks)
        chunks.append(Chunk(id=f"{article.id}#{n}", article_id=article.id, index=n, text=passage, start=start,
                            end=end, text_hash=hashlib.sha256(passage.encode("utf-8", "surrogatepass")).hexdigest()))
    return chunks


def _overlap_start(text: str, start: int, *, floor: int, reach: int) -> int:
    """The earliest sentence start (else word start) in ``[max(floor, start - reach), start)``."""
    low = max(floor, start - reach)
    first_word: int | None = None
    for match in _WORD_START.finditer(text, low, start):
        pos = match.start()
        if first_word is None:
            first_word = pos
        if _starts_sentence(text, pos):
            return pos
    return first_word if first_word is not None else start


def _starts_sentence(text: str, pos: int) -> bool:
    """True when the whitespace before ``pos`` holds a line break or follows a sentence end."""
    j = pos - 1
    while j >= 0 and text[j].isspace():
        if text[j] == "\n":
            return True
        j -= 1
    if j < 0:
        return True
    if text[j] in _ENDS:
        return True
    return text[j] in _CLOSERS and j > 0 and text[j - 1] in _ENDS
