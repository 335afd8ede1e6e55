"""The Chroma store: incremental sync, atomic generation switches, and what a failed reload leaves."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from newsbot.models import Article, Chunk
from newsbot.settings import Settings
from retrieval.chunking import chunk_article
from retrieval.embeddings import OnnxMiniLM
from retrieval.generation import Generation
from retrieval.loaders import content_hash
from retrieval.store import CorpusStore, EmbeddingModelMismatch, ReloadInProgress


class CountingEmbedder(OnnxMiniLM):
    """The real ONNX model, counting how many texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def _encode(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return super()._encode(texts)


def art(aid: str, text: str, title: str = "") -> Article:
    a = Article(id=aid, title=title or aid, text=text, publisher="Wire", published="2024-01-01")
    return a.model_copy(update={"content_hash": content_hash(a)})


def chunker(a: Article) -> list[Chunk]:
    return chunk_article(a, size=200, overlap=40)


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
