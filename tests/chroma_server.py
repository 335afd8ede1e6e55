"""A real `chroma run` server on 127.0.0.1 with a temporary path, for the server-mode tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.llm_servers import free_port, stop_process


def chroma_cli() -> str | None:
    found = Path(sys.executable).parent / "chroma"
    return str(found) if found.exists() else shutil.which("chroma")


@contextmanager
def chroma_server(path: Path) -> Iterator[str]:
    """Start ``chroma run`` on a free loopback port; yield its URL; stop it."""
    port = free_port()
    exe = chroma_cli()
    assert exe is not None, "the chroma CLI comes with the chromadb package"
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("chroma run did not start")
            time.sleep(0.3)
        yield url
    finally:
        stop_process(proc)
