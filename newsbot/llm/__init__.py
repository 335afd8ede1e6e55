"""LLM answers through any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp, LM Studio), verified.

The model reads the passages that reach the relevance floor
(:mod:`~newsbot.llm.relevance`), fenced and numbered as data
(:mod:`~newsbot.llm.prompt`, template in ``prompts/answer.yaml``), and replies
with JSON (:mod:`~newsbot.llm.client` asks for structured output in the form
the endpoint accepts; :mod:`~newsbot.llm.reply` reads it). What can be checked
mechanically is checked before anyone sees it (:mod:`~newsbot.llm.verify`,
:mod:`~newsbot.llm.quotes`, :mod:`~newsbot.llm.sides`); the reading is the
model's, and where the offline reader reads a cited sentence otherwise the
answer says so in its notes (:mod:`~newsbot.llm.reader`). Every failure falls
back to the offline reader's answer with a note (:mod:`~newsbot.llm.answer`).
Streaming shows a readable draft (:mod:`~newsbot.llm.draft`) and ends with the
verified answer. ``python -m newsbot.llm.serve`` serves a local model.

The names below are loaded on first use, so that importing a light module of
this package (:mod:`~newsbot.llm.notes`, for the Discord footer) does not load
the OpenAI client.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsbot.llm.answer import compose_llm, stream_llm
    from newsbot.llm.failure import LLMFailure
    from newsbot.llm.prompt import PromptError

_HOMES = {"compose_llm": "newsbot.llm.answer", "stream_llm": "newsbot.llm.answer",
          "LLMFailure": "newsbot.llm.failure", "PromptError": "newsbot.llm.prompt"}
__all__ = ["LLMFailure", "PromptError", "compose_llm", "stream_llm"]


def __getattr__(name: str) -> Any:
    """``newsbot.llm.compose_llm`` and the other public names, imported from their module when first asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'newsbot.llm' has no attribute {name!r}")
    return getattr(import_module(home), name)
