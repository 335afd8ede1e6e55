"""The answer engine: evidence in, balanced and cited answer out. Imports nothing from Discord."""

from newsbot.engine.compose import compose

__all__ = ["compose"]
