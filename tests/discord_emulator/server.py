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
from tests.discord_emulator.rules import Refusal
from tests.discord_emulator.users import UserActions


class DiscordEmulator(UserActions, RestRoutes):
    """Gateway + REST on 127.0.0.1; ``install()`` points discord.py at it.

    ``heartbeat_interval`` (seconds) is what HELLO tells the client; tests of the
    heartbeat itself pass a short one. Discord's rules are enforced (see ``rules.py`` and
    ``interactions.py``): what a client breaks is refused as Discord refuses it and listed in
    ``violations``.
    """

    def __init__(self, *, heartbeat_interval: float = 41.25) -> None:
        self.heartbeat_interval = heartbeat_interval
        self.app_id = P.snowflake()
        self.guild_id = P.snowflake()
        self.bot = P.user(self.app_id, "newsbot", bot=True)
        self.moderator_role = P.snowflake()
        self.bot_role = P.snowflake()  # the managed role Discord gives the bot, named after it
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
        self.violations: list[str] = []  # rules the client broke (late or second acknowledgement, limits …)
        self.refusals: list[tuple[Call, Refusal]] = []  # every request refused, with why
        self.deleted: set[str] = set()  # ids of deleted messages
        self.message_threads: dict[str, str] = {}  # message id -> the thread started on it
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
                 P.role(self.moderator_role, "Moderators", P.EVERYONE_PERMISSIONS, 1),
                 P.role(self.bot_role, "newsbot", P.EVERYONE_PERMISSIONS, 2, bot_id=self.app_id)]
        members = [P.member(self.bot, [self.bot_role], P.EVERYONE_PERMISSIONS)] + [self.member(n) for n in self.users]
        channels = [c for c in self.channels.values() if c["type"] in (0, 15)]
        return P.guild(self.guild_id, self.users["admin"]["id"], roles, channels, members)

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
