"""Calls to any OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, llama.cpp, LM Studio).

Structured output is asked for in the first form the endpoint accepts, tried in
this order and remembered per endpoint: ``json_object`` with a ``schema``
(llama.cpp's server turns it into a grammar; vLLM and Ollama take JSON mode),
``json_schema`` (OpenAI, LM Studio), then none (the prompt alone asks for JSON).
An endpoint refusing a form answers 400/422 (llama-cpp-python: 500 naming
``response_format``), and the next form is tried. Timeouts, refused connections,
429 and 5xx are retried by the ``openai`` client (``llm_max_retries`` times, with
exponential backoff that honours Retry-After) before this module raises
:class:`LLMFailure`. Token usage and latency are logged; the API key never is.

OpenAI's reasoning models (o1, o3, o4-mini, gpt-5 ...) refuse ``max_tokens`` and a
temperature: they get ``max_completion_tokens`` (which also counts their hidden
reasoning, so it is only sent when ``llm_max_tokens`` is set) and no temperature.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import TypeVar

import httpx
import openai

from newsbot.llm.failure import LLMFailure
from newsbot.settings import Settings

log = logging.getLogger("newsbot.llm")
T = TypeVar("T")

#: The reply cap of a chat model when ``llm_max_tokens`` is unset (an answer's JSON needs far less).
MAX_TOKENS = 800
#: OpenAI reasoning model names, also behind a provider prefix ("openai/o3-mini").
REASONING_MODEL = re.compile(r"(?:^|/)(?:o\d+|gpt-5)(?:$|[-._:])", re.IGNORECASE)
#: A stream that keeps trickling is cut off after this many times ``llm_timeout`` in all.
STREAM_DEADLINE_FACTOR = 4
FORMATS = ("json_object", "json_schema", "none")
_accepted: dict[tuple[str | None, str], int] = {}  # (base_url, model) -> index in FORMATS that worked


@dataclass(frozen=True)
class Completion:
    """One finished reply and what it cost."""

    content: str
    response_format: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: float = 0.0


def complete(settings: Settings, msgs: list[dict[str, str]], schema: dict) -> Completion:
    """The model's reply to ``msgs``; raises LLMFailure with a one-line reason."""
    key = (settings.llm_base_url, settings.llm_model)
    started = time.perf_counter()
    with openai.OpenAI(**_client_args(settings)) as client:
        for index in range(_accepted.get(key, 0), len(FORMATS)):
            try:
                resp = client.chat.completions.create(**request(settings, msgs, schema, FORMATS[index]))
            except openai.APIStatusError as exc:
                if index + 1 < len(FORMATS) and _refuses_format(exc):
                    log.info("llm endpoint refused response_format=%s; trying the next form", FORMATS[index])
                    continue
                raise LLMFailure(describe(exc)) from None
            except (openai.OpenAIError, httpx.HTTPError, ValueError) as exc:
                raise LLMFailure(describe(exc)) from None
            _accepted[key] = index
            break
    usage = getattr(resp, "usage", None)
    choices = getattr(resp, "choices", None) or []
    message = getattr(choices[0], "message", None) if choices else None
    done = Completion(content=getattr(message, "content", None) or "", response_format=FORMATS[index],
                      prompt_tokens=getattr(usage, "prompt_tokens", None),
                      completion_tokens=getattr(usage, "completion_tokens", None),
                      latency_ms=(time.perf_counter() - started) * 1000)
    log.info("llm answer: model=%s format=%s prompt_tokens=%s completion_tokens=%s latency_ms=%.0f",
             settings.llm_model, done.response_format, done.prompt_tokens, done.completion_tokens, done.latency_ms)
    return done


