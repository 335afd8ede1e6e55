"""Text primitives the answer engine stands on: sentences, tokens, terms.

Everything works on character offsets into the stored article text, so a
sentence picked as a quote is always an exact slice ``text[start:end]``.
Term normalisation (lower case, possessives, British ``-ise`` spellings,
irregular verbs, Snowball stemming) is shared by question and passage so
"apologise", "apologized" and "apology" meet on one term.
"""
# Word lists are written as one "a b c".split() string, which reads best; keep them so.
# ruff: noqa: SIM905

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")

#: Words that never carry the content of a question or a claim.
STOPWORDS: frozenset[str] = frozenset(
    """a an the and or but if then than so of to in on at by for with from into onto over under about
    as is are was were be been being am do does did done doing have has had having will would shall
    should can could may might must it its it's this that these those there here what which who whom
    whose when where why how i me my we us our you your he him his she her they them their one ones
    also just only very too more most much many some any each every all both either such own same
    other another up down out off again further once s t de la le du del der von van da anyone anybody
    anything someone somebody something
    said says say told tell according reported report yes true false really actually ever
    is it true that whether nothing something anything everything
    after before during since amid among between within via per""".split()
)

#: Words that negate the predicate they precede.
NEGATIONS: frozenset[str] = frozenset(
    "not no never nothing neither nor none nobody without cannot refused refuses refuse".split()
)

#: Verbs and nouns that report a denial of a claim made elsewhere.
DENIALS: frozenset[str] = frozenset(
    """deny denies denied denying denial dismiss dismissed dismisses rejected rejects reject refute
    refuted refutes untrue false fabricated fabrication debunked retracted retract retraction""".split()
)

#: Irregular forms mapped to one lemma before stemming.
_IRREGULAR: dict[str, str] = {
    "won": "win", "wins": "win", "winning": "win", "winner": "win", "winners": "win",
    "bought": "buy", "buys": "buy", "sold": "sell", "sells": "sell", "led": "lead",
    "took": "take", "taken": "take", "made": "make", "began": "begin", "begun": "begin",
    "held": "hold", "met": "meet", "paid": "pay", "ran": "run", "went": "go", "gone": "go",
    "came": "come", "gave": "give", "given": "give", "found": "find", "fought": "fight",
    "thought": "think", "brought": "bring", "left": "leave", "lost": "lose", "struck": "strike",
    "hit": "hit", "chose": "choose", "chosen": "choose", "wrote": "write", "written": "write",
    "spoke": "speak", "spoken": "speak", "sorry": "apologize", "apologies": "apologize",
    "acquisition": "acquire", "acquisitions": "acquire", "purchased": "buy", "purchase": "buy",
    "threatened": "warn", "threaten": "warn", "threatens": "warn", "threat": "warn",
    "launched": "release", "launch": "release", "premiered": "premiere", "debuted": "premiere",
    "founded": "found", "founding": "found", "directed": "direct", "director": "direct",
    "ladies": "women", "lady": "woman", "ladies'": "women", "female": "women", "male": "men",
    "killed": "kill", "died": "die", "dead": "die", "death": "die",
    "stole": "steal", "stolen": "steal", "fled": "flee", "sank": "sink", "sunk": "sink", "sent": "send",
    "spent": "spend", "built": "build", "caught": "catch", "shot": "shoot", "kept": "keep", "fell": "fall",
    "fallen": "fall", "rose": "rise", "risen": "rise", "grew": "grow", "grown": "grow", "threw": "throw",
    "thrown": "throw", "knew": "know", "known": "know", "hid": "hide", "hidden": "hide", "broke": "break",
    "broken": "break", "withdrew": "withdraw", "withdrawn": "withdraw", "sought": "seek", "stood": "stand",
    "understood": "understand", "became": "become", "drove": "drive", "driven": "drive", "froze": "freeze",
    "shut": "close", "shuts": "close", "shutting": "close", "quit": "resign", "quits": "resign",
    "sacked": "fire", "sack": "fire", "sacks": "fire", "sacking": "fire",
    "frozen": "freeze", "swore": "swear", "sworn": "swear", "tore": "tear", "torn": "tear",
    "movie": "film", "movies": "film", "films": "film",
    "presidential": "president", "parliamentary": "parliament", "electoral": "election",
    "french": "france", "german": "germany", "british": "britain", "russian": "russia", "ukrainian": "ukraine",
    "belarusian": "belarus", "chinese": "china", "japanese": "japan", "italian": "italy", "spanish": "spain",
    "polish": "poland", "american": "america", "canadian": "canada", "australian": "australia",
    "indian": "india", "brazilian": "brazil", "mexican": "mexico", "turkish": "turkey", "israeli": "israel",
    "first-quarter": "q1", "second-quarter": "q2", "third-quarter": "q3", "fourth-quarter": "q4",
}

