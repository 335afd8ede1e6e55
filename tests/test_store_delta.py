"""Small reloads written in place: only the change is embedded and written, readers see old or new, never a mix."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from newsbot.models import Article
from newsbot.settings import Settings
from retrieval.embeddings import shared_onnx
from retrieval.generation import Generation
from retrieval.search import HybridRetriever
from retrieval.store import CorpusStore
from retrieval.store_delta import Delta
from tests.store_helpers import art as wire_article
from tests.store_helpers import check_while_reloading, chunker

art = partial(wire_article, published="2024-01-01")

TOPICS = ["harbour", "railway", "school", "hospital", "bridge", "library", "market", "airport", "river", "stadium"]


MANY = [art(f"n{i}", f"Story {i}: the {TOPICS[i % 10]} of district {i} reopened after repairs costing {i} million.")
        for i in range(40)]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, collection="delta")


@pytest.fixture
def store(settings: Settings) -> CorpusStore:
    return CorpusStore(settings, shared_onnx())


def stored_rows(store: CorpusStore) -> tuple[int, int]:
    """How many passage and article rows the live generation's collections hold (seen or not)."""
    base = store.live().base
    return (store.client.get_collection(f"{base}_chunks").count(),
            store.client.get_collection(f"{base}_articles").count())


def vectors(store: CorpusStore, article_ids: list[str]) -> dict[str, np.ndarray]:
    """Stored vector of each passage of these articles, by chunk text."""
    got = store.client.get_collection(f"{store.live().base}_chunks").get(
        where={"article_id": {"$in": article_ids}}, include=["documents", "embeddings"])
    return dict(zip(got["documents"], (np.asarray(e) for e in got["embeddings"]), strict=True))


def edited(i: int, words: str = "The council approved the budget.") -> Article:
    return art(MANY[i].id, f"{MANY[i].text} {words}")


def test_a_one_article_edit_among_many_writes_in_place_and_embeds_only_its_new_passage(store: CorpusStore) -> None:
    store.sync(MANY, chunker=chunker)
    base, before = store.live().base, vectors(store, [a.id for a in MANY[1:]])
    change = [edited(0), *MANY[1:39], art("extra", "A new ferry line opened to the islands.")]  # n39 removed
    report = store.sync(change, chunker=chunker)
    assert report.updated == ["n0"] and report.added == ["extra"] and report.removed == ["n39"]
    assert report.switched and report.chunks_embedded == 2 and report.articles == 40
    assert store.live().base == base and Generation.names(store.client, "delta") == {base}  # nothing copied
    assert store.generation != base and report.generation == store.generation
    after = vectors(store, [a.id for a in MANY[1:39]])
    assert after.keys() <= before.keys() and all(np.array_equal(after[t], before[t]) for t in after)
    assert store.article("n0").text == edited(0).text and store.article("n39") is None
    assert {c.article_id for c in store.chunks()} == {a.id for a in change}
    assert stored_rows(store) == (report.chunks, report.articles)  # replaced rows deleted after the switch
    hits = store.dense_search(shared_onnx().embed_query("council approved the budget"), 3)
    assert hits[0][0].article_id == "n0" and hits[0][0].text == edited(0).text


def test_adding_one_article_to_many_without_prune_writes_it_in_place(store: CorpusStore) -> None:
    store.sync(MANY, chunker=chunker)
    base = store.live().base
    report = store.sync([art("late", "Late news: the tunnel flooded overnight.")], prune=False, chunker=chunker)
    assert report.added == ["late"] and report.chunks_embedded == 1 and store.live().base == base
    assert len(store.articles()) == 41 and store.stats().articles == 41 and store.stats().chunks == report.chunks


def test_a_reopened_store_serves_the_in_place_reload(settings: Settings, store: CorpusStore) -> None:
    store.sync(MANY, chunker=chunker)
    report = store.sync([edited(5), *MANY[:5], *MANY[6:]], chunker=chunker)
    reopened = CorpusStore(settings, shared_onnx())
    assert reopened.generation == report.generation and reopened.article("n5").text == edited(5).text
    assert reopened.stats().chunks == report.chunks and len(reopened.chunks()) == report.chunks


def test_rows_written_by_a_reload_killed_before_its_commit_are_unseen_then_deleted_on_open(
        settings: Settings, store: CorpusStore) -> None:
    store.sync(MANY, chunker=chunker)
    live, rows = store.live(), stored_rows(store)
    new = edited(3, "Divers found a sunken galleon.")
    final = {a.id: a for a in [new, *MANY[:3], *MANY[4:]]}
    chunks = chunker(new)
    delta = Delta.plan(live, 0, final, {new.id}, chunks, carried=[])
    assert delta is not None
    delta.write(lambda c: shared_onnx().embed_documents([c.text])[0])  # ... and the process dies here
    assert stored_rows(store)[0] > rows[0]
    galleon = shared_onnx().embed_query("sunken galleon")
    def serves_the_old_corpus(reader: CorpusStore) -> None:
        assert reader.article("n3").text == MANY[3].text and len(reader.chunks()) == rows[0]
        assert all(c.text != chunks[0].text for c, _ in reader.dense_search(galleon, 40))

    serves_the_old_corpus(store)
    serves_the_old_corpus(CorpusStore(settings, shared_onnx()))
    assert stored_rows(store) == rows  # the reopen deleted them


