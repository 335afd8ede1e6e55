"""The emulator itself: an aiohttp server speaking enough of Discord's gateway and REST API."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import discord
from aiohttp import WSMsgType, web

from tests.discord_emulator import payloads as P
from tests.discord_emulator.records import Call, Interaction, RateLimit, Sent
from tests.discord_emulator.rest import RestRoutes


class DiscordEmulator(RestRoutes):
    """Gateway + REST on 127.0.0.1; ``install()`` points discord.py at it.

    ``heartbeat_interval`` (seconds) is what HELLO tells the client; tests of the
    heartbeat itself pass a short one.
    """

    def __init__(self, *, heartbeat_interval: float = 41.25) -> None:
        self.heartbeat_interval = heartbeat_interval
        self.app_id = P.snowflake()
        self.guild_id = P.snowflake()
        self.bot = P.user(self.app_id, "newsbot", bot=True)
        self.moderator_role = P.snowflake()
        self.general = P.channel(P.snowflake(), self.guild_id, "general")
        self.forum = P.channel(P.snowflake(), self.guild_id, "questions", ctype=15)
        self.users = {name: P.user(P.snowflake(), name) for name in ("alice", "bob", "mod", "admin")}
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.commands: dict[str, dict[str, Any]] = {}
        self.identify: dict[str, Any] | None = None
        self.channels: dict[str, dict[str, Any]] = {c["id"]: c for c in (self.general, self.forum)}
        self.messages: dict[str, dict[str, Any]] = {}
        self.attachments: dict[str, bytes] = {}
        self.interactions: dict[str, Interaction] = {}
        self.heartbeats = 0  # heartbeats received (each answered with HEARTBEAT_ACK)
        self.resumes: list[dict[str, Any]] = []  # RESUME payloads received
        self.rate_limits: list[RateLimit] = []  # pending 429s, see rate_limit()
        self._sockets: list[web.WebSocketResponse] = []
        self._events: list[dict[str, Any]] = []  # every dispatched frame, replayed on RESUME
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._saved: tuple[str, Any] | None = None

    # --- lifecycle -------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{name}", self._attachment)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()
        self.uninstall()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def install(self) -> None:
        """Point discord.py's REST base and gateway at this emulator."""
        import yarl

        self._saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = f"{self.base_url}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    def uninstall(self) -> None:
        if self._saved:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    # --- people --------------------------------------------------------------
    def member(self, name: str) -> dict[str, Any]:
        """alice and bob are plain members, mod holds the moderator role, admin has Manage Server."""
        roles = [self.moderator_role] if name == "mod" else []
        perms = P.EVERYONE_PERMISSIONS | (P.MANAGE_GUILD if name == "admin" else 0)
        return P.member(self.users[name], roles, perms)

    def guild_payload(self) -> dict[str, Any]:
        roles = [P.role(self.guild_id, "@everyone", P.EVERYONE_PERMISSIONS, 0),
                 P.role(self.moderator_role, "Moderators", P.EVERYONE_PERMISSIONS, 1)]
        members = [P.member(self.bot, [], P.EVERYONE_PERMISSIONS)] + [self.member(n) for n in self.users]
        channels = [c for c in self.channels.values() if c["type"] in (0, 15)]
        return P.guild(self.guild_id, self.users["admin"]["id"], roles, channels, members)

    # --- acting as users -----------------------------------------------------
    async def slash(self, name: str, options: dict[str, Any] | None = None, *, user: str = "alice",
                    channel_id: str | None = None, member_override: dict[str, Any] | None = None) -> Interaction:
        """Run ``/name`` with ``options`` as ``user``; returns the interaction to watch replies of."""
        command = self.commands.get(name, {"id": P.snowflake(), "options": []})
        types = {o["name"]: o.get("type", 3) for o in command.get("options", [])}
        opts, resolved = [], {}
        for key, value in (options or {}).items():
            if types.get(key) == 11:  # attachment: value is (filename, bytes)
                aid = P.snowflake()
                filename, data = value
                self.attachments[f"{aid}-{filename}"] = data
                resolved.setdefault("attachments", {})[aid] = {
                    "id": aid, "filename": filename, "size": len(data), "content_type": "text/markdown",
                    "url": f"{self.base_url}/attachments/{aid}-{filename}",
                    "proxy_url": f"{self.base_url}/attachments/{aid}-{filename}"}
                value = aid
            opts.append({"name": key, "type": types.get(key, 3), "value": value})
        data = {"id": command["id"], "name": name, "type": 1, "options": opts, "guild_id": self.guild_id}
        if resolved:
            data["resolved"] = resolved
        return await self._interact(2, data, user, channel_id, member_override=member_override)

    async def click(self, sent: Sent, custom_id: str, *, user: str = "alice") -> Interaction:
        """Click the button ``custom_id`` on a message the bot sent (it must be on that message, as in Discord)."""
        if custom_id not in sent.custom_ids():
            raise ValueError(f"no component {custom_id!r} on that message: {sent.custom_ids()}")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(3, data, user, sent.channel_id, message_payload=sent.message)

    async def send_message(self, channel_id: str, content: str, *, author: str = "alice",
                           mentions: list[str] | None = None, mention_roles: list[str] | None = None,
                           mention_everyone: bool = False) -> dict:
        """``author`` posts ``content`` in a channel (MESSAGE_CREATE).

        ``mentions`` names users ("newsbot" is the bot) whose mentions the message carries,
        ``mention_roles`` role ids; ``mention_everyone`` marks an @everyone/@here that would ping.
        """
        people = {**self.users, "newsbot": self.bot}
        msg = P.message(P.snowflake(), channel_id, self.users[author], {"content": content}, self.guild_id,
                        mentions=[people[name] for name in mentions or []])
        msg["mention_roles"] = list(mention_roles or [])
        msg["mention_everyone"] = mention_everyone
        msg["member"] = {k: v for k, v in self.member(author).items() if k != "user"}
        self.messages[msg["id"]] = msg
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def post(self, channel_id: str, content: str, *, user: str = "alice", mention_bot: bool = False) -> dict:
        """Shorthand for :meth:`send_message` (optionally mentioning the bot)."""
        return await self.send_message(channel_id, content, author=user, mentions=["newsbot"] if mention_bot else [])

    async def create_forum_post(self, title: str, content: str, *, user: str = "alice") -> dict:
        """A user opens a forum post: THREAD_CREATE, then its first message."""
        thread = P.channel(P.snowflake(), self.guild_id, title, ctype=11, parent_id=self.forum["id"])
        thread["owner_id"] = self.users[user]["id"]
        thread["newly_created"] = True
        self.channels[thread["id"]] = thread
        await self.dispatch("THREAD_CREATE", thread)
        await self.post(thread["id"], content, user=user)
        return thread

    send_slash = slash  # the names the test brief uses
    click_button = click

    async def _interact(self, itype: int, data: dict, user: str, channel_id: str | None, *,
                        message_payload: dict | None = None, member_override: dict | None = None) -> Interaction:
        iid, token = P.snowflake(), f"token-{P.snowflake()}"
        channel = self.channels[channel_id or self.general["id"]]
        payload = P.interaction(iid, self.app_id, itype, data, guild_id=self.guild_id, channel=channel,
                                member_payload=member_override or self.member(user), token=token,
                                message_payload=message_payload)
        record = Interaction(iid, token, channel["id"], original=(message_payload or {}).get("id"))
        self.interactions[token] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def wait_for(self, predicate, timeout: float = 20.0):  # noqa: ANN001, ANN201
        """Wait until ``predicate()`` returns something truthy (re-checked on every call and every 20 ms)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (result := predicate()):
            if loop.time() > deadline:
                raise TimeoutError(f"emulator: condition not met within {timeout} s")
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait(), 0.02)
                except TimeoutError:
                    pass
        return result

    async def replies(self, interaction: Interaction, count: int = 1, timeout: float = 30.0) -> list[Sent]:
        """The first ``count`` messages the bot sent or edited for an interaction."""
        return await self.wait_for(lambda: interaction.sent[:count] if len(interaction.sent) >= count else None,
                                   timeout)

    async def final(self, interaction: Interaction, timeout: float = 30.0) -> Sent:
        """The first reply with content or embeds (a deferral's placeholder does not count)."""
        return await self.wait_for(
            lambda: next((s for s in interaction.sent if s.embeds or s.content), None), timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- gateway -----------------------------------------------------------
    @property
    def connected(self) -> int:
        """How many gateway sessions are identified or resumed right now."""
        return len(self._sockets)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event to every connected session (kept for replay on RESUME)."""
        self._seq += 1
        frame = {"op": 0, "t": event, "s": self._seq, "d": data}
        self._events.append(frame)
        for ws in list(self._sockets):
            await ws.send_str(json.dumps(frame))

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client drops the socket and resumes on a new one."""
        for ws in list(self._sockets):
            self._sockets.remove(ws)
            await ws.send_str(json.dumps({"op": 7, "d": None}))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                self.identify = frame["d"]
                self._sockets.append(ws)
                await self._ready(ws)
            elif op == 6:
                self.resumes.append(frame["d"])
                missed = [f for f in self._events if f["s"] > (frame["d"].get("seq") or 0)]
                self._sockets.append(ws)
                for event in missed:
                    await ws.send_str(json.dumps(event))
                await ws.send_str(json.dumps({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}}))
            await self._notify()
        if ws in self._sockets:
            self._sockets.remove(ws)
        await self._notify()
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        shard = (self.identify or {}).get("shard") or [0, 1]
        ready = {"v": 10, "user": {**self.bot, "verified": True, "mfa_enabled": False},
                 "guilds": [{"id": self.guild_id, "unavailable": True}], "session_id": f"session-{P.snowflake()}",
                 "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway", "shard": shard,
                 "application": {"id": self.app_id, "flags": 0}, "private_channels": [], "relationships": []}
        for event, data in (("READY", ready), ("GUILD_CREATE", self.guild_payload())):
            self._seq += 1
            await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def _attachment(self, request: web.Request) -> web.Response:
        data = self.attachments.get(request.match_info["name"])
        return web.Response(body=data, content_type="text/markdown") if data is not None else web.Response(status=404)
