"""The emulator's REST side: the routes discord.py calls, as a mixin of :class:`DiscordEmulator`.

Every request is checked against Discord's rules (:mod:`tests.discord_emulator.rules`) and refused
the way Discord refuses it. Interaction callbacks and their webhooks are in
:mod:`tests.discord_emulator.interactions`.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from aiohttp import web

from tests.discord_emulator import payloads as P
from tests.discord_emulator import rules
from tests.discord_emulator.interactions import InteractionRoutes
from tests.discord_emulator.records import Call, RateLimit
from tests.discord_emulator.rules import Refusal

JSON = "application/json"  # exactly: discord.py rejects "; charset=utf-8"
THREAD_TYPES = (10, 11, 12)


class RestRoutes(InteractionRoutes):
    """REST handlers; expects the state attributes that DiscordEmulator sets up."""

    def rate_limit(self, pattern: str, *, retry_after: float = 0.05, times: int = 1) -> None:
        """Answer the next ``times`` REST calls whose path matches ``pattern`` (a regex) with 429.

        The reply carries a ``Via`` header as Discord's does (discord.py retries a 429 only then)
        and ``retry_after`` in the body.
        """
        self.rate_limits.append(RateLimit(pattern, retry_after, times))

    def _limited(self, path: str) -> RateLimit | None:
        for limit in self.rate_limits:
            if limit.times > 0 and re.search(limit.pattern, path):
                limit.times -= 1
                return limit
        return None

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.match_info["tail"]
        body: Any = None
        if request.content_type == "multipart/form-data":
            form = await request.post()
            body = json.loads(form.get("payload_json", "{}"))  # type: ignore[arg-type]
        elif request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        if limit := self._limited(path):
            call.status = 429
            await self._notify()
            payload = {"message": "You are being rate limited.", "retry_after": limit.retry_after, "global": False}
            return web.Response(status=429, body=json.dumps(payload).encode(), content_type=JSON,
                                headers={"Via": "1.1 google", "X-RateLimit-Scope": "user"})
        try:
            status, payload = self._route(request.method, path, body if body is not None else {})
        except Refusal as refusal:
            status, payload = refusal.status, refusal.payload()
            self.refusals.append((call, refusal))
            if refusal.violation:
                self.violations.append(f"{request.method} {path}: {refusal}")
        call.status = status
        await self._notify()
        if status == 204:
            return web.Response(status=204)
        return web.Response(status=status, body=json.dumps(payload).encode(), content_type=JSON)

    def _route(self, method: str, path: str, body: Any) -> tuple[int, Any]:  # noqa: C901, PLR0911
        m = re.fullmatch
        if path == "users/@me":
            return 200, self.bot
        if path == "oauth2/applications/@me":
            return 200, {"id": self.app_id, "name": "newsbot", "description": "", "icon": None, "bot_public": True,
                         "bot_require_code_grant": False, "owner": self.users["admin"], "verify_key": "0" * 64,
                         "flags": 0}
        if path in ("gateway", "gateway/bot"):
            return 200, {"url": f"ws://127.0.0.1:{self.port}/gateway", "shards": 1,
                         "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0,
                                                 "max_concurrency": 1}}
        if m(r"applications/\d+(?:/guilds/\d+)?/commands", path) and method == "PUT":
            return 200, self._sync_commands(body)
        if m(r"applications/\d+(?:/guilds/\d+)?/commands", path):
            return 200, list(self.commands.values())
        if hit := m(r"interactions/(\d+)/([^/]+)/callback", path):
            return self._callback(hit.group(2), body)
        if hit := m(r"webhooks/\d+/([^/]+)", path):
            return self._followup(hit.group(1), body) if method == "POST" else (405, {})
        if hit := m(r"webhooks/\d+/([^/]+)/messages/([^/]+)", path):
            return self._webhook_message(method, hit.group(1), hit.group(2), body)
        if hit := m(r"channels/(\d+)/messages", path):
            if method != "POST":
                return 200, []
            rules.check_message(body, creating=True)
            return 200, self._store("channel", hit.group(1), body)
        if hit := m(r"channels/(\d+)/messages/(\d+)", path):
            return self._channel_message(method, hit.group(1), hit.group(2), body)
        if hit := m(r"channels/(\d+)/messages/(\d+)/threads", path):
            return 201, self._thread_from_message(hit.group(1), hit.group(2), body)
        if hit := m(r"channels/(\d+)/threads", path):
            rules.check_thread_name(body.get("name"))
            return 201, self._open_thread(P.snowflake(), hit.group(1), body.get("name") or "thread")
        if hit := m(r"channels/(\d+)", path):
            chan = self.channels.get(hit.group(1))
            return (200, chan) if chan else (404, {"message": "Unknown Channel", "code": 10003})
        if hit := m(r"guilds/(\d+)/members/(\d+)", path):
            member = next((self.member(n) for n, u in self.users.items() if u["id"] == hit.group(2)), None)
            return (200, member) if member else (404, {"message": "Unknown Member", "code": 10007})
        if m(r"guilds/(\d+)/roles", path):
            return 200, self.guild_payload()["roles"]
        if m(r"channels/\d+/typing", path):
            return 204, None
        return 404, {"message": f"emulator has no route {method} {path}", "code": 0}

    def _sync_commands(self, body: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rules.check_commands(body)
        out = []
        for cmd in body:
            cmd = {**cmd, "id": self.commands.get(cmd["name"], {}).get("id") or P.snowflake(),
                   "application_id": self.app_id, "version": P.snowflake()}
            self.commands[cmd["name"]] = cmd
            out.append(cmd)
        return out

    def _message(self, channel_id: str, body: dict, mid: str | None = None) -> dict[str, Any]:
        msg = P.message(mid or P.snowflake(), channel_id, self.bot, body, self.guild_id)
        self.messages[msg["id"]] = msg
        return msg

    def _channel_message(self, method: str, channel_id: str, mid: str, body: dict) -> tuple[int, Any]:
        return self._message_request(method, mid, body, lambda: self._edit(mid, channel_id, body, None))

    def _thread_from_message(self, channel_id: str, mid: str, body: dict) -> dict[str, Any]:
        """A thread on a message: as in Discord, it takes the message's id; one per message, none in a thread."""
        channel, msg = self.channels.get(channel_id), self.messages.get(mid)
        if msg is None or msg["channel_id"] != channel_id or mid in self.deleted or (msg.get("flags") or 0) & 64:
            raise Refusal(404, rules.UNKNOWN_MESSAGE, "Unknown Message")
        if channel is None or channel["type"] in THREAD_TYPES or channel["type"] == 15:
            raise Refusal(400, rules.WRONG_CHANNEL_TYPE, "Cannot execute action on this channel type")
        if mid in self.message_threads:
            raise Refusal(400, rules.THREAD_ALREADY_CREATED, "A thread has already been created for this message")
        rules.check_thread_name(body.get("name"))
        thread = self._open_thread(mid, channel_id, body["name"])
        self.message_threads[mid] = thread["id"]
        msg["thread"] = thread
        return thread

    def _open_thread(self, thread_id: str, parent_id: str, name: str) -> dict[str, Any]:
        thread = P.channel(thread_id, self.guild_id, name, ctype=11, parent_id=parent_id)
        thread["owner_id"] = self.app_id
        self.channels[thread["id"]] = thread
        asyncio.get_running_loop().create_task(self.dispatch("THREAD_CREATE", {**thread, "newly_created": True}))
        return thread