def test_rows_replaced_by_a_reload_killed_after_its_commit_stay_hidden_then_are_deleted_on_open(
        settings: Settings, store: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.sync(MANY, chunker=chunker)
    monkeypatch.setattr(Generation, "delete_rows", lambda *_: None)  # the process dies right after the switch
    report = store.sync([edited(7), *MANY[:7], *MANY[8:]], chunker=chunker)
    monkeypatch.undo()
    assert stored_rows(store) != (report.chunks, report.articles)
    reopened = CorpusStore(settings, shared_onnx())
    assert reopened.article("n7").text == edited(7).text and len(reopened.chunks()) == report.chunks
    assert [c.text for c in reopened.chunks() if c.article_id == "n7"] == [edited(7).text]
    assert stored_rows(reopened) == (report.chunks, report.articles)


def test_an_in_place_reload_failing_midway_keeps_the_old_corpus_and_deletes_what_it_wrote(
        store: CorpusStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.sync(MANY, chunker=chunker)
    generation, rows = store.generation, stored_rows(store)

    def disk_full(*_: object, **__: object) -> list[str]:
        raise OSError("disk full")

    monkeypatch.setattr(Generation, "add_articles", disk_full)  # after the passages were written
    with pytest.raises(OSError, match="disk full"):
        store.sync([edited(1), *MANY[:1], *MANY[2:]], chunker=chunker)
    assert store.generation == generation and store.article("n1").text == MANY[1].text
    assert stored_rows(store) == rows


def test_a_search_holding_the_old_revision_keeps_it_and_its_rows_until_it_finishes(store: CorpusStore) -> None:
    store.sync(MANY, chunker=chunker)
    old, rows = store.generation, stored_rows(store)
    done = threading.Event()
    with store.reading() as held:
        assert held is not None
        worker = threading.Thread(target=lambda: (store.sync([edited(2), *MANY[:2], *MANY[3:]], chunker=chunker),
                                                  done.set()))
        worker.start()
        while store.generation == old and worker.is_alive():
            worker.join(0.01)
        assert store.generation != old and store.article("n2").text == edited(2).text
        worker.join(0.3)
        assert not done.is_set() and stored_rows(store)[0] == rows[0] + 1  # the replaced passage is kept ...
        assert held.articles["n2"].text == MANY[2].text  # ... for the reader of the old revision
        assert [c.text for c in held.all_chunks() if c.article_id == "n2"] == [MANY[2].text]
    worker.join(30)
    assert done.is_set() and stored_rows(store) == rows


def test_small_reloads_add_up_to_a_whole_new_generation_that_drops_the_replaced_rows(store: CorpusStore) -> None:
    store.sync(MANY, chunker=chunker)
    first = store.live().base
    bases = []
    for n in range(8):
        current = [edited(i, f"Revision {n}.") if i == n else a for i, a in enumerate(MANY)]
        store.sync(current, chunker=chunker)
        bases.append(store.live().base)
        assert {a.id: a.text for a in store.articles()} == {a.id: a.text for a in current}
    assert bases[0] == first and bases[-1] != first  # in place at first, then built anew
    assert Generation.names(store.client, "delta") == {bases[-1]}
    assert stored_rows(store) == (40, 40)


def test_searches_through_repeated_in_place_reloads_see_one_revision_at_a_time(store: CorpusStore) -> None:
    versions = {v: [art("f0", f"Ferry news {v}: the harbour ferry sailed at {v} o'clock."),
                    art("f1", f"Ferry news {v}: the harbour ferry carried {v} hundred people.")] for v in ("7", "9")}
    store.sync([*MANY, *versions["7"]], chunker=chunker)
    retriever = HybridRetriever(store, shared_onnx(), k=8, per_article=1)
    seen: set[str] = set()
    vector = shared_onnx().embed_query("harbour ferry news")

    def search() -> None:
        dense = {c.article_id: c.text for c, _ in store.dense_search(vector, 10) if c.article_id in ("f0", "f1")}
        texts = {e.article.id: e.article.text for e in retriever.search("harbour ferry news")
                 if e.article.id in ("f0", "f1")}
        for got in (dense, texts):
            assert len(got) == 2, got
            kinds = {v for v, arts in versions.items() for a in arts if got.get(a.id) == a.text}
            assert len(kinds) == 1 and all(got[a.id] == a.text for a in versions[kinds.pop()]), got
        seen.add(texts["f0"])

    check_while_reloading(search, lambda n: store.sync([*MANY, *versions["9" if n % 2 == 0 else "7"]],
                                                       chunker=chunker), reloads=6, threads=2)
    assert len(seen) == 2
