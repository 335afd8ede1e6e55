"""Scripted model behaviours for :class:`~tests.llm_servers.scripted.ScriptedServer`: each is a ``reply`` function.

They read the numbered passages the client actually sent, so a test can cite
"the passage holding this sentence" however the evidence was cut.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from tests.llm_servers.scripted import Reply, Stream, chat_reply

SideSpec = tuple[str, str, str] | tuple[str, str, str, int]  # (stance, speaker, quote[, passage number])


def passages_sent(body: dict) -> list[str]:
    """The numbered passage blocks of the user message, in order (block i is passage i + 1)."""
    user = body["messages"][-1]["content"]
    inner = user.split("<passages>", 1)[-1].split("</passages>", 1)[0]
    return inner.strip().split("\n\n[")


def passage_of(body: dict, quote: str) -> int:
    """The number of the passage that holds the start of ``quote`` (99, not given, if none does)."""
    return next((n for n, block in enumerate(passages_sent(body), 1) if quote[:40] in block), 99)


def answer_json(body: dict, sides: Sequence[SideSpec], verdict: str = "contested") -> str:
    """A JSON answer citing each quote from the passage that holds it, unless a passage number is given."""
    out = []
    for spec in sides:
        stance, speaker, quote = spec[:3]
        where = spec[3] if len(spec) > 3 else passage_of(body, quote)  # type: ignore[misc]
        out.append({"stance": stance, "speaker": speaker, "statement": f"{speaker} says so",
                    "evidence": [{"passage": where, "quote": quote}]})
    return json.dumps({"verdict": verdict, "sides": out})


def cite_where_found(body: dict, quotes: list[tuple[str, str, str]]) -> str:
    """Kept for older tests: :func:`answer_json` with a contested verdict."""
    return answer_json(body, quotes)


def answers(sides: Sequence[SideSpec], verdict: str = "contested") -> Reply:
    """Reply with a well-formed answer made of ``sides``."""
    return lambda body: (200, chat_reply(answer_json(body, sides, verdict)))


def raw_answer(data: dict) -> Reply:
    """Reply with exactly this JSON object as the model's content."""
    return lambda body: (200, chat_reply(json.dumps(data)))


def content(text: str | None) -> Reply:
    """Reply with this message content (invalid JSON, empty, prose …)."""
    return lambda body: (200, chat_reply(text))


def status(code: int, headers: dict[str, str] | None = None) -> Reply:
    """Fail every request with HTTP ``code``."""
    return lambda body: (code, {"error": {"message": f"scripted {code}", "type": "server_error"}}, headers or {})


def failing_first(times: int, code: int, then: Reply, headers: dict[str, str] | None = None) -> Reply:
    """HTTP ``code`` for the first ``times`` requests, then ``then``."""
    seen = {"n": 0}

    def reply(body: dict) -> tuple:
        seen["n"] += 1
        return status(code, headers)(body) if seen["n"] <= times else then(body)

    return reply


def refusing_formats(*refused: str, then: Reply) -> Reply:
    """Answer 400 (like OpenAI or LM Studio) to requests whose response_format type is in ``refused``."""
    def reply(body: dict) -> tuple:
        kind = (body.get("response_format") or {}).get("type", "none")
        if kind in refused:
            return 400, {"error": {"message": f"Invalid parameter: 'response_format' of type '{kind}' is not "
                                              "supported with this model.", "param": "response_format"}}
        return then(body)

    return reply


def streams(text_of: Callable[[dict], str], *, size: int = 40, **plan: object) -> Reply:
    """Stream ``text_of(body)`` in pieces of ``size`` characters (``plan``: pause, stall_after, drop_after)."""
    def reply(body: dict) -> tuple:
        text = text_of(body)
        return 200, Stream([text[i : i + size] for i in range(0, len(text), size)], **plan)  # type: ignore[arg-type]

    return reply
