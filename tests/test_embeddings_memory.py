"""What keeps the embedder lean: token and attention budgets per batch, the int8 word table, the optimised-model
cache, no heavy imports on its path."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.embeddings import OnnxMiniLM, _onnx_files, token_batches
from retrieval.embeddings_base import ATTENTION_CELLS, BATCH, BATCH_TOKENS
from retrieval.embeddings_graph import gather_before_dequantising

TEXTS = ["Zelensky said Lukashenko apologized for the missile strikes.", "short",
         "The Mozyr refinery processes Russian crude oil. " * 30]


def test_batches_keep_order_and_stay_within_the_text_token_and_attention_budgets() -> None:
    lengths = sorted([3, 5, 5, 8, 40, 64, 64, 64, 64, 64, 100, 100, 200, 256, 256, 256] + [10] * 30 + [30] * 20)
    order = list(range(len(lengths)))
    batches = token_batches(lengths, order)
    assert [i for b in batches for i in b] == order
    for b in batches:
        longest = max(lengths[i] for i in b)
        assert len(b) <= BATCH
        assert len(b) == 1 or (len(b) * longest <= BATCH_TOKENS and len(b) * longest**2 <= ATTENTION_CELLS)
    assert any(len(b) == BATCH for b in batches)  # short texts still fill whole batches
    assert [len(b) for b in batches if lengths[b[-1]] >= 100] == [1] * 6  # long texts go alone
    assert len(max(batches, key=len)) == BATCH and max(len(b) for b in batches if lengths[b[-1]] == 64) == 4


def test_the_word_table_stays_int8_and_the_vectors_are_bit_for_bit_those_of_the_folded_model(tmp_path: Path) -> None:
    import onnxruntime as ort

    model, _ = _onnx_files()
    original = model.read_bytes()
    rewritten = gather_before_dequantising(original)
    assert rewritten != original and gather_before_dequantising(rewritten) == rewritten  # applies once
    assert gather_before_dequantising(b"") == b""  # not this model's layout: left as it is

    lean = OnnxMiniLM(cache_dir=tmp_path)
    vectors = np.array(lean.embed_documents(TEXTS))
    # the folded table alone is 30522 x 384 float32 = 47 MB; the cached optimised model no longer holds it
    assert next(tmp_path.glob("*.ort.onnx")).stat().st_size < 70_000_000
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    folded = OnnxMiniLM(cache_dir=None)
    folded._load()
    folded._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    assert np.array_equal(vectors, np.array(folded.embed_documents(TEXTS)))


def test_the_optimised_model_is_cached_once_and_gives_the_same_vectors(tmp_path: Path) -> None:
    first = np.array(OnnxMiniLM(cache_dir=tmp_path).embed_documents(TEXTS))
    cached = list(tmp_path.glob("*.ort.onnx"))
    assert len(cached) == 1 and cached[0].stat().st_size > 1_000_000 and not list(tmp_path.glob("*.partial"))
    stamp = cached[0].stat().st_mtime_ns
    second = np.array(OnnxMiniLM(cache_dir=tmp_path).embed_documents(TEXTS))
    assert cached[0].stat().st_mtime_ns == stamp  # read, not rewritten
    assert np.allclose(first, second, atol=1e-6)
    uncached = np.array(OnnxMiniLM(cache_dir=None).embed_documents(TEXTS))
    assert np.allclose(first, uncached, atol=1e-6)


def test_a_damaged_cache_file_is_rebuilt_and_an_unwritable_cache_is_not_fatal(tmp_path: Path) -> None:
    OnnxMiniLM(cache_dir=tmp_path).embed_query("warm")
    cached = next(tmp_path.glob("*.ort.onnx"))
    cached.write_bytes(b"not an onnx model")
    again = OnnxMiniLM(cache_dir=tmp_path).embed_query("Lukashenko apologized")
    assert abs(np.linalg.norm(again) - 1.0) < 1e-4 and cached.stat().st_size > 1_000_000
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    assert len(OnnxMiniLM(cache_dir=blocked / "sub").embed_query("still works")) == 384


def test_the_default_path_loads_neither_torch_nor_the_langchain_vector_store(tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "from newsbot.service import NewsService\n"
        "from newsbot.settings import Settings\n"
        f"s = NewsService(Settings(data_dir={str(tmp_path / 'd')!r}, corpus_dir='seeds', answer_mode='extractive'))\n"
        "s.ensure_corpus()\n"
        "a = s.ask('Did Lukashenko apologize?')\n"
        "print(json.dumps({'verdict': a.verdict.value, 'modules': sorted(m for m in sys.modules if m.split('.')[0] in "
        "('torch', 'sentence_transformers', 'transformers', 'langchain_chroma', 'langsmith'))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parent.parent, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"verdict": "contested", "modules": []}


def test_the_reader_and_the_store_share_one_model_under_the_configured_threads(tmp_path: Path) -> None:
    probe = (
        "import json\n"
        "from newsbot.service import NewsService\n"
        "from newsbot.settings import Settings\n"
        "from retrieval.embeddings import _shared_onnx\n"
        f"s = NewsService(Settings(data_dir={str(tmp_path / 'd')!r}, corpus_dir='seeds', answer_mode='extractive', "
        "embedding_threads=1))\n"
        "s.ensure_corpus()\n"
        "a = s.ask('Did Lukashenko apologize?')\n"
        "print(json.dumps({'verdict': a.verdict.value, 'models': _shared_onnx.cache_info().currsize}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parent.parent, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"verdict": "contested", "models": 1}


def test_the_session_runs_without_a_memory_arena_and_with_sleeping_workers() -> None:
    model = OnnxMiniLM(cache_dir=None)
    model.embed_query("warm")
    options = model._session.get_session_options()
    assert options.enable_cpu_mem_arena is False and options.inter_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


ARENA_PROBE = """
import ctypes, os, sys, tempfile, threading
import newsbot
from retrieval.embeddings_heap import limit_arenas
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_size_t], [ctypes.c_void_p]
libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes, libc.fclose.argtypes = [ctypes.c_int, ctypes.c_void_p], [ctypes.c_void_p]
barrier = threading.Barrier(6)
def work():
    barrier.wait()
    for _ in range(200):
        libc.free(libc.malloc(4096))
