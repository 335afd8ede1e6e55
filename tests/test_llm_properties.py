"""Whatever the model writes, the verified answer keeps its promises (property tests over generated replies).

Replies are drawn from what models actually do wrong: exact quotes, quotes
with a word dropped or other quotation marks, invented text, passage numbers
out of range or not numbers at all, wrong speakers and stances, and junk
where structure should be. The seed evidence has a supporting and a
refuting side, so every verified answer must be contested, with every quote
exact and citations numbered 1..N.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbot.engine import compose
from newsbot.engine.attribution import analyze_article
from newsbot.llm.failure import LLMFailure
from newsbot.llm.reply import parse_reply
from newsbot.llm.verify import verify
from newsbot.models import Verdict
from tests.llm_servers.checks import EVIDENCE, QUESTION, SEED, assert_sound

EXTRACTIVE = compose(QUESTION, EVIDENCE)
SENTENCES = [s.text for s in analyze_article(SEED.text).sentences]


def _mangled(sentence: str, how: str) -> str:
    words = sentence.split()
    if how == "drop-word" and len(words) > 3:
        return " ".join(words[:2] + words[3:])
    if how == "quotes":
        return sentence.replace("’", "'").replace("“", '"').replace("”", '"')
    if how == "upper":
        return sentence.upper()
    if how == "half":
        return " ".join(words[: max(1, len(words) // 2)])
    return sentence


@st.composite
def quotes(draw: st.DrawFn) -> object:
    kind = draw(st.sampled_from(["exact-chunk", "sentence", "sentence", "mangled", "mangled", "invented", "junk"]))
    if kind == "exact-chunk":
        ev = draw(st.sampled_from(EVIDENCE))
        a = draw(st.integers(0, len(ev.chunk.text) - 1))
        b = draw(st.integers(a + 1, min(len(ev.chunk.text), a + 300)))
        return ev.chunk.text[a:b]
    if kind == "sentence":
        return draw(st.sampled_from(SENTENCES))
    if kind == "mangled":
        return _mangled(draw(st.sampled_from(SENTENCES)), draw(st.sampled_from(["drop-word", "quotes", "upper",
                                                                                  "half"])))
    if kind == "invented":
        return draw(st.text(min_size=0, max_size=120))
    return draw(st.one_of(st.none(), st.integers(), st.lists(st.text(max_size=5), max_size=2)))


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy, tenths: int = 8) -> st.SearchStrategy:
    """``usual`` ``tenths`` times in ten, else ``odd``: mostly plausible replies, some junk."""
    return st.integers(0, 9).flatmap(lambda k: usual if k < tenths else odd)


passages = mostly(st.integers(1, len(EVIDENCE)),
                  st.one_of(st.integers(-2, len(EVIDENCE) + 3), st.sampled_from(["1", "two", None, 1.5, [1]])))
evidence_items = mostly(st.fixed_dictionaries({"passage": passages, "quote": quotes()}), st.text(max_size=10), 9)
good_side = st.fixed_dictionaries({
        "stance": st.sampled_from(["supports", "refutes", "context", "SUPPORTS", "maybe", None]),
        "speaker": st.sampled_from(["Zelensky", "Volodymyr Zelensky", "Natalya Eismont", "Eismont", "Lukashenko",
                                    "Meduza", "Putin", "", None]),
        "statement": st.one_of(st.sampled_from(["Lukashenko apologized", "Lukashenko did not apologize",
                                                "He apologized on TV in 2023"]), st.text(max_size=60), st.none()),
        "evidence": mostly(st.lists(evidence_items, min_size=1, max_size=4),
                           st.one_of(st.just([]), st.text(max_size=5)), 9),
    })
sides = mostly(good_side, st.one_of(st.text(max_size=10), st.integers()), 9)
replies = st.fixed_dictionaries({
    "verdict": st.sampled_from(["contested", "supported", "refuted", "not_found", "??", None]),
    "sides": mostly(st.lists(sides, min_size=1, max_size=7), st.one_of(st.just([]), st.none(), st.text(max_size=5)),
                    9),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply=replies)
def test_whatever_the_model_writes_the_answer_is_contested_exact_and_consistently_numbered(reply: dict) -> None:
    answer = verify(QUESTION, EVIDENCE, reply, EXTRACTIVE, prompt_version="p")
    assert answer.verdict is Verdict.CONTESTED
    assert_sound(answer)
    assert all(s.speaker for s in answer.sides if answer.mode == "llm")
    assert answer.mode == "llm" or (len(answer.notes) == 1 and "extractive answer is shown" in answer.notes[0])


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_reading_any_reply_either_gives_an_object_or_a_one_line_failure(text: str) -> None:
    try:
        parsed = parse_reply(text)
    except LLMFailure as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(parsed.data, dict)


@settings(max_examples=60, deadline=None)
@given(reply=replies, cut=st.floats(0.0, 1.0))
def test_a_reply_cut_anywhere_loses_only_its_tail(reply: dict, cut: float) -> None:
    text = json.dumps(reply)
    prefix = text[: int(len(text) * cut)]
    try:
        parsed = parse_reply(prefix)
    except LLMFailure:
        return
    assert parsed.truncated == (prefix != text)
    if prefix == text:
        assert parsed.data == reply
    answer = verify(QUESTION, EVIDENCE, parsed.data, EXTRACTIVE, prompt_version="p", truncated=parsed.truncated)
    assert answer.verdict is Verdict.CONTESTED
    assert_sound(answer)
