"""Builds Articles and Evidence for engine tests without the store (the engine needs neither).

The seed article and the fixed retrieval windows are the evaluation cases' own
(:mod:`newsbot.evaluation.cases`), so tests and the case set read the same input the same way.
"""

from __future__ import annotations

from pathlib import Path

from newsbot.engine import compose
from newsbot.evaluation.cases import seed_article, windows
from newsbot.models import Answer, Article, Evidence

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "meduza-lukashenko-apology.md"

__all__ = ["ROOT", "SEED", "article", "ask_texts", "evidence", "seed_article"]


def article(text: str, *, id: str = "a1", title: str = "", publisher: str = "Wire") -> Article:
    return Article(id=id, title=title or f"Story {id}", text=text, publisher=publisher, published="2024-05-01")


def evidence(*articles: Article, size: int = 600) -> list[Evidence]:
    """Each article cut into fixed-size windows, in order, as if retrieved."""
    return windows(articles, size)


def ask_texts(question: str, *texts: str) -> Answer:
    """The engine's answer to ``question`` from one article per text (ids a0, a1, …), retrieved in order."""
    return compose(question, evidence(*(article(t, id=f"a{i}") for i, t in enumerate(texts))))
