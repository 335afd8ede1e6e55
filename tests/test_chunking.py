"""Chunks are exact slices of their article, in order, covering all its text, ending on sentence boundaries."""

from __future__ import annotations

import hashlib
import time
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.models import Article
from retrieval.chunking import chunk_article
from retrieval.loaders import load_paths
from tests.engine_helpers import ROOT

SENTENCE_END = tuple(".!?…") + tuple(f"{p}{q}" for p in ".!?…" for q in "\"'”’»)]")


def _seed() -> Article:
    return load_paths([ROOT / "seeds"]).articles[0]


def _check(article: Article, size: int, overlap: int) -> list:
    """Assert every invariant a chunking must keep; return the chunks."""
    chunks = chunk_article(article, size=size, overlap=overlap)
    text = article.text
    covered = bytearray(len(text))
    for i, c in enumerate(chunks):
        assert text[c.start : c.end] == c.text and c.text.strip() == c.text and c.text
        assert c.id == f"{article.id}#{i}" and c.index == i and c.article_id == article.id
        assert c.text_hash == hashlib.sha256(c.text.encode("utf-8")).hexdigest()
        assert len(c.text) <= size
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    assert all(a.start < b.start and a.end < b.end for a, b in pairwise(chunks))
    assert all(covered[k] or text[k].isspace() for k in range(len(text)))
    return chunks


@pytest.mark.parametrize(("size", "overlap"), [(600, 120), (300, 60), (200, 0), (100, 50), (1000, 400)])
def test_seed_chunks_keep_every_invariant(size: int, overlap: int) -> None:
    _check(_seed(), size, overlap)


def test_seed_chunks_end_on_sentence_boundaries() -> None:
    for size in (300, 600):
        for chunk in chunk_article(_seed(), size=size, overlap=size // 5):
            assert chunk.text.endswith(SENTENCE_END), chunk.text[-40:]


def test_overlap_repeats_the_end_of_the_previous_chunk_from_a_word_start() -> None:
    article = _seed()
    chunks = chunk_article(article, size=300, overlap=60)
    for prev, cur in pairwise(chunks):
        assert cur.start < prev.end and prev.end - cur.start <= 60 + 2  # overlap within reach (+ the gap)
        assert article.text[cur.start - 1].isspace()
    plain = chunk_article(article, size=300, overlap=0)
    assert all(b.start >= a.end for a, b in pairwise(plain))


def test_paragraphs_are_preferred_over_sentences_and_sentences_over_words() -> None:
    para = "First paragraph sentence one. Sentence two is here."
    text = f"{para}\n\n{para}\n\nA final paragraph that stands alone."
    chunks = chunk_article(Article(id="p", title="t", text=text), size=len(para) + 5, overlap=0)
    assert [c.text for c in chunks] == [para, para, "A final paragraph that stands alone."]
    long = " ".join(f"Sentence {n} says a few words." for n in range(20))
    for chunk in chunk_article(Article(id="s", title="t", text=long), size=100, overlap=0):
        assert chunk.text.endswith(".")


def test_repeated_text_gets_the_right_offsets() -> None:
    text = "The same line. " * 400 + "The end."
    chunks = _check(Article(id="r", title="t", text=text), size=100, overlap=30)
    assert chunks[-1].text.endswith("The end.") and chunks[-1].end == len(text)


def test_text_without_spaces_is_cut_by_characters() -> None:
    text = "x" * 2500
    chunks = _check(Article(id="b", title="t", text=text), size=500, overlap=100)
    assert chunks[-1].end == 2500 and max(len(c.text) for c in chunks) <= 500


def test_empty_or_blank_article_has_no_chunks() -> None:
    assert chunk_article(Article(id="e", title="t", text="")) == []
    assert chunk_article(Article(id="e", title="t", text=" \n\t ")) == []


def test_text_hash_identifies_identical_chunk_text() -> None:
    a = Article(id="a", title="t", text="Same sentence here. Another one follows.")
    b = Article(id="b", title="t", text="Same sentence here. Another one follows.")
    assert [c.text_hash for c in chunk_article(a)] == [c.text_hash for c in chunk_article(b)]
    c = Article(id="c", title="t", text="Same sentence here. Another one followed.")
    assert chunk_article(a)[0].text_hash != chunk_article(c)[0].text_hash


_PIECES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from([". ", "! ", "? ", "… ", ".” ", "\n", "\n\n", "\r\n", " ", "\t", "\u00a0", "  ", "; ", "word"]),
    st.text(alphabet="ab .\n", max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60), st.integers(min_value=20, max_value=400), st.integers(min_value=0, max_value=300))
def test_any_text_chunks_into_exact_ordered_covering_slices(pieces: list[str], size: int, overlap: int) -> None:
    _check(Article(id="x", title="t", text="".join(pieces)), size, overlap)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="a. \n", min_size=1, max_size=8), st.integers(min_value=1, max_value=300))
def test_periodic_text_chunks_into_exact_covering_slices(unit: str, times: int) -> None:
    _check(Article(id="x", title="t", text=unit * times), 40, 15)


def test_chunking_time_grows_linearly() -> None:
    sentence = "The council said on Monday that the budget was approved after a long debate. "
    paragraph = sentence * 6 + "\n\n"

    def seconds(n: int) -> float:  # best of three, so a busy machine does not fake a slope
        article = Article(id="big", title="t", text=paragraph * n)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            chunks = chunk_article(article)
            best = min(best, time.perf_counter() - started)
        assert chunks[-1].end == len(article.text.rstrip())
        return best

    seconds(50)  # warm up
    small, large = seconds(500), seconds(4000)  # 4000 paragraphs ~ 4000 chunks
    assert large < 8 * small * 2.5 + 0.05, (small, large)
