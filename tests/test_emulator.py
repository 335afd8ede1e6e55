"""The Discord emulator speaks enough Discord for a plain discord.py client, over real sockets on 127.0.0.1.

These tests use no newsbot code at all: a bare ``discord.Client`` with a
``CommandTree`` proves the emulator before the bot is tested against it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from discord import app_commands

from tests.discord_emulator import DiscordEmulator

NONE = discord.AllowedMentions.none()


class PlainClient(discord.Client):
    """A minimal slash-command client: /echo defers then follows up; /digest reads an attachment."""

    def __init__(self, guild_id: str, **options: object) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        # guild_ready_timeout: READY is delayed this long after the last GUILD_CREATE (2 s by default)
        super().__init__(intents=intents, allowed_mentions=NONE, guild_ready_timeout=0.05, **options)
        self.tree = app_commands.CommandTree(self)
        self.guild = discord.Object(id=int(guild_id))
        self.seen: list[discord.Message] = []

    async def setup_hook(self) -> None:
        @self.tree.command(name="echo", description="Repeat the text")
        async def echo(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(f"echo: {text}", allowed_mentions=NONE)

        @self.tree.command(name="digest", description="SHA-256 of an attached file")
        async def digest(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()
            await interaction.response.send_message(hashlib.sha256(data).hexdigest(), ephemeral=True,
                                                    allowed_mentions=NONE)

        self.tree.copy_global_to(guild=self.guild)
        await self.tree.sync(guild=self.guild)

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message)


async def _connected(client: discord.Client) -> asyncio.Task:
    task = asyncio.create_task(client.start("emulator-token"))
    await asyncio.wait_for(client.wait_until_ready(), 20)
    return task


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    emulator = DiscordEmulator(heartbeat_interval=0.1)
    await emulator.start()
    emulator.install()
    yield emulator
    await emulator.stop()


@pytest_asyncio.fixture
async def client(emu: DiscordEmulator) -> AsyncIterator[PlainClient]:
    plain = PlainClient(emu.guild_id)
    task = await _connected(plain)
    yield plain
    await plain.close()
    task.cancel()


async def test_plain_client_syncs_a_command_then_defers_and_follows_up(emu: DiscordEmulator,
                                                                       client: PlainClient) -> None:
    sync = next(c for c in emu.calls if c.method == "PUT" and c.path.endswith("/commands"))
    assert sync.path == f"applications/{emu.app_id}/guilds/{emu.guild_id}/commands" and sync.status == 200
    assert [o["name"] for o in emu.commands["echo"]["options"]] == ["text"]
    assert client.user is not None and str(client.user.id) == emu.app_id
    guild = client.get_guild(int(emu.guild_id))
    assert guild is not None and guild.get_channel(int(emu.general["id"])) is not None

    asked = await emu.send_slash("echo", {"text": "hello"}, user="bob")
    reply = await emu.final(asked)
    assert reply.kind == "followup" and reply.content == "echo: hello" and not reply.ephemeral
    assert reply.body["allowed_mentions"]["parse"] == []
    deferral = next(c for c in emu.calls if c.path.endswith(f"{asked.token}/callback"))
    assert deferral.body["type"] == 5 and deferral.query.get("with_response") in ("1", "true", "True")


async def test_heartbeats_are_acknowledged_so_latency_is_measured(emu: DiscordEmulator, client: PlainClient) -> None:
    await emu.wait_for(lambda: emu.heartbeats >= 3, timeout=5)
    assert client.latency < 1.0


async def test_after_a_reconnect_request_the_client_resumes_and_gets_the_events_it_missed(
        emu: DiscordEmulator, client: PlainClient) -> None:
    session = emu.identify
    await emu.request_reconnect()
    asked = await emu.send_slash("echo", {"text": "while away"})  # dispatched before the client is back
    reply = await emu.final(asked, timeout=15)
    assert reply.content == "echo: while away"
    assert len(emu.resumes) == 1 and emu.identify is session  # resumed, not identified again
    assert emu.resumes[0]["session_id"].startswith("session-")


async def test_a_rate_limited_followup_is_retried_after_retry_after(emu: DiscordEmulator,
                                                                    client: PlainClient) -> None:
    emu.rate_limit(r"^webhooks/", retry_after=0.2)
    asked = await emu.send_slash("echo", {"text": "again"})
    reply = await emu.final(asked, timeout=10)
    assert reply.content == "echo: again"
    statuses = [c.status for c in emu.calls if c.path.startswith(f"webhooks/{emu.app_id}/{asked.token}")]
    assert statuses == [429, 200]
    assert len([s for s in asked.sent if s.content]) == 1


async def test_attachments_are_served_from_the_emulator_itself(emu: DiscordEmulator, client: PlainClient) -> None:
    data = "---\ntitle: Ünïcode\n---\nBody text.".encode()
    reply = await emu.final(await emu.send_slash("digest", {"file": ("a.md", data)}))
    assert reply.ephemeral and reply.content == hashlib.sha256(data).hexdigest()


async def test_messages_carry_the_mentions_the_test_asks_for(emu: DiscordEmulator, client: PlainClient) -> None:
    await emu.send_message(emu.general["id"], f"<@{emu.app_id}> hi @everyone <@&{emu.moderator_role}>",
                           author="bob", mentions=["newsbot"], mention_roles=[emu.moderator_role],
                           mention_everyone=True)
    seen = await emu.wait_for(lambda: client.seen[-1] if client.seen else None, timeout=5)
    assert seen.author.name == "bob" and client.user in seen.mentions and seen.mention_everyone
    assert [r.id for r in seen.role_mentions] == [int(emu.moderator_role)]
    assert seen.channel.id == int(emu.general["id"])


async def test_a_route_the_emulator_lacks_fails_loudly(emu: DiscordEmulator, client: PlainClient) -> None:
    with pytest.raises(discord.NotFound, match="emulator has no route"):
        await client.fetch_invite("abcdef")


async def test_an_auto_sharded_client_discovers_the_gateway_and_identifies_its_shard(
        emu: DiscordEmulator) -> None:
    class Sharded(PlainClient, discord.AutoShardedClient):
        pass

    sharded = Sharded(emu.guild_id)
    task = await _connected(sharded)
    try:
        assert any(c.path == "gateway/bot" for c in emu.calls)
        assert emu.identify is not None and emu.identify["shard"] == [0, 1]
        reply = await emu.final(await emu.send_slash("echo", {"text": "sharded"}))
        assert reply.content == "echo: sharded"
    finally:
        await sharded.close()
        task.cancel()
