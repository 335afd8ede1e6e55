"""The newsbot CLI end to end: real Chroma store in a temp dir, real embeddings, real commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from tests.engine_helpers import SEED, seed_article

SEED_QUESTION = "Did Lukashenko apologize?"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    data = tmp_path / "data"
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(data))
    monkeypatch.setenv("NEWSBOT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("NEWSBOT_ANSWER_MODE", "extractive")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the repository
    return {"corpus": corpus, "data": data, "tmp": tmp_path}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_console_script_answers_the_seed_question_contested_on_an_empty_store(env: dict[str, Path]) -> None:
    exe = Path(sys.executable).parent / "newsbot"
    proc = subprocess.run([str(exe), "ask", SEED_QUESTION], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "200"}, cwd=env["tmp"], check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "CONTESTED" in out
    assert "Zelensky" in out and "Eismont" in out and "RBC" in out
    assert "[1]" in out and "meduza.io" in out and "Meduza" in out
    assert "Ingested 1 articles" in proc.stderr


def test_ask_json_follows_the_public_contract_with_exact_quotes(env: dict[str, Path]) -> None:
    code, out, _ = _run("ask", "--json", SEED_QUESTION)
    assert code == 0
    answer = json.loads(out)
    assert set(answer) >= {"question", "verdict", "summary", "kind", "sides", "citations"}
    assert answer["verdict"] == "contested" and answer["kind"] == "yesno"
    assert {s["stance"] for s in answer["sides"]} == {"supports", "refutes"}
    for side in answer["sides"]:
        assert set(side) >= {"stance", "speaker", "text", "citations"} and side["citations"]
    text = seed_article().text
    for c in answer["citations"]:
        assert set(c) >= {"n", "article_id", "title", "publisher", "published", "url", "quote", "start", "end"}
        assert text[c["start"] : c["end"]] == c["quote"]


def test_an_open_question_reads_answered_and_reports_not_says_yes(env: dict[str, Path]) -> None:
    code, out, _ = _run("ask", "What did Eismont tell RBC?")
    assert code == 0 and "ANSWERED" in out and "REPORTS" in out and "Natalya Eismont" in out
    assert "SAYS YES" not in out and "SUPPORTED" not in out
    _, yes_no, _ = _run("ask", SEED_QUESTION)
    assert "SAYS YES" in yes_no and "SAYS NO" in yes_no


def test_ask_about_something_absent_is_not_found_and_cites_nothing(env: dict[str, Path]) -> None:
    code, out, _ = _run("ask", "--json", "Who won the 2019 Tour de France?")
    assert code == 0
    answer = json.loads(out)
    assert answer["verdict"] == "not_found" and answer["citations"] == [] and answer["sides"] == []


def test_empty_question_is_a_clear_usage_error(env: dict[str, Path]) -> None:
    code, _, err = _run("ask", "   ")
    assert code == 2 and "empty" in err


def test_ingest_is_incremental_added_unchanged_updated_removed(env: dict[str, Path]) -> None:
    corpus = env["corpus"]
    (corpus / "second.md").write_text("---\ntitle: Second story\npublisher: Wire\n---\nThe mayor resigned on Monday.\n")
    code, out, _ = _run("ingest", "--json")
    first = json.loads(out)
    assert code == 0 and sorted(first["added"]) == ["meduza-lukashenko-apology", "second"]

    code, out, _ = _run("ingest", "--json")
    again = json.loads(out)
    assert again["added"] == [] and sorted(again["unchanged"]) == ["meduza-lukashenko-apology", "second"]
    assert again["chunks_embedded"] == 0

    (corpus / "second.md").write_text("---\ntitle: Second story\npublisher: Wire\n---\nThe mayor did not resign.\n")
    code, out, _ = _run("ingest", "--json")
    assert json.loads(out)["updated"] == ["second"]

    (corpus / "second.md").unlink()
    code, out, _ = _run("ingest", "--json")
    assert json.loads(out)["removed"] == ["second"]
    code, out, _ = _run("corpus", "--json")
    assert [a["id"] for a in json.loads(out)] == ["meduza-lukashenko-apology"]


def test_ingest_reports_an_unreadable_file_by_name_and_loads_the_rest(env: dict[str, Path]) -> None:
    (env["corpus"] / "broken.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe not utf-8 \x00\x00")
    code, out, _ = _run("ingest", "--json")
    report = json.loads(out)
    assert code == 3
    assert [f["source"] for f in report["failed"]] == ["broken.md"] and report["failed"][0]["reason"]
    assert report["added"] == ["meduza-lukashenko-apology"]
    code, out, _ = _run("ask", "--json", SEED_QUESTION)
    assert json.loads(out)["verdict"] == "contested"


def test_corpus_lists_title_publisher_and_date(env: dict[str, Path]) -> None:
    _run("ingest")
    _, out, _ = _run("corpus", "--json")
    (article,) = json.loads(out)
    assert article["publisher"] == "Meduza" and article["published"] == "2025-01-05"
    assert article["title"].startswith("Zelensky says Lukashenko apologized")


def test_bot_without_a_token_says_how_to_get_one(env: dict[str, Path]) -> None:
    code, _, err = _run("bot")
    assert code != 0 and "DISCORD_TOKEN" in err and "developers" in err


