"""An OpenAI-compatible server on 127.0.0.1 that misbehaves on purpose, built with aiohttp.

It runs its own event loop in a background thread, so synchronous code
(``compose_llm``) and another event loop (the bot under test) can both call
it. Every POST to ``/v1/chat/completions`` is recorded in ``requests`` and
answered by ``reply(body)``, which returns ``(status, payload)`` or
``(status, payload, headers)``: a dict is sent as JSON, a str as is (SSE when
it starts with ``data:``), a :class:`Stream` as server-sent events piece by
piece, with optional pauses, a stall or a dropped connection. ``delay``
stalls every request before it is answered (a timeout).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

Reply = Callable[[dict], tuple]


@dataclass
class Stream:
    """A streamed reply: ``pieces`` of content sent as chat.completion.chunk events."""

    pieces: list[str]
    pause: float = 0.0  # seconds between pieces
    stall_after: int | None = None  # after this many pieces, send nothing more (and never finish)
    drop_after: int | None = None  # after this many pieces, cut the connection
    usage: dict | None = field(default_factory=lambda: {"prompt_tokens": 10, "completion_tokens": 10,
                                                        "total_tokens": 20})


def chat_reply(content: str | None) -> dict:
    """A complete chat.completion body whose message content is ``content``."""
    return {"id": "x", "object": "chat.completion", "created": 0, "model": "local",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}


def chunk_event(content: str | None, *, finish: str | None = None, usage: dict | None = None) -> str:
    """One server-sent event of a streamed chat completion."""
    event: dict = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "local",
                   "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                                "finish_reason": finish}]}
    if usage is not None:
        event["usage"] = usage
    return "data: " + json.dumps(event) + "\n\n"


class ScriptedServer:
    """See the module docstring. ``url`` is the ``/v1`` base URL; call ``close()`` when done."""

    def __init__(self) -> None:
        self.reply: Reply = lambda body: (200, chat_reply("{}"))
        self.requests: list[dict] = []
        self.times: list[float] = []  # monotonic arrival time of each request
        self.delay = 0.0
        self.abandoned = 0  # streams the client walked away from before the end
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="scripted-llm")
        self._thread.start()
        self._runner, self.port = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def _start(self) -> tuple[web.AppRunner, int]:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", lambda request: web.json_response({"data": [{"id": "local"}]}))
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.2, handler_cancellation=True)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, shutdown_timeout=0.2)
        await site.start()
        return runner, runner.addresses[0][1]

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = {"unreadable": True}
        self.requests.append(body)
        self.times.append(time.monotonic())
        if self.delay:
            await asyncio.sleep(self.delay)
        status, payload, headers = (*self.reply(body), {})[:3]
        if isinstance(payload, Stream):
            return await self._stream(request, payload)
        if isinstance(payload, str):
            kind = "text/event-stream" if payload.startswith("data:") else "application/json"
            return web.Response(status=status, text=payload, content_type=kind, headers=headers)
        return web.json_response(payload, status=status, headers=headers)

    async def _stream(self, request: web.Request, plan: Stream) -> web.StreamResponse:
        resp = web.StreamResponse(status=200, headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        try:
            return await self._send(request, resp, plan)
        except (asyncio.CancelledError, ConnectionError):
            self.abandoned += 1
            raise

    async def _send(self, request: web.Request, resp: web.StreamResponse, plan: Stream) -> web.StreamResponse:
        for i, piece in enumerate(plan.pieces):
            if i == plan.stall_after:
                await asyncio.sleep(3600)
            if i == plan.drop_after:
                assert request.transport is not None
                request.transport.abort()
                return resp
            await resp.write(chunk_event(piece).encode())
            if plan.pause:
                await asyncio.sleep(plan.pause)
        await resp.write(chunk_event(None, finish="stop", usage=plan.usage).encode())
        await resp.write(b"data: [DONE]\n\n")
        await resp.write_eof()
        return resp

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
