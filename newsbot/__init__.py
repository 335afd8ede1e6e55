"""newsbot: answers questions about a news corpus with cited, balanced sources.

The package holds the domain models, settings, the answer engine and the CLI.
Retrieval (load, chunk, embed, store, search) lives in :mod:`retrieval`; the
Discord shell lives in :mod:`bot`. Nothing here imports Discord.
"""

__version__ = "0.1.0"
