"""Who a figure is attributed to: 'the SDF said', 'according to officials', 'said Col Dillon'.

Regex over the sentence. Pronouns ('he said') resolve to the last named source within two
sentences; a sentence without a cue inherits the previous sentence's source in the same
paragraph when that sentence announced it ("X has admitted the part it played. Some 250 ...").
"""
from __future__ import annotations

import re
from functools import lru_cache

SPEECH = (r"said|says|say|told|tells|tell|reported|reports|report|claimed|claims|claim|stated|states|"
          r"announced|announces|admitted|admits|confirmed|confirms|estimated|estimates|added|adds|"
          r"insisted|insists|denied|denies|acknowledged|acknowledges|wrote|writes|warned|warns|"
          r"explained|noted|notes|believed|believes|counted|recorded|put\s+the\s+(?:figure|number|toll|total)|was\s+quoted\s+as\s+saying|"
          r"quoted")
_SPEECH_RE = re.compile(rf"\b(?:(?:has|have|had|was|were)\s+)?(?:also\s+|publicly\s+|later\s+)?(?P<v>{SPEECH})\b")
_CUE_ANCHOR = re.compile(rf"\b(?:{SPEECH}|according)\b")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<np>[^,.;:“”\"]{2,80})", re.I)
_AFTER_VERB = re.compile(r"\s+(?P<np>(?:the\s+)?(?:[A-Z][\w.'’-]*)(?:\s+(?:[A-Z][\w.'’-]*|of|the|for))*)")
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "his", "her", "one"}
_NP_CUT = re.compile(r"\s+(?:who|which|that|hired|based|speaking|quoted|interviewed|in|on|at|from|"
                     r"with|for|to|of\s+(?!the\b)|,)\b.*$")  # lower case only: "the WHO" is a name
_ANNOUNCE = {"admitted", "admits", "confirmed", "confirms", "announced", "announces", "said", "says",
             "estimated", "estimates", "stated", "states", "acknowledged", "acknowledges"}


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’(?!\w)")


def _clean_np(np: str) -> str | None:
    np = np.strip(" \t\n,“”\"'‘’")
    np = re.sub(r"^(?:however|but|and|meanwhile|publicly|later|also|then|so|yet|instead)\b[,\s]*", "", np, flags=re.I)
    np = _NP_CUT.sub("", np).strip(" ,")
    np = re.sub(r"(?<=[a-z]{2})\.$", "", np)  # "said Mayor Ana Ruiz." ends the sentence
    words = np.split()
    if not words or len(words) > 7:
        return None
    if words[0].lower() in ("it", "there", "this", "that", "what", "which"):
        return None
    return np


def speaker_in(sentence: str, number_pos: int) -> tuple[str | None, str | None]:
    """(speaker as written, verb) for the cue nearest the number in one sentence."""
    best: tuple[int, str, str] | None = None
    for pos, np, verb in cues_in(sentence):
        d = abs(pos - number_pos)
        if best is None or d < best[0]:
            best = (d, np, verb)
    return (best[1], best[2]) if best else (None, None)


