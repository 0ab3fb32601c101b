"""The speaker of a quote from spaCy's dependency parse, for the sentences the rules miss.

The rules in attribution.py read "X said" / "said X" / "according to X". They cannot read
a subject far from its verb: ``Clinton celebrated in Florida, declaring it "..."``,
``Carson took the stage and called the system "..."``, ``when she said, "..."``,
``Her senior adviser, Jake Sullivan, said: "..."``. For those the parser gives the
nsubj of the speech verb, climbing from a participle or a coordinated verb to the verb
that has one. It runs on one sentence at a time and only when the rules found nothing, so
the stage stays many times cheaper than parsing every article.
"""
from __future__ import annotations

import re

from .attribution import Speaker, _classify_np

# Verb forms that report speech or writing; a superset of the regex cue list, used to pick
# the verb in a parsed sentence (no lemmatizer: forms are listed).
_SPEECH_STEMS = (
    "say said saying says tell told telling tells add added adding adds ask asked asking asks "
    "explain explained explaining insist insisted insisting warn warned warning write wrote "
    "writing written state stated stating note noted noting claim claimed claiming argue argued "
    "arguing reply replied replying declare declared declaring announce announced announcing "
    "admit admitted admitting acknowledge acknowledged acknowledging recall recalled recalling "
    "respond responded responding suggest suggested suggesting tweet tweeted tweeting joke joked "
    "joking complain complained complaining predict predicted predicting promise promised "
    "promising assert asserted asserting boast boasted boasting quip quipped observe observed "
    "observing stress stressed stressing testify testified testifying conclude concluded "
    "confirm confirmed confirming deny denied denying urge urged urging counter countered "
    "lament lamented lamenting exclaim exclaimed shout shouted shouting scream screamed yell "
    "yelled yelling whisper whispered mutter muttered recount recounted caution cautioned muse "
    "mused agree agreed vow vowed vowing plead pleaded beg begged answer answered answering "
    "demand demanded demanding text texted post posted posting call called calling describe "
    "described describing dub dubbed label labeled labelled labeling labelling brand branded "
    "echo echoed echoing retort retorted charge charged charging continue continued continuing "
    "chant chanted chanting read reads reading proclaim proclaimed proclaiming pledge pledged "
    "pledging praise praised praising thank thanked thanking blame blamed blaming accuse "
    "accused accusing criticize criticized criticise criticised slam slammed slamming "
    "decry decried reiterate reiterated remark remarked insist insists contend contended "
    "contending mock mocked mocking quote quoted quoting report reported reporting reveal "
    "revealed reveals put puts barked snapped fumed groused griped conceded conceding "
    "emphasized emphasised emphasizing reassured assured assuring maintain maintained "
    "maintaining interject interjected interjecting interrupt interrupted began begin"
).split()
SPEECH_VERBS = frozenset(_SPEECH_STEMS)
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_CLIMB_DEPS = {"advcl", "xcomp", "conj", "ccomp", "pcomp", "prep", "pobj", "acl", "dep"}
_NAME_DEPS = {"compound", "flat", "amod", "det", "poss", "case", "nummod", "nmod", "punct"}


# The tagger and parser only: no entities or lemmas needed for a subject.
_PARSER = ("ner", "lemmatizer")


def _parse(sentence: str):
    from ..nlp import tag

    return tag([sentence], _PARSER)[0]  # the attribute_ruler's POS/TAG/DEP by lookup


def speaker_from_parse(text: str, start: int, end: int, quote_start: int,
                       quote_spans: list[tuple[int, int]]) -> Speaker | None:
    """The speaker of the quote at ``quote_start`` inside the sentence ``text[start:end]``.

    ``quote_spans`` (absolute, marks included) are the quotations in the sentence: verbs
    inside them are the speaker's words, not the attribution.
    """
    sentence = text[start:end]
    if not sentence.strip() or len(sentence) > 1500:
        return None
    doc = _parse(sentence)
    inside = [(s - start, e - start) for s, e in quote_spans]

    def quoted(tok) -> bool:
        return any(s <= tok.idx < e for s, e in inside)

    q_rel = quote_start - start
    q_end = next((e for s, e in inside if s == q_rel), q_rel + 1)
    verbs = [t for t in doc if not quoted(t) and t.pos_ in ("VERB", "AUX")
             and t.lower_ in SPEECH_VERBS]
    before = [t for t in verbs if t.idx < q_rel]
    after = [t for t in verbs if t.idx >= q_rel]
    governor = _governor(doc, q_rel, q_end, quoted)
    if governor is not None:
        cue = governor  # the verb the quotation hangs from in the tree
    elif before:
        cue = before[-1]  # the nearest speech verb before the quote
    elif after:
        cue = after[0]
    else:
        # "Cruz continued:" / "X had a line for them:" — the main verb before a colon.
        roots = [t for t in doc if t.dep_ == "ROOT" and not quoted(t) and t.idx < q_rel
                 and t.pos_ in ("VERB", "AUX")]
        if not roots or not re.search(r":\s*$", text[start:quote_start]):
            return None
        cue = roots[-1]
    subj = _subject_of(cue)
    if subj is None:
        return None
    sp = _speaker_for(text, start, subj)
    if sp is not None:
        sp.cue = cue.text
        sp.cue_span = (start + cue.idx, start + cue.idx + len(cue.text))
    return sp


