"""Domain models shared by retrieval, the answer engine and every renderer.

Data flows one way: question -> retrieve (``Evidence``) -> compose (``Answer``)
-> render (terminal, JSON or Discord embed). The JSON names of ``Answer``,
``Side`` and ``Citation`` are a public contract read by other tools; keep them.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Article(BaseModel):
    """One news article as stored: its full text and its metadata.

    ``id`` is stable across reloads (front-matter ``id`` or derived from the
    file name); ``content_hash`` changes whenever text or metadata change, so
    an unchanged article is skipped on re-ingest. ``feed`` says which kind of
    source owns it: a reload of the corpus folder prunes only articles with no
    feed, and a feed's articles go only by retention or unsubscribing.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    text: str
    publisher: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) or as precise as known
    url: str = ""
    language: str = "en"
    source: str = ""  # where it was loaded from (a path or URL), for reports
    feed: str = ""  # the feed subscription it came from; "" for a file, an upload or a page added by hand
    content_hash: str = ""


class Chunk(BaseModel):
    """A passage of an article; ``text == article.text[start:end]`` always."""

    model_config = ConfigDict(frozen=True)

    id: str
    article_id: str
    index: int
    text: str
    start: int
    end: int
    text_hash: str = ""


class Evidence(BaseModel):
    """A retrieved chunk with the article it belongs to and its scores."""

    model_config = ConfigDict(frozen=True)

    chunk: Chunk
    article: Article
    score: float = 0.0  # fused score, higher is better
    dense_similarity: float | None = None  # cosine similarity to the question
    lexical_rank: int | None = None  # 1-based BM25 rank, None if not matched
    match_rank: int | None = None  # 1-based rank by the weighted share of the question's terms stated


class Stance(str, Enum):
    """How a side bears on the claim asked about."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class Verdict(str, Enum):
    """What the evidence, taken together, says about the question."""

    SUPPORTED = "supported"
    REFUTED = "refuted"
    CONTESTED = "contested"  # both a supporting and a refuting side
    CONTEXT = "context"  # relevant, but takes no side
    NOT_FOUND = "not_found"  # nothing relevant: abstain, cite nothing


def verdict_for(stances: set[Stance]) -> Verdict:
    """The verdict the sides support: both stances -> contested, one -> supported/refuted, else context (no
    sides at all: not found). One rule for the offline reader and the LLM mode alike."""
    if {Stance.SUPPORTS, Stance.REFUTES} <= stances:
        return Verdict.CONTESTED
    if Stance.SUPPORTS in stances:
        return Verdict.SUPPORTED
    if Stance.REFUTES in stances:
        return Verdict.REFUTED
    return Verdict.CONTEXT if stances else Verdict.NOT_FOUND


class Citation(BaseModel):
    """A numbered source: ``quote == stored article text[start:end]``."""

    n: int
    article_id: str
    title: str
    publisher: str = ""
    published: str = ""
    url: str = ""
    quote: str
    start: int
    end: int


class Side(BaseModel):
    """One position in the answer, with who holds it and where it is cited.

    ``answer`` is set for questions that ask for a value (who, when, how
    much): the value this side gives. ``audience`` and ``when`` say to whom
    and when the speaker said it, where the text tells.
    """

    stance: Stance
    speaker: str | None = None
    text: str
    citations: list[int] = Field(default_factory=list)
    audience: str | None = None
    when: str | None = None
    answer: str | None = None


class Answer(BaseModel):
    """A balanced, cited answer. Every quote is exact; ``not_found`` cites nothing."""

    question: str
    verdict: Verdict
    summary: str
    kind: Literal["yesno", "value", "open"] | None = None  # what the question asked: a claim, a value, or anything
    sides: list[Side] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    mode: str = "extractive"
    notes: list[str] = Field(default_factory=list)
    repairs: list[str] = Field(default_factory=list)
    prompt_version: str | None = None

    @property
    def asks_yes_no(self) -> bool:
        """A yes/no claim (or not known): its sides say yes or no; otherwise they report or answer."""
        return self.kind not in ("value", "open")

    def to_json_dict(self) -> dict:
        """The public JSON shape (enums as their string values)."""
        return self.model_dump(mode="json")
