"""Who says a quotation: cue verbs and speaker noun phrases found with rules.

The rules cover the ways news writes attribution: ``"...," said Col Ryan Dillon, a
spokesman``, ``Dillon said: "..."``, ``"...," he told the BBC``, ``one driver told the
BBC: "..."``, ``according to X, "..."``. They return spans into the text so callers can
report them; anything they cannot read is left to the statistical parser (see quotes.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .word_trie import trie_pattern

# Verbs that introduce speech, in the forms news uses. "told"/"tells" name the listener
# after the verb, so they never take an inverted speaker ("told the BBC").
_SAY_VERBS = (
    "said says say saying added adds adding asked asks explained explains insisted insists insist "
    "warned warns wrote writes write stated states noted notes claimed claims argued argues "
    "replied replies reply conceded concedes continued continues declared declares announced "
    "announces admitted admits acknowledged acknowledges recalled recalls remarked remarks "
    "responded responds suggested suggests tweeted tweets joked jokes complained complains "
    "predicted predicts promised promises asserted asserts boasted boasts quipped quips observed "
    "observes emphasised emphasized stressed stresses testified testifies concluded concludes "
    "confirmed confirms denied denies urged urges countered counters lamented laments exclaimed "
    "shouted screamed whispered muttered recounted recounts cautioned cautions mused muses "
    "agreed agrees vowed vows pleaded pleads begged replied answered answers demanded demands "
    "told tells telling texted posted"
).split()
_LISTENER_VERBS = {"told", "tells", "telling", "texted", "asked", "asks"}
CUE_WORDS = frozenset(_SAY_VERBS)
_CUE = r"(?:" + trie_pattern(CUE_WORDS) + r")"  # = the words, longest first, as a trie

PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "col", "colonel", "gen", "general", "lt", "lieutenant", "sgt",
    "sergeant", "capt", "captain", "maj", "major", "sen", "senator", "rep", "representative", "gov",
    "governor", "president", "prof", "professor", "judge", "justice", "rev", "reverend", "sir",
    "lord", "lady", "dame", "chancellor", "secretary", "minister", "mayor", "adm", "admiral",
    "cmdr", "commander", "brig", "brigadier", "pope", "king", "queen", "prince", "princess",
    "sheikh", "gov.", "rep.", "sen.", "ambassador", "officer", "chief", "speaker", "premier",
}
# Capitalised words that start sentences or clauses but never belong to a name.
_NOT_NAME = {
    "but", "and", "or", "so", "the", "a", "an", "however", "meanwhile", "also", "then", "in",
    "on", "at", "for", "as", "when", "while", "after", "before", "yet", "still", "now", "later",
    "this", "that", "these", "those", "there", "here", "it", "he", "she", "they", "we", "i",
    "his", "her", "their", "our", "its", "my", "your", "one", "another", "some", "many", "both",
    "speaking", "asked", "earlier", "today", "yesterday", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "if", "because", "although", "though", "since",
    "instead", "indeed", "finally", "last", "first", "according", "said", "says", "told", "with",
    "by", "from", "of", "to", "not", "no", "what", "who", "why", "how", "where", "asked", "in",
}
_DETERMINERS = r"(?:a|an|the|one|another|two|three|several|some|many|other|one of the|a senior|a former)"
_NAME_TOKEN = r"(?:[A-Z][\w’'.-]*|[A-Z]\.|(?:de|van|von|al|bin|der|la|le|da|du|di|del|dos|el|ibn)(?=\s+[A-Z]))"
_NAME = rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,5}}(?:\s+and\s+{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}})?"
_ADVERBS = r"(?:(?:also|later|then|previously|once|again|recently|earlier|simply|just|famously|\w+ly)\s+)"
_AUX = r"(?:(?:has|have|had|was|were|is|would|will|could|also|later|then|once)\s+)"
_ROLE_END = re.compile(r"[.;!?]|\s+(?:who|which|that|and|but|in a|on \w+day|at a|during)\b")


# Words that can sit between a quote and a name without being a speech verb.
_NOT_CUE = {"between", "from", "with", "against", "for", "by", "to", "of", "about", "at", "in",
            "on", "than", "like", "including", "and", "or", "but", "as", "after", "before",
            "toward", "towards", "over", "under", "into", "onto", "upon", "unlike", "versus"}


# Patterns of the functions below, compiled once (building these f-strings per call cost
# more than matching them).
_INVERTED_NAME = re.compile(rf"\s*[,:—–-]?\s*(?P<cue>{_CUE})\s+(?P<np>{_NAME})")
_INVERTED_UNNAMED = re.compile(rf"\s*[,:—–-]?\s*(?P<cue>{_CUE})\s+(?P<np>{_DETERMINERS}\s+[^,.;!?]{{1,60}}?)(?=\s*(?:[,.;!?]|$|\s(?:in|on|at|during|after|before|who|when|as)\s))",
                               re.I)
_ANY_VERB_NAME_END = re.compile(rf"\s*,?\s*(?P<cue>[^\W\d_A-Z][^\W\d_]+)\s+(?P<np>{_NAME})\s*[.!]?\s*$")
_PAST_VERB_NAME = re.compile(rf"\s*(?P<cue>[a-z]+ed)\s+(?P<np>{_NAME})")
_NAME_PAST_VERB = re.compile(rf"\s*(?P<np>{_NAME}|he|she|they)\s+(?P<cue>[a-z]+ed)\b")
_NP_CUE = re.compile(rf"\s*[,:—–-]?\s*(?P<np>[^,.;!?\"“”]{{1,80}}?)\s+{_AUX}*{_ADVERBS}?(?P<cue>{_CUE})\b")
_NAME_ROLE_CUE = re.compile(rf"\s*[,:—–-]?\s*(?P<np>{_NAME}),\s+(?P<role>[^,.;!?]{{1,80}}),\s+{_AUX}*{_ADVERBS}?(?P<cue>{_CUE})\b")
_ACCORDING_END = re.compile(r"\baccording to\s+(?P<np>[^,.;:]{1,80}?)\s*[,:]?\s*$", re.I)
_CAPITAL_CUE_NAME = re.compile(rf"\s*(?P<cue>[A-Z][a-z]+)\s+(?P<np>{_NAME})")
_CUE_OR_QUOTED = re.compile(rf"\b(?P<cue>{_CUE}|quoted as saying)\b")
_SUBJECT_END = re.compile(rf"(?P<np>[^,.;:!?\"“”«»]{{1,90}}?)\s+{_AUX}*{_ADVERBS}?(?:been\s+)?$")
_NAME_ROLE_END = re.compile(rf"(?P<np>{_NAME}),\s+(?P<role>[^,.;!?]{{1,80}}),\s+{_AUX}*{_ADVERBS}?$")
_NAME_END = re.compile(rf"{_NAME}$")
_TRAILING_NAME = re.compile(rf"(?:^|\s)(?P<name>{_NAME})$")
_UNNAMED_NP = re.compile(rf"(?P<np>{_DETERMINERS}\b.*)$", re.I)


@dataclass
class Speaker:
    text: str  # the speaker as written (a name, a pronoun or an unnamed noun phrase)
    span: tuple[int, int]
    cue: str
    cue_span: tuple[int, int]
    role: str | None = None
    kind: str = "name"  # name | pronoun | unnamed


def is_name(s: str) -> bool:
    """A proper name: capitalised words, the first of them not a function word."""
    toks = [t for t in s.split() if t != "and"]
    return bool(toks) and toks[0][:1].isupper() and toks[0].lower().strip(".") not in _NOT_NAME \
        and all(t[:1].isupper() or t in {"de", "van", "von", "al", "bin", "der", "la", "le", "da",
                                           "du", "di", "del", "dos", "el", "ibn"} for t in toks)


def _trim_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop function words (But, The, However) the name regex swept up at its start."""
    seg = text[start:end]
    toks = list(re.finditer(r"\S+", seg))
    while toks and toks[0].group().lower().strip(".,") in _NOT_NAME:
        toks.pop(0)
    if not toks:
        return None
    end = start + toks[-1].end()
    last = toks[-1].group()
    if last.endswith(".") and len(last) > 2 and last.lower() not in TITLES:
        end -= 1  # a sentence full stop, not an initial ("Burton." vs "John F.")
    return start + toks[0].start(), end


