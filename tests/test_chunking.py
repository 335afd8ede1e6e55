"""Chunks are exact slices of their article, end on sentence boundaries and cover all the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.models import Article
from retrieval.chunking import chunk_article
from retrieval.loaders import load_paths
from tests.engine_helpers import ROOT


def _check(article: Article, size: int = 300, overlap: int = 60) -> None:
    chunks = chunk_article(article, size=size, overlap=overlap)
    covered = [False] * len(article.text)
    for i, c in enumerate(chunks):
        assert article.text[c.start : c.end] == c.text
        assert c.id == f"{article.id}#{i}" and c.index == i and c.article_id == article.id
        for k in range(c.start, c.end):
            covered[k] = True
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    assert all(covered[k] or article.text[k].isspace() for k in range(len(article.text)))


def test_seed_chunks_are_exact_slices_ending_on_sentence_boundaries() -> None:
    article = load_paths([ROOT / "seeds"]).articles[0]
    _check(article)
    for chunk in chunk_article(article, size=300, overlap=60):
        assert chunk.text.rstrip()[-1] in ".!?”’\"…", chunk.text[-40:]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=120),
                min_size=1, max_size=25))
def test_any_text_chunks_into_exact_covering_slices(sentences: list[str]) -> None:
    text = ". ".join(sentences) + "."
    if not text.strip():
        return
    _check(Article(id="x", title="t", text=text), size=120, overlap=30)


def test_text_hash_identifies_identical_chunk_text() -> None:
    a = Article(id="a", title="t", text="Same sentence here. Another one follows.")
    b = Article(id="b", title="t", text="Same sentence here. Another one follows.")
    assert [c.text_hash for c in chunk_article(a)] == [c.text_hash for c in chunk_article(b)]
