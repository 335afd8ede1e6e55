"""Server mode: the same ingest, ask and reload against a real Chroma server (`chroma run`) on loopback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.models import Verdict
from newsbot.service import NewsService
from newsbot.settings import Settings
from tests.chroma_server import chroma_server
from tests.engine_helpers import SEED

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


def _settings(tmp: Path, url: str, collection: str) -> Settings:
    corpus = tmp / "corpus"
    corpus.mkdir(exist_ok=True)
    shutil.copy(SEED, corpus / SEED.name)
    return Settings(data_dir=tmp / "unused", corpus_dir=corpus, chroma_url=url, collection=collection,
                    answer_mode="extractive")


def test_ingest_ask_and_reload_against_a_chroma_server(server: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path, server, "srvone")
    service = NewsService(settings)
    first = service.reload(actor="test")
    assert first.added == ["meduza-lukashenko-apology"] and service.stats().mode == "server"
    assert service.ask("Did Lukashenko apologize?").verdict is Verdict.CONTESTED
    (settings.corpus_dir / "more.md").write_text("---\ntitle: More\n---\nThe bridge reopened on Friday.")
    second = service.reload(actor="test")
    assert second.added == ["more"] and second.unchanged == ["meduza-lukashenko-apology"] and second.switched
    assert not (tmp_path / "unused").exists()  # nothing written locally in server mode

    other = NewsService(settings)  # a second process (a shard) sees the same corpus through the server
    assert {a.id for a in other.articles()} == {"meduza-lukashenko-apology", "more"}
    (settings.corpus_dir / "more.md").unlink()
    service.reload(actor="test")
    assert other.store.refresh() and {a.id for a in other.articles()} == {"meduza-lukashenko-apology"}


def test_cli_ask_uses_the_server_when_its_url_is_set(server: str, tmp_path: Path, monkeypatch) -> None:
    settings = _settings(tmp_path, server, "srvcli")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBOT_CHROMA_URL", server)
    monkeypatch.setenv("NEWSBOT_COLLECTION", "srvcli")
    monkeypatch.setenv("NEWSBOT_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("NEWSBOT_ANSWER_MODE", "extractive")
    result = CliRunner().invoke(cli, ["ask", "--json", "Did Lukashenko apologize?"], catch_exceptions=False)
    assert json.loads(result.stdout)["verdict"] == "contested"
    status = CliRunner().invoke(cli, ["status"], catch_exceptions=False)
    assert json.loads(status.stdout)["mode"] == "server"
