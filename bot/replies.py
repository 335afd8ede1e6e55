"""Answering an interaction, whatever state it is in: once, in time, and privately when it is an error.

Discord allows one first response per interaction, within 3 seconds; a deferral shows "thinking…"
and the first follow-up replaces it *with the deferral's visibility* — after a public "thinking…"
an "ephemeral" follow-up is public. So an error or a refusal after a public deferral deletes the
placeholder first and then says so only to the user (:func:`send_private`). Every button and
modal callback runs under :func:`guarded`: on any error the user gets the short apology with an
error id (the log has the trace), and a callback that forgot to answer is answered too.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.render import CONTENT, clip
from retrieval.store import EmbeddingModelMismatch

log = logging.getLogger("newsbot.bot")
NONE = discord.AllowedMentions.none()
RESTARTING = "newsbot is restarting; please try again in a minute."


def apology(exc: BaseException) -> str:
    """A short apology with an id that is also in the log (with the stack trace), never the trace itself."""
    error_id = secrets.token_hex(4)
    log.error("error %s while answering", error_id, exc_info=exc)
    return f"Sorry, something went wrong on my side (error id `{error_id}`). Please try again later."


def error_text(exc: BaseException) -> str:
    """What people see when answering failed: what to do when the corpus needs a rebuild, else an apology."""
    if isinstance(exc, EmbeddingModelMismatch):
        log.error("%s", exc)
        return clip(f"⚠️ {exc}", CONTENT)
    return apology(exc)


async def defer_thinking(interaction: discord.Interaction, *, ephemeral: bool) -> None:
    """Show "thinking…" at once (Discord's 3-second deadline), remembering who will see the reply."""
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    interaction.extras["thinking"] = "private" if ephemeral else "public"


async def send(interaction: discord.Interaction, *, ephemeral: bool, **message: Any) -> discord.WebhookMessage | None:
    """The reply: the first response if there was none, else a follow-up (the first one replaces "thinking…")."""
    if not interaction.response.is_done():
        await interaction.response.send_message(ephemeral=ephemeral, allowed_mentions=NONE, **message)
        return None
    sent = await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NONE, wait=True, **message)
    interaction.extras["thinking"] = None
    return sent


async def send_private(interaction: discord.Interaction, text: str) -> None:
    """``text`` only for the user, even after a public "thinking…" (which is deleted rather than filled)."""
    if not interaction.response.is_done():
        await interaction.response.send_message(clip(text, CONTENT), ephemeral=True, allowed_mentions=NONE)
        return
    if interaction.response.type is discord.InteractionResponseType.modal:  # a modal takes no follow-up
        log.warning("not shown (the interaction was answered with a modal): %s", text)
        return
    pending = interaction.extras.get("thinking", "public" if _deferred_with_thinking(interaction) else None)
    if pending == "public":
        with contextlib.suppress(discord.NotFound):
            await interaction.delete_original_response()
    interaction.extras["thinking"] = None
    await interaction.followup.send(clip(text, CONTENT), ephemeral=True, allowed_mentions=NONE)


def _deferred_with_thinking(interaction: discord.Interaction) -> bool:
    return interaction.response.type is discord.InteractionResponseType.deferred_channel_message


async def answer_error(interaction: discord.Interaction, exc: BaseException) -> None:
    """Tell the user (privately) that handling their interaction failed; never raises."""
    text = error_text(exc)
    try:
        await send_private(interaction, text)
    except discord.HTTPException as failed:
        log.error("could not tell the user about an error: %s", failed)


def guarded(callback: Callable[[Any, discord.Interaction], Awaitable[None]]
            ) -> Callable[[Any, discord.Interaction], Awaitable[None]]:
    """A component or modal callback that always answers: an apology with an error id on any error."""

    @functools.wraps(callback)
    async def run(self: Any, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as exc:  # noqa: BLE001 - the user gets an apology with an id, the log the trace
            await answer_error(interaction, exc)
            return
        if not interaction.response.is_done():
            await answer_error(interaction, RuntimeError(f"{callback.__qualname__} left the interaction unanswered"))

    return run
