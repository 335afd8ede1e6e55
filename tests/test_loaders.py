"""Loading articles: every format, verbatim text, stable ids and content hashes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsbot.models import Article
from retrieval.loaders import (
    SUPPORTED_SUFFIXES,
    LoadFailure,
    LoadResult,
    content_hash,
    load_bytes,
    load_paths,
)
from tests.engine_helpers import ROOT, SEED

FIXTURES = ROOT / "tests" / "fixtures" / "articles"


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _by_id(result: LoadResult) -> dict[str, Article]:
    return {a.id: a for a in result.articles}


def test_supported_suffixes_are_the_documented_formats() -> None:
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl"}


def test_seed_loads_with_its_metadata_and_verbatim_text() -> None:
    result = load_paths([ROOT / "seeds"])
    assert result.failures == []
    (article,) = result.articles
    assert article.id == "meduza-lukashenko-apology" and article.publisher == "Meduza"
    assert article.published == "2025-01-05" and article.language == "en"
    assert article.url == ("https://meduza.io/en/news/2025/01/06/zelensky-says-lukashenko-apologized-for-missile-"
                           "strikes-on-ukraine-from-belarusian-territory")
    assert article.title.startswith("Zelensky says Lukashenko apologized")
    body = SEED.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert body.startswith(article.text) and body[len(article.text):].strip() == ""
    assert article.source == "meduza-lukashenko-apology.md" and article.content_hash == content_hash(article)


def test_front_matter_sets_metadata_ignores_unknown_keys_and_keeps_the_body_verbatim() -> None:
    article = _by_id(load_paths([FIXTURES]))["Harbour-Strike--2024"]
    assert article.title == "Dock workers strike at Quillbrook harbour"
    assert (article.publisher, article.published) == ("Quillbrook Gazette", "2024-03-18")
    assert article.url == "https://gazette.example/harbour-strike"
    raw = (FIXTURES / "harbour-strike.md").read_text(encoding="utf-8")
    assert article.text in raw and "morning.  The union" in article.text  # inner whitespace untouched
    assert article.text.startswith("Dock workers") and article.text.endswith("diverted to Pellport.")
    assert "tags" not in article.text and "labour" not in article.text


def test_text_without_front_matter_takes_its_first_line_as_title_and_keeps_the_rest() -> None:
    article = _by_id(load_paths([FIXTURES]))["nested--ferry-notice"]
    assert article.title == "Ferry timetable changes for the winter"
    assert article.text == ("The Quillbrook ferry will run every two hours from November.\n"
                            "Operators blamed rising fuel costs.")
    assert article.source == "nested/ferry-notice.txt" and article.publisher == "" and article.published == ""


def test_markdown_heading_becomes_the_title_and_a_one_line_file_keeps_its_line(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "\n\n# Mayor resigns\n\nThe mayor resigned on Monday.\n")
    _write(tmp_path, "b.txt", "Only one line of news here.\n")
    articles = _by_id(load_paths([tmp_path]))
    assert articles["a"].title == "Mayor resigns" and articles["a"].text == "The mayor resigned on Monday."
    assert articles["b"].title == articles["b"].text == "Only one line of news here."


def test_html_gives_main_text_and_page_metadata_without_scripts_styles_or_menus() -> None:
    result = load_paths([FIXTURES / "council-budget.html"])
    assert result.failures == []
    (article,) = result.articles
    assert "approved the new budget on Thursday" in article.text
    assert "takes effect on the first of July" in article.text
    for junk in ("SCRIPT-TEXT", "STYLE-TEXT", "color: red", "Home", "All rights reserved"):
        assert junk not in article.text
    assert article.title == "Council passes budget after long debate"
    assert (article.publisher, article.published) == ("Pellport Courier", "2024-05-02")
    assert article.url == "https://courier.example/2024/05/02/council-budget"
    assert article.id == "council-budget" and article.source == "council-budget.html"


def test_json_records_take_their_id_else_a_slug_of_their_url() -> None:
    articles = _by_id(load_paths([FIXTURES / "wire-records.json"]))
    assert set(articles) == {"wire-001", "wire.example--news--bridge-x-1"}
    rail = articles["wire-001"]
    assert (rail.title, rail.publisher, rail.published, rail.url) == (
        "Rail line reopens", "Wire", "2024-06-07", "https://wire.example/rail")
    assert rail.text == "The coastal rail line reopened on Friday after repairs."
    assert rail.source == "wire-records.json#1"


def test_jsonl_bad_records_are_named_by_number_and_the_good_ones_load() -> None:
    result = load_paths([FIXTURES / "met-feed.jsonl"])
    assert [a.id for a in result.articles] == ["met-feed-1", "met-feed-3"]
    assert [a.title for a in result.articles] == ["Storm warning", "Flood update"]
    assert [(f.source, f.reason.split(":")[0]) for f in result.failures] == [
        ("met-feed.jsonl", "record 2"), ("met-feed.jsonl", "record 4 (line 5)")]
    assert "missing 'text'" in result.failures[0].reason and "not valid JSON" in result.failures[1].reason


def test_a_single_json_object_is_one_record_and_a_record_without_title_uses_its_first_line(tmp_path: Path) -> None:
    _write(tmp_path, "one.json", json.dumps({"text": "Turnout rose to 71 percent.\nMore below.", "published": 2024}))
    (article,) = load_paths([tmp_path]).articles
    assert (article.id, article.title, article.published) == ("one-1", "Turnout rose to 71 percent.", "2024")
    assert article.text == "Turnout rose to 71 percent.\nMore below."


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"title": "x", "text": 5}', "'text' must be a string"),
        ('{"title": "x", "text": "   "}', "'text' is empty"),
        ('{"title": {"nested": true}, "text": "Body."}', "'title' must be text"),
        ('{"title": "x", "text": "Bad \\ud800 surrogate."}', "not valid Unicode"),
    ],
)
def test_each_kind_of_bad_record_is_reported_with_its_number(tmp_path: Path, record: str, reason: str) -> None:
    rows = json.loads(record) if record.startswith("[") else [json.loads(record)]
    _write(tmp_path, "feed.json", "[" + ", ".join([json.dumps({"title": "Good", "text": "Fine text."})]
                                                  + [json.dumps(r) for r in rows]) + "]")
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["Good"]
    assert result.failures and all(f.source == "feed.json" for f in result.failures)
    assert result.failures[0].reason.startswith("record 2: ") and reason in result.failures[0].reason


def test_ids_are_stable_across_loads_and_do_not_depend_on_other_files(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "corpus")
    first = load_paths([tmp_path / "corpus"])
    _write(tmp_path, "corpus/aaa-first.md", "---\ntitle: New\n---\nA new article sorted first.")
    second = load_paths([tmp_path / "corpus"])
    again = _by_id(second)
    for article in first.articles:
        assert again[article.id] == article
    assert len(second.articles) == len(first.articles) + 1


def test_a_file_loaded_alone_under_root_gets_the_same_id_as_through_its_folder() -> None:
    via_folder = _by_id(load_paths([FIXTURES]))["nested--ferry-notice"]
    (alone,) = load_paths([FIXTURES / "nested" / "ferry-notice.txt"], root=FIXTURES).articles
    assert alone == via_folder
    (without_root,) = load_paths([FIXTURES / "nested" / "ferry-notice.txt"]).articles
    assert without_root.id == "ferry-notice" and without_root.source == "ferry-notice.txt"


def test_content_hash_changes_when_text_or_any_metadata_changes() -> None:
    base = Article(id="a", title="T", text="Body.", publisher="P", published="2024-01-01", url="https://x", language="en")
    hashes = {content_hash(base)}
    for name, value in [("id", "b"), ("title", "T2"), ("text", "Body!"), ("publisher", "Q"),
                        ("published", "2024-01-02"), ("url", "https://y"), ("language", "ru")]:
        hashes.add(content_hash(base.model_copy(update={name: value})))
    assert len(hashes) == 8
    assert content_hash(base.model_copy(update={"source": "elsewhere.md"})) == content_hash(base)


def test_loaded_hash_follows_edits_of_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.md", "---\ntitle: T\npublisher: P\n---\nSome text.")
    first = load_paths([tmp_path]).articles[0]
    assert load_paths([tmp_path]).articles[0].content_hash == first.content_hash
    path.write_text("---\ntitle: T\npublisher: Q\n---\nSome text.")
    changed_meta = load_paths([tmp_path]).articles[0]
    path.write_text("---\ntitle: T\npublisher: P\n---\nSome text, edited.")
    changed_text = load_paths([tmp_path]).articles[0]
    assert first.id == changed_meta.id == changed_text.id == "s"
    assert len({first.content_hash, changed_meta.content_hash, changed_text.content_hash}) == 3


def test_a_bom_is_dropped_and_crlf_text_is_kept_as_decoded(tmp_path: Path) -> None:
    _write(tmp_path, "crlf.md", "\ufeff---\r\ntitle: Windows file\r\n---\r\nLine one.\r\nLine two.\r\n".encode())
    (article,) = load_paths([tmp_path]).articles
    assert article.title == "Windows file" and article.text == "Line one.\r\nLine two."


def test_yaml_dates_and_times_become_iso_strings(tmp_path: Path) -> None:
    _write(tmp_path, "d.md", "---\ntitle: D\npublished: 2024-02-29\n---\nText.")
    _write(tmp_path, "t.md", "---\ntitle: T\npublished: 2024-02-29 14:05:00\n---\nText.")
    _write(tmp_path, "s.md", "---\ntitle: S\npublished: 'March 2024'\n---\nText.")
    articles = _by_id(load_paths([tmp_path]))
    assert [articles[k].published for k in "dts"] == ["2024-02-29", "2024-02-29T14:05", "March 2024"]


def test_ids_are_made_of_safe_characters_and_distinct_names_stay_distinct(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "---\nid: '../../etc/pass wd#1'\ntitle: A\n---\nText.")
    _write(tmp_path, "новость.md", "---\ntitle: B\n---\nТекст.")
    _write(tmp_path, "статья.md", "---\ntitle: C\n---\nТекст.")
    _write(tmp_path, "café.md", "---\ntitle: D\n---\nText.")
    result = load_paths([tmp_path])
    assert result.failures == []
    ids = {a.title: a.id for a in result.articles}
    assert ids["A"] == "etc--pass-wd-1" and ids["D"] == "cafe"
    assert ids["B"] != ids["C"] and ids["B"].startswith("article-")
    assert all(set(i) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") for i in ids.values())
    assert {a.id for a in load_paths([tmp_path]).articles} == set(ids.values())


def test_upload_is_parsed_by_its_suffix_and_only_its_base_name_is_used(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    upload = load_bytes("../../etc/passwd.md", b"---\ntitle: T\n---\nText.")
    assert upload.failures == [] and upload.articles[0].id == "passwd" and upload.articles[0].source == "passwd.md"
    windows = load_bytes("C:\\Users\\x\\..\\feed.jsonl", b'{"title": "A", "text": "B."}\n')
    assert [a.id for a in windows.articles] == ["feed-1"] and windows.articles[0].source == "feed.jsonl#1"
    html = load_bytes("page.HTM", (FIXTURES / "council-budget.html").read_bytes(), source="attachment 42")
    assert "approved the new budget" in html.articles[0].text and html.articles[0].source == "attachment 42"
    odd = load_bytes("evil\nname.txt", b"Title\nBody text.")
    assert odd.articles[0].source == "evilname.txt"
    assert list(tmp_path.iterdir()) == []  # nothing was written anywhere near


def test_merge_keeps_everything_and_turns_a_taken_id_into_a_failure() -> None:
    a = load_bytes("a.md", b"---\nid: same\ntitle: A\n---\nText A.")
    b = load_bytes("b.md", b"---\nid: same\ntitle: B\n---\nText B.")
    c = LoadResult([], [LoadFailure("c.md", "empty file")])
    merged = a.merge(b).merge(c)
    assert [x.title for x in merged.articles] == ["A"]
    assert merged.failures == [LoadFailure("b.md", "duplicate id 'same' (also in a.md)"), LoadFailure("c.md", "empty file")]
