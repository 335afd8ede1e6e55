"""Shared expectations for LLM tests: the seed question and evidence, and the invariants every answer keeps."""

from __future__ import annotations

from collections.abc import Iterable

from newsbot.models import Answer, Article, Evidence
from newsbot.settings import Settings
from tests.engine_helpers import evidence, seed_article

SEED = seed_article()
EVIDENCE = evidence(SEED)
QUESTION = "Did Lukashenko apologize?"
#: Zelensky's claim and Eismont's denial, as they stand in the seed article.
ZEL = "Belarusian President Aleksandr Lukashenko apologized for missile strikes launched from Belarusian territory."
EIS = "Natalya Eismont, told RBC that he did not apologize to Volodymyr Zelensky."


def settings_for(url: str, *, timeout: float = 5.0, retries: int = 0, **kw: object) -> Settings:
    """Settings aimed at a test endpoint (explicit values, so a developer's .env cannot interfere)."""
    return Settings(llm_base_url=url, llm_model="local", llm_api_key=None, answer_mode="llm",  # type: ignore[arg-type]
                    llm_timeout=timeout, llm_max_retries=retries, llm_temperature=0.0, **kw)


def assert_sound(answer: Answer, articles: Iterable[Article] = (SEED,)) -> None:
    """Every quote is exact, citations are numbered 1..N, and sides cite exactly those numbers."""
    texts = {a.id: a.text for a in articles}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert texts[c.article_id][c.start : c.end] == c.quote, c
    cited = [n for s in answer.sides for n in s.citations]
    assert set(cited) == {c.n for c in answer.citations}
    assert all(s.citations for s in answer.sides)


def passage(fragment: str, ev: list[Evidence] = EVIDENCE) -> int:
    """The 1-based number of the passage holding ``fragment``."""
    return next(n for n, e in enumerate(ev, 1) if fragment in e.chunk.text)
