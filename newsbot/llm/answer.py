"""LLM answers end to end: the relevance floor, the model's reply, its verification, or the offline fallback.

1. When any passage reaches the relevance floor (:mod:`newsbot.llm.relevance`),
   the model reads the best ``llm_passages`` of them as retrieved. None
   reaching it: ``not_found``, and the model is not asked.
2. The model answers; :mod:`newsbot.llm.verify` checks what can be checked
   and keeps the model's reading.
3. The offline reader's answer (:func:`newsbot.engine.compose` over all
   ``top_k`` passages, planted instructions removed) is composed beside the
   model's (in a thread while a reply streams): the verification compares
   with it, and it is what users get, with a one-line note, when the model
   fails in any way. No model or HTTP failure raises.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing

from newsbot.engine import compose
from newsbot.llm.client import complete, stream
from newsbot.llm.draft import Draft
from newsbot.llm.failure import LLMFailure
from newsbot.llm.prompt import Prompt, PromptError, answer_schema, load_prompt, messages
from newsbot.llm.relevance import above_floor
from newsbot.llm.reply import ParsedReply, parse_reply
from newsbot.llm.sides import NOTHING_FOUND, without_tainted
from newsbot.llm.verify import verify
from newsbot.models import Answer, Evidence, Verdict
from newsbot.settings import Settings

log = logging.getLogger("newsbot.llm")
BELOW_FLOOR = "No passage reached the relevance floor; the model was not asked."


def compose_llm(question: str, evidence: Sequence[Evidence], settings: Settings) -> Answer:
    """The model's verified answer, or the offline reader's with a note when the model fails.

    Never raises for model or HTTP faults.
    """
    given = passages_for(question, evidence, settings)
    if not given:
        return below_floor(question)
    prompt = _prompt(settings)
    if isinstance(prompt, str):
        return fallback(offline_answer(question, evidence), prompt, None)
    try:
        done = complete(settings, messages(prompt, question, given), answer_schema(len(given)))
        parsed = parse_reply(done.content)
    except LLMFailure as exc:
        return fallback(offline_answer(question, evidence), str(exc), prompt.version)
    return _verified(question, given, parsed, offline_answer(question, evidence), prompt.version)


async def stream_llm(question: str, evidence: Sequence[Evidence], settings: Settings) -> AsyncIterator[str | Answer]:
    """Readable draft text as the model writes (pieces to append), then the verified Answer, always last."""
    given = passages_for(question, evidence, settings)
    if not given:
        yield below_floor(question)
        return
    offline = asyncio.ensure_future(asyncio.to_thread(offline_answer, question, evidence))
    try:
        prompt = _prompt(settings)
        if isinstance(prompt, str):
            yield fallback(await offline, prompt, None)
            return
        draft, parts = Draft(), []
        try:
            pieces = stream(settings, messages(prompt, question, given), answer_schema(len(given)))
            async with aclosing(pieces):  # a consumer that stops early still closes the HTTP client
                async for piece in pieces:
                    parts.append(piece)
                    text = draft.feed(piece)
                    if text:
                        yield text
            parsed = parse_reply("".join(parts))
        except LLMFailure as exc:
            yield fallback(await offline, str(exc), prompt.version)
            return
        yield await asyncio.to_thread(_verified, question, given, parsed, await offline, prompt.version)
    finally:
        if not offline.done():
            offline.cancel()  # the consumer stopped early; the thread finishes on its own, unheard


def passages_for(question: str, evidence: Sequence[Evidence], settings: Settings) -> list[Evidence]:
    """The passages the model reads: the best ``llm_passages`` when any reaches the relevance floor, else none."""
    passing = above_floor(question, evidence, min_coverage=settings.llm_min_coverage,
                          min_similarity=settings.llm_min_similarity)
    if not passing:
        log.info("llm relevance floor: none of %d passages passes; the model is not asked", len(evidence))
        return []
    return list(evidence[: settings.llm_passages])


def below_floor(question: str) -> Answer:
    """``not_found`` when no passage reached the relevance floor: nothing cited, the model not asked."""
    return Answer(question=question, verdict=Verdict.NOT_FOUND, summary=NOTHING_FOUND, mode="llm",
                  notes=[BELOW_FLOOR])


def offline_answer(question: str, evidence: Sequence[Evidence]) -> Answer:
    """The offline reader's answer with planted instructions removed (``not_found`` should the reader fail)."""
    try:
        return without_tainted(compose(question, evidence), evidence)
    except Exception:  # the reader is a comparison and a fallback here: its fault must not become the user's
        log.exception("offline reader failed beside the llm")
        return Answer(question=question, verdict=Verdict.NOT_FOUND, summary=NOTHING_FOUND)


def _prompt(settings: Settings) -> Prompt | str:
    """The answer prompt, or a reason for the note when its file is unusable (logged with the file name)."""
    try:
        return load_prompt(settings.prompts_dir)
    except PromptError as exc:
        log.error("llm prompt unusable: %s", exc)
        return "the prompt file is unusable"


def _verified(question: str, given: Sequence[Evidence], parsed: ParsedReply, offline: Answer,
              version: str) -> Answer:
    try:
        answer = verify(question, given, parsed.data, offline, prompt_version=version, truncated=parsed.truncated)
    except Exception:  # a reply shaped in a way verification did not foresee must not reach the user as an error
        log.exception("llm verification failed; extractive answer shown")
        return fallback(offline, "its answer could not be verified", version)
    log.info("llm verified: verdict=%s mode=%s sides=%d citations=%d repairs=%d notes=%d", answer.verdict.value,
             answer.mode, len(answer.sides), len(answer.citations), len(answer.repairs), len(answer.notes))
    return answer


def fallback(offline: Answer, why: str, version: str | None) -> Answer:
    """The offline reader's answer with a one-line note saying why the model's was not used."""
    log.warning("llm fallback to extractive: %s", why)
    return offline.model_copy(update={"notes": [*offline.notes, f"LLM unavailable ({why}); extractive answer shown."],
                                      "prompt_version": version, "mode": "extractive"})
