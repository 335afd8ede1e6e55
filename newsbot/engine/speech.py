"""The grammar of one sentence's attribution: who speaks, in what role, to whom and when.

"Zelensky said …", "press secretary Natalya Eismont told RBC that …",
"According to Zelensky, …", "“…,” said Colonel Ivan Petrov", "two people
familiar with the matter told Northwire on Monday". Names are runs of
capitalised words; a month, a weekday or a company suffix is not who speaks.
:mod:`newsbot.engine.attribution` walks an article with these rules.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbot.engine.claim import DETERMINERS
from newsbot.engine.described import (
    DESCRIBED_RE,
    SPEAKING_FOR_RE,
    UNNAMED,
    described_source,
)
from newsbot.text import MONTHS, WEEKDAYS, Token, term

SPEECH_VERBS = frozenset(
    """said says say told tells added adds stated states claimed claims claiming recounted recalled
    noted announced insisted denied denies argued explained confirmed alleged asserted declared remarked
    warned wrote writes replied admitted conceded acknowledged suggested accused reported estimate estimates
    estimated predicted predicts forecast forecasts allege alleges contend contends contended""".split()
)
_PRONOUNS = frozenset("he she they it i we".split())
_NOT_NAMES = frozenset(
    """the a an in on at update according but and however meanwhile also this that these those it he she
    they we i his her their its there after before when while if as for from by with update: what how why
    who where which first let’s let's please you i’m i'm it’s it's yes no so then""".split()
)
_PASSIVE = frozenset("be been being is was were are".split())
_OTHER_SUBJECT = re.compile(r",\s+(?:the|a|an|its|their|his|her|our)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)*\s*$")
_PARTICLES = frozenset("de van von der den ter du da di del dos das".split())
_NAME_CONNECTORS = frozenset("de da di del der van von bin al la le du".split())
_ROLE_WORDS = frozenset(
    """spokesperson spokesman spokeswoman secretary minister president adviser advisor aide official
    chief head director ambassador analyst expert leader prosecutor governor mayor chancellor general
    commander representative senator lawmaker deputy ceo founder lawyer attorney counsel judge author
    researcher scientist professor economist agent principal dean rector provost chairman chairwoman chair coach
    manager captain commissioner editor executive officer treasurer superintendent curator""".split()
)
ROLE_TERMS = frozenset(term(w) for w in _ROLE_WORDS)  # as the engine's terms: "presid", "minist"
_WHEN_RE = re.compile(
    r"\b(?:(?:published |speaking |late |early )?on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|in the (?:spring|summer|autumn|fall|winter) of \d{4}"
    r"|(?:on|in) (?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{1,2})?(?:,? \d{4})?"
    r"|(?:last|this) (?:week|month|year|weekend)|yesterday|earlier this (?:week|month|year))",
    re.IGNORECASE,
)
_AUDIENCE_RE = re.compile(
    r"\b(?:in an? (?:interview|conversation|comment|statement|podcast|post|address) (?:with|to)"
    r"|speaking (?:to|with)|in remarks to|in a letter to)\s+([^,;:]{2,80}?)(?=,|;|:|\.(?:\s+(?-i:[A-Z“])|\s*$)|$)",
    re.IGNORECASE,
)
_POSSESSIVE_ROLE_RE = re.compile(
    r"([A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*)*['’]s(?:\s+[a-z][\w\-]*){1,3}),?\s*$"
)


_HONORIFICS = frozenset("dr mr mrs ms prof gen sen rep gov lt col capt sgt st rev".split())
_CALENDAR = MONTHS | frozenset(WEEKDAYS)
_COMPANY_SUFFIXES = frozenset("inc ltd llc corp co plc gmbh ag sa corporation".split())
_WHEN_REACH = 25  # characters between a time and the speech verb it dates ("Acme Corp on Tuesday denied")


