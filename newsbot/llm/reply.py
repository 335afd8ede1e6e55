"""Reading the model's reply as JSON, tolerating what small models and chatty servers do.

Accepted: a bare JSON object, one wrapped in a Markdown code fence or with text
around it, and one cut off by the token limit (the complete parts are kept and
the reply is marked ``truncated``). Anything else is an :class:`LLMFailure`
with a one-line reason. Nothing here trusts the content; that is
:mod:`newsbot.llm.verify`'s job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from newsbot.llm.failure import LLMFailure

_CLOSERS = {"{": "}", "[": "]"}
MAX_CUT_ATTEMPTS = 64


@dataclass(frozen=True)
class ParsedReply:
    """The reply as a JSON object, and whether it had to be closed after a cut-off."""

    data: dict
    truncated: bool = False


def parse_reply(content: str | None) -> ParsedReply:
    """The JSON object the model wrote (see the module docstring); raises LLMFailure when there is none."""
    text = (content or "").strip()
    if not text:
        raise LLMFailure("the model returned an empty reply")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        pass
    else:
        if not isinstance(whole, dict):
            raise LLMFailure("the model's reply was not a JSON object")
        return ParsedReply(data=whole)
    start = text.find("{")
    if start < 0:
        raise LLMFailure("the model's reply was not valid JSON")
    body = text[start:]
    try:
        data, _ = json.JSONDecoder().raw_decode(body)  # ignores a closing fence or trailing chatter
        truncated = False
    except json.JSONDecodeError:
        data = _close_cut_off(body)
        truncated = True
        if data is None:
            raise LLMFailure("the model's reply was not valid JSON") from None
    if not isinstance(data, dict):
        raise LLMFailure("the model's reply was not a JSON object")
    return ParsedReply(data=data, truncated=truncated)


def _close_cut_off(body: str) -> object | None:
    """The longest prefix of ``body`` that ends after a complete value, with its open brackets closed."""
    cuts: list[tuple[int, str]] = []  # (cut position, closers to append)
    stack: list[str] = []
    in_string = escaped = False
    for i, ch in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in _CLOSERS:
            stack.append(_CLOSERS[ch])
        elif ch in "}]":
            if not stack or stack[-1] != ch:
                break  # unbalanced: nothing after this point can be repaired
            stack.pop()
            if not stack:
                return None  # a complete object that still failed to parse is malformed, not cut off
            cuts.append((i + 1, "".join(reversed(stack))))
        elif ch == "," and stack:
            cuts.append((i, "".join(reversed(stack))))
    if stack and not in_string:
        cuts.append((len(body), "".join(reversed(stack))))
    for cut, closers in reversed(cuts[-MAX_CUT_ATTEMPTS:]):
        try:
            return json.loads(body[:cut] + closers)
        except json.JSONDecodeError:
            continue
    return None
