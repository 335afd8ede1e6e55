"""The answer engine: evidence in, balanced and cited answer out. Imports nothing from Discord.

The names exported here are the engine's public surface for the rest of newsbot (the LLM mode,
evaluation, the service): ``compose`` (the offline reader's answer), ``Reader`` (the reader with its parser,
judge and encoder, for a service that keeps one), ``CitationBook`` (numbers exact quotes), ``is_tainted``
(planted instructions are never cited) and ``sentence_spans`` (the sentences the reader quotes). Anything
else in this package is internal and may change.
"""


def _thinc_without_torch() -> None:
    """Load thinc (under spaCy) with torch hidden. thinc imports torch whenever it is installed, to offer it as
    a backend; the reader's CPU pipeline never uses it, and importing it costs seconds and hundreds of MB on
    every process where the test extras (or a user) installed torch. Only when torch is not loaded already."""
    import sys

    if "torch" in sys.modules or "thinc.compat" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        import thinc.compat  # noqa: F401
    finally:
        del sys.modules["torch"]


_thinc_without_torch()

# ruff: noqa: E402
from newsbot.engine.compose import Reader, compose
from newsbot.engine.injection import is_tainted
from newsbot.engine.parse import sentence_spans
from newsbot.engine.wording import CitationBook

__all__ = ["CitationBook", "Reader", "compose", "is_tainted", "sentence_spans"]
