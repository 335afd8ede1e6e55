"""Follow-up questions in a conversation: what asks something, and what "he", "it" and "they" stand for.

In a follow-up thread (or a reply to an answer) people write as they would to a person: "Did he
say it to RBC?", "Where is it located?". :func:`resolve` turns such a question into one that stands
alone, by putting the earlier question's subject in place of the pronoun ("Where is the Mozyr Oil
Refinery located?"), so it is answered exactly as that question asked fresh would be. A question
without a pronoun is left as it is: earlier questions never add words to it.

Pure text rules, no model: a proper name ("Lukashenko", "Natalya Eismont") is a person unless it
ends in an organisation or thing word ("Mozyr Oil Refinery", "Norvik Chemicals") or is an acronym
("RBC"); "the missiles" is a plural thing, "the mayor" a person. "he"/"she" take the first person,
"it" the first singular thing, "they" the first plural thing or organisation — the newest question
first, and "he" and "she" are not told apart (no list of names by gender). "it" is left alone
where it stands for a statement or for nothing ("Did he say it?", "Is it true that …?").

:func:`asks_something` tells a question from chit-chat ("thanks, that's really helpful!"), for
messages the bot reads without being addressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WH = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}
AUX = {"did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
       "should", "may", "might", "must", "shall", "am", "isn't", "wasn't", "didn't", "doesn't", "don't", "aren't",
       "weren't", "hasn't", "haven't", "won't", "can't", "couldn't"}
REQUESTS = {"tell", "explain", "show", "list", "summarize", "summarise", "compare", "describe", "give", "find",
            "name", "any", "anything", "and", "so", "then", "also", "according"}
CHAT = {"thanks", "thank", "thx", "ty", "ok", "okay", "cool", "great", "nice", "lol", "yes", "no", "yeah", "nope",
        "wow", "hi", "hello", "hey", "bye", "good", "perfect", "awesome", "sure"}
PERSON_HEADS = {"mayor", "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "chief",
                "executive", "leader", "governor", "officer", "director", "judge", "lawyer", "prosecutor", "king",
                "queen", "chancellor", "senator", "premier", "ambassador", "manager", "founder", "owner", "chairman",
                "chairwoman", "head", "commander", "general", "envoy", "prince", "princess", "pope", "man", "woman",
                "boy", "girl", "driver", "pilot", "suspect", "victim", "witness", "doctor", "nurse", "author"}
THING_HEADS = {"refinery", "company", "council", "ministry", "government", "party", "police", "army", "bank",
               "agency", "authority", "court", "union", "trust", "hospital", "group", "airline", "airport", "port",
               "plant", "factory", "committee", "commission", "department", "office", "board", "parliament",
               "service", "university", "school", "club", "team", "station", "bridge", "dam", "river", "city",
               "town", "village", "region", "country", "state", "republic", "kingdom", "report", "deal", "plan",
               "law", "bill", "strike", "attack", "war", "invasion", "ship", "aircraft", "firm", "chemicals",
               "inc", "ltd", "corp", "corporation", "association", "federation", "organisation", "organization",
               "network", "news", "times", "post", "institute", "foundation", "fund", "exchange", "market",
               "museum", "church", "ministry", "territory", "mine", "pipeline", "project", "programme", "program",
               "centre", "center", "hall", "road", "street", "square", "province", "district", "county", "island",
               "area", "zone", "field", "site", "reactor", "offensive", "operation", "summit", "treaty", "sanctions"}
CONNECTORS = {"of", "de", "for", "and", "the", "von", "van", "al"}
STATEMENT_VERBS = {"say", "said", "says", "deny", "denied", "denies", "confirm", "confirmed", "confirms", "mean",
                   "meant", "know", "knew", "think", "thought", "claim", "claimed", "admit", "admitted", "repeat",
                   "repeated", "believe", "believed", "explain", "explained", "mention", "mentioned", "report",
                   "reported", "write", "wrote", "tell", "told", "do", "did", "does", "happen", "happened"}
EXPLETIVE_AFTER = re.compile(r"\s+(?:(?:is|was|isn't|wasn't|'s|be|been|seems?|seemed|appears?|appeared)\s+)?"
                             r"(?:true|false|possible|likely|unlikely|clear|unclear|known|so|the case|that|whether|"
                             r"not|said|reported|claimed|believed|thought|alleged)\b", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\w.,]*")
PRONOUN = re.compile(r"\b(he|him|his|she|her|hers|it|its|they|them|their)\b", re.IGNORECASE)
KIND = {"he": "person", "him": "person", "his": "person", "she": "person", "her": "person", "hers": "person",
        "it": "thing", "its": "thing", "they": "plural", "them": "plural", "their": "plural"}
POSSESSIVE = {"his", "its", "their", "hers"}
OBJECT = {"him", "them"}  # and "her" when it is no possessive
MAX_HISTORY = 5


@dataclass(frozen=True)
class Referent:
    """Something a question is about, as written ("the Mozyr Oil Refinery") and what kind it is."""

    text: str
    kind: str  # "person", "thing" (singular) or "plural"


def asks_something(text: str) -> bool:
    """True for a question or a request ("Who …", "tell me …", anything with "?"), False for chit-chat."""
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return False
    if "?" in text:
        return not all(w in CHAT for w in words)
    return words[0] in WH | AUX | REQUESTS


def referents(question: str) -> list[Referent]:
    """What ``question`` is about, in order: proper names and "the …" phrases, each with its kind."""
    tokens = list(WORD.finditer(question))
    found: list[Referent] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].group()
        lower = word.lower()
        first = i == 0 or question[tokens[i - 1].end():tokens[i].start()].strip() in (".", "!", "?", ":", "\"")
        if word[0].isupper() and not (first and (lower in WH | AUX | REQUESTS | CHAT | set(KIND))):
            j = i + 1
            while j < len(tokens) and (tokens[j].group()[0].isupper() or (
                    tokens[j].group().lower() in CONNECTORS and j + 1 < len(tokens)
                    and tokens[j + 1].group()[0].isupper())):
                j += 1
            if j < len(tokens) and tokens[j].group().lower() in THING_HEADS:  # "the Mozyr refinery"
                j += 1
            the = i > 0 and tokens[i - 1].group().lower() == "the"
            start = tokens[i - 1].start() if the else tokens[i].start()
            written = question[start:tokens[j - 1].end()]
            text = _strip_possessive(written)
            owned = _owned(tokens, j) if text != written else 0
            if owned:  # "Lukashenko's press secretary": the secretary first, then Lukashenko
                phrase = question[start:tokens[owned - 1].end()]
                found.append(Referent(phrase, _phrase_kind(phrase)))
            found.append(Referent(text, _name_kind(text, the)))
            i = max(j, owned)
            continue
        if lower == "the" and i + 1 < len(tokens) and tokens[i + 1].group()[0].islower():
            j = i + 2
            heads = PERSON_HEADS | THING_HEADS
            if j < len(tokens) and tokens[j].group().lower() in heads and tokens[j].group()[0].islower():
                j += 1  # "the press secretary", "the oil refinery"
            text = _strip_possessive(question[tokens[i].start():tokens[j - 1].end()])
            found.append(Referent(text, _phrase_kind(text)))
            i = j
            continue
        i += 1
    return found


def _owned(tokens: list[re.Match[str]], j: int) -> int:
    """After a possessive name, the end of a lowercase phrase ending in a person or thing word ("press secretary")."""
    for end in (j + 1, j + 2):
        if end <= len(tokens) and all(t.group()[0].islower() for t in tokens[j:end]) \
                and tokens[end - 1].group().lower() in PERSON_HEADS | THING_HEADS:
            return end
    return 0


def _strip_possessive(text: str) -> str:
    return re.sub(r"['’]s?$", "", text)


def _name_kind(name: str, after_the: bool) -> str:
    last = name.split()[-1]
    if last.lower() in THING_HEADS or last.isupper() and len(last) > 1 or after_the:
        return "plural" if last.lower().endswith("s") and last.lower() not in ("news", "times") else "thing"
    return "person"


def _phrase_kind(phrase: str) -> str:
    head = phrase.split()[-1].lower()
    if head in PERSON_HEADS:
        return "person"
    if head.endswith("s") and not head.endswith("ss") or head in ("police", "people", "staff"):
        return "plural"
    return "thing"


def _fits(referent: Referent, kind: str) -> bool:
    if kind == "plural":  # "they": many things, or an organisation spoken of as its people
        return referent.kind == "plural" or referent.kind == "thing" and referent.text[:1].isupper()
    return referent.kind == kind


def resolve(question: str, earlier: list[str]) -> str:
    """``question`` standing alone: each pronoun with no antecedent in it takes the latest fitting earlier referent.

    A form of a pronoun is replaced once ("Did he say he …" becomes "Did Lukashenko say he …"); another
    form takes another referent ("When did he call him?" is two people), and an object is never the
    sentence's own subject.
    """
    history = [r for q in reversed(earlier[-MAX_HISTORY:]) for r in referents(q)]  # newest question first
    taken: dict[str, Referent] = {}  # pronoun form -> referent

    def replace(match: re.Match[str]) -> str:
        pronoun = match.group()
        lower = pronoun.lower()
        kind, before, after = KIND[lower], question[: match.start()], question[match.end():]
        possessive = lower in POSSESSIVE or lower == "her" and _possessive_her(after)
        form = "possessive" if possessive else "object" if lower in OBJECT or lower == "her" else "subject"
        form += ":" + kind
        own = [r for r in referents(before) if _fits(r, kind)]
        if own and form.startswith(("subject", "possessive")):
            return pronoun  # "Did Lukashenko say he was sorry?": he is Lukashenko already
        if lower == "it" and _stands_for_nothing(before, after):
            return pronoun
        if form in taken:
            return pronoun  # named once already in this question: "Did Lukashenko say he was sorry?"
        others = set(taken.values()) | set(own)
        found = next((r for r in history if _fits(r, kind) and r not in others), None)
        if found is None:
            return pronoun
        taken[form] = found
        text = found.text
        if possessive:
            text += "'" if text.endswith("s") else "'s"
        if match.start() == 0 or before.rstrip()[-1:] in ".!?":
            text = text[0].upper() + text[1:]
        return text

    return PRONOUN.sub(replace, question)


def _stands_for_nothing(before: str, after: str) -> bool:
    """"it" as a statement ("did he say it") or as the empty subject of "is it true that …"."""
    previous = WORD.findall(before)[-1:] or [""]
    if previous[0].lower() in STATEMENT_VERBS:
        return True
    return bool(EXPLETIVE_AFTER.match(after))


def _possessive_her(after: str) -> bool:
    """"her press secretary" (possessive) rather than "told her" (object)."""
    following = WORD.findall(after)[:1]
    return bool(following) and following[0].lower() not in AUX | {"to", "that", "about", "on", "in", "at", "for",
                                                                   "and", "or", "if", "with", "from", "by"}
