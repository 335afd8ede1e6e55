"""Searches during reloads: they keep their generation until they finish, and never see a mix or an error."""

from __future__ import annotations

import threading
import time
from functools import partial
from pathlib import Path

import pytest

from newsbot.settings import Settings
from retrieval.embeddings import shared_onnx
from retrieval.generation import Generation
from retrieval.search import HybridRetriever
from retrieval.store import CorpusStore
from tests.store_helpers import art as wire_article
from tests.store_helpers import check_while_reloading, chunker

art = partial(wire_article, published="2024-01-01")


RED = [art(f"red{i}", f"Red report {i}: the harbour strike entered day {i}. Dockers said talks had failed.")
       for i in range(6)]
BLUE = [art(f"blue{i}", f"Blue report {i}: the harbour reopened after {i} days. Owners said talks had worked.")
        for i in range(6)]


@pytest.fixture
def store(tmp_path: Path) -> CorpusStore:
    return CorpusStore(Settings(data_dir=tmp_path, collection="test"), shared_onnx())


def test_a_switch_waits_for_a_search_still_reading_the_old_generation(store: CorpusStore) -> None:
    store.sync(RED, chunker=chunker)
    old = store.generation
    done = threading.Event()
    with store.reading() as held:
        assert held is not None and held.name == old
        worker = threading.Thread(target=lambda: (store.sync(BLUE, chunker=chunker), done.set()))
        worker.start()
        deadline = time.monotonic() + 30
        while store.generation == old and time.monotonic() < deadline:
            time.sleep(0.01)
        assert store.generation != old  # switched: new searches read the new corpus ...
        time.sleep(0.3)
        assert not done.is_set() and old in Generation.names(store.client, "test")  # ... the old one is kept
        assert {a.id for a in held.articles.values()} == {a.id for a in RED}
        assert held.search(shared_onnx().embed_query("harbour strike"), 3)
    worker.join(30)
    assert done.is_set() and Generation.names(store.client, "test") == {store.generation}


def test_searches_through_repeated_reloads_never_fail_nor_mix_generations(store: CorpusStore) -> None:
    store.sync(RED, chunker=chunker)
    retriever = HybridRetriever(store, shared_onnx(), k=6, per_article=1)
    red, blue = {a.id for a in RED}, {a.id for a in BLUE}
    seen: list[str] = []

    def search() -> None:
        ids = {e.article.id for e in retriever.search("What happened at the harbour talks?")}
        dense = {c.article_id for c, _ in store.dense_search(shared_onnx().embed_query("harbour"), 6)}
        assert ids <= red or ids <= blue, ids
        assert dense <= red or dense <= blue, dense
        seen.append("red" if ids <= red else "blue")

    check_while_reloading(search, lambda n: store.sync(BLUE if n % 2 == 0 else RED, chunker=chunker),
                          reloads=12, threads=3)
    assert {"red", "blue"} <= set(seen)
    assert Generation.names(store.client, "test") == {store.generation}
