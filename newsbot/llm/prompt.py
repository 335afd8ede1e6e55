"""The answer prompt: a versioned template file in ``prompts/``, loaded as a LangChain ChatPromptTemplate.

A prompt file is YAML with ``version``, ``system`` and ``user`` (the user
message receives ``{passages}`` and ``{question}``). The version is recorded
in every answer. Passages are numbered and fenced as data; fence markers
inside an article are defused so an article cannot close the fence. Editing a
prompt file takes effect at the next question (the file is re-read; parsing is cached by content).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from langchain_core.prompts import ChatPromptTemplate

from newsbot.models import Evidence

MAX_SIDES = 6
_VARIABLES = {"passages", "question"}
MAX_QUOTES_PER_SIDE = 3

#: JSON schema of the model's reply; :func:`answer_schema` narrows passage numbers to those given.
ANSWER_SCHEMA: dict = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": ["supported", "refuted", "contested", "context", "not_found"]},
        "sides": {"type": "array", "maxItems": MAX_SIDES, "items": {
            "type": "object",
            "properties": {
                "stance": {"type": "string", "enum": ["supports", "refutes", "context"]},
                "speaker": {"type": "string"},
                "statement": {"type": "string"},
                "answer": {"type": "string"},
                "audience": {"type": "string"},
                "when": {"type": "string"},
                "evidence": {"type": "array", "minItems": 1, "maxItems": MAX_QUOTES_PER_SIDE, "items": {
                    "type": "object",
                    "properties": {"passage": {"type": "integer", "minimum": 1}, "quote": {"type": "string"}},
                    "required": ["passage", "quote"]}},
            },
            "required": ["stance", "speaker", "statement", "evidence"]}},
    },
    "required": ["verdict", "sides"],
}


class PromptError(ValueError):
    """A prompt file is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt: its name, version string and template."""

    name: str
    version: str
    template: ChatPromptTemplate


def load_prompt(prompts_dir: Path, name: str = "answer") -> Prompt:
    """``<prompts_dir>/<name>.yaml`` as a :class:`Prompt`; raises PromptError naming the file."""
    path = Path(prompts_dir) / f"{name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PromptError(f"prompt file {path} cannot be read: {exc}") from None
    return _parse(str(path), name, text)


@lru_cache(maxsize=16)
def _parse(path: str, name: str, text: str) -> Prompt:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PromptError(f"prompt file {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), str | int | float) \
            or not all(isinstance(data.get(k), str) for k in ("system", "user")):
        raise PromptError(f"prompt file {path} needs `version`, `system` and `user`")
    try:
        template = ChatPromptTemplate.from_messages([("system", data["system"]), ("human", data["user"])])
    except (ValueError, KeyError) as exc:  # unbalanced braces and the like
        raise PromptError(f"prompt file {path} is not a valid template: {exc}") from None
    used = set(template.input_variables)
    if used != _VARIABLES:
        wrong = ", ".join(sorted((_VARIABLES - used) | (used - _VARIABLES)))
        raise PromptError(f"prompt file {path} must use exactly {{passages}} and {{question}} (check: {wrong}; "
                          "literal braces are doubled)")
    return Prompt(name=name, version=str(data["version"]), template=template)


def answer_schema(passages: int) -> dict:
    """The reply schema with passage numbers limited to ``1..passages``."""
    schema = copy.deepcopy(ANSWER_SCHEMA)
    item = schema["properties"]["sides"]["items"]["properties"]["evidence"]["items"]
    item["properties"]["passage"]["maximum"] = max(1, passages)
    return schema


def format_passages(evidence: Sequence[Evidence]) -> str:
    """Numbered passages, each with its source line; fence markers inside articles are defused."""
    blocks = []
    for n, ev in enumerate(evidence, 1):
        source = ", ".join(x for x in (ev.article.title, ev.article.publisher, ev.article.published) if x)
        blocks.append(f"[{n}] ({_defuse(source)})\n{_defuse(ev.chunk.text)}")
    return "\n\n".join(blocks)


def _defuse(text: str) -> str:
    return text.replace("</passages>", "</ passages>").replace("<passages>", "< passages>")


def messages(prompt: Prompt, question: str, evidence: Sequence[Evidence]) -> list[dict[str, str]]:
    """OpenAI chat messages for this question and evidence."""
    rendered = prompt.template.format_messages(passages=format_passages(evidence), question=_defuse(question))
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    return [{"role": roles[m.type], "content": str(m.content)} for m in rendered]
