"""What the emulator records: REST calls, messages the bot sent, and interactions it was sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 0  # what the emulator answered


@dataclass
class Sent:
    """A message the bot sent or edited, however it got there."""

    kind: str  # "channel", "response", "followup", "edit"
    channel_id: str
    message: dict[str, Any]
    body: dict[str, Any]
    token: str | None = None

    @property
    def ephemeral(self) -> bool:
        return bool((self.body.get("flags") or 0) & 64)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds") or []

    @property
    def content(self) -> str:
        return self.message.get("content") or ""

    def custom_ids(self) -> list[str]:
        return [c.get("custom_id", "") for row in self.message.get("components") or [] for c in row.get("components", [])]


@dataclass
class Interaction:
    id: str
    token: str
    channel_id: str
    original: str | None = None  # the response message (or, for a click, the message clicked on)
    sent: list[Sent] = field(default_factory=list)


@dataclass
class RateLimit:
    """A 429 the emulator will answer to the next ``times`` requests whose path matches ``pattern``."""

    pattern: str
    retry_after: float
    times: int