@dataclass(frozen=True, slots=True)
class Attribution:
    """The speaker of a sentence; all ``None`` when the outlet itself reports it."""

    speaker: str | None = None
    key: str | None = None  # grouping key: the speaker's surname term
    role: str | None = None
    audience: str | None = None
    when: str | None = None
    inherited: bool = False


def name_runs(text: str, toks: list[Token]) -> list[tuple[str, int, int]]:
    """Runs of capitalised words joined only by spaces (Belarusian President Aleksandr Lukashenko)."""
    runs: list[tuple[str, int, int]] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not tok.is_capitalized or tok.text.lower().rstrip(":") in _NOT_NAMES and _run_len(text, toks, i) == 1:
            i += 1
            continue
        if tok.text.lower().rstrip(".") in MONTHS and i + 1 < len(toks) and toks[i + 1].text[:1].isdigit():
            i += 1
            continue  # "May 1, 2015" is a date, not someone called May
        if tok.text.lower() in _HONORIFICS and i + 1 < len(toks) and text[tok.end : toks[i + 1].start] == ". " \
                and toks[i + 1].is_capitalized:
            i += 1
            continue  # "Dr. Sam Patel" is Sam Patel, not someone called Dr
        j = i
        while j + 1 < len(toks) and text[toks[j].end : toks[j + 1].start] in (" ", "-") and (
            toks[j + 1].is_capitalized or toks[j + 1].text in _NAME_CONNECTORS and j + 2 < len(toks)
            and toks[j + 2].is_capitalized or toks[j + 1].text == "and" and _body_ends(text, toks, j + 2)
        ) and not toks[j].text.endswith(("’s", "'s")):
            j += 1
        first = i
        while first <= j and toks[first].text.lower() in _NOT_NAMES:
            first += 1
        if first == i and i and toks[i - 1].text in _PARTICLES and text[toks[i - 1].end : toks[i].start] == " ":
            first -= 1  # "de Groot", "van Dijk": the particle is part of the name
        if first <= j:
            runs.append((text[toks[first].start : toks[j].end], toks[first].start, toks[j].end))
        i = j + 1
    return runs


_BODY_WORDS = frozenset("""authority commission board agency council committee department ministry office service
    bureau association institute foundation union corporation company trust court society federation
    administration organisation organization""".split())


def _body_ends(text: str, toks: list[Token], i: int) -> bool:
    """From token ``i`` on, capitalised words end a body's name: "Competition and Markets Authority" is one
    name, "Zelensky and Lukashenko" two."""
    j = i
    while j < len(toks) and toks[j].is_capitalized and (j == i or text[toks[j - 1].end : toks[j].start] == " "):
        j += 1
    return j > i and toks[j - 1].text.lower() in _BODY_WORDS


def _run_len(text: str, toks: list[Token], i: int) -> int:
    n = 1
    while i + n < len(toks) and toks[i + n].is_capitalized and text[toks[i + n - 1].end : toks[i + n].start] == " ":
        n += 1
    return n


def strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name)


def name_key(name: str) -> str:
    """Grouping key for a person or organisation: the term of its last word ("Acme Corp": Acme)."""
    words = strip_possessive(name).split()
    while len(words) > 1 and words[-1].lower().strip(".,") in _COMPANY_SUFFIXES:
        words.pop()
    return term(words[-1])


def acts(name: tuple[str, int, int]) -> bool:
    """A name that can speak or act: not a month or weekday ("by June, two people … told")."""
    return not all(w.lower().strip(".,’'s") in _CALENDAR for w in name[0].split())


def _described(speaker: str, audience: str | None = None, when: str | None = None) -> Attribution:
    """A source described, not named, keyed by its words so that it never matches a named person."""
    return Attribution(speaker, UNNAMED + speaker.lower(), audience=audience, when=when)


