"""OpenAI-compatible servers on 127.0.0.1 for the LLM tests: a scripted one that misbehaves on purpose (aiohttp),
scripted model behaviours, and the real llama.cpp server with a small model from PyPI."""

from tests.llm_servers.llama import (
    free_port,
    llama_server,
    missing_for_real_server,
    smollm_path,
    stop_process,
)
from tests.llm_servers.replies import (
    answer_json,
    answers,
    cite_where_found,
    content,
    failing_first,
    passage_of,
    passages_sent,
    raw_answer,
    refusing_formats,
    status,
    streams,
)
from tests.llm_servers.scripted import ScriptedServer, Stream, chat_reply, chunk_event

__all__ = [
    "ScriptedServer", "Stream", "answer_json", "answers", "chat_reply", "chunk_event", "cite_where_found", "content",
    "failing_first", "free_port", "llama_server", "missing_for_real_server", "passage_of", "passages_sent",
    "raw_answer", "refusing_formats", "smollm_path", "status", "stop_process", "streams",
]
