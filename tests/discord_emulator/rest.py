"""The emulator's REST side: the routes discord.py calls, as a mixin of :class:`DiscordEmulator`."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from aiohttp import web

from tests.discord_emulator import payloads as P
from tests.discord_emulator.records import Call, RateLimit, Sent

JSON = "application/json"  # exactly: discord.py rejects "; charset=utf-8"


class RestRoutes:
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
            status, payload = self._route(request.method, path, body or {})
            call.status = status
        finally:
            await self._notify()
        if status == 204:
            return web.Response(status=204)
        return web.Response(status=status, body=json.dumps(payload).encode(), content_type=JSON)

    def _route(self, method: str, path: str, body: dict) -> tuple[int, Any]:  # noqa: C901, PLR0911
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
        if (hit := m(r"applications/\d+(?:/guilds/\d+)?/commands", path)) and method == "PUT":
            out = []
            for cmd in body:
                cmd = {**cmd, "id": self.commands.get(cmd["name"], {}).get("id") or P.snowflake(),
                       "application_id": self.app_id, "version": P.snowflake()}
                self.commands[cmd["name"]] = cmd
                out.append(cmd)
            return 200, out
        if m(r"applications/\d+(?:/guilds/\d+)?/commands", path):
            return 200, list(self.commands.values())
        if hit := m(r"interactions/(\d+)/([^/]+)/callback", path):
            return self._callback(hit.group(2), body)
        if hit := m(r"webhooks/\d+/([^/]+)", path):
            return self._followup(hit.group(1), body) if method == "POST" else (405, {})
        if hit := m(r"webhooks/\d+/([^/]+)/messages/([^/]+)", path):
            return self._webhook_message(method, hit.group(1), hit.group(2), body)
        if hit := m(r"channels/(\d+)/messages", path):
            return (200, self._store("channel", hit.group(1), body)) if method == "POST" else (200, [])
        if hit := m(r"channels/(\d+)/messages/(\d+)", path):
            return self._edit_channel_message(method, hit.group(1), hit.group(2), body)
        if hit := m(r"channels/(\d+)/messages/(\d+)/threads", path):
            return 201, self._thread(hit.group(1), body)
        if hit := m(r"channels/(\d+)/threads", path):
            return 201, self._thread(hit.group(1), body)
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

    def _message(self, channel_id: str, body: dict, mid: str | None = None) -> dict[str, Any]:
        msg = P.message(mid or P.snowflake(), channel_id, self.bot, body, self.guild_id)
        self.messages[msg["id"]] = msg
        return msg

    def _store(self, kind: str, channel_id: str, body: dict, token: str | None = None) -> dict[str, Any]:
        msg = self._message(channel_id, body)
        sent = Sent(kind, channel_id, msg, body, token)
        self.sent.append(sent)
        if token in self.interactions:
            self.interactions[token].sent.append(sent)
        return msg

    def _callback(self, token: str, body: dict) -> tuple[int, Any]:
        record = self.interactions.get(token)
        if record is None:
            return 404, {"message": "Unknown interaction", "code": 10062}
        ctype, data = body.get("type"), body.get("data") or {}
        message = None
        if ctype in (4, 5):
            message = self._store("response", record.channel_id, data if ctype == 4 else {**data, "content": ""},
                                  token)
            if ctype == 5:
                record.sent.pop()  # a deferral is not a reply; its later edit is
                self.sent.pop()
            record.original = message["id"]
        elif ctype == 7:  # edit the message the button is on, in place
            clicked = self.messages.get(record.original or "") or self._message(record.channel_id, {})
            message = {**clicked, **{k: v for k, v in data.items() if k in ("content", "embeds", "components")}}
            self.messages[message["id"]] = message
            sent = Sent("update", record.channel_id, message, data, token)
            self.sent.append(sent)
            record.sent.append(sent)
        resource = {"type": ctype, "message": message} if message else {"type": ctype}
        return 200, {"interaction": {"id": record.id, "type": 2, "response_message_id": record.original,
                                     "response_message_loading": ctype == 5,
                                     "response_message_ephemeral": bool((data.get("flags") or 0) & 64)},
                     "resource": resource}

    def _followup(self, token: str, body: dict) -> tuple[int, Any]:
        record = self.interactions.get(token)
        if record is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        return 200, self._store("followup", record.channel_id, body, token)

    def _webhook_message(self, method: str, token: str, mid: str, body: dict) -> tuple[int, Any]:
        record = self.interactions.get(token)
        if record is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        mid = record.original if mid == "@original" else mid
        if mid is None or mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        if method == "GET":
            return 200, self.messages[mid]
        if method == "DELETE":
            return 204, None
        msg = {**self.messages[mid], **{k: v for k, v in body.items() if k in ("content", "embeds", "components",
                                                                              "flags")}}
        self.messages[mid] = msg
        sent = Sent("edit", record.channel_id, msg, body, token)
        self.sent.append(sent)
        record.sent.append(sent)
        return 200, msg

    def _edit_channel_message(self, method: str, channel_id: str, mid: str, body: dict) -> tuple[int, Any]:
        if mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        if method == "GET":
            return 200, self.messages[mid]
        msg = {**self.messages[mid], **{k: v for k, v in body.items() if k in ("content", "embeds", "components")}}
        self.messages[mid] = msg
        self.sent.append(Sent("edit", channel_id, msg, body))
        return 200, msg

    def _thread(self, parent_id: str, body: dict) -> dict[str, Any]:
        thread = P.channel(P.snowflake(), self.guild_id, body.get("name", "thread"), ctype=11, parent_id=parent_id)
        thread["owner_id"] = self.app_id
        self.channels[thread["id"]] = thread
        asyncio.get_running_loop().create_task(self.dispatch("THREAD_CREATE", {**thread, "newly_created": True}))
        return thread
