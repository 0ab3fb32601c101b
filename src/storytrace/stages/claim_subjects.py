"""What a number counts and what happened to it: the noun phrase, its normal form, the event.

"250 IS fighters were allowed to leave" -> phrase "IS fighters", key ("fighters", party "IS",
no other modifiers), event "left". Synonyms collapse (ISIS/Islamic State/Daesh -> IS,
militants/jihadis -> fighters, dead/death toll -> killed, lorries -> trucks) while the words
that make a different quantity stay in the key (foreign fighters, family members).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end a noun phrase after a number.
STOP = set("""
in on at from to with by for of into onto across including include includes among between
through during after before since until over under about around near inside outside along
toward towards against without within per via than as like while whereas because
and or but nor so yet then also
a an the this that these those their its his her our my your them they we he she it i you
who whom whose which what where when why how
is are was were be been being am has have had do does did will would shall should can could
may might must not no
alone each apiece only just more most less least all both some any several many much
there here now still already even too very
said says say told tells reported according
""".split())

# Irregular and common verbs that follow a count ("IS vehicles left").
VERBS = set("""
left fled died sat went came took ran got made gave held stood fell rose kept met brought
fought sought lay hid
leave flee die sit go come take run get make give hold stand fall rise keep meet bring fight
escape escaped remain remained arrived arrive reached reach waited joined join
""".split())

# Heads that are nouns without a plural -s.
PLURAL_NOUNS = set("""
people police staff personnel children men women cattle sheep fish aircraft militia
troops crew clergy youth police-officers folk livestock deer offspring
""".split())

# Single-word synonyms for the thing counted.
HEAD_SYNONYMS = {
    "militants": "fighters", "jihadis": "fighters", "jihadists": "fighters",
    "insurgents": "fighters", "combatants": "fighters", "gunmen": "fighters",
    "lorries": "trucks", "lorry": "trucks", "truck": "trucks", "buses": "buses", "coaches": "buses",
    "cars": "cars", "persons": "people", "individuals": "people", "residents": "people",
    "inhabitants": "people", "souls": "people", "victims": "people",
    "deaths": "people", "dead": "people", "fatalities": "people", "bodies": "people",
    "lives": "people", "casualties": "casualties", "injuries": "people", "wounded": "people",
    "injured": "people", "soldiers": "soldiers", "troops": "soldiers",
    "kids": "children", "youngsters": "children", "homes": "houses", "buildings": "buildings",
}
# Head nouns that already say what happened: "45 dead" = 45 people killed.
HEAD_EVENT = {"deaths": "killed", "dead": "killed", "fatalities": "killed", "bodies": "killed",
              "lives": "killed", "injuries": "injured", "wounded": "injured", "injured": "injured"}

# Group names that qualify a count without changing which quantity it is in one story.
PARTY_SYNONYMS = {
    "is": "IS", "isis": "IS", "isil": "IS", "islamic state": "IS", "daesh": "IS", "da'esh": "IS",
    "jihadi": "IS", "jihadist": "IS",
    "us": "US", "u.s.": "US", "american": "US", "british": "UK", "uk": "UK",
    "kurdish": "Kurdish", "sdf": "SDF", "russian": "Russian", "ukrainian": "Ukrainian",
    "israeli": "Israeli", "palestinian": "Palestinian", "hamas": "Hamas", "taliban": "Taliban",
    "government": "government", "rebel": "rebel", "army": "army",
}
# Hypernyms for summing itemised parts: trucks + buses + vehicles -> vehicles.
HYPERNYM = {"trucks": "vehicles", "buses": "vehicles", "cars": "vehicles", "vans": "vehicles",
            "lorries": "vehicles", "tanks": "vehicles", "jeeps": "vehicles", "pickups": "vehicles",
            "vehicles": "vehicles", "minibuses": "vehicles", "motorbikes": "vehicles",
            "fighters": "people", "members": "people", "women": "people", "children": "people",
            "men": "people", "civilians": "people", "people": "people", "soldiers": "people",
            "adults": "people", "relatives": "people", "passengers": "people",
            "staff": "people", "workers": "people", "students": "people", "officers": "people"}

EVENTS = {
    "killed": r"killed|kill|kills|killing|dead|died|die|dies|dying|deaths?|death\s+toll|toll|"
              r"fatalities|lost\s+their\s+lives|slain|murdered|massacred|perished|executed",
    "injured": r"injured|injuring|wounded|wounding|hurt|hurting|injuries|hospitali[sz]ed|"
               r"(?:taken\s+to|treated\s+in|remain\s+in|in)\s+hospital|treated\s+for\s+injuries",
    "left": r"left|leave|leaving|leaves|escaped?|escaping|fled|flee|fleeing|evacuated|evacuation|"
            r"exodus|departed|withdrew|took\s+out|taken\s+out|got\s+out|safe\s+passage|allowed\s+out",
    "arrested": r"arrested|arresting|detained|detaining|jailed|captured|in\s+custody",
    "missing": r"missing|unaccounted",
    "displaced": r"displaced|made\s+homeless",
    "rescued": r"rescued|rescuing|saved|pulled\s+alive",
}
_EVENT_RE = re.compile("|".join(rf"(?P<{k}>\b(?:{v})\b)" for k, v in EVENTS.items()), re.I)
_CLAUSE_END = re.compile(r"[;:]|\s[-–—]\s|\bbut\b|\bwhile\b|\bwhereas\b|,\s*(?:and|as|after|before)\s|"
                         r",\s*(?:(?:all|most|some|none|many|each)\s+of\s+)?(?:whom|which|who)\b", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’.-]*[A-Za-z]|[A-Za-z]")
_OF = re.compile(r"\s+of\s+(?:(?:the|their|its|his|her|our|these|those|whom)\s+)?", re.I)
_SUBSET = re.compile(r"^\W*(?:alone|each|apiece|per\b|a\s+(?:day|night|week|month|year)|"
                     r"of\s+(?:them|whom|those))|\bin\s+(?:my|his|her|one)\s+\w+\s+alone\b", re.I)


_PREDICATE_ADJ = {"dead", "injured", "wounded", "missing", "hurt", "alive", "homeless"}


@dataclass
class Phrase:
    text: str  # as written: "IS fighters"
    start: int
    end: int
    words: list[str]
    sure: bool  # the head looks like a plural noun / known count noun


def noun_phrase_after(text: str, pos: int, limit: int) -> Phrase | None:
    """The noun phrase a number counts, right after it: '3,500 of their family members'."""
    m = _OF.match(text, pos, limit)
    cur = m.end() if m else pos
    words: list[tuple[str, int, int]] = []
    while len(words) < 4:
        w = re.match(r"[ \t]*(?:[“”\"'‘’]\s*)?([A-Za-z][\w'’.-]*[A-Za-z]|[A-Za-z])", text[cur:limit])
        if not w:
            break
        word = w.group(1)
        lw = word.lower()
        if (lw in STOP and word != "IS") or lw in VERBS or (words and lw in _PREDICATE_ADJ):
            break  # "two people dead": 'dead' says what happened, it is not part of the thing
        if word.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", word):
            word = word[:-1]
        words.append((word, cur + w.start(1), cur + w.start(1) + len(word)))
        cur = cur + w.end()
        if text[cur:cur + 1] in ",;:!?)" or word != w.group(1):
            break
    # a trailing -ed/-ing word is a verb ("people killed"), not part of the phrase
    while words and re.search(r"(?:ed|ing)$", words[-1][0]) and words[-1][0].lower() not in HEAD_SYNONYMS \
            and words[-1][0].lower() not in ("wounded", "injured", "dead"):
        words.pop()
    if not words:
        return None
    head = words[-1][0].lower()
    sure = head in PLURAL_NOUNS or head in HEAD_SYNONYMS or (
        head.endswith("s") and not head.endswith("ss") and len(head) > 3) or head in HYPERNYM
    return Phrase(text[words[0][1]:words[-1][2]], words[0][1], words[-1][2],
                  [w for w, _, _ in words], sure)


_NUMBER_WORD = re.compile(r"(?i)(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
                          r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|dozen)"
                          r"(?:-\w+)?$|hundreds|thousands|dozens|millions")
_PLURALISH = re.compile(r"^[a-z][a-z-]{2,}s$")
_NOT_PLURAL = set("this was has its is us as his hers yes less unless across always perhaps "
                  "sometimes news series species thus plus bus gas whereas various previous "
                  "famous serious numerous dangerous analysis crisis basis status campus".split())


def noun_phrase_before(text: str, start: int, pos: int) -> Phrase | None:
    """The latest plural noun phrase before ``pos`` in the sentence (for 'only four had ...')."""
    toks = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text, start, pos)]
    for i in range(len(toks) - 1, -1, -1):
        w = toks[i][0]
        lw = w.lower()
        if lw in STOP or lw in _NOT_PLURAL:
            continue
        if lw in PLURAL_NOUNS or (_PLURALISH.match(lw) and not lw.endswith("ss")):
            j = i
            while j > 0 and toks[j - 1][0].lower() not in STOP and toks[j - 1][0].lower() not in VERBS \
                    and not _NUMBER_WORD.match(toks[j - 1][0]) \
                    and not re.search(r"ed$", toks[j - 1][0]) and toks[j][1] - toks[j - 1][2] <= 1 and i - j < 2:
                j -= 1
            return Phrase(text[toks[j][1]:toks[i][2]], toks[j][1], toks[i][2],
                          [t[0] for t in toks[j:i + 1]], True)
    return None


@dataclass(frozen=True)
class SubjectKey:
    head: str  # "fighters"
    modifiers: tuple[str, ...]  # ("foreign",)
    party: str | None  # "IS"

    def label(self) -> str:
        return " ".join(([self.party] if self.party else []) + list(self.modifiers) + [self.head])


def normalise_subject(words: list[str]) -> tuple[SubjectKey, str | None]:
    """Words of a noun phrase -> (key, event implied by the head: 'dead' -> killed)."""
    toks = [w.strip("'’\"“”") for w in words if w.strip("'’\"“”")]
    if not toks:
        return SubjectKey("people", (), None), None
    head_raw = toks[-1].lower()
    head = HEAD_SYNONYMS.get(head_raw, head_raw)
    event = HEAD_EVENT.get(head_raw)
    party = None
    mods: list[str] = []
    rest = toks[:-1]
    i = 0
    while i < len(rest):
        pair = " ".join(rest[i:i + 2]).lower()
        if pair in PARTY_SYNONYMS:
            party, i = PARTY_SYNONYMS[pair], i + 2
            continue
        word = rest[i]
        lw = word.lower()
        if lw in PARTY_SYNONYMS and (word[0].isupper() or lw in ("jihadi", "jihadist", "government", "rebel", "army")):
            party = PARTY_SYNONYMS[lw]
        elif lw not in ("other", "more", "further", "additional", "total", "estimated", "reported"):
            mods.append(lw)
        i += 1
    return SubjectKey(head, tuple(mods), party), event


def find_event(text: str, before_start: int, num_start: int, after_start: int, end: int,
               after_words: int = 10, before_words: int = 8, before_first: bool = False) -> str | None:
    """The event class nearest the number in its clause: after it first, then before it."""
    if before_first:
        found = find_event(text, before_start, num_start, after_start, after_start, 0, before_words)
        return found or find_event(text, after_start, after_start, after_start, end, after_words, 0)
    clause_end = end
    m = _CLAUSE_END.search(text, after_start, end)
    if m:
        clause_end = m.start()
    words_after = list(re.finditer(r"\S+", text[after_start:clause_end]))
    limit = after_start + (words_after[after_words - 1].end() if len(words_after) > after_words
                           else clause_end - after_start)
    m = _EVENT_RE.search(text, after_start, limit) if after_words else None
    if m:
        return m.lastgroup
    if not before_words:
        return None
    clause_start = before_start
    for c in _CLAUSE_END.finditer(text, before_start, num_start):
        clause_start = c.end()
    words_before = list(re.finditer(r"\S+", text[clause_start:num_start]))
    lo = clause_start + (words_before[-before_words].start() if len(words_before) > before_words else 0)
    found = None
    for m in _EVENT_RE.finditer(text, lo, num_start):
        found = m.lastgroup
    return found


_VERB_AFTER = re.compile(r"\s*(?:(?:were|was|are|is|had|have|has)\s+(?:been\s+)?)?(?P<v>[a-z]+ed|"
                         + "|".join(sorted(VERBS, key=len, reverse=True)) + r")\b|\s*to\s+(?P<inf>[a-z]{3,})\b")


# Verbs that describe the whole rather than pick out part of it.
_NOT_QUALIFIERS = set("""included contained comprised featured carried numbered totalled totaled
remained stood reached joined arrived came went""".split())


def verb_after(text: str, pos: int, limit: int) -> str | None:
    """The verb right after a counted phrase ('Ten trucks were loaded' -> 'load'): a qualifier."""
    m = _VERB_AFTER.match(text, pos, limit)
    if not m:
        return None
    if m.group("v") and m.group("v").lower() in _NOT_QUALIFIERS:
        return None
    if m.group("inf"):
        return m.group("inf").lower()  # "200 people to collect"
    return m.group("v").lower()  # as written ("loaded", "collapsed"): readable and stable


def is_subset(text: str, pos: int, limit: int, sentence_start: int, num_start: int) -> bool:
    """'112 people in my vehicle alone', '£3,000 per fighter', 'four of them': part of a whole."""
    after = text[pos:min(limit, pos + 40)]
    before = text[max(sentence_start, num_start - 40):num_start]
    return bool(_SUBSET.search(after) or re.search(r"\balone\b", after[:25])
                or re.search(r"\balone,?\s+(?:\w+\s+){0,3}$", before))


_JUST_BEFORE = re.compile(rf"(?:{_EVENT_RE.pattern})\s+(?:[a-z]+\s+)?$", re.I)


_JUST_AFTER = re.compile(rf"[\s,]*(?:(?:were|was|are|is|have|has|had|been|being|reportedly|later|also|all|now)\s+){{0,3}}(?:{_EVENT_RE.pattern})", re.I)


def event_just_after(text: str, pos: int, limit: int) -> str | None:
    """'41 were wounded', '12 people died': an event verb right after the counted phrase."""
    m = _JUST_AFTER.match(text, pos, limit)
    return m.lastgroup if m else None


def event_just_before(text: str, lo: int, num_start: int) -> str | None:
    """'killing at least 45', 'injuring more than 300': a verb right before governs the figure."""
    m = _JUST_BEFORE.search(text, max(lo, num_start - 40), num_start)
    return m.lastgroup if m else None


_TOLL = re.compile(
    r"(?:(?P<toll>death\s+toll|toll|tally\s+of\s+(?:the\s+)?dead)|(?:total\s+)?number\s+of\s+(?P<np>[a-z-]+(?:\s+(?!(?:at|to|was|is|stood|reached|hit|rose|risen|now|has|had|in|of)\b)[a-z-]+){0,2}))"
    r"(?:\s+[\w’'.,-]+){0,8}?\s+(?:at|to|of|was|is|stood\s+at|reached|hit|rose\s+to|risen\s+to|now)\s+$", re.I)


_SAME_FIGURE = re.compile(r"\b(?:put|puts|putting|estimated|estimates|placed|places)\s+(?:the|that|this|their)\s+"
                          r"(?:figure|number|total|count|tally|estimate)\s+(?:at|as)\s+(?:\w+\s+)?$", re.I)


def toll_subject(text: str, lo: int, num_start: int) -> tuple[list[str], str | None] | None:
    """'the death toll has risen to 112' -> people killed; 'the number of injured stood at 340'."""
    m = _TOLL.search(text, max(lo, num_start - 120), num_start)
    if not m:
        if _SAME_FIGURE.search(text, max(lo, num_start - 40), num_start):
            return [], None  # "put the figure at 20,000": the previous figure's thing
        return None
    if m.group("toll"):
        return ["people"], "killed"
    words = m.group("np").split()
    return words, None
