"""The Chroma store: incremental sync, atomic generation switches, and what a failed reload leaves."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from newsbot.models import Article, Chunk
from newsbot.settings import Settings
from retrieval.embeddings import OnnxMiniLM
from retrieval.generation import Generation
from retrieval.loaders import content_hash
from retrieval.store import (
    CorpusStore,
    EmbeddingModelMismatch,
    ReloadInProgress,
    StoreVerificationError,
)
from tests.store_helpers import art as wire_article
from tests.store_helpers import chunker

art = partial(wire_article, published="2024-01-01")


class CountingEmbedder(OnnxMiniLM):
    """The real ONNX model, counting how many texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return super()._encode(texts)


@pytest.fixture(scope="module")
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def store(tmp_path: Path, embedder: CountingEmbedder) -> CorpusStore:
    return CorpusStore(Settings(data_dir=tmp_path, collection="test"), embedder)


ARTICLES = [
    art("a", "The mayor resigned on Monday after the audit. The council will meet on Friday."),
    art("b", "Floods hit the northern valley. Rescue teams reached the village by boat."),
    art("c", "The central bank raised interest rates by half a point. Markets fell sharply."),
]


def test_first_sync_adds_everything_and_a_second_identical_sync_changes_and_embeds_nothing(
        store: CorpusStore, embedder: CountingEmbedder) -> None:
    first = store.sync(ARTICLES, chunker=chunker)
    assert sorted(first.added) == ["a", "b", "c"] and first.switched and first.chunks_embedded > 0
    generation = store.generation
    before = embedder.embedded
    again = store.sync(ARTICLES, chunker=chunker)
    assert sorted(again.unchanged) == ["a", "b", "c"] and not again.switched
    assert embedder.embedded == before and store.generation == generation


def test_changed_article_reembeds_only_its_new_text_and_removed_ones_go(store: CorpusStore,
                                                                         embedder: CountingEmbedder) -> None:
    store.sync(ARTICLES, chunker=chunker)
    before = embedder.embedded
    changed = art("a", "The mayor resigned on Monday after the audit. The council postponed its meeting.")
    report = store.sync([changed, ARTICLES[1]], chunker=chunker)
    assert report.updated == ["a"] and report.unchanged == ["b"] and report.removed == ["c"]
    assert 0 < embedder.embedded - before <= len(chunker(changed))
    assert {a.id for a in store.articles()} == {"a", "b"}
    assert store.article("a").text == changed.text


def test_adding_without_prune_keeps_every_other_article(store: CorpusStore) -> None:
    store.sync(ARTICLES, chunker=chunker)
    report = store.sync([art("d", "A new bridge opened downtown.")], prune=False, chunker=chunker, actor="mod")
    assert report.added == ["d"] and report.removed == []
    assert {a.id for a in store.articles()} == {"a", "b", "c", "d"}
    assert store.stats().last_reload_by == "mod"


def test_switch_deletes_the_old_generation_and_a_reopen_serves_the_new_one(tmp_path: Path,
                                                                            embedder: CountingEmbedder) -> None:
    settings = Settings(data_dir=tmp_path, collection="test")
    store = CorpusStore(settings, embedder)
    store.sync(ARTICLES, chunker=chunker)
    old = store.generation
    store.sync(ARTICLES[:2], chunker=chunker)
    assert Generation.names(store.client, "test") == {store.generation} and store.generation != old
    reopened = CorpusStore(settings, embedder)
    assert reopened.generation == store.generation and reopened.stats().articles == 2


def test_stale_older_generation_left_by_a_crash_is_removed_on_open(tmp_path: Path, embedder: CountingEmbedder) -> None:
    settings = Settings(data_dir=tmp_path, collection="test")
    store = CorpusStore(settings, embedder)
    store.sync(ARTICLES, chunker=chunker)
    Generation.create(store.client, "test_g0", embedder)  # as if a delete after a switch never happened
    reopened = CorpusStore(settings, embedder)
    assert Generation.names(reopened.client, "test") == {reopened.generation}


def test_failed_build_leaves_the_old_corpus_serving(store: CorpusStore) -> None:
    store.sync(ARTICLES, chunker=chunker)
    generation = store.generation

    def broken(a: Article) -> list[Chunk]:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        store.sync([art("z", "Something new.")], chunker=broken)
    assert store.generation == generation and {a.id for a in store.articles()} == {"a", "b", "c"}
    assert Generation.names(store.client, "test") == {generation}


def test_second_concurrent_sync_is_refused_and_searches_use_the_old_corpus_until_the_switch(
        store: CorpusStore, embedder: CountingEmbedder) -> None:
    store.sync(ARTICLES, chunker=chunker)
    release = threading.Event()
    started = threading.Event()

    def slow(a: Article) -> list[Chunk]:
        started.set()
        release.wait(30)
        return chunker(a)

    worker = threading.Thread(target=store.sync, args=([art("n", "Volcano erupts near the coast.")],),
                              kwargs={"chunker": slow, "prune": False})
    worker.start()
    assert started.wait(30)
    with pytest.raises(ReloadInProgress):
        store.sync(ARTICLES, chunker=chunker)
    vector = embedder.embed_query("volcano")
    assert {c.article_id for c, _ in store.dense_search(vector, 10)} == {"a", "b", "c"}
    release.set()
    worker.join(30)
    assert "n" in {c.article_id for c, _ in store.dense_search(vector, 10)}


