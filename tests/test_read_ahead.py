"""Reading ahead: the corpus parsed before questions reach it (the bot in the background, `ingest --read-ahead`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.engine.parse import ParseCache, Parser, paragraphs
from newsbot.service import NewsService
from newsbot.settings import Settings
from tests.engine_helpers import SEED

DAM = "---\ntitle: Dam\npublisher: Wire\n---\nEngineers said the dam did not crack.\n\nThe river fell overnight."


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "dam.md").write_text(DAM, encoding="utf-8")
    return corpus


def _unparsed(service: NewsService, data_dir: Path) -> list[str]:
    """Paragraphs of the corpus that a new process would have to parse (not in parses.sqlite3)."""
    parser = Parser(ParseCache(data_dir / "parses.sqlite3"))
    try:
        texts = {a.text[p.start : p.end] for a in service.articles() for p in paragraphs(a.text)}
        keys = {parser._key(t): t for t in texts}
        found = parser.cache.get_many(list(keys))
        return [t for k, t in keys.items() if k not in found]
    finally:
        parser.close()


def test_the_bot_service_reads_the_corpus_ahead_in_the_background_after_an_ingest(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=_corpus(tmp_path), answer_mode="extractive")
    service = NewsService(settings, read_ahead=True)
    try:
        service.reload(actor="test")
        assert service.wait_read_ahead(120)
        assert _unparsed(service, settings.data_dir) == []
        assert service.ask("Did Lukashenko apologize?").verdict.value == "contested"  # answers from the parses
    finally:
        service.close()


def test_a_restarted_bot_service_reads_an_existing_corpus_ahead(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=_corpus(tmp_path), answer_mode="extractive")
    first = NewsService(settings)
    try:
        first.reload(actor="test")
    finally:
        first.close()
    service = NewsService(settings, read_ahead=True)
    try:
        assert len(_unparsed(service, settings.data_dir)) >= 3
        assert service.ensure_corpus() is None  # nothing to ingest: the corpus is read ahead instead
        assert service.wait_read_ahead(120)
        assert _unparsed(service, settings.data_dir) == []
    finally:
        service.close()


def test_a_service_does_not_read_ahead_unless_asked_and_the_setting_turns_it_off(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    plain = NewsService(Settings(data_dir=tmp_path / "a", corpus_dir=corpus, answer_mode="extractive"))
    off = NewsService(Settings(data_dir=tmp_path / "b", corpus_dir=corpus, answer_mode="extractive", read_ahead=False),
                      read_ahead=True)
    try:
        for service, data in ((plain, tmp_path / "a"), (off, tmp_path / "b")):
            service.reload(actor="test")
            assert service.wait_read_ahead(5)
            assert len(_unparsed(service, data)) >= 3  # the seed's paragraphs and both of the dam story's
    finally:
        plain.close()
        off.close()


def test_ingest_read_ahead_parses_every_paragraph_and_says_so(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    corpus = _corpus(tmp_path)
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSBOT_CORPUS_DIR", str(corpus))
    result = CliRunner().invoke(cli, ["ingest", "--read-ahead"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Read ahead:" in result.output
    service = NewsService(Settings(data_dir=tmp_path / "data", corpus_dir=corpus))
    try:
        assert _unparsed(service, tmp_path / "data") == []
    finally:
        service.close()
