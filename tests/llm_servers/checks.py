"""Shared expectations for LLM tests: the seed question and evidence, and the invariants every answer keeps."""

from __future__ import annotations

from collections.abc import Iterable

from newsbot.llm.answer import offline_answer
from newsbot.llm.notes import ALSO_FOUND, ALSO_FOUND_SIDE, CREDITS, READS
from newsbot.models import Answer, Article, Citation, Evidence, Side, Stance
from newsbot.settings import Settings
from tests.engine_helpers import evidence, seed_article

SEED = seed_article()
EVIDENCE = evidence(SEED)
QUESTION = "Did Lukashenko apologize?"
#: Zelensky's claim and Eismont's denial, as they stand in the seed article's passages.
ZEL = "Belarusian President Aleksandr Lukashenko apologized for missile strikes launched from Belarusian territory."
EIS = "Natalya Eismont, told RBC that he did not apologize to Volodymyr Zelensky."
OFFLINE_NOTES = (READS, CREDITS, ALSO_FOUND)


def settings_for(url: str, *, timeout: float = 5.0, retries: int = 0, **kw: object) -> Settings:
    """Settings aimed at a test endpoint (explicit values, so a developer's .env cannot interfere)."""
    return Settings(llm_base_url=url, llm_model="local", llm_api_key=None, answer_mode="llm",  # type: ignore[arg-type]
                    llm_timeout=timeout, llm_max_retries=retries, llm_temperature=0.0, **kw)


def offline(question: str = QUESTION, ev: list[Evidence] = EVIDENCE) -> Answer:
    """The offline reader's answer as the LLM mode sees it (planted instructions removed), at run time."""
    return offline_answer(question, ev)


def assert_sound(answer: Answer, articles: Iterable[Article] = (SEED,)) -> None:
    """Every quote is exact, citations are numbered 1..N, and sides cite exactly those numbers."""
    texts = {a.id: a.text for a in articles}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert texts[c.article_id][c.start : c.end] == c.quote, c
    cited = [n for s in answer.sides for n in s.citations]
    assert set(cited) == {c.n for c in answer.citations}
    assert all(s.citations for s in answer.sides)


def model_sides(answer: Answer) -> list[Side]:
    """The answer's sides that are the model's (those added from the offline reader say so and are left out)."""
    return [s for s in answer.sides if not s.text.startswith(ALSO_FOUND_SIDE)]


def same_fallback(answer: Answer, question: str = QUESTION, ev: list[Evidence] = EVIDENCE) -> None:
    """``answer`` is the offline reader's (as composed now), shown in extractive mode."""
    expected = offline(question, ev)
    assert answer.mode == "extractive"
    assert (answer.verdict, answer.sides, answer.citations) == (expected.verdict, expected.sides, expected.citations)


def reading_of(theirs: Answer, cited: Citation) -> tuple[Stance, str | None] | None:
    """(stance, speaker) the offline reader's answer gives text overlapping ``cited``, or None if it cites none."""
    return next(((s.stance, s.speaker) for s in theirs.sides for c in theirs.citations if c.n in s.citations
                 and c.article_id == cited.article_id and c.start < cited.end and cited.start < c.end), None)


def passage(fragment: str, ev: list[Evidence] = EVIDENCE) -> int:
    """The 1-based number of the passage holding ``fragment``."""
    return next(n for n, e in enumerate(ev, 1) if fragment in e.chunk.text)