def _role_after(text: str, pos: int, limit: int) -> str | None:
    """``, a spokesman for the coalition`` after a name: the apposition, as written."""
    m = re.match(r"\s*,\s*", text[pos:limit])
    if not m:
        return None
    start = pos + m.end()
    rest = text[start:limit]
    if not rest or not (rest[0].islower() or re.match(r"(?:the|a|an|its|his|her)\b", rest, re.I)):
        return None
    stop = re.search(r"\.(?=\s|$)|;|!|\?|\s+(?:said|says|told|added)\b", rest)
    role = rest[:stop.start()] if stop else rest
    role = role.strip().rstrip(",")
    if role.count(" ") > 18:
        role = " ".join(role.split()[:18])
    return role or None


def _tag_follows(text: str, start: int) -> bool:
    """The quote at ``start`` ends with , ! or ? inside or right after its closing mark:
    the way a dialogue tag ("...," he said / "...", dijo X) is set off."""
    return bool(re.search(r"[,!?][\"'”’»]$", text[max(0, start - 3):start])
                or re.match(r"[,!?]", text[start:start + 1]))


def speaker_after_quote(text: str, start: int, limit: int) -> Speaker | None:
    """Attribution right after a closing mark: ``, said X`` / ``, X said`` / ``he told``."""
    seg = text[start:limit]
    # ", said Col Ryan Dillon, a spokesman" / ", said one driver" (inverted order)
    m = _INVERTED_NAME.match(seg)
    if m and m.group("cue") not in _LISTENER_VERBS:
        span = _trim_name(text, start + m.start("np"), start + m.end("np"))
        if span and is_name(text[span[0]:span[1]]):
            return Speaker(text[span[0]:span[1]], span, m.group("cue"),
                           (start + m.start("cue"), start + m.end("cue")),
                           _role_after(text, span[1], limit))
    m = _INVERTED_UNNAMED.match(seg)
    if m and m.group("cue").lower() not in _LISTENER_VERBS:
        s, e = start + m.start("np"), start + m.end("np")
        return Speaker(text[s:e], (s, e), m.group("cue"), (start + m.start("cue"), start + m.end("cue")),
                       None, "unnamed")
    # "..." dijo Burtón. / "..." insists Burton.: a verb and a name closing the sentence,
    # whatever the verb (other languages, rarer verbs).
    m = _ANY_VERB_NAME_END.match(seg)
    if m and _tag_follows(text, start) and m.group("cue").lower() not in _NOT_CUE:
        span = _trim_name(text, start + m.start("np"), start + m.end("np"))
        if span and is_name(text[span[0]:span[1]]):
            return Speaker(text[span[0]:span[1]], span, m.group("cue"),
                           (start + m.start("cue"), start + m.end("cue")))
    # ""This is fantastic!" beamed Donald Hartley" / ""Go back," Trump barked": a quote that
    # ends in , ! or ? inside its marks and then a past-tense verb next to a name is a
    # dialogue tag, whatever the verb.
    if _tag_follows(text, start):
        m = _PAST_VERB_NAME.match(seg) or \
            _NAME_PAST_VERB.match(seg)
        if m and m.group("cue") not in _NOT_CUE:
            span = _trim_name(text, start + m.start("np"), start + m.end("np"))
            if span and (text[span[0]:span[1]] in ("he", "she", "they") or is_name(text[span[0]:span[1]])):
                kind = "name" if is_name(text[span[0]:span[1]]) else "pronoun"
                return Speaker(text[span[0]:span[1]], span, m.group("cue"),
                               (start + m.start("cue"), start + m.end("cue")),
                               _role_after(text, span[1], limit) if kind == "name" else None, kind)
    # ", he told the BBC" / ", Dillon said" / ", Richmond police said" / ", the report said"
    m = _NP_CUE.match(seg)
    if m:
        sp = _classify_np(text, start + m.start("np"), start + m.end("np"))
        if sp:
            sp.cue, sp.cue_span = m.group("cue"), (start + m.start("cue"), start + m.end("cue"))
            if sp.kind == "name" and sp.role is None:
                sp.role = _role_after(text, sp.span[1], limit)
            return sp
    # "Dillon, a spokesman for the coalition, said" after a quote
    m = _NAME_ROLE_CUE.match(seg)
    if m:
        span = _trim_name(text, start + m.start("np"), start + m.end("np"))
        if span and is_name(text[span[0]:span[1]]):
            return Speaker(text[span[0]:span[1]], span, m.group("cue"),
                           (start + m.start("cue"), start + m.end("cue")), m.group("role").strip())
    return None


