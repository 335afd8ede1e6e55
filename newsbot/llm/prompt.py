"""The answer prompt: a versioned template file in ``prompts/``, loaded as a LangChain ChatPromptTemplate.

Passages are fenced and numbered as data; text inside them that looks like
an instruction stays inside the fence (and is also neutralised by the
verification step, which trusts nothing the model says about sources).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from langchain_core.prompts import ChatPromptTemplate

from newsbot.models import Evidence

#: JSON schema of the model's reply (also sent as the response format where the server supports it).
ANSWER_SCHEMA: dict = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": ["supported", "refuted", "contested", "context", "not_found"]},
        "sides": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "stance": {"type": "string", "enum": ["supports", "refutes", "context"]},
                "speaker": {"type": "string"},
                "statement": {"type": "string"},
                "evidence": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"passage": {"type": "integer"}, "quote": {"type": "string"}},
                    "required": ["passage", "quote"]}},
            },
            "required": ["stance", "speaker", "statement", "evidence"]}},
    },
    "required": ["verdict", "sides"],
}


@dataclass(frozen=True)
class Prompt:
    version: str
    template: ChatPromptTemplate


@lru_cache(maxsize=8)
def load_prompt(prompts_dir: Path, name: str = "answer") -> Prompt:
    """``prompts/<name>.yaml`` with its version string."""
    data = yaml.safe_load((prompts_dir / f"{name}.yaml").read_text(encoding="utf-8"))
    template = ChatPromptTemplate.from_messages([("system", data["system"]), ("human", data["user"])])
    return Prompt(version=str(data["version"]), template=template)


def format_passages(evidence: Sequence[Evidence]) -> str:
    """Numbered passages, each with its source line; fences inside articles are defused."""
    blocks = []
    for n, ev in enumerate(evidence, 1):
        source = ", ".join(x for x in (ev.article.title, ev.article.publisher, ev.article.published) if x)
        text = ev.chunk.text.replace("</passages>", "</ passages>").replace("<passages>", "< passages>")
        blocks.append(f"[{n}] ({source})\n{text}")
    return "\n\n".join(blocks)


def messages(prompt: Prompt, question: str, evidence: Sequence[Evidence]) -> list[dict[str, str]]:
    """OpenAI chat messages for this question and evidence."""
    rendered = prompt.template.format_messages(passages=format_passages(evidence), question=question)
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    return [{"role": roles[m.type], "content": str(m.content)} for m in rendered]
