"""Loading articles: every format, stable ids and hashes, and every bad file reported by name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from retrieval.loaders import load_bytes, load_paths
from tests.engine_helpers import ROOT


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_seed_loads_with_its_metadata_and_verbatim_text() -> None:
    result = load_paths([ROOT / "seeds"])
    assert result.failures == []
    (article,) = result.articles
    assert article.id == "meduza-lukashenko-apology" and article.publisher == "Meduza"
    assert article.published == "2025-01-05" and article.url.startswith("https://meduza.io/en/news/2025/01/06/")
    assert article.text.startswith("Ukrainian President Volodymyr Zelensky said")
    assert "told RBC that he did not apologize" in article.text


def test_markdown_without_front_matter_takes_its_first_line_as_title(tmp_path: Path) -> None:
    _write(tmp_path, "news/story.txt", "Mayor resigns\nThe mayor resigned on Monday.\n")
    (article,) = load_paths([tmp_path]).articles
    assert article.title == "Mayor resigns" and article.text == "The mayor resigned on Monday."
    assert article.id == "news--story"


def test_html_main_text_is_extracted_without_scripts(tmp_path: Path) -> None:
    body = "<p>" + "The council approved the new budget after a long debate. " * 8 + "</p>"
    page = (f"<html><head><title>Budget passes</title><script>var secret='SCRIPT-TEXT';</script></head>"
            f"<body><nav>Home | About</nav><article><h1>Budget passes</h1>{body}</article></body></html>")
    _write(tmp_path, "budget.html", page)
    result = load_paths([tmp_path])
    assert result.failures == []
    (article,) = result.articles
    assert "approved the new budget" in article.text and "SCRIPT-TEXT" not in article.text
    assert article.title == "Budget passes"


def test_json_and_jsonl_records_load_and_a_bad_record_is_named(tmp_path: Path) -> None:
    _write(tmp_path, "a.json", json.dumps([{"id": "r1", "title": "One", "text": "First text.", "publisher": "P",
                                            "published": "2024-01-02", "url": "https://x.test/1"}]))
    _write(tmp_path, "b.jsonl", json.dumps({"title": "Two", "text": "Second text."}) + "\n" + json.dumps({"title": "no text"}))
    result = load_paths([tmp_path])
    ids = sorted(a.id for a in result.articles)
    assert ids == ["b-1", "r1"]
    assert [f.source for f in result.failures] == []  # the good record of b.jsonl loaded; the bad one is skipped
    only_bad = load_bytes("c.jsonl", json.dumps({"title": "no text"}).encode())
    assert only_bad.articles == [] and "missing 'text'" in only_bad.failures[0].reason


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.md", b"   \n", "empty"),
        ("binary.md", b"\x00\x01\x02PNG", "binary"),
        ("latin1.md", "caf\xe9 au lait".encode("latin-1"), "UTF-8"),
        ("broken.md", b"---\ntitle: [unclosed\n---\nbody", "front matter"),
        ("unclosed.md", b"---\ntitle: x\nbody with no end", "front matter"),
        ("doc.pdf", b"%PDF-1.4", "unsupported"),
        ("bad.json", b"{not json", "JSON"),
    ],
)
def test_a_bad_file_is_reported_by_name_and_the_good_ones_still_load(tmp_path: Path, name: str, data: bytes,
                                                                    reason: str) -> None:
    _write(tmp_path, "good.md", "---\ntitle: Good\n---\nGood text.")
    _write(tmp_path, name, data)
    result = load_paths([tmp_path])
    assert [a.id for a in result.articles] == ["good"]
    (failure,) = result.failures
    assert failure.source == name and reason.lower() in failure.reason.lower()


def test_too_large_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as fh:
        fh.seek(6_000_000)
        fh.write(b"x")
    result = load_paths([tmp_path], max_bytes=5_000_000)
    assert result.articles == [] and "too large" in result.failures[0].reason


def test_duplicate_ids_keep_the_first_and_name_both_files(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "---\nid: same\ntitle: A\n---\nText A.")
    _write(tmp_path, "b.md", "---\nid: same\ntitle: B\n---\nText B.")
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["A"]
    assert result.failures[0].source == "b.md" and "a.md" in result.failures[0].reason


def test_links_outside_the_folder_and_hostile_upload_names_are_refused_safely(tmp_path: Path) -> None:
    outside = _write(tmp_path, "outside/secret.md", "---\ntitle: S\n---\nSecret.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(outside, corpus / "link.md")
    result = load_paths([corpus])
    assert result.articles == [] and "outside" in result.failures[0].reason
    upload = load_bytes("../../etc/passwd.md", b"---\ntitle: T\n---\nText.")
    assert upload.articles[0].id == "passwd" and upload.articles[0].source == "passwd.md"


def test_ids_are_stable_and_hashes_follow_text_and_metadata(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.md", "---\ntitle: T\npublisher: P\n---\nSome text.")
    first = load_paths([tmp_path]).articles[0]
    assert load_paths([tmp_path]).articles[0] == first
    path.write_text("---\ntitle: T\npublisher: Q\n---\nSome text.")
    changed_meta = load_paths([tmp_path]).articles[0]
    path.write_text("---\ntitle: T\npublisher: P\n---\nOther text.")
    changed_text = load_paths([tmp_path]).articles[0]
    assert first.id == changed_meta.id == changed_text.id == "s"
    assert len({first.content_hash, changed_meta.content_hash, changed_text.content_hash}) == 3


def test_a_missing_path_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    result = load_paths([tmp_path / "nope"])
    assert result.articles == [] and "no such file" in result.failures[0].reason