def _governor(doc, q_start: int, q_end: int, quoted):
    """The verb outside the quotation that governs it: a speech verb among its ancestors,
    else, for a quoted clause ("Hillary shot back, "I suppose ..."), the verb it hangs from."""
    toks = [t for t in doc if q_start <= t.idx < q_end]
    if not toks:
        return None
    root = next((t for t in toks if not (q_start <= t.head.idx < q_end) or t.head.i == t.i), None)
    if root is None:
        return None
    if root.head.i == root.i:
        # The quotation parsed as the main clause: the attribution hangs from it
        # ("Hillary shot back, "I suppose ..."" / ""...," he said").
        outside = [c for c in root.children if not quoted(c) and c.pos_ in ("VERB", "AUX")
                   and c.dep_ in ("ccomp", "parataxis", "advcl", "conj")
                   and any(g.dep_ in _SUBJECT_DEPS for g in c.children)]
        speech = [c for c in outside if c.lower_ in SPEECH_VERBS]
        return (speech or outside or [None])[0]
    chain = []
    tok = root
    for _ in range(6):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        if not quoted(tok):
            chain.append(tok)
    for t in chain:
        if t.pos_ in ("VERB", "AUX") and t.lower_ in SPEECH_VERBS:
            return t
    clause = root.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJECT_DEPS for c in root.children)
    if clause and chain and chain[0].pos_ == "VERB" and root.dep_ in ("ccomp", "parataxis", "dobj"):
        return chain[0]
    return None


def _subject_of(verb):
    """The nsubj of ``verb``, else of the verb it hangs from (participle, conjunct)."""
    tok = verb
    for _ in range(5):
        subs = [c for c in tok.children if c.dep_ in _SUBJECT_DEPS]
        if subs:
            return min(subs, key=lambda c: abs(c.i - tok.i))  # the nearest, if misparsed twice
        if tok.dep_ == "relcl":  # "Beck, who has described ..."
            return tok.head
        if tok.dep_ in _CLIMB_DEPS and tok.head.i != tok.i:
            tok = tok.head
            continue
        return None
    return None


def _speaker_for(text: str, offset: int, subj) -> Speaker | None:
    """A Speaker for the subject token: a name (an apposition's name wins), a pronoun or the
    noun phrase as written."""
    if subj.tag_ == "WDT" or subj.lower_ in {"which", "that", "who"}:
        return None
    for child in subj.children:  # "her senior adviser, Jake Sullivan," -> Jake Sullivan
        if subj.pos_ != "PROPN" and child.dep_ == "appos" and child.pos_ == "PROPN" \
                and len(child.text) > 2:
            subj = child
            break
    toks = [subj]
    if subj.pos_ == "PRON":
        s = offset + subj.idx
        return _classify_np(text, s, s + len(subj.text))
    left = [c for c in subj.lefts if c.dep_ in _NAME_DEPS or c.dep_ == "compound"]
    # The contiguous modifiers right before the head: "Former Florida Gov. Jeb Bush".
    i = subj.i
    doc = subj.doc
    while i - 1 >= 0 and doc[i - 1] in set(left) | {t for c in left for t in c.subtree}:
        i -= 1
    toks = doc[i:subj.i + 1]
    # Trailing proper-noun parts after the head ("Bush Jr") are rare; the head ends it.
    s = offset + toks[0].idx
    e = offset + subj.idx + len(subj.text)
    while s < e and text[s] in "“\"'‘,(—– ":
        s += 1
    return _classify_np(text, s, e)
