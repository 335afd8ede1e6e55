"""Whatever the model writes, the verified answer keeps its promises (property tests over generated replies).

Replies are drawn from what models actually do wrong: exact quotes, quotes
with a word dropped or other quotation marks, invented text, passage numbers
out of range or not numbers at all, wrong speakers and stances, and junk
where structure should be. Every verified answer has every quote exact and
citations numbered 1..N; its verdict follows the model's own sides; each of
the model's sides keeps a stance the reply gave it and a speaker it named or
the outlet; no sentence backs two opposite sides; and a fallback is the
offline reader's answer with one note.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbot.engine import sentence_spans
from newsbot.llm.failure import LLMFailure
from newsbot.llm.reply import parse_reply
from newsbot.llm.sides import verdict_for
from newsbot.llm.verify import verify
from newsbot.models import Answer, Stance, Verdict
from tests.llm_servers.checks import EVIDENCE, QUESTION, SEED, assert_sound, model_sides, offline

OFFLINE = offline()
SENTENCES = [SEED.text[s:e] for s, e in sentence_spans(SEED.text)]
SPEAKERS = ["Zelensky", "Volodymyr Zelensky", "Natalya Eismont", "Eismont", "Lukashenko", "Meduza", "Putin", "", None]


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
        "speaker": st.sampled_from(SPEAKERS),
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


def assert_kept_promises(answer: Answer, reply: dict) -> None:
    """The invariants of a verified answer to ``reply`` (see the module docstring)."""
    assert_sound(answer)
    if answer.mode == "extractive":
        assert (answer.verdict, answer.citations) == (OFFLINE.verdict, OFFLINE.citations)
        assert len(answer.notes) == len(OFFLINE.notes) + 1 and "extractive answer is shown" in answer.notes[-1]
        return
    if answer.verdict is Verdict.NOT_FOUND:
        assert answer.citations == [] and answer.sides == []
        return
    mine = model_sides(answer)
    assert answer.verdict is verdict_for({s.stance for s in mine})
    given_stances = {str(x.get("stance")).strip().lower() for x in reply["sides"] if isinstance(x, dict)}
    for side in mine:
        assert side.speaker and (side.stance.value in given_stances or side.stance is Stance.CONTEXT)
        assert side.speaker == SEED.publisher or side.speaker in SPEAKERS
    backing: dict[tuple[int, int], set[Stance]] = {}
    for side in mine:
        for n in side.citations:
            c = answer.citations[n - 1]
            for s, e in sentence_spans(SEED.text):
                if s < c.end and c.start < e:
                    backing.setdefault((s, e), set()).add(side.stance)
    assert not any({Stance.SUPPORTS, Stance.REFUTES} <= stances for stances in backing.values())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply=replies)
def test_whatever_the_model_writes_the_answer_keeps_its_promises(reply: dict) -> None:
    assert_kept_promises(verify(QUESTION, EVIDENCE, reply, OFFLINE, prompt_version="p"), reply)


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
    answer = verify(QUESTION, EVIDENCE, parsed.data, OFFLINE, prompt_version="p", truncated=parsed.truncated)
    if isinstance(parsed.data.get("sides"), list):
        assert_kept_promises(answer, parsed.data)
    else:
        assert_sound(answer)
