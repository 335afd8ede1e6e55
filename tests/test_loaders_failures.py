"""Bad sources are reported by name with a reason, and everything good beside them still loads."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from retrieval.loaders import LoadFailure, LoadResult, load_bytes, load_paths

GOOD = "---\ntitle: Good\n---\nGood text."


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _only_failure(result: LoadResult) -> LoadFailure:
    assert [a.id for a in result.articles] == ["good"], result
    assert len(result.failures) == 1, result.failures
    return result.failures[0]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.txt", b"  \n\t\r\n", "empty file"),
        ("bom-only.md", b"\xef\xbb\xbf\n", "empty file"),
        ("binary.md", b"PK\x03\x04\x00\x00binary", "binary file"),
        ("latin1.md", "Title\ncaf\xe9 au lait".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 9)"),
        ("utf16.txt", "Title\nText".encode("utf-16"), "UTF-16"),
        ("broken.md", b"---\ntitle: [unclosed\n---\nbody", "broken front matter: line"),
        ("unclosed.md", b"---\ntitle: x\nbody with no end", "no closing '---' line"),
        ("list.md", b"---\n- a\n- b\n---\nbody", "expected 'key: value' lines"),
        ("nested.md", b"---\ntitle: {a: 1}\n---\nbody", "'title' must be text"),
        ("no-body.md", b"---\ntitle: Only a title\n---\n\n  \n", "no article text after the front matter"),
        ("doc.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
        ("README", b"Just a readme", "unsupported file type (no suffix)"),
        ("bad.json", b"{not json", "not valid JSON (line 1"),
        ("scalar.json", b"42", "object or a list of objects"),
        ("none.json", b"[]", "no records"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("deep.md", b"---\ntitle: " + b"[" * 100_000 + b"]" * 100_000 + b"\n---\nText.", "nested too deeply"),
        ("scripts.html", b"<html><head><script>var a = 1;</script></head><body></body></html>",
         "no text extracted from HTML"),
    ],
)
def test_a_bad_file_is_reported_by_name_and_the_good_ones_still_load(tmp_path: Path, name: str, data: bytes,
                                                                    reason: str) -> None:
    _write(tmp_path, "good.md", GOOD)
    _write(tmp_path, f"sub/{name}", data)
    failure = _only_failure(load_paths([tmp_path]))
    assert failure.source == f"sub/{name}" and reason in failure.reason
    upload = load_bytes(name, data)
    assert upload.articles == [] and [f.source for f in upload.failures] == [name]
    assert reason in upload.failures[0].reason


def test_a_yaml_alias_bomb_in_front_matter_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    _write(tmp_path, "good.md", GOOD)
    _write(tmp_path, "bomb.md", "---\n" + "\n".join(lines) + "\ntitle: *a11\n---\nBody.")
    failure = _only_failure(load_paths([tmp_path]))
    assert failure.source == "bomb.md" and "'title' must be text" in failure.reason


@pytest.mark.timeout(30)
def test_a_too_large_file_is_refused_from_its_size_without_being_read(tmp_path: Path) -> None:
    _write(tmp_path, "good.md", GOOD)
    huge = tmp_path / "huge.md"
    with huge.open("wb") as fh:  # sparse: 64 GB that would take minutes (and all memory) to read
        fh.truncate(64 * 1024**3)
    failure = _only_failure(load_paths([tmp_path], max_bytes=5_000_000))
    assert failure == LoadFailure("huge.md", "too large (68719.5 MB > 5.0 MB)")
    too_big_upload = load_bytes("a.md", b"x" * 1500, max_bytes=1000)
    assert too_big_upload.failures == [LoadFailure("a.md", "too large (1.5 KB > 1.0 KB)")]


def test_a_file_just_at_the_limit_still_loads(tmp_path: Path) -> None:
    data = b"Title\n" + b"x" * 94
    _write(tmp_path, "edge.txt", data)
    assert [a.id for a in load_paths([tmp_path], max_bytes=len(data)).articles] == ["edge"]
    assert load_paths([tmp_path], max_bytes=len(data) - 1).articles == []


def _as_nobody(fn: Callable[[], LoadResult]) -> tuple[LoadResult, list[str]]:
    """Run ``fn`` in a child process that has dropped root, so file permissions apply: (failures, ids)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.setgid(65534)
            os.setuid(65534)
            result = fn()
            payload = json.dumps({"ids": [a.id for a in result.articles],
                                  "failures": [[f.source, f.reason] for f in result.failures]})
            os.write(write_end, payload.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    loaded = json.loads(data)
    return LoadResult([], [LoadFailure(s, r) for s, r in loaded["failures"]]), loaded["ids"]


@pytest.fixture()
def world_readable_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="newsbot-perm-"))
    folder.chmod(0o755)
    yield folder
    for dirpath, dirnames, _ in os.walk(folder):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o755)
    shutil.rmtree(folder)


