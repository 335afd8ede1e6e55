"""The one error type of the LLM path: the endpoint gave no usable reply.

Raised inside :mod:`newsbot.llm` only; :func:`newsbot.llm.compose_llm` and
:func:`newsbot.llm.stream_llm` turn it into the extractive answer with a note,
so it never reaches a user.
"""

from __future__ import annotations


class LLMFailure(RuntimeError):
    """The model or its endpoint failed; the message says why in a few words, fit for a user-facing note."""