def test_opening_with_another_embedding_model_says_how_to_rebuild(tmp_path: Path, embedder: CountingEmbedder) -> None:
    settings = Settings(data_dir=tmp_path, collection="test")
    CorpusStore(settings, embedder).sync(ARTICLES, chunker=chunker)

    class Other(CountingEmbedder):
        model_id = "other/model"

    other = CorpusStore(settings, Other())
    with pytest.raises(EmbeddingModelMismatch, match="--rebuild"):
        other.dense_search([0.0] * 384, 3)
    report = other.sync(ARTICLES, chunker=chunker, rebuild=True)
    assert report.switched and other.stats().embedding_model == "other/model"
    assert other.dense_search(Other().embed_query("bank rates"), 1)


def test_an_edit_embeds_exactly_the_passages_whose_text_is_new(store: CorpusStore, embedder: CountingEmbedder) -> None:
    long = " ".join(f"Sentence {i} of the long report about the harbour." for i in range(30))
    store.sync([art("long", long), *ARTICLES], chunker=chunker)
    edited = art("long", long.replace("Sentence 29 of", "Sentence twenty-nine of"))
    old_texts = {c.text for c in chunker(art("long", long))}
    new_texts = {c.text for c in chunker(edited)} - old_texts
    before = embedder.embedded
    report = store.sync([edited, *ARTICLES], chunker=chunker)
    assert report.updated == ["long"] and len(report.unchanged) == 3
    assert report.chunks_embedded == len(new_texts) == embedder.embedded - before > 0
    assert report.chunks_reused == len(chunker(edited)) - len(new_texts)


def test_a_renamed_article_reuses_its_vectors_instead_of_embedding_again(store: CorpusStore,
                                                                           embedder: CountingEmbedder) -> None:
    store.sync(ARTICLES, chunker=chunker)
    before = embedder.embedded
    renamed = art("a-renamed", ARTICLES[0].text)
    report = store.sync([renamed, *ARTICLES[1:]], chunker=chunker)
    assert report.added == ["a-renamed"] and report.removed == ["a"]
    assert report.chunks_embedded == 0 == embedder.embedded - before and report.chunks_reused > 0


def test_article_records_carry_their_passage_count_and_chunks_match(store: CorpusStore) -> None:
    report = store.sync(ARTICLES, chunker=chunker)
    generation = store.live()
    assert generation is not None
    expected = {a.id: len(chunker(a)) for a in ARTICLES}
    assert generation.chunk_counts() == expected and report.chunks == sum(expected.values())
    chunks = store.chunks()
    assert len(chunks) == report.chunks
    for c in chunks:
        assert store.article(c.article_id).text[c.start : c.end] == c.text and c.text_hash


def test_a_chunker_that_does_not_slice_the_article_exactly_is_refused(store: CorpusStore) -> None:
    store.sync(ARTICLES, chunker=chunker)
    generation = store.generation

    def sloppy(a: Article) -> list[Chunk]:
        return [Chunk(id=f"{a.id}#0", article_id=a.id, index=0, text=a.text.upper(), start=0, end=len(a.text))]

    with pytest.raises(StoreVerificationError, match="exact slice"):
        store.sync([art("z", "Something new.")], chunker=sloppy, prune=False)
    assert store.generation == generation and Generation.names(store.client, "test") == {generation}


def test_articles_are_listed_newest_first_then_by_title(store: CorpusStore) -> None:
    def dated(aid: str, title: str, published: str) -> Article:
        a = Article(id=aid, title=title, text=f"{title} happened.", published=published)
        return a.model_copy(update={"content_hash": content_hash(a)})

    store.sync([dated("1", "Beta", "2024-01-01"), dated("2", "Alpha", "2024-01-01"), dated("3", "Gamma", "2025-03-02"),
                dated("4", "Delta", "")], chunker=chunker)
    assert [a.title for a in store.articles()] == ["Gamma", "Alpha", "Beta", "Delta"]


def test_progress_reports_copy_embed_and_switch(store: CorpusStore) -> None:
    store.sync(ARTICLES, chunker=chunker)
    seen: list[tuple[str, int, int]] = []
    store.sync([*ARTICLES, art("d", "A new bridge opened downtown.")], chunker=chunker,
               progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = [s for s, _, _ in seen]
    assert stages[0] == "copy" and "embed" in stages and stages[-1] == "switch"
    assert all(done <= total for _, done, total in seen)
    assert ("copy", 3, 3) in seen and ("embed", 1, 1) in seen


def test_a_half_built_newer_generation_left_by_a_crash_is_removed_on_open(tmp_path: Path,
                                                                          embedder: CountingEmbedder) -> None:
    settings = Settings(data_dir=tmp_path, collection="test")
    store = CorpusStore(settings, embedder)
    store.sync(ARTICLES, chunker=chunker)
    live = store.generation
    half = Generation.create(store.client, "test_g9", embedder)  # killed while building
    half.add_articles([ARTICLES[0]], {})
    reopened = CorpusStore(settings, embedder)
    assert reopened.generation == live and Generation.names(reopened.client, "test") == {live}
    assert {a.id for a in reopened.articles()} == {"a", "b", "c"}
