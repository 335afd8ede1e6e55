"""The answer engine: evidence in, balanced and cited answer out. Imports nothing from Discord.

The names exported here are the engine's public surface for the rest of newsbot (the LLM mode,
evaluation, the service): ``compose`` (the offline reader's answer), ``Reader`` (the reader with its parser,
judge and encoder, for a service that keeps one), ``CitationBook`` (numbers exact quotes), ``is_tainted``
(planted instructions are never cited) and ``sentence_spans`` (the sentences the reader quotes). Anything
else in this package is internal and may change.
"""

from newsbot.engine.compose import Reader, compose
from newsbot.engine.injection import is_tainted
from newsbot.engine.parse import sentence_spans
from newsbot.engine.wording import CitationBook

__all__ = ["CitationBook", "Reader", "compose", "is_tainted", "sentence_spans"]
