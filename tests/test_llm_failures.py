"""Every way the endpoint can fail ends in the extractive answer with a one-line note, never an exception.

Also: 429/5xx are retried with backoff (honouring Retry-After), an endpoint
that refuses one structured-output form is asked in the next, and usage and
latency are logged without the API key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.llm import compose_llm
from newsbot.models import Answer, Verdict
from tests.llm_servers import (
    ScriptedServer,
    answers,
    content,
    failing_first,
    free_port,
    raw_answer,
    refusing_formats,
    status,
)
from tests.llm_servers.checks import (
    EIS,
    EVIDENCE,
    OFFLINE_NOTES,
    QUESTION,
    ZEL,
    assert_sound,
    same_fallback,
    settings_for,
)

GOOD = answers([("supports", "Zelensky", ZEL), ("refutes", "Eismont", EIS)])
FAST_RETRY = {"retry-after-ms": "20"}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    s = ScriptedServer()
    yield s
    s.close()


def assert_fallback(answer: Answer, note: str) -> None:
    same_fallback(answer)  # the offline reader's answer, as it reads now
    assert len(answer.notes) == 1 and note in answer.notes[0] and "extractive answer shown" in answer.notes[0]
    assert "\n" not in answer.notes[0]
    assert_sound(answer)


@pytest.mark.parametrize(
    ("reply", "note"),
    [
        (status(500), "HTTP 500"),
        (status(400), "HTTP 400"),
        (status(401), "HTTP 401"),
        (content("{verdict: contested, sides: [oops"), "not valid JSON"),
        (content("I think Lukashenko apologized, probably."), "not valid JSON"),
        (content(""), "empty reply"),
        (content(None), "empty reply"),
        (content("[1, 2, 3]"), "not a JSON object"),
        (lambda body: (200, "this is not a chat completion"), "malformed response"),
        (lambda body: (200, {"object": "chat.completion", "choices": []}), "empty reply"),
    ],
    ids=["500", "400", "401", "broken-json", "prose", "empty", "null", "json-array", "garbage-body", "no-choices"],
)
def test_a_bad_reply_falls_back_to_the_extractive_answer_with_a_note(server: ScriptedServer, reply, note: str) -> None:
    server.reply = reply
    assert_fallback(compose_llm(QUESTION, EVIDENCE, settings_for(server.url)), note)


def test_a_model_that_never_answers_times_out_into_the_extractive_answer(server: ScriptedServer) -> None:
    server.delay = 5.0
    started = time.monotonic()
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url, timeout=0.5))
    assert time.monotonic() - started < 3.0
    assert_fallback(answer, "timed out")


@pytest.mark.parametrize("url", [f"http://127.0.0.1:{free_port()}/v1", "127.0.0.1:8080", "not a url"],
                         ids=["refused", "no-scheme", "nonsense"])
def test_an_unreachable_or_misconfigured_endpoint_falls_back_to_the_extractive_answer(url: str) -> None:
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(url))
    assert_fallback(answer, "could not be reached")


def test_429_is_retried_with_backoff_then_answered(server: ScriptedServer) -> None:
    server.reply = failing_first(1, 429, GOOD)
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url, retries=2))
    assert len(server.requests) == 2 and answer.mode == "llm"
    assert all(n.startswith(OFFLINE_NOTES) for n in answer.notes)  # no failure note
    assert server.times[1] - server.times[0] >= 0.3  # the client backed off before trying again


def test_a_retry_after_header_sets_the_wait(server: ScriptedServer) -> None:
    server.reply = failing_first(2, 503, GOOD, headers={"retry-after-ms": "150"})
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url, retries=2))
    assert answer.mode == "llm" and len(server.requests) == 3
    gaps = [b - a for a, b in zip(server.times, server.times[1:], strict=False)]
    assert all(0.14 <= g < 0.4 for g in gaps), gaps


def test_retries_are_bounded_then_the_extractive_answer_is_shown(server: ScriptedServer) -> None:
    server.reply = status(503, FAST_RETRY)
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url, retries=2))
    assert len(server.requests) == 3
    assert_fallback(answer, "HTTP 503")


def test_rate_limiting_that_never_ends_is_reported_as_such(server: ScriptedServer) -> None:
    server.reply = status(429, FAST_RETRY)
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url, retries=1))
    assert len(server.requests) == 2
    assert_fallback(answer, "rate-limiting (HTTP 429)")


def test_an_endpoint_refusing_json_object_is_asked_with_json_schema_and_that_is_remembered(
        server: ScriptedServer) -> None:
    server.reply = refusing_formats("json_object", then=GOOD)
    settings = settings_for(server.url)
    first = compose_llm(QUESTION, EVIDENCE, settings)
    second = compose_llm(QUESTION, EVIDENCE, settings)
    kinds = [r["response_format"]["type"] for r in server.requests]
    assert kinds == ["json_object", "json_schema", "json_schema"]
    assert server.requests[1]["response_format"]["json_schema"]["schema"]["required"] == ["verdict", "sides"]
    assert first.mode == second.mode == "llm" and first.verdict is Verdict.CONTESTED  # the model's two sides


def test_an_endpoint_refusing_every_structured_form_is_asked_with_the_prompt_alone(server: ScriptedServer) -> None:
    server.reply = refusing_formats("json_object", "json_schema", then=GOOD)
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url))
    assert [r.get("response_format") is None for r in server.requests] == [False, False, True]
    assert answer.mode == "llm"


@pytest.mark.parametrize("text", [
    "version: x\nsystem: hi\nuser: no placeholders here\n",
    "version: x\nsystem: reply {{\"a\": {name}}}\nuser: \"{passages} {question}\"\n",
    "version: x\nsystem: reply {\"a\": 1}\nuser: \"{passages} {question}\"\n",
    "system: hi\nuser: \"{passages} {question}\"\n",
    "version: [unclosed\n",
    None,
], ids=["no-placeholders", "unknown-placeholder", "single-braces", "no-version", "bad-yaml", "missing"])
def test_an_unusable_prompt_file_falls_back_with_a_note(server: ScriptedServer, tmp_path: Path,
                                                        text: str | None) -> None:
    if text is not None:
        (tmp_path / "answer.yaml").write_text(text, encoding="utf-8")
    server.reply = GOOD
    answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url, prompts_dir=tmp_path))
    assert_fallback(answer, "prompt file is unusable")
    assert server.requests == []


def test_an_edited_prompt_file_is_used_at_the_next_question(server: ScriptedServer, tmp_path: Path) -> None:
    prompt = tmp_path / "answer.yaml"
    text = (Path(__file__).resolve().parent.parent / "prompts" / "answer.yaml").read_text(encoding="utf-8")
    prompt.write_text(text.replace("version: ", "version: one-"), encoding="utf-8")
    server.reply = GOOD
    settings = settings_for(server.url, prompts_dir=tmp_path)
    assert compose_llm(QUESTION, EVIDENCE, settings).prompt_version.startswith("one-")
    prompt.write_text(text.replace("version: ", "version: two-"), encoding="utf-8")
    assert compose_llm(QUESTION, EVIDENCE, settings).prompt_version.startswith("two-")


def test_a_reply_shaped_unlike_any_answer_never_raises(server: ScriptedServer) -> None:
    for data in ({"sides": "everyone"}, {"sides": [{"evidence": "passage 1"}]}, {"sides": [{"evidence": [
            {"passage": "1e9999", "quote": ["a list"]}, {"passage": None}, {"passage": 2 ** 80, "quote": 5}]}]},
            {"verdict": ["x"], "sides": [{"stance": {"a": 1}, "speaker": 7, "statement": None, "evidence": [
                {"passage": 1, "quote": ZEL}]}]}):
        server.reply = raw_answer(data)
        answer = compose_llm(QUESTION, EVIDENCE, settings_for(server.url))
        if answer.mode == "extractive":
            same_fallback(answer)
        else:
            assert answer.citations and [c.quote for c in answer.citations][:1] == [ZEL]
        assert_sound(answer)


def test_usage_and_latency_are_logged_and_the_key_never_is(server: ScriptedServer, caplog) -> None:
    key = "sk-FAKE-LLM-KEY-91c2"
    server.reply = GOOD
    caplog.set_level(logging.DEBUG)
    settings = settings_for(server.url).model_copy(update={"llm_api_key": __import__("pydantic").SecretStr(key)})
    answer = compose_llm(QUESTION, EVIDENCE, settings)
    assert answer.mode == "llm"
    assert "prompt_tokens=10 completion_tokens=10" in caplog.text and "latency_ms=" in caplog.text
    assert key not in caplog.text and key not in answer.model_dump_json()