def speaker_before_quote(text: str, start: int, end: int) -> Speaker | None:
    """Attribution in the words before an opening mark: ``Dillon said:``, ``X told the BBC:``,
    ``One driver was quoted as saying:``, ``according to X,``, or a cue earlier in the
    sentence for a partial quote (``Edward said prosecutors had "clear ... evidence"``)."""
    seg = text[start:end]
    m = _ACCORDING_END.search(seg)
    if m:
        sp = _classify_np(text, start + m.start("np"), start + m.end("np"), leading=True)
        if sp:
            sp.cue, sp.cue_span = "according to", (start + m.start(), start + m.start("np"))
            return sp
    best: Speaker | None = None
    # "Stated Stone:" / "Said Dorothy Poynter, who ...,": a capitalised cue opening the
    # sentence, then the speaker.
    m = _CAPITAL_CUE_NAME.match(seg)
    if m and m.group("cue").lower() in CUE_WORDS and m.group("cue").lower() not in _LISTENER_VERBS \
            and not m.group("cue").lower().endswith("ing"):
        span = _trim_name(text, start + m.start("np"), start + m.end("np"))
        if span and is_name(text[span[0]:span[1]]):
            best = Speaker(text[span[0]:span[1]], span, m.group("cue"),
                           (start + m.start("cue"), start + m.end("cue")),
                           _role_after(text, span[1], end))
    for m in _CUE_OR_QUOTED.finditer(seg):
        if m.group("cue").endswith("ing") and m.group("cue") != "quoted as saying":
            # ", saying ..." / ", telling reporters": the subject is the main clause's,
            # often far away; an earlier cue or the parser finds it, never the words before.
            continue
        before = seg[:m.start()]
        # The subject: the words before the cue back to a clause boundary.
        b = _SUBJECT_END.search(before)
        sp = None
        if b:
            sp = _classify_np(text, start + b.start("np"), start + b.end("np"), leading=True)
        if sp is None:
            # "Dillon, a spokesman for the coalition, said:"
            a = _NAME_ROLE_END.search(before)
            if a:
                span = _trim_name(text, start + a.start("np"), start + a.end("np"))
                if span and is_name(text[span[0]:span[1]]):
                    sp = Speaker(text[span[0]:span[1]], span, "", (0, 0), a.group("role").strip())
        if sp is None and m.group("cue") not in _LISTENER_VERBS:
            # "said Dillon:" / "said one driver:" (inverted, before the quote)
            after = speaker_after_quote(text, start + m.start(), end)
            if after and after.cue_span[0] == start + m.start():
                sp = after
        if sp is not None:
            sp.cue, sp.cue_span = m.group("cue"), (start + m.start("cue"), start + m.end("cue"))
            best = sp  # the cue nearest the quote wins
    return best


