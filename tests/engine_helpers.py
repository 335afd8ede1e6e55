"""Builds Articles and Evidence for engine tests without the store (the engine needs neither)."""

from __future__ import annotations

from pathlib import Path

import yaml

from newsbot.engine import compose
from newsbot.models import Answer, Article, Chunk, Evidence

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "meduza-lukashenko-apology.md"


def seed_article() -> Article:
    """The seed article parsed straight from its file (front matter + verbatim body)."""
    raw = SEED.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    return Article(id=meta["id"], title=meta["title"], text=body, publisher=meta["publisher"],
                   published=str(meta["published"]), url=meta["url"])


def article(text: str, *, id: str = "a1", title: str = "", publisher: str = "Wire") -> Article:
    return Article(id=id, title=title or f"Story {id}", text=text, publisher=publisher, published="2024-05-01")


def evidence(*articles: Article, size: int = 600) -> list[Evidence]:
    """Each article cut into fixed-size windows, in order, as if retrieved."""
    out: list[Evidence] = []
    for art in articles:
        for n, start in enumerate(range(0, len(art.text), size)):
            end = min(len(art.text), start + size)
            chunk = Chunk(id=f"{art.id}#{n}", article_id=art.id, index=n, text=art.text[start:end],
                          start=start, end=end)
            out.append(Evidence(chunk=chunk, article=art))
    return out


def ask_texts(question: str, *texts: str) -> Answer:
    """The engine's answer to ``question`` from one article per text (ids a0, a1, …), retrieved in order."""
    return compose(question, evidence(*(article(t, id=f"a{i}") for i, t in enumerate(texts))))


def side_values(answer: Answer) -> set[str]:
    """The values the answer's sides give ("" for a side without one)."""
    return {s.answer or "" for s in answer.sides}