def direct_attribution(
    text: str, start: int, end: int, outside: list[Token], names: tuple[tuple[str, int, int], ...],
    last_named: Attribution | None,
) -> Attribution | None:
    """The attribution this sentence states itself, if any."""
    for k, tok in enumerate(outside):
        low = tok.text.lower()
        if low == "according" and k + 1 < len(outside) and outside[k + 1].text.lower() == "to":
            described = DESCRIBED_RE.match(text, outside[k + 1].end + 1, end)  # "according to the health department"
            if described is not None and not described.group(0)[:1].isupper():
                return _described(described.group(0).rstrip("."), when=_when(text, start, end, tok))
            after = [n for n in names if n[1] >= outside[k + 1].end]
            if after:
                name = strip_possessive(after[0][0])
                return Attribution(name, name_key(name), when=_when(text, start, end, tok))
        if low not in SPEECH_VERBS or k and outside[k - 1].text.lower() in _PASSIVE | DETERMINERS:
            continue  # "was told", "the alleged bribes"
        if any(t.text.lower() in ("not", "never", "nor", "neither") or t.text.lower().endswith("n't")
               for t in outside[max(0, k - 3) : k]):
            continue  # "neither the label nor Lenoir has confirmed the figure": nobody says it
        if tok.text[:1].isupper() and tok.start > start:
            continue  # "the United States" names a country; it does not report speech
        unnamed = described_source(text, start, tok.start)
        if unnamed is not None:
            return _described(unnamed, audience=_audience(text, tok, end), when=_when(text, start, end, tok))
        before = [n for n in names if n[2] <= tok.start and tok.start - n[2] <= 40 and acts(n)
                  and not _OTHER_SUBJECT.search(text, n[2], tok.start)]  # "Salcedo …, the village elder said"
        prev_word = outside[k - 1].text.lower() if k else ""
        if prev_word in _PRONOUNS and last_named is not None:
            return Attribution(last_named.speaker, last_named.key, last_named.role,
                               _audience(text, tok, end) or occasion(text, start, end) or last_named.audience,
                               _when(text, start, end, tok) or last_named.when)
        described = _apposed_to(text, start, names, tok)
        if described is not None:  # "Dmitri Voss, a researcher at … firm Hollowpoint, told": Voss speaks
            (name, _, _), role = described
            return Attribution(strip_possessive(name), name_key(name), role=role,
                               audience=_audience(text, tok, end) or occasion(text, start, end),
                               when=_when(text, start, end, tok))
        if not before:
            after = [n for n in names if n[1] >= tok.end and n[1] - tok.end <= 2]  # "…,” said Colonel Ivan Petrov
            if not after or low in ("told", "tells"):  # "… told Northwire": the audience, not who spoke
                continue
            name = strip_possessive(after[0][0])
            return Attribution(name, name_key(name), when=_when(text, start, end, tok))
        name, nstart, _ = before[-1]
        name = strip_possessive(name)
        agent = SPEAKING_FOR_RE.search(text, start, nstart)
        if agent is not None and agent.end() == nstart:  # "A spokesperson for Prime Minister Grace Mensah said"
            speaker = (agent.group(0)[:1].lower() + agent.group(0)[1:]) + name
            return Attribution(speaker, name_key(name), audience=_audience(text, tok, end),
                               when=_when(text, start, end, tok))
        return Attribution(
            name, name_key(name), role=_role(text, start, nstart),
            audience=_audience(text, tok, end) or occasion(text, start, end), when=_when(text, start, end, tok),
        )
    return None