#: Regular words that mean another (their every form): "launching" meets "released" as "launched" does.
_SYNONYM_STEMS: dict[str, str] = {
    _STEMMER.stemWord(w): _STEMMER.stemWord(lemma) for w, lemma in (
        ("launch", "release"), ("threaten", "warn"), ("threat", "warn"), ("purchase", "buy"),
        ("acquisition", "acquire"), ("debut", "premiere"), ("director", "direct"), ("death", "die"),
        ("intrusion", "breach"), ("invasion", "invade"))
}

#: Bodies whose name says what a sentence is about: "the WTA Year-End No. 1" is women's tennis.
_IMPLIED: dict[str, tuple[str, ...]] = {
    "wta": ("women", "tennis"), "atp": ("men", "tennis"), "itf": ("tennis",),
    "nba": ("basketball",), "wnba": ("women", "basketball"), "nfl": ("football",), "nhl": ("hockey",),
    "mlb": ("baseball",), "pga": ("golf",), "lpga": ("women", "golf"), "fifa": ("football", "soccer"),
    "uefa": ("football", "soccer"), "nwsl": ("women", "soccer"), "ufc": ("mma",),
}

#: Words whose use says what a sentence is about: "voters chose …" is an election.
_IMPLIED_BY_WORD: dict[str, tuple[str, ...]] = {"voters": ("election",), "electorate": ("election",)}

_CARDINALS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
    "seventeen eighteen nineteen twenty".split()
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth " \
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
#: Number words as the digits they stand for (cardinals from two, so "one of" stays a word).
NUMBER_WORDS: dict[str, str] = {
    **{w: str(i) for i, w in enumerate(_CARDINALS, 1) if i > 1},
    **{w: str(i) for i, w in enumerate(_ORDINALS, 1) if i > 1},
}

