"""newsbot: answers questions about a news corpus with cited, balanced sources.

The package holds the domain models, settings, the answer engine and the CLI.
Retrieval (load, chunk, embed, store, search) lives in :mod:`retrieval`; the
Discord shell lives in :mod:`bot`. Nothing here imports Discord.
"""

import retrieval.embeddings_heap  # noqa: F401 - first: caps malloc arenas before any library starts threads

__version__ = "0.1.0"
