"""An ideal model for :class:`~tests.llm_servers.scripted.ScriptedServer`: it reads the passages it is sent and
answers with exact whole-sentence quotes.

What it knows is a :class:`Reading` per question: the verdict and, per side,
the stance, the speaker as the article names them and the article's sentences
that side rests on. For each request it reads the question and the numbered
passages out of the prompt, finds each of its sentences in the passages sent
(the whole sentence where a passage holds it whole, else the longest part a
passage holds, as a model shown only that passage would quote it) and cites
that passage's number. Sentences it is not sent it cannot quote; a side left
with none is left out, and with no side left, or a question it has no reading
for, it answers ``not_found``. So whatever newsbot does to the evidence, the
model only ever answers from what it was given, exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from tests.llm_servers.replies import passages_sent
from tests.llm_servers.scripted import Reply, chat_reply

#: The shortest part of a sentence (in characters) the model quotes from a passage that cuts it.
MIN_PART = 40


@dataclass(frozen=True)
class IdealSide:
    """One side as an ideal reader takes it: stance, speaker, what they claim and the sentences it rests on."""

    stance: str
    speaker: str
    statement: str
    sentences: tuple[str, ...]
    answer: str | None = None
    audience: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class Reading:
    """An ideal reader's answer to one question: a verdict and its sides."""

    verdict: str
    sides: tuple[IdealSide, ...] = field(default_factory=tuple)


def question_of(body: dict) -> str:
    """The question of a request, as the prompt's last line states it."""
    user = body["messages"][-1]["content"]
    return user.rsplit("Question:", 1)[-1].strip()


def passage_texts(body: dict) -> list[str]:
    """The text of each numbered passage sent (its source line left out), in order."""
    return [block.split("\n", 1)[1] if "\n" in block else "" for block in passages_sent(body)]


def quote_from(sentence: str, passages: list[str]) -> tuple[int, str] | None:
    """(passage number, exact quote) for ``sentence``: whole if a passage holds it whole, else its longest part."""
    for n, text in enumerate(passages, 1):
        if sentence in text:
            return n, sentence
    best: tuple[int, str] | None = None
    for n, text in enumerate(passages, 1):
        for part in _parts(sentence, text):
            if len(part) >= MIN_PART and (best is None or len(part) > len(best[1])):
                best = (n, part)
    return best


def _parts(sentence: str, text: str) -> list[str]:
    """The sentence's head that ``text`` ends with and its tail that ``text`` starts with (a passage cuts it)."""
    heads = [sentence[:i] for i in range(len(sentence), 0, -1) if text.endswith(sentence[:i])][:1]
    tails = [sentence[i:] for i in range(len(sentence)) if text.startswith(sentence[i:])][:1]
    return [p.strip() for p in heads + tails]


def answer_for(reading: Reading | None, passages: list[str]) -> dict:
    """The JSON answer an ideal model gives from ``passages``."""
    if reading is None:
        return {"verdict": "not_found", "sides": []}
    sides = []
    for side in reading.sides:
        quotes = [q for q in (quote_from(s, passages) for s in side.sentences) if q is not None]
        if not quotes:
            continue
        out: dict = {"stance": side.stance, "speaker": side.speaker, "statement": side.statement,
                     "evidence": [{"passage": n, "quote": q} for n, q in quotes]}
        out.update({k: v for k, v in (("answer", side.answer), ("audience", side.audience), ("when", side.when))
                    if v is not None})
        sides.append(out)
    if not sides:
        return {"verdict": "not_found", "sides": []}
    stances = {s["stance"] for s in sides}
    verdict = reading.verdict if len(sides) == len(reading.sides) else (
        "contested" if {"supports", "refutes"} <= stances else "supported" if "supports" in stances
        else "refuted" if "refutes" in stances else "context")
    return {"verdict": verdict, "sides": sides}


def ideal_model(readings: Mapping[str, Reading]) -> Reply:
    """A ``reply`` for ScriptedServer: the ideal answer to each question it has a reading for, else not_found."""
    return lambda body: (200, chat_reply(json.dumps(answer_for(readings.get(question_of(body)),
                                                                passage_texts(body)))))


def ideal_stream(readings: Mapping[str, Reading], size: int = 30) -> Reply:
    """Like :func:`ideal_model`, streamed in pieces of ``size`` characters."""
    from tests.llm_servers.scripted import Stream

    def reply(body: dict) -> tuple:
        text = json.dumps(answer_for(readings.get(question_of(body)), passage_texts(body)))
        return 200, Stream([text[i : i + size] for i in range(0, len(text), size)])

    return reply