def test_unreadable_file_and_folder_are_reported_and_the_rest_loads(world_readable_dir: Path) -> None:
    folder = world_readable_dir
    for path in (_write(folder, "good.md", GOOD), _write(folder, "secret.md", GOOD.replace("Good", "Secret"))):
        path.chmod(0o644)
    (folder / "secret.md").chmod(0o000)
    locked = folder / "locked"
    _write(locked, "inside.md", GOOD)
    locked.chmod(0o000)
    if os.geteuid() == 0:
        result, ids = _as_nobody(lambda: load_paths([folder]))
    else:
        loaded = load_paths([folder])
        result, ids = loaded, [a.id for a in loaded.articles]
    assert ids == ["good"]
    assert sorted((f.source, f.reason) for f in result.failures) == [
        ("locked", "folder cannot be read: Permission denied"),
        ("secret.md", "cannot be read: Permission denied"),
    ]


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "good.md", GOOD)
    _write(tmp_path, ".draft.md", "not even valid \x00")
    _write(tmp_path, ".git/objects/x.md", b"\xff\xfe")
    _write(tmp_path, "sub/.hidden/also.md", GOOD)
    result = load_paths([tmp_path])
    assert [a.id for a in result.articles] == ["good"] and result.failures == []


def test_links_outside_the_folder_are_refused_and_links_inside_load_once(tmp_path: Path) -> None:
    outside = _write(tmp_path, "outside/secret.md", "---\ntitle: S\n---\nSecret.")
    corpus = tmp_path / "corpus"
    _write(corpus, "good.md", GOOD)
    os.symlink(outside, corpus / "escape.md")
    os.symlink(tmp_path / "outside", corpus / "escape-dir")
    os.symlink(corpus / "good.md", corpus / "zz-alias.md")
    os.symlink(corpus / "missing.md", corpus / "dangling.md")
    os.symlink(corpus / "loop.md", corpus / "loop.md")
    result = load_paths([corpus])
    assert [a.id for a in result.articles] == ["good"]
    reasons = {f.source: f.reason for f in result.failures}
    assert reasons["escape.md"] == "a link that points outside the folder; refused"
    assert reasons["escape-dir"] == "a link that points outside the folder; refused"
    assert reasons["dangling.md"] == "broken link (its target does not exist)"
    assert reasons["loop.md"].startswith("cannot be read")
    assert set(reasons) == {"escape.md", "escape-dir", "dangling.md", "loop.md"}


def test_a_link_to_a_folder_inside_is_reported_not_followed(tmp_path: Path) -> None:
    _write(tmp_path, "real/good.md", GOOD)
    os.symlink(tmp_path / "real", tmp_path / "alias")
    result = load_paths([tmp_path])
    assert [a.source for a in result.articles] == ["real/good.md"]
    assert result.failures == [LoadFailure("alias", "a link to a folder; links to folders are not followed")]


def test_a_file_named_directly_may_be_a_link_but_not_under_root(tmp_path: Path) -> None:
    target = _write(tmp_path, "elsewhere/story.md", GOOD)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(target, corpus / "story.md")
    assert [a.id for a in load_paths([corpus / "story.md"]).articles] == ["story"]
    refused = load_paths([corpus / "story.md"], root=corpus)
    assert refused.articles == [] and "outside" in refused.failures[0].reason


@pytest.mark.timeout(20)
def test_a_fifo_is_not_opened(tmp_path: Path) -> None:
    _write(tmp_path, "good.md", GOOD)
    os.mkfifo(tmp_path / "pipe.md")
    failure = _only_failure(load_paths([tmp_path]))
    assert failure == LoadFailure("pipe.md", "not a regular file")
    assert load_paths([tmp_path / "pipe.md"]).failures == [LoadFailure("pipe.md", "not a regular file")]


def test_duplicate_ids_keep_the_first_in_path_order_and_name_both_sources(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "---\nid: same\ntitle: A\n---\nText A.")
    _write(tmp_path, "b.md", "---\nid: same\ntitle: B\n---\nText B.")
    _write(tmp_path, "c.jsonl", json.dumps({"id": "same", "title": "C", "text": "Text C."}))
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["A"]
    assert result.failures == [LoadFailure("b.md", "duplicate id 'same' (also in a.md)"),
                               LoadFailure("c.jsonl#1", "duplicate id 'same' (also in a.md)")]


def test_the_same_file_given_twice_loads_once(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.md", GOOD)
    result = load_paths([tmp_path, good])
    assert [a.id for a in result.articles] == ["good"] and result.failures == []


def test_a_missing_path_is_a_failure_and_the_other_paths_still_load(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.md", GOOD)
    result = load_paths([tmp_path / "nope", good])
    assert [a.id for a in result.articles] == ["good"]
    assert result.failures == [LoadFailure(str(tmp_path / "nope"), "no such file or folder")]
