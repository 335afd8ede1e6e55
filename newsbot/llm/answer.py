"""LLM answers end to end: ask the model, read its reply, verify it, or fall back to the extractive answer.

The extractive answer is always composed first: it decides whether the
evidence is relevant at all (``not_found`` abstains without asking the model,
which would otherwise find something to cite in any passage), it lends its
sides to a one-sided model answer, and it is what users get, with a one-line
note, when the model fails in any way. No model or HTTP failure raises. The
engine reads all ``top_k`` passages; the prompt holds the best ``llm_passages``.
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
from newsbot.llm.reply import ParsedReply, parse_reply
from newsbot.llm.sides import without_tainted
from newsbot.llm.verify import verify
from newsbot.models import Answer, Evidence, Verdict
from newsbot.settings import Settings

log = logging.getLogger("newsbot.llm")


def compose_llm(question: str, evidence: Sequence[Evidence], settings: Settings) -> Answer:
    """A verified LLM answer, or the extractive one with a note when the model fails.

    Never raises for model or HTTP faults.
    """
    extractive = compose(question, evidence)
    if extractive.verdict is Verdict.NOT_FOUND or not evidence:
        return extractive
    evidence = evidence[: settings.llm_passages]  # the engine read them all; the prompt holds the best
    prompt = _prompt(settings)
    if isinstance(prompt, str):
        return fallback(extractive, evidence, prompt, None)
    try:
        done = complete(settings, messages(prompt, question, evidence), answer_schema(len(evidence)))
        parsed = parse_reply(done.content)
    except LLMFailure as exc:
        return fallback(extractive, evidence, str(exc), prompt.version)
    return _verified(question, evidence, parsed, extractive, prompt.version)


async def stream_llm(question: str, evidence: Sequence[Evidence], settings: Settings) -> AsyncIterator[str | Answer]:
    """Readable draft text as the model writes (pieces to append), then the verified Answer, always last."""
    extractive = await asyncio.to_thread(compose, question, evidence)
    if extractive.verdict is Verdict.NOT_FOUND or not evidence:
        yield extractive
        return
    evidence = evidence[: settings.llm_passages]
    prompt = _prompt(settings)
    if isinstance(prompt, str):
        yield fallback(extractive, evidence, prompt, None)
        return
    draft, parts = Draft(), []
    try:
        pieces = stream(settings, messages(prompt, question, evidence), answer_schema(len(evidence)))
        async with aclosing(pieces):  # a consumer that stops early still closes the HTTP client
            async for piece in pieces:
                parts.append(piece)
                text = draft.feed(piece)
                if text:
                    yield text
        parsed = parse_reply("".join(parts))
    except LLMFailure as exc:
        yield fallback(extractive, evidence, str(exc), prompt.version)
        return
    yield await asyncio.to_thread(_verified, question, evidence, parsed, extractive, prompt.version)


def _prompt(settings: Settings) -> Prompt | str:
    """The answer prompt, or a reason for the note when its file is unusable (logged with the file name)."""
    try:
        return load_prompt(settings.prompts_dir)
    except PromptError as exc:
        log.error("llm prompt unusable: %s", exc)
        return "the prompt file is unusable"


def _verified(question: str, evidence: Sequence[Evidence], parsed: ParsedReply, extractive: Answer,
              version: str) -> Answer:
    try:
        answer = verify(question, evidence, parsed.data, extractive, prompt_version=version,
                        truncated=parsed.truncated)
    except Exception:  # a reply shaped in a way verification did not foresee must not reach the user as an error
        log.exception("llm verification failed; extractive answer shown")
        return fallback(extractive, evidence, "its answer could not be verified", version)
    log.info("llm verified: verdict=%s mode=%s sides=%d citations=%d repairs=%d", answer.verdict.value,
             answer.mode, len(answer.sides), len(answer.citations), len(answer.repairs))
    return answer


def fallback(extractive: Answer, evidence: Sequence[Evidence], why: str, version: str | None) -> Answer:
    """The extractive answer with a one-line note saying why the model's was not used."""
    log.warning("llm fallback to extractive: %s", why)
    answer = without_tainted(extractive, evidence)
    return answer.model_copy(update={"notes": [*answer.notes, f"LLM unavailable ({why}); extractive answer shown."],
                                     "prompt_version": version})
