"""Article ids are relative to the corpus folder however a file in it is ingested, and older stores heal on reload.

``newsbot ingest corpus/sub/a.md`` (or ``corpus/sub``) must name the article as
``/reload`` does (``sub--a``), or the same file would be held twice under two
ids. A store written before that (a file's id from its name alone, or from
its absolute path) loses nothing and keeps no duplicate after one reload.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.service import NewsService
from newsbot.settings import Settings
from retrieval.formats import content_hash, slugify
from retrieval.loaders import LoadResult, load_paths
from tests.engine_helpers import SEED

FILES = {"sub/harbour.md": "---\ntitle: Harbour\npublisher: Wire\n---\nThe harbour reopened on Monday after the storm.",
         "sub/deeper/dam.md": "---\ntitle: Dam\npublisher: Wire\n---\nEngineers said the dam did not crack."}
FOLDER_IDS = {"meduza-lukashenko-apology", "sub--harbour", "sub--deeper--dam"}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[NewsService]:
    corpus = tmp_path / "corpus"
    for rel, text in FILES.items():
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(text, encoding="utf-8")
    shutil.copy(SEED, corpus / SEED.name)
    svc = NewsService(Settings(data_dir=tmp_path / "data", corpus_dir=corpus, answer_mode="extractive"))
    yield svc
    svc.close()


def held(service: NewsService) -> dict[str, str]:
    return {a.id: a.text for a in service.articles()}


def test_a_file_or_subfolder_of_the_corpus_keeps_the_id_reload_gives_it(service: NewsService, monkeypatch) -> None:
    corpus = service.settings.corpus_dir
    assert set(service.reload().added) == FOLDER_IDS
    one = service.ingest([corpus / "sub" / "harbour.md"])
    assert one.unchanged == ["sub--harbour"] and not one.added
    folder = service.ingest([corpus / "sub"])
    assert sorted(folder.unchanged) == ["sub--deeper--dam", "sub--harbour"] and not folder.added
    monkeypatch.chdir(corpus.parent)  # a relative path to the same file
    assert service.ingest([Path("corpus/sub/deeper/dam.md")]).unchanged == ["sub--deeper--dam"]
    assert set(held(service)) == FOLDER_IDS


def test_a_file_outside_the_corpus_is_named_by_its_own_folder(service: NewsService, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "port.md"
    outside.parent.mkdir()
    outside.write_text("---\ntitle: Port\n---\nThe port strike ended on Thursday.", encoding="utf-8")
    service.reload()
    assert service.ingest([outside]).added == ["port"]


@pytest.mark.parametrize("old_id", ["by file name", "by absolute path"])
def test_a_store_with_ids_of_an_older_version_loses_nothing_and_keeps_no_duplicate_after_a_reload(
        service: NewsService, old_id: str) -> None:
    corpus = service.settings.corpus_dir
    service.reload()
    harbour = corpus / "sub" / "harbour.md"
    (old,) = load_paths([harbour]).articles  # how a file ingested on its own used to be named
    if old_id == "by absolute path":
        old = old.model_copy(update={"id": slugify(str(harbour.with_suffix("")).lstrip("/"))})
    old = old.model_copy(update={"content_hash": content_hash(old)})
    service.add(LoadResult([old]))
    assert len(held(service)) == 4  # the same file twice: what older versions could leave behind
    assert not service.ingest([harbour]).added  # ingesting it again adds no third copy
    healed = service.reload()
    assert healed.removed == [old.id] and not healed.added and not healed.failed
    texts = held(service)
    assert set(texts) == FOLDER_IDS and sorted(texts.values()) == sorted(
        [*(t.split("---\n")[-1] for t in FILES.values()), texts["meduza-lukashenko-apology"]])
    hits = service.retrieve("When did the harbour reopen?")
    assert hits[0].article.id == "sub--harbour"
