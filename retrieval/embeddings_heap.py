"""The C heap under the embedder: fewer malloc arenas, freed pages handed back.

glibc gives each thread that allocates its own malloc arena (up to 8 per
core). onnxruntime's worker threads, Chroma's Rust threads and the tokenizer
each fill one, and memory freed in one arena cannot serve another, so a
process that embeds and indexes keeps tens of MB of freed pages resident.
Capping the arenas at two (``mallopt(M_ARENA_MAX)``, the in-process form of
``MALLOC_ARENA_MAX``) lowers an ingest's peak RSS by ~15 MB (one arena: ~22
MB) at the same CPU time on a 2-core machine. It only binds threads that have
not allocated yet, and numpy's BLAS starts its threads as numpy is imported,
so the cap is set when this module is imported, and ``newsbot/__init__.py``
imports it first thing. A ``MALLOC_ARENA_MAX`` set in the environment wins.

``malloc_trim`` returns the pages a large batch's activations freed. Neither
call exists outside glibc (musl, macOS, Windows): there both do nothing.
"""

from __future__ import annotations

import ctypes
import os
from functools import lru_cache
from typing import Any

#: Malloc arenas for the whole process (glibc's default is 8 per core).
ARENAS = 2
_M_ARENA_MAX = -8  # from glibc's malloc.h


@lru_cache(maxsize=1)
def _libc() -> Any:
    """The C library's symbols (without ``find_library``, which runs ``ldconfig``), if it is glibc."""
    try:
        libc = ctypes.CDLL(None)
    except (OSError, TypeError):  # Windows has no process-wide symbol table
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


@lru_cache(maxsize=1)
def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas (once per process) unless ``MALLOC_ARENA_MAX`` is set; True if capped here."""
    libc = _libc()
    if libc is None or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, arenas))


def release_freed_memory() -> None:
    """Return freed heap pages to the system.

    onnxruntime's worker threads allocate a batch's activations in their
    arenas; glibc keeps freed pages there, so RSS climbs batch after batch
    although nothing is in use. Trimming costs well under a millisecond.
    """
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


limit_arenas()  # on import: see the module docstring