_TOKEN_RE = re.compile(
    r"[^\W\d_]+\d\w*|\d+[^\W\d_]+\w*|\$?\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:[’'\-][^\W_]+|\.[^\W\d_]+)*\.?", re.UNICODE
)
_SENT_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|wrote|writes|recounted|recalled|explained|noted|asked|insisted|"
    "stated|claimed|argued|continued|replied|warned|declared|remarked|admitted|conceded"
)
_TRAILING_ATTRIBUTION_RE = re.compile(
    rf"\s*(?:[A-Z][\w’'.\-]*\s+){{1,4}}(?:{_SPEECH_VERBS})\b[^.!?\n]{{0,40}}[.!?]"
)
_ABBREV = frozenset(
    """mr mrs ms dr prof st jr sr gen col lt sgt capt gov sen rep pres no vs etc inc ltd co corp jan feb
    mar apr jun jul aug sep sept oct nov dec mt ft approx dept est fig""".split()
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word or number with its span in the text it came from."""

    text: str
    start: int
    end: int

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit() or self.text[:1] == "$"


def tokens(text: str, offset: int = 0) -> list[Token]:
    """Words and numbers of ``text``; a trailing period is kept only for abbreviations like U.S."""
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        if word.endswith(".") and "." not in word[:-1] and len(word) > 2:
            word, end = word[:-1], end - 1
        out.append(Token(word, start + offset, end + offset))
    return out


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The normalised, stemmed form used to match question and passage words."""
    w = word.lower().replace("’", "'").strip(".")
    if word.isupper() and "." in w:  # U.S. -> us, U.K. -> uk
        w = w.replace(".", "")
    w = w.removesuffix("'s")
    w = w.strip("'")
    if w in NUMBER_WORDS:  # "eleventh season" meets "Season 11"
        return NUMBER_WORDS[w]
    if w in _IRREGULAR:
        w = _IRREGULAR[w]
    elif w.isalpha() and (stem := _STEMMER.stemWord(w)) in _SYNONYM_STEMS:  # "launching" as "launched"
        return _SYNONYM_STEMS[stem]
    elif len(w) >= 7 and re.search(r"is(e|ed|es|ing|ation|ations)$", w):
        w = re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", w)
    if w.endswith("n't"):
        return "not"
    return _STEMMER.stemWord(w) if w.isalpha() else w


#: Two words that mean one, as (first word's term, second word): "stepped down" resigned, a chief executive a CEO.
_PHRASAL: dict[tuple[str, str], str] = {("step", "down"): "resign", ("chief", "executive"): "ceo"}


def term_at(toks: list[Token] | tuple[Token, ...], i: int) -> str:
    """The term of token ``i``, or of the two-word verb it opens ("stepped down": "resign")."""
    t = term(toks[i].text)
    if i + 1 < len(toks):
        return _PHRASAL.get((t, toks[i + 1].text.lower()), t)
    return t


def terms_of(toks: list[Token] | tuple[Token, ...]) -> frozenset[str]:
    """The terms of ``toks``, plus what a body's name or a telling word implies ("WTA": women, tennis;
    "killing 120 people": died)."""
    out = {term(t.text) for t in toks} | {term_at(toks, i) for i in range(len(toks))}
    for i, t in enumerate(toks):
        if term(t.text) == "kill" and any(k.text[:1].isdigit() for k in toks[i + 1 : i + 5]):
            out.add("die")  # "killing at least 120 people": that many died (not "Putin killed" = Putin died)
        if t.text.lower() == "toll" and i and term(toks[i - 1].text) == "die":
            out.add("kill")  # "the death toll rose to six": six were killed
        if t.is_capitalized and t.text.endswith("ian") and i + 1 < len(toks) and toks[i + 1].text[:1].islower():
            out.add(term(t.text[:-1]))  # "Veldian forces" names Veldia (as "Syrian army" names Syria)
        word = re.sub(r"[’']s$", "", t.text)
        implied = _IMPLIED.get(word.lower()) if word.isupper() else _IMPLIED_BY_WORD.get(word.lower())
        if implied:
            out.update(term(w) for w in implied)
    return frozenset(out)


def is_negation(word: str) -> bool:
    """True for "not", "never", "didn't", "nothing" and their kin."""
    w = word.lower().replace("’", "'")
    return w in NEGATIONS or w.endswith("n't")


def is_stopword(word: str) -> bool:
    if len(word) > 1 and word.replace(".", "").isupper():  # US, U.S., NFL are names, not pronouns
        return False
    w = word.lower().replace("’", "'")
    w = w.removesuffix("'s")
    return w in STOPWORDS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as ``(start, end)`` offsets, whitespace trimmed.

    Splits after ., !, ? or … (with any closing quotes) before white space, and
    at line breaks; not after abbreviations (Mr., U.S., Jan.), nor before a
    lower-case word, nor inside a short single-quoted passage (‘…’), so a
    quoted remark stays one sentence, nor between a fact box's short label and
    the date or number it labels ("Release date. December 1, 2017").
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _SENT_END_RE.finditer(text):
        end = m.end()
        if m.group() != "\n":
            if _is_abbreviation(text, m.start()):
                continue
            nxt = _next_nonspace(text, end)
            if nxt < n and text[nxt].islower():
                continue
            if text[m.start() - 1 : m.start()] == "[":  # an elision mark […]
                continue
            if _inside_short_single_quote(text, start, m.start(), end):
                continue
            if _is_field_label(text, start, m.start(), nxt):
                continue  # "Release date. December 1, 2017": a fact box's label and its value
            if m.group()[-1] in "”\"" and _TRAILING_ATTRIBUTION_RE.match(text, end):
                continue  # “…?” Zelensky recounted. — the attribution belongs to the quote
        _add_span(text, start, end, spans)
        start = end
    _add_span(text, start, n, spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def _next_nonspace(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot]
    if not word:
        return False
    if "." in word or len(word) == 1 and word.isupper():  # U.S., initials
        return True
    return word.lower() in _ABBREV


#: Month names and their abbreviations, lower case.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # in date.weekday() order
MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)


def _is_field_label(text: str, start: int, dot: int, nxt: int) -> bool:
    """True if ``text[start:dot]`` is a short label ("Release date") and a date or number follows it."""
    label = text[start:dot].split()
    if not 1 <= len(label) <= 3 or not label[0][:1].isupper() or any(ch.isdigit() for ch in text[start:dot]):
        return False
    if any(is_stopword(w) for w in label):  # "He won. 2019 was …" is two sentences
        return False
    following = text[nxt : nxt + 12].split()
    first = following[0].strip(",.").lower() if following else ""
    return first[:1].isdigit() or first in MONTHS


def _inside_short_single_quote(text: str, start: int, pos: int, match_end: int) -> bool:
    """True if ``pos`` sits inside a ‘…’ quote that opened in this sentence and closes within 200 chars.

    A quote that closes within the sentence-end match itself (``them.’``) has ended: split there.
    """
    opened = text.rfind("‘", start, pos)
    if opened < 0:
        return False
    close = _closing_single_quote(text, opened + 1, pos)
    if close is not None and close < pos:
        return False
    ahead = _closing_single_quote(text, pos, min(len(text), pos + 200))
    return ahead is not None and ahead >= match_end


def _closing_single_quote(text: str, lo: int, hi: int) -> int | None:
    """First ’ in [lo, hi) that closes a quote (not an apostrophe inside a word)."""
    i = text.find("’", lo, hi)
    while i >= 0:
        after = text[i + 1] if i + 1 < len(text) else " "
        if not after.isalpha():
            return i
        i = text.find("’", i + 1, hi)
    return None


def quoted_mask(text: str) -> list[bool]:
    """For each character, whether it lies inside double quotes (“…” or "…").

    Quote state resets at each line break: news paragraphs close their quotes.
    """
    mask = [False] * len(text)
    inside = False
    for i, ch in enumerate(text):
        if ch == "\n":
            inside = False
        elif ch == "“":
            inside = True
            mask[i] = True
            continue
        elif ch == "”":
            mask[i] = True
            inside = False
            continue
        elif ch == '"':
            mask[i] = True
            inside = not inside
            continue
        mask[i] = inside
    return mask