# --- what an ideal reader takes from the seed article (seeds/meduza-lukashenko-apology.md) ----------------------
#: Sentences of the seed article, exactly as stored.
CLAIM = ("Ukrainian President Volodymyr Zelensky said that at the start of Russia's full-scale invasion of Ukraine, "
         "Belarusian President Aleksandr Lukashenko apologized for missile strikes launched from Belarusian territory.")
INTERVIEW = ("In an interview with U.S. podcaster Lex Fridman, published on Sunday, Zelensky said the two leaders spoke "
             "by phone just days after Russia’s February 2022 invasion.")
HIS_WORDS = ("“[He] apologized and he said, ‘It was not me. Missiles were launched from my territory, and Putin was "
             "the one launching them.’")
WITNESSES = "‘I have witnesses and I apologize,’ he said."
CONFRONTED = "Zelensky said he confronted Lukashenko, accusing him of complicity in the attacks."
REFINERY = ("According to Zelensky, Lukashenko suggested retaliating against the Mozyr Oil Refinery, emphasizing its "
            "personal importance to him.")
DENIAL = ("Update: Aleksandr Lukashenko's press secretary, Natalya Eismont, told RBC that he did not apologize to "
          "Volodymyr Zelensky.")
NOTHING_TO = "“For the simple reason that we have nothing to apologize for."
MOZYR = "The Mozyr Oil Refinery, one of Belarus’s largest, processes primarily Russian crude oil."
LOCATED = "It is located in the Gomel region, which borders Ukraine."

SEED_READINGS: dict[str, Reading] = {
    "Did Lukashenko apologize?": Reading("contested", (
        IdealSide("supports", "Volodymyr Zelensky", "Lukashenko apologized to him for the missile strikes.",
                  (CLAIM, HIS_WORDS, WITNESSES)),
        IdealSide("refutes", "Natalya Eismont", "Lukashenko did not apologize to Zelensky.", (DENIAL, NOTHING_TO),
                  audience="RBC"))),
    "What did Zelensky claim about Lukashenko?": Reading("supported", (
        IdealSide("supports", "Volodymyr Zelensky",
                  "Lukashenko apologized for missile strikes from Belarus and suggested retaliating against a refinery.",
                  (CLAIM, REFINERY)),
        IdealSide("context", "Natalya Eismont", "Lukashenko's press secretary denies that he apologized.", (DENIAL,),
                  audience="RBC"))),
    "What happened in the phone call between Zelensky and Lukashenko?": Reading("supported", (
        IdealSide("supports", "Volodymyr Zelensky",
                  "Lukashenko apologized, blamed Putin for the missiles, and Zelensky accused him of complicity.",
                  (INTERVIEW, HIS_WORDS, CONFRONTED), when="just days after Russia’s February 2022 invasion"),
        IdealSide("context", "Natalya Eismont", "Lukashenko's press secretary says he did not apologize.", (DENIAL,)))),
    "Which refinery did Lukashenko suggest Ukraine retaliate against?": Reading("supported", (
        IdealSide("supports", "Zelensky", "Lukashenko suggested the Mozyr Oil Refinery.", (REFINERY,),
                  answer="Mozyr Oil Refinery"),)),
    "Who interviewed Zelensky?": Reading("supported", (
        IdealSide("supports", "Meduza", "The podcaster Lex Fridman interviewed Zelensky.", (INTERVIEW,),
                  answer="Lex Fridman"),)),
    "Who denied that Lukashenko apologized?": Reading("supported", (
        IdealSide("supports", "Natalya Eismont", "His press secretary denied it.", (DENIAL,), answer="Natalya Eismont",
                  audience="RBC"),)),
    "Where is the Mozyr refinery?": Reading("supported", (
        IdealSide("supports", "Meduza", "It is in the Gomel region, which borders Ukraine.", (MOZYR, LOCATED),
                  answer="the Gomel region"),)),
}
#: Questions the seed holds no answer to: an ideal model says not_found (some never reach it: the relevance floor).
OFF_SEED = ["Who won the 2019 Tour de France?", "What is the capital of Belarus?",
            "Did Lukashenko meet Putin in Minsk last week?", "How many moons does Jupiter have?"]