def _classify_np(text: str, s: int, e: int, leading: bool = False) -> Speaker | None:
    """A subject noun phrase as a pronoun, a name (with a role before it) or an unnamed NP."""
    seg = text[s:e]
    stripped = seg.strip()
    if not stripped:
        return None
    s += len(seg) - len(seg.lstrip())
    e = s + len(stripped)
    low = stripped.lower()
    words = stripped.split()
    # Leading clause words: "But he said", "And the report said", "When asked, he said".
    while words and words[0].lower().strip(",") in {"but", "and", "so", "then", "however", "yet",
                                                    "meanwhile", "still", "now", "later", "also"}:
        cut = stripped.index(words[0]) + len(words[0])
        rest = stripped[cut:]
        s += cut + len(rest) - len(rest.lstrip())
        stripped = rest.strip()
        words = stripped.split()
        low = stripped.lower()
    if not words:
        return None
    if low in PRONOUNS:
        return Speaker(stripped, (s, e), "", (0, 0), None, "pronoun")
    if len(words) > 14:
        # Long subjects are clauses, not speakers; keep only a trailing name.
        m = _NAME_END.search(stripped)
        if not m:
            return None
        stripped, s = m.group(), s + m.start()
        words = stripped.split()
    # A trailing name, possibly with a role before it: "coalition spokesman Col Ryan Dillon".
    m = _TRAILING_NAME.search(stripped)
    if m:
        ns, ne = _trim_name(text, s + m.start("name"), s + m.end("name")) or (None, None)
        if ns is not None and is_name(text[ns:ne]):
            name = text[ns:ne]
            role = text[s:ns].strip() or None
            if role and (len(role.split()) > 6 or not re.match(r"^[\w’'.\- ]+$", role)):
                role = None
            if role and role.lower() in {"the", "a", "an"}:
                role = None
            # "The BBC" / "the White House": a name that is an organisation is still a speaker.
            return Speaker(name, (ns, ne), "", (0, 0), role, "name")
    # An unnamed speaker kept as written: "one driver", "a smuggler", "the report",
    # "One who has helped smuggle 20 families into Turkey".
    m = _UNNAMED_NP.match(stripped)
    if m and len(words) <= 14:
        return Speaker(stripped, (s, s + len(stripped)), "", (0, 0), None, "unnamed")
    if len(words) <= 4 and words[-1][:1].islower() and words[-1].lower() not in _NOT_NAME:
        # "Richmond police", "officials", "witnesses"
        return Speaker(stripped, (s, s + len(stripped)), "", (0, 0), None, "unnamed")
    return None
