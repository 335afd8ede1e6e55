"""One process at a time on an embedded store: other processes are refused by name or wait their turn.

Real processes (``tests.store_holder``) hold real stores; the CLI is driven as a user runs it.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.service import NewsService
from newsbot.settings import Settings
from retrieval.store_lock import StoreInUse
from tests.engine_helpers import ROOT, SEED


class Holder:
    """A newsbot process with the store open (as ``role``) until :meth:`quit`."""

    def __init__(self, data: Path, corpus: Path, role: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.store_holder", str(data), str(corpus), role],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=ROOT)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready", self.proc.stderr

    def ask(self, question: str) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"ask {question}\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def quit(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(60)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "vote.md").write_text("---\ntitle: Council vote\npublisher: Wire\n---\n"
                                    "The council postponed the vote on the budget until March.\n")
    return folder


@pytest.fixture
def holders() -> Iterator[list[Holder]]:
    started: list[Holder] = []
    yield started
    for h in started:
        h.quit()


def _settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus, answer_mode="extractive")


def test_ingest_beside_a_running_bot_is_refused_by_name_and_the_bot_keeps_its_whole_corpus(
        tmp_path: Path, corpus: Path, holders: list[Holder], monkeypatch: pytest.MonkeyPatch) -> None:
    bot = Holder(tmp_path / "data", corpus, "bot")
    holders.append(bot)
    (corpus / "vote.md").write_text("---\ntitle: Council vote\npublisher: Wire\n---\n"
                                    "The council approved the budget in a vote on Monday.\n")
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSBOT_CORPUS_DIR", str(corpus))
    result = CliRunner().invoke(cli, ["ingest"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"bot (pid {bot.proc.pid}" in said and "/reload" in said and "NEWSBOT_CHROMA_URL" in said
    answer = bot.ask("Did Lukashenko apologize?")
    assert answer["verdict"] == "contested" and answer["articles"] == sorted([SEED.stem, "vote"])
    assert bot.ask("Did the council approve the budget?")["cited"] == ["vote"]  # the bot's corpus, untouched


def test_asking_from_the_terminal_while_the_bot_runs_says_where_to_ask(
        tmp_path: Path, corpus: Path, holders: list[Holder], monkeypatch: pytest.MonkeyPatch) -> None:
    holders.append(Holder(tmp_path / "data", corpus, "bot"))
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["ask", "Did Lukashenko apologize?"])
    assert result.exit_code == 2 and "ask and reload in Discord" in " ".join(result.output.split())
    assert time.monotonic() - started < 20  # a bot is never waited for (a command waits up to 30 s)


def test_a_command_waits_for_another_command_to_close_the_store_then_serves(
        tmp_path: Path, corpus: Path, holders: list[Holder]) -> None:
    ingest = Holder(tmp_path / "data", corpus, "newsbot ingest")
    holders.append(ingest)
    opened: list[NewsService | BaseException] = []

    def open_store() -> None:
        service = NewsService(_settings(tmp_path, corpus), role="newsbot ask", wait=60)
        try:
            service.stats()
            opened.append(service)
        except BaseException as exc:  # noqa: BLE001 - asserted below
            opened.append(exc)

    waiter = threading.Thread(target=open_store)
    waiter.start()
    waiter.join(1.5)
    assert waiter.is_alive() and not opened  # waiting while the other command has it
    ingest.quit()
    waiter.join(60)
    service = opened[0]
    assert isinstance(service, NewsService), service
    assert service.ask("Did Lukashenko apologize?").verdict.value == "contested"
    service.close()


def test_a_command_that_cannot_have_the_store_in_time_names_the_holder(
        tmp_path: Path, corpus: Path, holders: list[Holder]) -> None:
    holder = Holder(tmp_path / "data", corpus, "newsbot ingest")
    holders.append(holder)
    with pytest.raises(StoreInUse, match=rf"newsbot ingest \(pid {holder.proc.pid} .*try again when it has finished"):
        NewsService(_settings(tmp_path, corpus), wait=0.3).stats()


def test_a_second_bot_on_the_same_store_is_refused_at_once_not_left_waiting(
        tmp_path: Path, corpus: Path, holders: list[Holder]) -> None:
    holders.append(Holder(tmp_path / "data", corpus, "bot"))
    started = time.monotonic()
    with pytest.raises(StoreInUse, match="in use by another newsbot process: bot"):
        NewsService(_settings(tmp_path, corpus), role="bot", wait=math.inf).stats()
    assert time.monotonic() - started < 20


def test_a_killed_holder_leaves_no_lock_behind(tmp_path: Path, corpus: Path) -> None:
    holder = Holder(tmp_path / "data", corpus, "bot")
    os.kill(holder.proc.pid, signal.SIGKILL)
    holder.proc.wait(30)
    service = NewsService(_settings(tmp_path, corpus), wait=0)
    assert service.stats().articles == 2
    service.close()


def test_stores_of_one_process_share_the_lock_and_the_last_close_frees_it(
        tmp_path: Path, corpus: Path, holders: list[Holder]) -> None:
    first, second = (NewsService(_settings(tmp_path, corpus), wait=0) for _ in range(2))
    first.ensure_corpus()
    assert second.stats().articles == 2  # same process: no refusal
    first.close()
    with pytest.raises(AssertionError):  # still held by `second`: another process cannot start
        holders.append(Holder(tmp_path / "data", corpus, "bot"))
    second.close()
    holders.append(Holder(tmp_path / "data", corpus, "bot"))
    assert holders[-1].ask("Did Lukashenko apologize?")["verdict"] == "contested"
