"""The CLI on a corpus embedded by another model: one clear error naming the rebuild command, exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

from newsbot.settings import Settings
from tests.test_bot_model_mismatch import REBUILD, embed_with_another_model
from tests.test_cli import SEED_QUESTION, _run, env  # noqa: F401 - env is the fixture

STORED, CONFIGURED = "'hash/16'", "'onnx-int8/all-MiniLM-L6-v2'"


def mismatched(env: dict[str, Path]) -> None:  # noqa: F811
    embed_with_another_model(Settings(data_dir=env["data"], corpus_dir=env["corpus"]))


def one_clear_error(stderr: str) -> str:
    text = " ".join(stderr.split())  # rich wraps long lines
    assert text.startswith("error: The corpus was embedded with") and "Traceback" not in text
    assert STORED in text and CONFIGURED in text and REBUILD in text
    return text


def test_ask_and_ingest_fail_with_the_rebuild_command(env: dict[str, Path]) -> None:  # noqa: F811
    mismatched(env)
    for args in (("ask", SEED_QUESTION), ("ask", "--json", SEED_QUESTION), ("ingest",)):
        code, out, err = _run(*args)
        assert code == 2 and out == "", args
        one_clear_error(err)


def test_status_shows_the_stored_model_then_the_error(env: dict[str, Path]) -> None:  # noqa: F811
    mismatched(env)
    code, out, err = _run("status")
    assert code == 2 and json.loads(out)["embedding_model"] == "hash/16" and json.loads(out)["articles"] == 1
    one_clear_error(err)


def test_rebuild_fixes_it(env: dict[str, Path]) -> None:  # noqa: F811
    mismatched(env)
    assert _run("ingest", "--rebuild")[0] == 0
    code, out, err = _run("status")
    assert code == 0 and err == "" and json.loads(out)["embedding_model"] == "onnx-int8/all-MiniLM-L6-v2"
    assert _run("ask", SEED_QUESTION)[0] == 0
