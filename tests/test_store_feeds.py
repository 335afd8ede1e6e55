"""The store keeps two kinds of article apart: a sync of the folder prunes only articles from no feed, and a
feed's articles go only when named (``remove``); a long job can hold the reload for several steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbot.models import Article
from newsbot.settings import Settings
from retrieval.embeddings import OnnxMiniLM
from retrieval.loaders import content_hash
from retrieval.store import CorpusStore, ReloadInProgress
from tests.store_helpers import art, chunker


def from_feed(aid: str, text: str, feed: str = "wire.example--rss") -> Article:
    a = Article(id=aid, title=aid, text=text, publisher="Wire", feed=feed)
    return a.model_copy(update={"content_hash": content_hash(a)})


@pytest.fixture(scope="module")
def embedder() -> OnnxMiniLM:
    return OnnxMiniLM()


@pytest.fixture
def store(tmp_path: Path, embedder: OnnxMiniLM) -> CorpusStore:
    return CorpusStore(Settings(data_dir=tmp_path, collection="test"), embedder)


def test_a_folder_sync_prunes_folder_articles_and_keeps_feed_articles(store: CorpusStore) -> None:
    store.sync([art("a", "The mayor resigned on Monday."), art("b", "Floods hit the valley.")], chunker=chunker)
    with store.reload_session() as lease:
        store.sync([from_feed("f1", "The port reopened on Friday.")], prune=False, chunker=chunker, lease=lease)
    report = store.sync([art("a", "The mayor resigned on Monday.")], chunker=chunker)  # b left the folder
    assert report.removed == ["b"]
    assert {a.id for a in store.articles()} == {"a", "f1"}
    assert store.article("f1").feed == "wire.example--rss"  # type: ignore[union-attr]


def test_remove_drops_named_articles_of_any_kind_and_nothing_else(store: CorpusStore) -> None:
    store.sync([art("a", "The mayor resigned on Monday."), from_feed("f1", "The port reopened."),
                from_feed("f2", "The bridge closed.")], chunker=chunker)
    report = store.sync([], prune=False, remove={"f1", "a"}, chunker=chunker)
    assert report.removed == ["a", "f1"] and {a.id for a in store.articles()} == {"f2"}


def test_an_article_that_moves_between_folder_and_feed_is_stored_anew(store: CorpusStore) -> None:
    store.sync([art("x", "The dam did not crack.")], chunker=chunker)
    moved = store.sync([from_feed("x", "The dam did not crack.")], prune=False, chunker=chunker)
    assert moved.updated == ["x"] and store.article("x").feed == "wire.example--rss"  # type: ignore[union-attr]
    assert moved.chunks_embedded == 0  # the same text: its vectors were reused


def test_a_held_reload_session_refuses_other_syncs_until_it_ends(store: CorpusStore) -> None:
    with store.reload_session() as lease:
        with pytest.raises(ReloadInProgress):
            store.sync([art("a", "The mayor resigned.")], chunker=chunker)
        assert store.sync([art("a", "The mayor resigned.")], chunker=chunker, lease=lease).added == ["a"]
    assert store.sync([art("b", "Floods hit the valley.")], prune=False, chunker=chunker).added == ["b"]
