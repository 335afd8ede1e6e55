"""What the chat completion request carries: the reply's token cap and temperature, per kind of model.

Chat models get ``max_tokens`` (NEWSBOT_LLM_MAX_TOKENS, else 800) and the
temperature; OpenAI reasoning models refuse both, so they get
``max_completion_tokens`` (only when a cap is set) and no temperature.
Asserted on what the scripted OpenAI-compatible server received.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsbot.llm import compose_llm, stream_llm
from newsbot.llm.notes import ALSO_FOUND_SIDE
from newsbot.models import Stance, Verdict
from newsbot.settings import Settings
from tests.llm_servers import ScriptedServer, answer_json, answers, streams
from tests.llm_servers.checks import EIS, EVIDENCE, QUESTION, ZEL, offline, settings_for
from tests.llm_servers.replies import passages_sent

SIDES = [("supports", "Zelensky", ZEL), ("refutes", "Eismont", EIS)]
REASONING = ["o1", "o1-mini", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1", "openai/o3-mini", "O3"]
CHAT = ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "llama3.1:8b", "local", "qwen2.5-7b-instruct", "solar-1-mini"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    s = ScriptedServer()
    s.reply = answers(SIDES)
    yield s
    s.close()


def settings(server: ScriptedServer, model: str, **kw: object) -> Settings:
    return settings_for(server.url).model_copy(update={"llm_model": model, **kw})


def sent_for(server: ScriptedServer, model: str, **kw: object) -> dict:
    answer = compose_llm(QUESTION, EVIDENCE, settings(server, model, **kw))
    assert answer.mode == "llm"  # the server accepted the request and its answer was used
    return server.requests[-1]


@pytest.mark.parametrize("model", CHAT)
def test_a_chat_model_gets_max_tokens_800_and_the_temperature_by_default(server: ScriptedServer, model: str) -> None:
    sent = sent_for(server, model, llm_temperature=0.3)
    assert sent["max_tokens"] == 800 and sent["temperature"] == 0.3 and "max_completion_tokens" not in sent


def test_a_chat_model_gets_the_configured_cap_from_the_environment(server: ScriptedServer, monkeypatch) -> None:
    monkeypatch.setenv("NEWSBOT_LLM_MAX_TOKENS", "1500")
    sent = sent_for(server, "gpt-4o-mini")
    assert sent["max_tokens"] == 1500 and "max_completion_tokens" not in sent


@pytest.mark.parametrize("model", REASONING)
def test_a_reasoning_model_gets_max_completion_tokens_and_no_temperature(server: ScriptedServer, model: str) -> None:
    sent = sent_for(server, model, llm_max_tokens=4000, llm_temperature=0.3)
    assert sent["max_completion_tokens"] == 4000
    assert "max_tokens" not in sent and "temperature" not in sent


def test_a_reasoning_model_without_a_cap_is_left_to_the_server(server: ScriptedServer) -> None:
    sent = sent_for(server, "o3-mini")
    assert not {"max_tokens", "max_completion_tokens", "temperature"} & set(sent)


async def test_a_streamed_request_follows_the_same_rules(server: ScriptedServer) -> None:
    server.reply = streams(lambda body: answer_json(body, SIDES))
    for model, cap in (("gpt-5-mini", {"max_completion_tokens": 900}), ("gpt-4o-mini", {"max_tokens": 900})):
        items = [item async for item in stream_llm(QUESTION, EVIDENCE, settings(server, model, llm_max_tokens=900))]
        assert getattr(items[-1], "mode", None) == "llm"
        sent = server.requests[-1]
        assert sent["stream"] is True and {k: sent[k] for k in cap} == cap
        assert ("temperature" in sent) is (model == "gpt-4o-mini")


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="llm_max_tokens"):
        Settings(llm_max_tokens=0)


def test_the_prompt_holds_only_the_best_llm_passages_while_the_offline_reader_reads_them_all(
        server: ScriptedServer) -> None:
    server.reply = answers([("supports", "Zelensky", ZEL)], verdict="supported")  # the denial sits in passage 3
    answer = compose_llm(QUESTION, EVIDENCE, settings(server, "gpt-4o-mini", llm_passages=2))
    sent = passages_sent(server.requests[-1])
    assert len(sent) == 2 and not any(EIS[:40] in block for block in sent)
    assert answer.mode == "llm" and answer.verdict is Verdict.SUPPORTED
    denial = [s for s in offline().sides if s.stance is Stance.REFUTES]  # read from all passages, passage 3 too
    also = [s for s in answer.sides if s.text.startswith(ALSO_FOUND_SIDE)]
    assert [(s.stance, s.speaker) for s in also] == [(s.stance, s.speaker) for s in denial]