threads = [threading.Thread(target=work) for _ in range(6)]
for t in threads: t.start()
for t in threads: t.join()
path = tempfile.mktemp()
out = libc.fopen(path.encode(), b"w"); libc.malloc_info(0, out); libc.fclose(out)
print(limit_arenas(), open(path).read().count("<heap nr="))
os.unlink(path)
"""


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "malloc_info"), reason="glibc only")
def test_importing_newsbot_caps_malloc_arenas_unless_the_environment_sets_them() -> None:
    root = Path(__file__).resolve().parent.parent

    def arenas(env: dict[str, str]) -> tuple[str, int]:
        out = subprocess.run([sys.executable, "-c", ARENA_PROBE], capture_output=True, text=True, timeout=120,
                             cwd=root, check=True, env={**os.environ, **env})
        capped, count = out.stdout.split()
        return capped, int(count)

    assert arenas({}) == ("True", 2)
    capped, count = arenas({"MALLOC_ARENA_MAX": "5"})  # the user's setting wins
    assert capped == "False" and count == 5


def test_embed_array_gives_float32_rows_equal_to_the_list_form_and_embeds_repeats_once() -> None:
    from retrieval.embeddings import shared_onnx

    model = shared_onnx()
    texts = [TEXTS[0], TEXTS[1], TEXTS[0]]
    array = model.embed_array(texts)
    assert array.dtype == np.float32 and array.shape == (3, 384)
    assert np.array_equal(array[0], array[2])
    assert np.allclose(array, np.array(model.embed_documents(texts), dtype=np.float32), atol=1e-7)
    assert model.embed_array([]).shape == (0, 384)
