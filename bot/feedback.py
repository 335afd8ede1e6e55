"""Why an answer was not helpful: the short modal "Not helpful" opens, and what its submission stores.

The modal asks for one reason (:data:`bot.storage.REASONS`: wrong side, missing source,
outdated, something else) and, optionally, a few words. Its custom id ``nb:why:<answer>``
carries the state, and submissions are handled from :meth:`bot.client.NewsBot.on_interaction`
rather than by a modal object kept in memory, so a modal opened before a restart is still
answered after it. The vote itself was counted on the click; the reason is stored beside the
question, the answer and the vote, for ``newsbot feedback`` to list and export.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.replies import guarded, send_private
from bot.storage import REASONS

if TYPE_CHECKING:
    from bot.client import NewsBot

MODAL_ID = re.compile(r"nb:why:(?P<aid>[0-9a-f]{1,32})")
REASON, DETAILS = "reason", "details"
DETAILS_MAX = 500


def reason_modal(answer_id: str) -> discord.ui.Modal:
    """The modal: one reason from a list, and optional free text."""
    modal = discord.ui.Modal(title="What was wrong with this answer?", custom_id=f"nb:why:{answer_id}")
    choices = [discord.SelectOption(label=text, value=value) for value, text in REASONS.items()]
    modal.add_item(discord.ui.Label(text="Reason", component=discord.ui.Select(
        custom_id=REASON, options=choices, min_values=1, max_values=1, required=True,
        placeholder="Pick the closest one")))
    modal.add_item(discord.ui.Label(text="Anything to add? (optional)", component=discord.ui.TextInput(
        custom_id=DETAILS, style=discord.TextStyle.paragraph, required=False, max_length=DETAILS_MAX,
        placeholder="e.g. which source is missing, or what changed since")))
    modal.stop()  # not kept in memory: the submission is handled by its custom id (see the module docstring)
    return modal


def submitted(components: list[dict[str, Any]]) -> dict[str, Any]:
    """A modal submission's values by custom id (a select's list, a text input's string)."""
    values: dict[str, Any] = {}
    for item in components:
        inner = [item["component"]] if item.get("type") == 18 else item.get("components") or []
        for c in inner:
            values[c.get("custom_id", "")] = c.get("values", c.get("value"))
    return values


class ReasonSubmission:
    """Handles one submitted reason modal (a class so that :func:`guarded` applies as to buttons)."""

    def __init__(self, answer_id: str) -> None:
        self.answer_id = answer_id

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.views import GONE, show_votes

        bot: NewsBot = interaction.client  # type: ignore[assignment]
        values = submitted((interaction.data or {}).get("components", []))  # type: ignore[arg-type]
        reason = (values.get(REASON) or ["other"])[0]
        comment = (values.get(DETAILS) or "")[:DETAILS_MAX]
        if reason not in REASONS:
            reason = "other"
        await interaction.response.defer(ephemeral=True, thinking=interaction.message is None)
        if not await asyncio.to_thread(bot.store.explain, self.answer_id, interaction.user.id, reason, comment):
            await send_private(interaction, GONE)
            return
        await show_votes(interaction, self.answer_id)
        await send_private(interaction, f"Thanks: noted as not helpful ({REASONS[reason].lower()}). Moderators "
                                        "read these to fix the corpus.")


async def on_modal_submit(interaction: discord.Interaction) -> bool:
    """Handle a reason modal's submission; False if ``interaction`` is some other modal."""
    match = MODAL_ID.fullmatch(str((interaction.data or {}).get("custom_id", "")))
    if match is None:
        return False
    await ReasonSubmission(match["aid"]).callback(interaction)
    return True
