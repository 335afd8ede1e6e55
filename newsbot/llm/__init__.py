"""LLM answers through any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp, LM Studio), verified.

The model gets the retrieved passages as fenced, numbered data
(:mod:`~newsbot.llm.prompt`, template in ``prompts/answer.yaml``) and must
reply with JSON (:mod:`~newsbot.llm.client` asks for structured output in the
form the endpoint accepts; :mod:`~newsbot.llm.reply` reads it). Whatever it
writes is verified (:mod:`~newsbot.llm.verify`, :mod:`~newsbot.llm.quotes`,
:mod:`~newsbot.engine.injection`) before anyone sees it; every failure falls back
to the extractive answer with a note (:mod:`~newsbot.llm.answer`). Streaming
shows a readable draft (:mod:`~newsbot.llm.draft`) and ends with the verified answer.
"""

from newsbot.llm.answer import compose_llm, stream_llm
from newsbot.llm.failure import LLMFailure
from newsbot.llm.prompt import PromptError

__all__ = ["LLMFailure", "PromptError", "compose_llm", "stream_llm"]