def _apposed_to(text: str, start: int, names: tuple[tuple[str, int, int], ...],
                verb: Token) -> tuple[tuple[str, int, int], str | None] | None:
    """The name a description between commas stands beside, right before the speech verb: in "Pulsetrack, the
    fitness-tracking app owned by Kestrel Health, said" Pulsetrack speaks, not Kestrel Health; so does Victor
    Ames in "Victor Ames, who managed the … singer …, alleges". With the description as the role when it
    names one ("a researcher at … Hollowpoint")."""
    closing = re.search(r",\s*$", text[start : verb.start])
    if closing is None:
        return None
    end = start + closing.start()
    opening = text.rfind(",", start, end)
    head = next((n for n in names if n[2] == opening), None)
    desc = text[opening + 1 : end].strip()
    if opening < 0 or head is None or not acts(head) or not re.match(r"[a-z]", desc) or '"' in desc or "“" in desc:
        return None  # "press secretary, Natalya Eismont, told": the name is the description's own
    role = re.sub(r"^(?:an?|the)\s+", "", desc)
    return head, role if any(w in _ROLE_WORDS for w in role.lower().split()) and not re.match(r"wh", role) else None


def _role(text: str, start: int, name_start: int) -> str | None:
    head = text[start:name_start]
    m = _POSSESSIVE_ROLE_RE.search(head)
    if m and any(w in _ROLE_WORDS for w in m.group(1).lower().split()):
        return m.group(1).strip()
    tail: list[str] = []
    for w in reversed(head.split()[-3:]):  # "… at Dayton,” spokesman Mark Ruiz": only the words next to the name
        if w[:1].isupper() and w.isalpha() and w not in ("A", "An", "The") and tail \
                and (tail[0].strip(",") in _ROLE_WORDS or tail[0][:1].isupper()):
            tail.insert(0, w)  # "A Pulsetrack spokesperson, Emily Hart", "Athletics Kenya president Paul Mutua"
            continue
        if not w.islower() or not w[-1].isalpha() and tail:
            break
        tail.insert(0, w)
    if tail and any(w.strip(",") in _ROLE_WORDS for w in tail):
        return " ".join(tail).strip(",")
    return None


def _audience(text: str, verb: Token, end: int) -> str | None:
    if verb.text.lower() in ("told", "tells"):
        body = _BODY_AUDIENCE_RE.match(text[verb.end : end])  # "told the municipal council on Tuesday"
        if body is not None:
            return body.group(1)
        m = re.match(r"\s+((?:the\s+)?[\w’'.\-]+(?:\s+[A-Z][\w’'.\-]*)*)", text[verb.end : end])
        if m and m.group(1).lower() not in ("him", "her", "them", "me", "us", "that"):
            who = m.group(1)
            return who if re.search(r"\b(?:[A-Z]\.)+$", who) else who.rstrip(".")  # "the Gazette." but "the U.S."
    return None


_BODY_AUDIENCE_RE = re.compile(r"\s+(the\s+(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)(?=\s+(?:on|in|at|that|about|after|before|"
                               r"when|during|last|this|yesterday|earlier)\b|\s*[,.;:!?]|\s*$)")


def _when(text: str, start: int, end: int, verb: Token) -> str | None:
    """When it was said: a time next to the speech verb or its speaker and audience ("told Northwire on
    Monday", "Acme on Tuesday denied"), opening the sentence ("In the spring of 2024, Lukashenko warned") or
    "published on Sunday"; not one in what was said ("which lost $120 million last year, one of them said")."""
    for m in _WHEN_RE.finditer(text, start, end):
        before = m.end() <= verb.start and (verb.start - m.end() <= _WHEN_REACH and "," not in text[m.end() : verb.start]
                                            or m.start() - start <= 3 or m.group(0).lower().startswith(("pub", "spe")))
        after = m.start() >= verb.end and m.start() - verb.end <= _WHEN_REACH and "," not in text[verb.end : m.start()]
        if before or after:
            # every pattern opens with a common word ("In the spring of 2024" at a sentence's start reads "in …")
            return m.group(0)[:1].lower() + m.group(0)[1:]
    return None


def occasion(text: str, start: int, end: int) -> str | None:
    """"an interview with U.S. podcaster Lex Fridman" when the sentence names one."""
    m = _AUDIENCE_RE.search(text, start, end)
    return m.group(1).strip() if m else None