@lru_cache(maxsize=512)
def cues_in(sentence: str) -> tuple[tuple[int, str, str], ...]:
    """Every attribution cue in a sentence: (position, speaker as written, verb)."""
    if not _CUE_ANCHOR.search(sentence):
        return ()
    cues: list[tuple[int, str, str]] = []
    for m in _ACCORDING.finditer(sentence):
        np = _clean_np(m.group("np"))
        if np:
            cues.append((m.start(), np, "according to"))
    quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(sentence)]
    matches = list(_SPEECH_RE.finditer(sentence))
    outside = [m for m in matches if not any(s <= m.start() < e for s, e in quoted)]
    for m in outside or matches:  # a cue outside the quotation marks speaks for what is inside
        verb = m.group("v")
        np = None
        before = sentence[max(0, m.start() - 12):m.start()]
        if re.search(r"\b(?:the|a|an|this|that|its|their|his|her|of|BBC's)\s*$", before, re.I) \
                and not m.group().lower().startswith(("has", "have", "had", "was", "were")):
            continue  # "the report said": 'report' is a noun here
        if re.search(r"\b(?:but|and|or)\s*$", before):
            continue  # "... were promised X but told ...": the subject is elided
        # subject before the verb, back to the clause start
        head = sentence[:m.start()]
        cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"), head.rfind("“"), head.rfind("”"),
                  head.rfind('"'), head.rfind("—"), head.rfind("–"), head.rfind("…"))
        cand = head[cut + 1:].strip()
        if not cand and head.rstrip().endswith(","):
            # "The ferry's operator, Corran Lines, said": the appositive name is the speaker
            inner = head.rstrip()[:-1]
            prev_cut = max(inner.rfind(","), inner.rfind("“"), inner.rfind('"'), inner.rfind(";"))
            cand = inner[prev_cut + 1:].strip()
            if not re.match(r"(?:[A-Z]|the\b)", cand):
                cand = ""
        if cand and not re.search(r"[.!?]$", cand):
            np = _clean_np(cand)
            if np and len(np.split()) > 5:
                np = None
        if np is None:
            # "..., said Colonel Ryan Dillon", "told Reuters" has the subject before, not after
            am = _AFTER_VERB.match(sentence, m.end())
            if am and re.search(r"[,”\"’']\s*$", head[-3:]):
                np = _clean_np(am.group("np"))
        if np:
            cues.append((m.start(), np, verb))
    return tuple(cues)


def is_pronoun(name: str | None) -> bool:
    return bool(name) and name.lower().split()[0] in PRONOUNS and len(name.split()) == 1


def source_key(name: str | None) -> str | None:
    """'The US-led coalition' and 'the coalition' -> 'coalition' (for comparing sources)."""
    if not name:
        return None
    words = re.findall(r"[\w']+", name.lower().replace("-led", " led"))
    drop = {"the", "a", "an", "us", "led", "western", "british", "local", "its", "their", "forces",
            "officials", "official", "spokesman", "spokeswoman", "spokesperson", "publicly"}
    kept = [w for w in words if w not in drop]
    return " ".join(kept or words)


def same_source(a: str | None, b: str | None) -> bool:
    ka, kb = source_key(a), source_key(b)
    if not ka or not kb:
        return False
    sa, sb = set(ka.split()), set(kb.split())
    return sa <= sb or sb <= sa


class Attributor:
    """Walks an article's sentences in order, remembering the last named source."""

    def __init__(self) -> None:
        self.last_named: tuple[int, str] | None = None  # (sentence index, name)
        self.prev: tuple[int, int, str, str] | None = None  # (index, paragraph, name, verb)

    def sentence(self, index: int, paragraph: int, text: str) -> None:
        """Start a sentence; its own cue is read only when a later sentence needs it."""
        self._current = (index, paragraph, text)
        self._has_figures = False

    def figures_seen(self) -> None:
        """The sentence states figures itself: its cue is for them, not for the next sentence."""
        self._has_figures = True

    def attribute(self, text: str, number_pos: int) -> str | None:
        index, paragraph, _ = self._current
        name, verb = speaker_in(text, number_pos)
        if name and is_pronoun(name):
            prev = self._prev_cue()
            if prev and prev[0] == index - 1:
                return prev[2]
            if self.last_named and index - self.last_named[0] <= 2:
                return self.last_named[1]
            return None
        if name:
            return name
        prev = self._prev_cue()
        if prev and prev[0] == index - 1 and prev[1] == paragraph and \
                prev[3] in _ANNOUNCE and not is_pronoun(prev[2]):
            return prev[2]
        return None

    def _prev_cue(self):
        if self.prev is not None and len(self.prev) == 3:  # (index, paragraph, text): read it now
            index, paragraph, text = self.prev
            name, verb = speaker_in(text, len(text))
            self.prev = (index, paragraph, name, verb) if name and not is_pronoun(name) else None
        return self.prev

    def done(self) -> None:
        index, paragraph, text = self._current
        if self._has_figures:
            name, _ = speaker_in(text, len(text))
            if name and not is_pronoun(name):
                self.last_named = (index, name)
            self.prev = None  # its cue was for its own figures
        else:
            self.prev = (index, paragraph, text)
