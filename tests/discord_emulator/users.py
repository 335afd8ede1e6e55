"""Acting as users: slash commands, clicks, modals, messages, replies and forum posts; waiting for the bot.

What Discord's own client would refuse to send (an option longer than its ``max_length``, a click on
someone else's ephemeral message or on a disabled button) raises ``ValueError`` here, as it never
reaches a bot.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.discord_emulator import payloads as P
from tests.discord_emulator.records import DEADLINE, Interaction, Sent

OPTION_TYPES = {3: str, 4: int, 5: bool, 10: float}


class UserActions:
    """A mixin of :class:`DiscordEmulator`: what a test does as alice, bob, mod or admin."""

    async def slash(self, name: str, options: dict[str, Any] | None = None, *, user: str = "alice",
                    channel_id: str | None = None, member_override: dict[str, Any] | None = None) -> Interaction:
        """Run ``/name`` with ``options`` as ``user``; returns the interaction to watch replies of.

        ``name`` may name a subcommand: ``"feeds add"`` runs ``add`` of the group ``/feeds``.
        """
        name, _, sub = name.partition(" ")
        command = self.commands.get(name, {"id": P.snowflake(), "options": []})
        spec = command.get("options", [])
        if sub:
            spec = next((o.get("options", []) for o in spec if o["name"] == sub), [])
        declared = {o["name"]: o for o in spec}
        opts, resolved = [], {}
        for key, value in (options or {}).items():
            option = declared.get(key, {"type": 3})
            if spec and key not in declared:
                raise ValueError(f"/{name} has no option {key!r}")
            kind = option.get("type", 3)
            if kind == 3 and isinstance(value, str):
                if len(value) > option.get("max_length", 6000) or len(value) < option.get("min_length", 0):
                    raise ValueError(f"Discord's client refuses {key!r}: {len(value)} characters, allowed "
                                     f"{option.get('min_length', 0)}-{option.get('max_length', 6000)}")
            if kind == 11:  # attachment: value is (filename, bytes)
                aid = P.snowflake()
                filename, data = value
                self.attachments[f"{aid}-{filename}"] = data
                resolved.setdefault("attachments", {})[aid] = {
                    "id": aid, "filename": filename, "size": len(data), "content_type": "text/markdown",
                    "url": f"{self.base_url}/attachments/{aid}-{filename}",
                    "proxy_url": f"{self.base_url}/attachments/{aid}-{filename}"}
                value = aid
            opts.append({"name": key, "type": kind, "value": value})
        missing = [o["name"] for o in declared.values() if o.get("required") and o["name"] not in (options or {})]
        if missing:
            raise ValueError(f"Discord's client requires {missing} for /{name}")
        if sub:
            opts = [{"name": sub, "type": 1, "options": opts}]
        data = {"id": command["id"], "name": name, "type": 1, "options": opts, "guild_id": self.guild_id}
        if resolved:
            data["resolved"] = resolved
        return await self._interact(2, data, user, channel_id, member_override=member_override)

    async def click(self, sent: Sent | dict[str, Any], custom_id: str, *, user: str = "alice") -> Interaction:
        """Click the button ``custom_id`` on a message the bot sent, as it is now (edits included).

        As in Discord the button must be on the message and enabled, and an ephemeral message
        is there only for the user it was sent to.
        """
        given = sent.message if isinstance(sent, Sent) else sent
        message = self.messages.setdefault(given["id"], given)
        if message["id"] in self.deleted:
            raise ValueError("that message was deleted")
        buttons = {c.get("custom_id"): c for row in message.get("components") or [] for c in row.get("components", [])}
        if custom_id not in buttons:
            raise ValueError(f"no component {custom_id!r} on that message: {list(buttons)}")
        if buttons[custom_id].get("disabled"):
            raise ValueError(f"{custom_id!r} is disabled")
        if (message.get("flags") or 0) & 64:
            owner = next((self.interactions[s.token].user for s in self.sent
                          if s.message["id"] == message["id"] and s.token in self.interactions), None)
            if owner != user:
                raise ValueError(f"only {owner} sees that ephemeral message")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(3, data, user, message["channel_id"], message_payload=message)

    async def submit_modal(self, opened: Interaction, values: dict[str, str | list[str]], *,
                           user: str | None = None) -> Interaction:
        """Fill in and submit the modal the bot answered ``opened`` with (``values`` by input custom id).

        Waits (within the deadline) for the modal to be shown, as a person would.
        """
        await self.acknowledged(opened)
        modal = opened.modal
        if modal is None:
            raise ValueError("the bot answered that interaction with no modal")
        components = []
        for item in modal["components"]:
            inner = item.get("component") if item.get("type") == 18 else (item.get("components") or [None])[0]
            if not inner:
                continue
            cid, value = inner["custom_id"], values.get(inner["custom_id"])
            if inner["type"] == 4:
                text = value if isinstance(value, str) else ""
                if inner.get("required", True) and not text:
                    raise ValueError(f"Discord's client requires {cid!r}")
                if len(text) > inner.get("max_length", 4000) or len(text) < inner.get("min_length", 0):
                    raise ValueError(f"Discord's client refuses {cid!r}: {len(text)} characters")
                submitted = {"type": 4, "custom_id": cid, "value": text}
            else:
                chosen = [value] if isinstance(value, str) else list(value or [])
                allowed = {o["value"] for o in inner.get("options") or []}
                if not set(chosen) <= allowed or (inner.get("required", True) and not chosen):
                    raise ValueError(f"Discord's client refuses {chosen} for {cid!r} (options {sorted(allowed)})")
                submitted = {"type": inner["type"], "custom_id": cid, "values": chosen}
            components.append({"type": 18, "id": item.get("id", 0), "component": submitted}
                              if item.get("type") == 18 else {"type": 1, "components": [submitted]})
        data = {"custom_id": modal["custom_id"], "components": components}
        clicked = opened.clicked and self.messages.get(opened.clicked["id"], opened.clicked)  # as it is now
        return await self._interact(5, data, user or opened.user, opened.channel_id, message_payload=clicked)

    async def send_message(self, channel_id: str, content: str, *, author: str = "alice",
                           mentions: list[str] | None = None, mention_roles: list[str] | None = None,
                           mention_everyone: bool = False, reply_to: Sent | dict[str, Any] | None = None,
                           reply_ping: bool = True, message_id: str | None = None) -> dict:
        """``author`` posts ``content`` in a channel (MESSAGE_CREATE).

        ``mentions`` names users ("newsbot" is the bot) whose mentions the message carries,
        ``mention_roles`` role ids; ``mention_everyone`` marks an @everyone/@here that would ping.
        ``reply_to`` makes it a reply to that message (with ``reply_ping`` its author is mentioned,
        as Discord's client does by default, without any markup in the content).
        """
        people = {**self.users, "newsbot": self.bot}
        mentioned = [people[name] for name in mentions or []]
        msg = P.message(message_id or P.snowflake(), channel_id, self.users[author], {"content": content},
                        self.guild_id, mentions=mentioned)
        if reply_to is not None:
            target = reply_to.message if isinstance(reply_to, Sent) else reply_to
            target = self.messages.get(target["id"], target)
            msg["type"] = 19
            msg["message_reference"] = {"type": 0, "message_id": target["id"], "channel_id": target["channel_id"],
                                        "guild_id": self.guild_id}
            msg["referenced_message"] = target
            if reply_ping and all(u["id"] != target["author"]["id"] for u in mentioned):
                msg["mentions"].append(target["author"])
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
        """A user opens a forum post: THREAD_CREATE, then its first message (which, as in Discord, has its id)."""
        thread = P.channel(P.snowflake(), self.guild_id, title, ctype=11, parent_id=self.forum["id"])
        thread["owner_id"] = self.users[user]["id"]
        thread["newly_created"] = True
        self.channels[thread["id"]] = thread
        await self.dispatch("THREAD_CREATE", thread)
        await self.send_message(thread["id"], content, author=user, message_id=thread["id"])
        return thread

    async def start_thread(self, message: Sent | dict[str, Any], name: str, *, user: str = "alice") -> dict:
        """``user`` starts a thread on a message through Discord's menu (THREAD_CREATE; it has the message's id)."""
        msg = message.message if isinstance(message, Sent) else message
        if msg["id"] in self.message_threads:
            raise ValueError("that message has a thread already")
        thread = P.channel(msg["id"], self.guild_id, name, ctype=11, parent_id=msg["channel_id"])
        thread["owner_id"] = self.users[user]["id"]
        self.channels[thread["id"]] = thread
        self.message_threads[msg["id"]] = thread["id"]
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
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
        record = Interaction(iid, token, channel["id"], user=user, type=itype,
                             created=asyncio.get_running_loop().time(),
                             original=(message_payload or {}).get("id"), clicked=message_payload)
        self.interactions[token] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    # --- waiting for the bot ---------------------------------------------------
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

    async def acknowledged(self, interaction: Interaction) -> int:
        """The callback type the bot answered with, within Discord's 3-second deadline (AssertionError if not)."""
        try:
            await self.wait_for(lambda: interaction.acked is not None, timeout=DEADLINE)
        except TimeoutError:
            raise AssertionError(f"interaction {interaction.id} was not acknowledged within {DEADLINE} s") from None
        assert interaction.acked is not None
        return interaction.acked

    async def settle(self) -> list[Interaction]:
        """Wait out the deadline of every interaction still unanswered; those never answered become violations."""
        try:
            await self.wait_for(lambda: not self.unanswered(), timeout=DEADLINE)
        except TimeoutError:
            pass
        late = self.unanswered()
        for record in late:
            record.abandoned = True  # reported once
            self.violations.append(f"interaction {record.id} (type {record.type}, by {record.user}) never answered")
        return late

    async def replies(self, interaction: Interaction, count: int = 1, timeout: float = 30.0) -> list[Sent]:
        """The first ``count`` messages the bot sent or edited for an interaction."""
        return await self.wait_for(lambda: interaction.sent[:count] if len(interaction.sent) >= count else None,
                                   timeout)

    async def final(self, interaction: Interaction, timeout: float = 30.0) -> Sent:
        """The first reply with content or embeds (a deferral's placeholder does not count)."""
        return await self.wait_for(
            lambda: next((s for s in interaction.sent if s.embeds or s.content), None), timeout)

    async def first_where(self, interaction: Interaction, predicate, timeout: float = 30.0) -> Sent:  # noqa: ANN001
        """The first message the bot sent or edited for ``interaction`` that ``predicate(sent)`` accepts."""
        return await self.wait_for(lambda: next((s for s in interaction.sent if predicate(s)), None), timeout)