async def stream(settings: Settings, msgs: list[dict[str, str]], schema: dict) -> AsyncIterator[str]:
    """The model's reply as it is generated, piece by piece; raises LLMFailure with a one-line reason."""
    key = (settings.llm_base_url, settings.llm_model)
    started = time.perf_counter()
    first_ms: float | None = None
    pieces = chars = 0
    usage = None
    deadline = time.monotonic() + settings.llm_timeout * STREAM_DEADLINE_FACTOR
    client = openai.AsyncOpenAI(**_client_args(settings))
    try:
        for index in range(_accepted.get(key, 0), len(FORMATS)):
            try:
                events = await _before(deadline, client.chat.completions.create(
                    stream=True, **request(settings, msgs, schema, FORMATS[index])))
            except openai.APIStatusError as exc:
                if index + 1 < len(FORMATS) and _refuses_format(exc):
                    log.info("llm endpoint refused response_format=%s; trying the next form", FORMATS[index])
                    continue
                raise
            _accepted[key] = index
            break
        iterator = aiter(events)
        while True:
            try:
                event = await _before(deadline, anext(iterator))
            except StopAsyncIteration:
                break
            usage = getattr(event, "usage", None) or usage
            choices = getattr(event, "choices", None) or []
            delta = getattr(getattr(choices[0], "delta", None), "content", None) if choices else None
            if delta:
                if first_ms is None:
                    first_ms = (time.perf_counter() - started) * 1000
                pieces, chars = pieces + 1, chars + len(delta)
                yield delta  # outside any timeout scope: the consumer's own awaits are never cancelled by it
    except TimeoutError:
        raise LLMFailure("the model timed out") from None
    except (openai.OpenAIError, httpx.HTTPError, ValueError) as exc:
        raise LLMFailure(describe(exc)) from None
    finally:
        await client.close()
    log.info("llm stream: model=%s pieces=%d chars=%d prompt_tokens=%s completion_tokens=%s first_ms=%s "
             "latency_ms=%.0f", settings.llm_model, pieces, chars, getattr(usage, "prompt_tokens", None),
             getattr(usage, "completion_tokens", None), f"{first_ms:.0f}" if first_ms is not None else None,
             (time.perf_counter() - started) * 1000)


async def _before(deadline: float, awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` but give up (TimeoutError) at ``deadline`` (a monotonic time)."""
    return await asyncio.wait_for(awaitable, max(0.0, deadline - time.monotonic()))


def request(settings: Settings, msgs: list[dict[str, str]], schema: dict, form: str) -> dict:
    """Keyword arguments of ``chat.completions.create`` for one response-format form."""
    args: dict = {"model": settings.llm_model, "messages": msgs}
    if is_reasoning_model(settings.llm_model):
        if settings.llm_max_tokens is not None:
            args["max_completion_tokens"] = settings.llm_max_tokens
    else:
        args["temperature"] = settings.llm_temperature
        args["max_tokens"] = settings.llm_max_tokens or MAX_TOKENS
    if form == "json_object":
        args["response_format"] = {"type": "json_object", "schema": schema}
    elif form == "json_schema":
        args["response_format"] = {"type": "json_schema",
                                   "json_schema": {"name": "newsbot_answer", "schema": schema}}
    return args


def is_reasoning_model(model: str) -> bool:
    """True for OpenAI reasoning models, which take ``max_completion_tokens`` and no temperature."""
    return REASONING_MODEL.search(model.strip()) is not None


def _client_args(settings: Settings) -> dict:
    # An explicit placeholder key keeps the client from reading OPENAI_API_KEY and sending it to a local server.
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return {"base_url": settings.llm_base_url, "api_key": key, "timeout": settings.llm_timeout,
            "max_retries": settings.llm_max_retries}


def _refuses_format(exc: openai.APIStatusError) -> bool:
    if exc.status_code not in (400, 422, 500):
        return False
    text = f"{exc.message} {exc.body}".lower()
    return "response_format" in text or "json_schema" in text or "schema" in text


def describe(exc: BaseException) -> str:
    """A one-line reason for a failed call, fit for a user-facing note (no URLs, no keys)."""
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        return "the model timed out"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return "the model endpoint could not be reached or dropped the connection"
    if isinstance(exc, openai.RateLimitError):
        return "the model endpoint is rate-limiting (HTTP 429)"
    if isinstance(exc, openai.APIStatusError):
        return f"the model endpoint answered HTTP {exc.status_code}"
    if isinstance(exc, ValueError):
        return "the model endpoint sent a malformed response"
    return "the model call failed"
