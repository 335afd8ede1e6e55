"""LLM answers through any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp, LM Studio).

The model gets the retrieved passages as fenced, numbered data and must reply
with JSON (schema in :mod:`newsbot.llm.prompt`). Whatever it writes is then
verified (:mod:`newsbot.llm.verify`). Timeouts, refused connections, 429 and
5xx (retried with backoff by the ``openai`` client), invalid JSON and empty
replies all fall back to the extractive answer with a one-line note: no
failure reaches the user as an exception. Token usage and latency are logged.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Sequence

import openai

from newsbot.engine import compose
from newsbot.llm.prompt import ANSWER_SCHEMA, load_prompt, messages
from newsbot.llm.verify import verify
from newsbot.models import Answer, Evidence, Verdict
from newsbot.settings import Settings

log = logging.getLogger("newsbot.llm")
MAX_TOKENS = 700


class LLMFailure(RuntimeError):
    """The endpoint gave no usable reply; the message says why in a few words."""


def compose_llm(question: str, evidence: Sequence[Evidence], settings: Settings) -> Answer:
    """A verified LLM answer, or the extractive one with a note when the model fails. Never raises for model or HTTP faults."""
    extractive = compose(question, evidence)
    if extractive.verdict is Verdict.NOT_FOUND or not evidence:
        return extractive  # nothing relevant: abstain without asking the model to invent
    prompt = load_prompt(settings.prompts_dir)
    try:
        reply = _complete(settings, messages(prompt, question, evidence))
    except LLMFailure as exc:
        return _fallback(extractive, str(exc), prompt.version)
    return verify(question, evidence, reply, extractive, prompt_version=prompt.version)


async def stream_llm(question: str, evidence: Sequence[Evidence], settings: Settings) -> AsyncIterator[str | Answer]:
    """Yield the model's text as it streams, then the verified Answer last."""
    extractive = compose(question, evidence)
    if extractive.verdict is Verdict.NOT_FOUND or not evidence:
        yield extractive
        return
    prompt = load_prompt(settings.prompts_dir)
    client = openai.AsyncOpenAI(**_client_args(settings))
    started, parts = time.perf_counter(), []
    try:
        stream = await client.chat.completions.create(stream=True, **_request(settings, messages(prompt, question, evidence)))
        async for chunk in stream:
            delta = chunk.choices[0].delta.content if chunk.choices else None
            if delta:
                parts.append(delta)
                yield delta
    except openai.OpenAIError as exc:
        yield _fallback(extractive, _why(exc), prompt.version)
        return
    finally:
        await client.close()
    log.info("llm stream: %d chars in %.0f ms", sum(map(len, parts)), (time.perf_counter() - started) * 1000)
    try:
        reply = _parse("".join(parts))
    except LLMFailure as exc:
        yield _fallback(extractive, str(exc), prompt.version)
        return
    yield verify(question, evidence, reply, extractive, prompt_version=prompt.version)


def _client_args(settings: Settings) -> dict:
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return {"base_url": settings.llm_base_url, "api_key": key, "timeout": settings.llm_timeout,
            "max_retries": settings.llm_max_retries}


def _request(settings: Settings, msgs: list[dict[str, str]]) -> dict:
    return {"model": settings.llm_model, "messages": msgs, "temperature": settings.llm_temperature,
            "max_tokens": MAX_TOKENS,
            "response_format": {"type": "json_object", "schema": ANSWER_SCHEMA}}


def _complete(settings: Settings, msgs: list[dict[str, str]]) -> dict:
    started = time.perf_counter()
    try:
        with openai.OpenAI(**_client_args(settings)) as client:
            resp = client.chat.completions.create(**_request(settings, msgs))
    except openai.OpenAIError as exc:
        raise LLMFailure(_why(exc)) from None
    usage = resp.usage
    log.info("llm answer: model=%s prompt_tokens=%s completion_tokens=%s latency_ms=%.0f", settings.llm_model,
             getattr(usage, "prompt_tokens", "?"), getattr(usage, "completion_tokens", "?"),
             (time.perf_counter() - started) * 1000)
    content = resp.choices[0].message.content if resp.choices else None
    return _parse(content or "")


def _parse(content: str) -> dict:
    text = content.strip()
    if not text:
        raise LLMFailure("the model returned an empty reply")
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise LLMFailure("the model's reply was not valid JSON") from None
    if not isinstance(data, dict):
        raise LLMFailure("the model's reply was not a JSON object")
    return data


def _why(exc: openai.OpenAIError) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "the model timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "the model endpoint could not be reached"
    if isinstance(exc, openai.RateLimitError):
        return "the model endpoint is rate-limiting (HTTP 429)"
    if isinstance(exc, openai.APIStatusError):
        return f"the model endpoint answered HTTP {exc.status_code}"
    return "the model call failed"


def _fallback(extractive: Answer, why: str, version: str) -> Answer:
    log.warning("llm fallback to extractive: %s", why)
    return extractive.model_copy(update={"notes": [*extractive.notes, f"LLM unavailable ({why}); extractive answer shown."],
                                         "prompt_version": version})


__all__ = ["LLMFailure", "compose_llm", "stream_llm"]
