"""Two stores (as two processes) on one real Chroma server: a switch by one is followed by the other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.models import Article
from newsbot.settings import Settings
from retrieval.embeddings import shared_onnx
from retrieval.generation import Generation
from retrieval.search import HybridRetriever
from retrieval.store import CorpusStore
from tests.chroma_server import chroma_server
from tests.store_helpers import art, chunker

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


def test_a_reader_whose_generation_another_process_deleted_rereads_the_registry(server: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=server, collection="twoproc")
    writer, reader = CorpusStore(settings, shared_onnx()), CorpusStore(settings, shared_onnx())
    assert writer.mode == reader.mode == "server"
    writer.sync([art("old", "The ferry service was suspended for the winter.")], chunker=chunker)
    assert reader.refresh() and reader.article("old") is not None
    old = reader.generation
    writer.sync([art("new", "The ferry service resumed in spring with two boats.")], chunker=chunker)
    assert old not in Generation.names(writer.client, "twoproc")  # the writer deleted what the reader holds
    hits = HybridRetriever(reader, shared_onnx(), k=1).search("When did the ferry resume?")  # within 2 s
    assert [h.article.id for h in hits] == ["new"] and reader.generation != old


def test_opening_beside_a_reload_in_progress_on_the_server_leaves_its_new_generation_alone(
        server: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=server, collection="building")
    first = CorpusStore(settings, shared_onnx())
    first.sync([art("a", "The bridge opened.")], chunker=chunker)
    Generation.create(first.client, "building_g2", shared_onnx())  # another process is building generation 2
    Generation.create(first.client, "building_g0", shared_onnx())  # and an old one was never deleted
    CorpusStore(settings, shared_onnx())
    assert Generation.names(first.client, "building") == {"building_g1", "building_g2"}


def _twenty(writer: CorpusStore) -> list[Article]:
    many = [art(f"s{i}", f"Story {i}: the tram line {i} reopened after repairs.") for i in range(20)]
    writer.sync(many, chunker=chunker)
    return many


def test_a_reader_follows_an_in_place_reload_whose_replaced_rows_stay_while_it_may_read_them(
        server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("retrieval.store.REFRESH_SECONDS", 600.0)  # the reader re-reads the registry when told
    settings = Settings(data_dir=tmp_path, chroma_url=server, collection="inplace")
    writer, reader = CorpusStore(settings, shared_onnx()), CorpusStore(settings, shared_onnx())
    many = _twenty(writer)
    assert reader.refresh() and len(reader.chunks()) == 20
    base = reader.live().base
    ferry = art("s0", "Story 0: the ferry line resumed in spring with two boats.")
    writer.sync([ferry, *many[1:]], chunker=chunker)
    stored = writer.client.get_collection(f"{base}_chunks")
    assert stored.count() == 21  # the replaced passage is kept: a reader may still hold the old revision
    retriever = HybridRetriever(reader, shared_onnx(), k=1)
    assert reader.article("s0").text == many[0].text  # until it re-reads the registry: the whole old corpus
    assert [c.text for c in reader.chunks() if c.article_id == "s0"] == [many[0].text]
    assert reader.refresh()  # as it does every 2 s
    assert [h.article.text for h in retriever.search("When did the ferry resume?")] == [ferry.text]
    assert [c.text for c in reader.chunks() if c.article_id == "s0"] == [ferry.text] and reader.live().base == base


def test_two_quick_reloads_leave_a_reader_of_the_first_revision_its_whole_corpus(
        server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("retrieval.store.REFRESH_SECONDS", 600.0)
    settings = Settings(data_dir=tmp_path, chroma_url=server, collection="quick")
    writer, reader = CorpusStore(settings, shared_onnx()), CorpusStore(settings, shared_onnx())
    many = _twenty(writer)
    assert reader.refresh()
    ferry = art("s0", "Story 0: the ferry line resumed in spring with two boats.")
    writer.sync([ferry, *many[1:]], chunker=chunker)
    writer.sync([ferry, *many[1:19]], chunker=chunker)  # a second reload at once: s19 goes
    assert {c.text for c in reader.chunks()} == {a.text for a in many}  # still the first revision, whole
    assert reader.article("s0").text == many[0].text and reader.article("s19") is not None
    hits = HybridRetriever(reader, shared_onnx(), k=1).search("Which tram line reopened, story 0?")
    assert [h.article.text for h in hits] == [many[0].text]
    assert reader.refresh()
    assert {c.text for c in reader.chunks()} == {ferry.text} | {a.text for a in many[1:19]}


def test_replaced_rows_are_deleted_by_the_first_reload_after_the_grace(
        server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=server, collection="grace")
    writer = CorpusStore(settings, shared_onnx())
    many = _twenty(writer)
    stored = writer.client.get_collection(f"{writer.live().base}_chunks")
    ferry = art("s0", "Story 0: the ferry line resumed in spring with two boats.")
    writer.sync([ferry, *many[1:]], chunker=chunker)
    writer.sync([ferry, *many[1:19]], chunker=chunker)
    assert stored.count() == 21  # within the grace nothing replaced is deleted
    monkeypatch.setattr("retrieval.store.SERVER_GRACE", 0.0)  # as if a minute had passed
    writer.sync([ferry, *many[1:18]], chunker=chunker)  # s18 goes: hidden now, deleted by a later reload
    assert stored.count() == 19  # s0's old passage and s19's are gone; s18's stays hidden for now
    assert {c.text for c in writer.chunks()} == {ferry.text} | {a.text for a in many[1:18]}
