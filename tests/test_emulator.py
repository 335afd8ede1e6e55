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
from tests.discord_emulator.records import DEADLINE

NONE = discord.AllowedMentions.none()


class PlainClient(discord.Client):
    """A minimal slash-command client: /echo defers then follows up; /digest reads an attachment.

    The other commands break or probe one of Discord's rules each (see the tests below).
    """

    def __init__(self, guild_id: str, **options: object) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        # guild_ready_timeout: READY is delayed this long after the last GUILD_CREATE (2 s by default)
        super().__init__(intents=intents, allowed_mentions=NONE, guild_ready_timeout=0.05, **options)
        self.tree = app_commands.CommandTree(self)
        self.guild = discord.Object(id=int(guild_id))
        self.seen: list[discord.Message] = []
        self.refused: list[discord.HTTPException] = []

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

        @self.tree.command(name="late", description="Answers after Discord's deadline")
        async def late(interaction: discord.Interaction) -> None:
            await asyncio.sleep(DEADLINE + 0.2)
            await self.attempt(interaction.response.send_message("too late", allowed_mentions=NONE))

        @self.tree.command(name="twice", description="Acknowledges twice")
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await self.attempt(interaction.client.http.request(discord.http.Route(
                "POST", "/interactions/{iid}/{token}/callback", iid=interaction.id, token=interaction.token),
                json={"type": 4, "data": {"content": "again"}}))

        @self.tree.command(name="oops", description="Defers in public, then errs")
        async def oops(interaction: discord.Interaction, delete_first: bool) -> None:
            await interaction.response.defer(thinking=True)
            if delete_first:
                await interaction.delete_original_response()
            await interaction.followup.send("it failed", ephemeral=True, allowed_mentions=NONE)

        @self.tree.command(name="big", description="Sends what Discord refuses")
        async def big(interaction: discord.Interaction, what: str) -> None:
            await interaction.response.defer()
            embed = discord.Embed(title="t", description="d" * 4000)
            send = {"content": lambda: interaction.followup.send("x" * 2001),
                    "embeds": lambda: interaction.followup.send(embeds=[embed, embed]),
                    "empty": lambda: interaction.followup.send("")}[what]
            await self.attempt(send())
            await interaction.followup.send("done", allowed_mentions=NONE)

        @self.tree.command(name="form", description="Opens a modal")
        async def form(interaction: discord.Interaction) -> None:
            modal = discord.ui.Modal(title="Tell me", custom_id="form")
            modal.add_item(discord.ui.Label(text="Colour", component=discord.ui.Select(
                custom_id="colour", options=[discord.SelectOption(label="Red", value="red")])))
            modal.add_item(discord.ui.Label(text="Why", component=discord.ui.TextInput(custom_id="why", required=False)))

            async def on_submit(submitted: discord.Interaction) -> None:
                await self.attempt(submitted.response.send_modal(modal))  # a modal cannot answer a modal
                await submitted.response.send_message(f"got {submitted.data}", ephemeral=True, allowed_mentions=NONE)

            modal.on_submit = on_submit  # type: ignore[method-assign]
            await interaction.response.send_modal(modal)

        @self.tree.command(name="thread", description="Starts threads on a message")
        async def thread(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("starting", allowed_mentions=NONE)
            message = await interaction.original_response()
            first = await message.create_thread(name="first")
            await self.attempt(message.create_thread(name="second"))
            inner = await first.send("inside", allowed_mentions=NONE)
            await self.attempt(inner.create_thread(name="nested"))

        self.tree.copy_global_to(guild=self.guild)
        await self.tree.sync(guild=self.guild)

    async def attempt(self, call) -> None:  # noqa: ANN001
        """Await ``call``, keeping what Discord (the emulator) refused."""
        try:
            await call
        except discord.HTTPException as exc:
            self.refused.append(exc)

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


async def test_an_answer_after_the_three_second_deadline_is_refused_as_an_unknown_interaction(
        emu: DiscordEmulator, client: PlainClient) -> None:
    late = await emu.slash("late")
    with pytest.raises(AssertionError, match="not acknowledged within 3.0 s"):
        await emu.acknowledged(late)
    await emu.wait_for(lambda: client.refused, timeout=5)
    assert isinstance(client.refused[0], discord.NotFound) and client.refused[0].code == 10062
    assert late.acked is None and "answered after" in emu.violations[0]


async def test_a_second_acknowledgement_is_refused(emu: DiscordEmulator, client: PlainClient) -> None:
    twice = await emu.slash("twice")
    assert await emu.acknowledged(twice) == 5
    await emu.wait_for(lambda: client.refused, timeout=5)
    assert client.refused[0].code == 40060 and "already been acknowledged" in emu.violations[0]


async def test_an_ephemeral_follow_up_after_a_public_thinking_is_public_unless_the_placeholder_goes_first(
        emu: DiscordEmulator, client: PlainClient) -> None:
    kept = await emu.final(await emu.slash("oops", {"delete_first": False}))
    assert not kept.ephemeral and kept.content == "it failed"  # it replaced the public "thinking…"
    deleted = await emu.slash("oops", {"delete_first": True})
    private = await emu.final(deleted)
    assert private.ephemeral and private.message["id"] != deleted.original
    assert deleted.original in emu.deleted
    assert not [m for m in emu.visible(emu.general["id"]) if m["content"] == "it failed" and m["flags"] & 64]
    assert [m for m in emu.visible(emu.general["id"], to="alice") if m["id"] == private.message["id"]]
    assert not emu.violations


@pytest.mark.parametrize("what", ["content", "embeds", "empty"])
async def test_messages_over_discords_limits_are_refused(emu: DiscordEmulator, client: PlainClient,
                                                         what: str) -> None:
    done = await emu.final(await emu.slash("big", {"what": what}))
    assert done.content == "done" and len(client.refused) == 1
    assert client.refused[0].code == (50006 if what == "empty" else 50035)
    assert len(emu.violations) == 1 and ("6000" in emu.violations[0] or what != "embeds")


async def test_one_thread_per_message_and_none_inside_a_thread(emu: DiscordEmulator, client: PlainClient) -> None:
    started = await emu.final(await emu.slash("thread"))
    await emu.wait_for(lambda: len(client.refused) == 2, timeout=5)
    assert [e.code for e in client.refused] == [160004, 50024]
    assert emu.message_threads == {started.message["id"]: started.message["id"]}  # the thread has the message's id
    assert emu.channels[started.message["id"]]["type"] == 11 and not emu.violations  # the bot may try; it is told


async def test_a_modal_is_shown_and_submitted_and_cannot_answer_a_modal(emu: DiscordEmulator,
                                                                         client: PlainClient) -> None:
    opened = await emu.slash("form")
    assert await emu.acknowledged(opened) == 9 and opened.modal["title"] == "Tell me"
    with pytest.raises(ValueError, match="refuses"):
        await emu.submit_modal(opened, {"colour": "blue"})
    submitted = await emu.submit_modal(opened, {"colour": "red", "why": "because"})
    reply = await emu.final(submitted)
    assert reply.ephemeral and "'values': ['red']" in reply.content and "'value': 'because'" in reply.content
    assert [e.status for e in client.refused] == [400] and "a modal cannot answer a modal" in emu.violations[0]
    with pytest.raises(ValueError, match="client refuses"):
        await emu.slash("echo", {"text": "x" * 6001})


async def test_replies_and_the_bots_managed_role_reach_the_client(emu: DiscordEmulator, client: PlainClient) -> None:
    said = await emu.final(await emu.slash("echo", {"text": "original"}))
    await emu.send_message(emu.general["id"], f"<@&{emu.bot_role}> about that", author="bob",
                           mention_roles=[emu.bot_role], reply_to=said, reply_ping=False)
    seen = await emu.wait_for(lambda: client.seen[-1] if client.seen else None, timeout=5)
    guild = client.get_guild(int(emu.guild_id))
    assert guild is not None and guild.self_role is not None and guild.self_role.id == int(emu.bot_role)
    assert seen.role_mentions == [guild.self_role] and client.user not in seen.mentions
    assert seen.reference is not None and seen.reference.message_id == int(said.message["id"])
    assert isinstance(seen.reference.resolved, discord.Message) and seen.reference.resolved.content == "echo: original"
