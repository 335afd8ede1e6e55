"""The ONNX model optimised once per machine and kept on disk.

onnxruntime optimises a model as it loads it; for the int8 MiniLM that means
folding its quantised weights into float32 ones, which holds both while it
works and leaves the process larger after (measured here: 302 MB of RSS after
a first load, 201 MB after a load from the cache). Saving the optimised graph
once and loading that file with optimisation off gives the same session (the
same vectors, bit for bit) without that cost.

Before optimising, the graph is rewritten so that the word-embedding table
stays int8 (:mod:`retrieval.embeddings_graph`); the cached file holds that.

The file is keyed by the model's bytes, the rewrite's recipe, the onnxruntime
version and the CPU (an optimised graph may use instructions of the machine it
was made on), and
written atomically, so a crash never leaves half a model; a cached file that
fails to load is deleted and rebuilt. No cache directory, or an unwritable
one, just means optimising in memory every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
from pathlib import Path
from typing import Any

from retrieval.embeddings_graph import RECIPE, gather_before_dequantising

log = logging.getLogger(__name__)


def cache_key(model: Path) -> str:
    """Model content, rewrite recipe, onnxruntime version and CPU, hashed: a changed one makes a new file."""
    import onnxruntime as ort

    digest = hashlib.sha256()
    with model.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"|{RECIPE}|{ort.__version__}|{platform.machine()}|{_cpu_flags()}".encode())
    return digest.hexdigest()[:20]


def _cpu_flags() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("flags", "Features")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def optimized_session(model: Path, options: Any, cache_dir: Path | None) -> Any:
    """An ``InferenceSession`` of ``model`` with every graph optimisation, from the cache when it can be."""
    import onnxruntime as ort

    providers = ["CPUExecutionProvider"]
    cached = cache_dir / f"{model.stem}-{cache_key(model)}.ort.onnx" if cache_dir else None
    if cached is not None and cached.is_file():
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return ort.InferenceSession(str(cached), sess_options=options, providers=providers)
        except Exception as exc:  # noqa: BLE001 - a damaged cache file is rebuilt, never fatal
            log.warning("optimised model cache %s unreadable (%s); rebuilding it", cached, exc)
            cached.unlink(missing_ok=True)
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    partial = None
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.partial")
            options.optimized_model_filepath = str(partial)
        except OSError as exc:
            log.info("no model cache (%s): optimising in memory", exc)
            partial = None
    rewritten = gather_before_dequantising(model.read_bytes())
    session = ort.InferenceSession(rewritten, sess_options=options, providers=providers)
    del rewritten
    if partial is not None:
        try:
            os.replace(partial, cached)
        except OSError as exc:
            log.info("model cache not written (%s)", exc)
            partial.unlink(missing_ok=True)
    return session
