"""One reload at a time across processes: the lease on the store, its staleness and its loss."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.settings import Settings
from retrieval.embeddings import shared_onnx
from retrieval.generation import Generation
from retrieval.reload_lease import ReloadLease
from retrieval.store import CorpusStore, ReloadInProgress
from tests.chroma_server import chroma_server
from tests.store_helpers import art, chunker

OLD = [art("a", "The bridge over the river opened in May."), art("b", "The ferry stopped for the winter.")]
NEW = [*OLD, art("c", "The tram line reopened after repairs to the depot.")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


def _lease_held_by(store: CorpusStore, **meta: object) -> None:
    """Someone else's lease, as another process would have left it."""
    store.client.create_collection(f"{store.prefix}_reloading", embedding_function=None,
                                   metadata={"owner": "other", "since": "2026-01-01T00:00:00+00:00", **meta})


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.server
def test_a_second_process_cannot_reload_while_the_first_does_and_can_after(server: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=server, collection="twoshards")
    first, second = CorpusStore(settings, shared_onnx()), CorpusStore(settings, shared_onnx())
    first.sync(OLD, chunker=chunker)
    inside, go_on = threading.Event(), threading.Event()

    def slow(stage: str, done: int, total: int) -> None:
        inside.set()
        go_on.wait(30)

    worker = threading.Thread(target=lambda: first.sync(NEW, chunker=chunker, progress=slow))
    worker.start()
    try:
        assert inside.wait(30)
        with pytest.raises(ReloadInProgress, match=f"{socket.gethostname()} pid {os.getpid()}"):
            second.sync([*NEW, art("d", "Snow closed the pass.")], chunker=chunker)
    finally:
        go_on.set()
        worker.join(60)
    assert second.refresh() and {a.id for a in second.articles()} == {"a", "b", "c"}
    second.sync([*NEW, art("d", "Snow closed the pass.")], chunker=chunker)  # the lease was given back
    assert first.refresh() and {a.id for a in first.articles()} == {"a", "b", "c", "d"}


def test_a_lease_left_by_a_dead_process_of_this_host_is_broken(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="crashed"), shared_onnx())
    _lease_held_by(store, host=socket.gethostname(), pid=_dead_pid(), beat=time.time())
    report = store.sync(OLD, chunker=chunker)
    assert report.switched and {a.id for a in store.articles()} == {"a", "b"}
    assert not ReloadLease(store.client, store.prefix).holds()
    assert {c.name for c in store.client.list_collections()} & {"crashed_reloading"} == set()


def test_a_lease_whose_pid_now_belongs_to_another_process_is_broken(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="reused"), shared_onnx())
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # a live process of this host, but not the one that took the lease (it started at another time)
        _lease_held_by(store, host=socket.gethostname(), pid=proc.pid, started=1, beat=time.time())
        assert store.sync(OLD, chunker=chunker).switched
    finally:
        proc.kill()
        proc.wait()


def test_a_lease_of_a_live_process_of_this_host_refuses_the_reload(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="alive"), shared_onnx())
    holder = ReloadLease(store.client, store.prefix)
    holder.acquire()  # with its real pid and start time
    try:
        with pytest.raises(ReloadInProgress, match=f"pid {os.getpid()}"):
            store.sync(OLD, chunker=chunker)
    finally:
        holder.release()
    assert store.sync(OLD, chunker=chunker).switched


def test_a_live_lease_of_another_host_refuses_the_reload_and_leaves_the_corpus(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="busy"), shared_onnx())
    store.sync(OLD, chunker=chunker)
    _lease_held_by(store, host="shard-2.example", pid=4242, beat=time.time())
    with pytest.raises(ReloadInProgress, match="shard-2.example pid 4242"):
        store.sync(NEW, chunker=chunker)
    assert {a.id for a in store.articles()} == {"a", "b"} and store.generation == "busy_g1"


def test_a_lease_without_a_sign_of_life_for_long_is_broken(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="silent"), shared_onnx())
    _lease_held_by(store, host="shard-2.example", pid=4242, beat=time.time() - 3600)
    assert store.sync(NEW, chunker=chunker).switched


def test_a_reload_whose_lease_was_taken_over_commits_nothing(tmp_path: Path) -> None:
    store = CorpusStore(Settings(data_dir=tmp_path, collection="takeover"), shared_onnx())
    store.sync(OLD, chunker=chunker)

    def taken_over(stage: str, done: int, total: int) -> None:
        if stage != "switch" and store.client.get_collection("takeover_reloading").metadata.get("owner") != "other":
            store.client.delete_collection("takeover_reloading")  # broken as stale by another process
            _lease_held_by(store, host="shard-2.example", pid=4242, beat=time.time())

    with pytest.raises(ReloadInProgress, match="lost its lock"):
        store.sync([art("z", "An entirely new corpus about the harbour strike.")], chunker=chunker,
                   progress=taken_over)
    assert {a.id for a in store.articles()} == {"a", "b"}
    assert Generation.names(store.client, "takeover") == {"takeover_g1"}  # the half-built one is gone


def test_the_holder_renews_its_lease_while_it_reloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("retrieval.reload_lease.BEAT_SECONDS", 0.05)
    store = CorpusStore(Settings(data_dir=tmp_path, collection="beats"), shared_onnx())
    lease = ReloadLease(store.client, store.prefix)
    lease.acquire()
    try:
        first = store.client.get_collection("beats_reloading").metadata["beat"]
        time.sleep(0.5)
        assert store.client.get_collection("beats_reloading").metadata["beat"] > first and lease.holds()
        with pytest.raises(ReloadInProgress):
            ReloadLease(store.client, store.prefix).acquire()
    finally:
        lease.release()
    assert not lease.holds()
    again = ReloadLease(store.client, store.prefix)
    again.acquire()  # free again
    assert again.holds()
    again.release()
