"""Quantitative claims: every figure an article states, as an interval with what it counts.

Per sentence: regex finds the number expressions (claim_numbers), the counted noun phrase
and the event around it (claim_subjects), and who says it (claim_sources, or the quotes
stage's speakers when given). Itemised lists ("almost 50 trucks, 13 buses and more than 100
IS vehicles") also yield a total claim whose ``extra.parts`` lists the items. spaCy's tagger
runs only on sentences whose counted phrase the rules could not vouch for.
"""
from __future__ import annotations

import re

from ..ids import make_id
from ..model import Article, Claim, Quote
from .claim_numbers import NumberExpr, find_numbers, has_figures
from .claim_sources import Attributor
from .segments import Segments, segments_for
from .claim_subjects import (HYPERNYM, Phrase, event_just_after, event_just_before, find_event, is_subset,
                             noun_phrase_after, noun_phrase_before, normalise_subject,
                             toll_subject, verb_after)

# Events named in a count's subject ("people killed"); "left" reads better as its own field.
_EVENT_IN_SUBJECT = {"killed", "injured", "arrested", "missing", "displaced", "rescued"}
_ITEM_SEP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+plus\s+|\s*,?\s+as\s+well\s+as\s+)$")
_WITH_SEP = re.compile(r"^[^.;:!?]{0,50}?,?\s+(?:along\s+with|together\s+with|with|accompanied\s+by)\s+$")
_LOOSE_KINDS = {"money": "amount", "percent": "share", "distance": "distance", "duration": "duration",
                "weight": "weight", "magnitude": "magnitude", "age": "age", "temperature": "temperature"}


def extract_claims(article: Article, quotes: list[Quote] | None = None,
                   segments: Segments | None = None) -> list[Claim]:
    """All quantitative claims in one article, sorted by position (English text only).

    ``segments``: the article's splits, shared with the other per-article stages."""
    if article.language and not article.language.lower().startswith("en"):
        return []
    text = article.analysis_text
    segments = segments_for(text, segments)
    speakers = sorted((q.span, q.speaker) for q in (quotes or [])
                      if q.article == article.id and q.speaker)
    claims: list[Claim] = []
    attributor = Attributor()
    index = 0
    # Most paragraphs hold no figure: skip them before splitting sentences.
    spans = [(p_idx, ss, se) for p_idx, (ps, pe) in enumerate(segments.paragraphs)
             if has_figures(text, ps, pe) for ss, se in bounded(segments.sentences(ps, pe), text)]
    # The figures first, so the phrases spaCy must check are tagged in one batch.
    numbers: dict[tuple[int, int], list[NumberExpr]] = {}
    n_numbers = 0
    for _, ss, se in spans:
        if n_numbers >= MAX_CLAIMS_PER_ARTICLE:
            break  # the rest (of a pathological text) is found on demand below
        numbers[(ss, se)] = find_numbers(text, ss, se, article.published)
        n_numbers += len(numbers[(ss, se)])
    tagger = _LazyTagger(text)
    tagger.prefetch(numbers)
    for p_idx, ss, se in spans:
        if len(claims) >= MAX_CLAIMS_PER_ARTICLE:
            break  # a pathological text (megabytes of figures): the first ones are plenty
        sentence = text[ss:se]
        attributor.sentence(index, p_idx, sentence)
        exprs = numbers.get((ss, se))
        if exprs is None:
            exprs = find_numbers(text, ss, se, article.published)
        found: list[tuple[Claim, Phrase | None, str]] = []
        for i, expr in enumerate(exprs):
            prev_end = exprs[i - 1].end if i else ss
            next_start = exprs[i + 1].start if i + 1 < len(exprs) else se
            built = _claim(article, text, ss, se, expr, tagger, prev_end, next_start,
                           found[-1][0] if found else None)
            if built is None:
                continue
            claim, phrase, head = built
            claim.attributed_to = _speaker_for(speakers, claim.span) or \
                attributor.attribute(sentence, expr.start - ss)
            found.append((claim, phrase, head))
        if found:
            attributor.figures_seen()
        claims.extend(c for c, _, _ in found)
        claims.extend(_itemised_totals(article, text, ss, se, found))
        attributor.done()
        index += 1
    claims.sort(key=lambda c: (c.span, c.id))
    return claims


def _speaker_for(speakers: list, span: tuple[int, int]) -> str | None:
    for (qs, qe), speaker in speakers:
        if qs <= span[0] and span[1] <= qe:
            return speaker
    return None


def _claim(article: Article, text: str, ss: int, se: int, expr: NumberExpr,
           tagger: "_LazyTagger", prev_end: int, next_start: int,
           previous: Claim | None = None) -> tuple[Claim, Phrase | None, str] | None:
    extra = {"sentence_span": [ss, se], "kind": expr.kind, "approximate": expr.approximate,
             "vague": expr.vague}
    phrase = None
    end = expr.end
    if expr.kind == "date":
        # the event a date belongs to comes before it: "left on October 12"
        event = find_event(text, ss, expr.start, expr.end, se, after_words=4, before_words=7,
                           before_first=True)
        subject, unit, head = "date" + (f" ({event})" if event else ""), None, "date"
        extra.update(date=expr.date, event=event, head="date", modifiers=[], party=None)
        low = high = None
    elif expr.kind == "count":
        phrase = noun_phrase_after(text, expr.end, se)
        if phrase is not None and not phrase.sure:
            phrase = tagger.check(text, ss, se, phrase)
        source = "after"
        toll_event = None
        if phrase is None:
            toll = toll_subject(text, ss, expr.start)
            if toll is not None and not toll[0]:  # "organisers put the figure at 20,000"
                toll = (previous.extra.get("phrase_words"), previous.extra.get("event")) \
                    if previous is not None and previous.extra.get("phrase_words") else None
            if toll is not None:  # "the death toll has risen to 112"
                phrase = Phrase(" ".join(toll[0]), expr.start, expr.end, toll[0], True)
                source, toll_event = "toll", toll[1]
            elif expr.vague:  # "the thousands involved", "thousands escaped": people
                phrase, source = Phrase("people", expr.start, expr.end, ["people"], True), "implied"
            else:
                phrase, source = noun_phrase_before(text, ss, expr.start), "context"
                if phrase is not None:
                    phrase = tagger.check(text, ss, se, phrase)
                if phrase is None:
                    return None
        key, head_event = normalise_subject(phrase.words)
        after = phrase.end if source == "after" else expr.end
        event = (head_event or toll_event or event_just_after(text, after, next_start)
                 or event_just_before(text, prev_end, expr.start)
                 or find_event(text, prev_end, expr.start, after, next_start))
        qualifier = None
        if is_subset(text, after, se, ss, expr.start):
            qualifier = "subset"
        elif event is None:
            qualifier = verb_after(text, after, se)
        if source == "after":
            end = phrase.end
        head = key.head
        subject = key.label()
        if event in _EVENT_IN_SUBJECT:
            subject = f"{subject} {event}"
        unit = head
        extra.update(event=event, head=key.head, modifiers=list(key.modifiers), party=key.party,
                     qualifier=qualifier, subject_from=source, phrase=[phrase.start, phrase.end],
                     phrase_words=list(phrase.words))
        low, high = expr.low, expr.high
    else:
        event = None  # events ("killed") qualify counts, not magnitudes or sums of money
        head = _LOOSE_KINDS.get(expr.kind, expr.kind)
        m = re.match(r"\s+(?:per|a|an|each|of|for)\s+(?:(?:its|their|the|his|her|our)\s+)?([A-Za-z][\w-]*)",
                     text[expr.end:se])
        qualifier = m.group(1).lower() if m and m.group(1).lower() not in ("the", "their", "a") else None
        subject = head + (f" ({qualifier})" if qualifier else "") + (f" {event}" if event else "")
        unit = expr.unit
        extra.update(event=event, head=head, modifiers=[], party=None, qualifier=qualifier)
        low, high = expr.low, expr.high
    extra["number_span"] = [expr.start, expr.end]
    if expr.kind not in ("count", "date", "magnitude"):
        extra["context"] = context_words(text, max(ss, expr.start - 60), min(se, end + 60), expr.start, end)
    claim = Claim(id=make_id("c", article.id, expr.start, end), article=article.id,
                  text=article.text[expr.start:end], span=(expr.start, end), low=low, high=high,
                  unit=unit, subject=subject, extra=extra)
    return claim, phrase, head


def _itemised_totals(article: Article, text: str, ss: int, se: int,
                     found: list[tuple[Claim, Phrase | None, str]]) -> list[Claim]:
    """'almost 50 trucks, 13 buses and more than 100 IS vehicles' -> one total of vehicles."""
    counts = [(c, p) for c, p, _ in found if c.extra["kind"] == "count" and p is not None
              and c.extra.get("subject_from") == "after" and c.extra.get("qualifier") != "subset"]
    totals: list[Claim] = []
    i = 0
    while i < len(counts):
        run = [counts[i]]
        j = i + 1
        while j < len(counts):
            prev_claim = run[-1][0]
            gap = text[prev_claim.span[1]:counts[j][0].span[0]]
            loose = len(run) == 1 and _WITH_SEP.match(gap)
            if not (_ITEM_SEP.match(gap) or loose):
                break
            run.append(counts[j])
            j += 1
        if len(run) >= 2:
            total = _total(article, text, ss, se, [c for c, _ in run])
            if total is not None:
                totals.append(total)
        i = j if len(run) >= 2 else i + 1
    return totals


def _total(article: Article, text: str, ss: int, se: int, parts: list[Claim]) -> Claim | None:
    heads = [p.extra["head"] for p in parts]
    hypers = {HYPERNYM.get(h) for h in heads}
    if len(hypers) != 1 or None in hypers or len(set(heads)) < 2:
        return None  # not kinds of one thing (or the same thing twice): no sum
    hyper = hypers.pop()
    low = sum(p.low if p.low is not None else 0.0 for p in parts)
    high = None if any(p.high is None for p in parts) else sum(p.high for p in parts)
    start, end = parts[0].span[0], parts[-1].span[1]
    events = [p.extra.get("event") for p in parts if p.extra.get("event")]
    event = events[0] if events else find_event(text, ss, start, end, se)
    total_id = make_id("c", article.id, start, end)
    for p in parts:
        p.extra["part_of"] = total_id
        if not p.extra.get("event") and event:
            p.extra["event"] = event  # "almost 50 trucks, 13 buses ... left": the list's verb
            p.extra["qualifier"] = None
        if p.extra["head"] == hyper:
            p.extra["remainder"] = True  # "more than 100 IS vehicles" besides the trucks and buses
    subject = hyper + (f" {event}" if event in _EVENT_IN_SUBJECT else "")
    extra = {"sentence_span": [ss, se], "kind": "count",
             "approximate": any(p.extra["approximate"] for p in parts),
             "vague": any(p.extra["vague"] for p in parts), "event": event, "head": hyper,
             "modifiers": [], "party": None, "qualifier": None, "subject_from": "itemised",
             "number_span": [start, end],
             "parts": [{"claim": p.id, "text": p.text, "span": list(p.span), "low": p.low,
                        "high": p.high, "subject": p.subject} for p in parts]}
    return Claim(id=total_id, article=article.id, text=article.text[start:end], span=(start, end),
                 low=low, high=high, unit=hyper, subject=subject,
                 attributed_to=parts[0].attributed_to, extra=extra)


_CONTEXT_STOP = set("""a an the and or but of in on at to for from with by as is was were be been
has have had it its this that these those he she they we i you his her their our there than
then said says told about around some almost nearly more less over under up down after before
within into out per""".split())


def context_words(text: str, lo: int, hi: int, start: int, end: int) -> list[str]:
    """Content words around a measure ("depth", "lifeboat"): tells two durations apart."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]+", text[lo:start] + " " + text[end:hi])
    return sorted({w.lower() for w in words if w.lower() not in _CONTEXT_STOP and len(w) > 2})


MAX_CLAIMS_PER_ARTICLE = 1000  # bounds time on hostile input; real articles hold < 100
MAX_SENTENCE_CHARS = 1000  # a "sentence" longer than this is run-on text (a one-line file)


def bounded(spans, text: str):
    """Sentence spans, with run-on spans cut into pieces at spaces, so every rule stays linear."""
    for ss, se in spans:
        while se - ss > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", ss + MAX_SENTENCE_CHARS // 2, ss + MAX_SENTENCE_CHARS)
            cut = cut if cut > ss else ss + MAX_SENTENCE_CHARS
            yield ss, cut
            ss = cut + 1 if text[cut:cut + 1] == " " else cut
        if se > ss:
            yield ss, se


MAX_TAGGED_CHARS = 2000  # spaCy is given at most this much text at once
# en_core_web_sm's tagger reads a token's features and those of 4 tokens either side (tok2vec:
# per-token hash embeddings, then 4 CNN layers of window 1), so a window of the sentence with
# >= 5 whitespace-separated chunks (>= 5 tokens) beyond the phrase gives the phrase's tokens
# the tags the whole sentence gives them (the 5th may differ, in its trailing-space feature,
# without reaching them), at a fraction of the cost: spaCy's time grows with the tokens.
CONTEXT_CHUNKS = 5
PREFETCH_WINDOWS = 64  # at most this many windows tagged ahead in one batch


class _LazyTagger:
    """spaCy's tagger, loaded on first need, run on a window around each phrase that needs it;
    the windows the rules will likely ask about are tagged together up front (``prefetch``)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._docs: dict[tuple[int, int], object] = {}

    def prefetch(self, numbers: dict[tuple[int, int], list[NumberExpr]]) -> None:
        """Tag in one batch the windows ``_claim`` will (most likely) ``check``: counted
        phrases the rules are unsure of, or, with none after the count, the one before it.
        A window missed here is tagged on demand; one tagged in vain only costs time."""
        text = self._text
        windows = []
        for (ss, se), exprs in numbers.items():
            for expr in exprs:
                if expr.kind != "count":
                    continue
                phrase = noun_phrase_after(text, expr.end, se)
                if phrase is None and not expr.vague:
                    phrase = noun_phrase_before(text, ss, expr.start)
                elif phrase is not None and phrase.sure:
                    phrase = None
                if phrase is not None:
                    windows.append(self._window(ss, se, phrase))
        todo = sorted(set(windows) - self._docs.keys())[:PREFETCH_WINDOWS]
        if todo:
            self._docs.update(zip(todo, _tag([text[s:e] for s, e in todo])))

    def _window(self, ss: int, se: int, phrase: Phrase) -> tuple[int, int]:
        """The span of the sentence with at least CONTEXT_CHUNKS whole chunks (or the
        sentence's edge) on each side of the phrase."""
        if se - ss > MAX_TAGGED_CHARS:  # a run-on "sentence" (a one-line file): a shorter span
            ss, se = max(ss, phrase.start - 200), min(se, phrase.end + 200)
        text = self._text
        start = ss
        before = list(_CHUNK_START.finditer(text, ss, phrase.start))
        if len(before) > CONTEXT_CHUNKS:
            start = before[-CONTEXT_CHUNKS - 1].start()
        end = se
        after = list(_CHUNK_END.finditer(text, phrase.end, se))
        if len(after) > CONTEXT_CHUNKS:
            end = after[CONTEXT_CHUNKS].end()
        return start, end

    def check(self, text: str, ss: int, se: int, phrase: Phrase) -> Phrase | None:
        """Cut the phrase at its first token spaCy does not tag as a noun or adjective."""
        ws, we = self._window(ss, se, phrase)
        doc = self._docs.get((ws, we))
        if doc is None:
            doc = _tag([text[ws:we]])[0]
            self._docs[(ws, we)] = doc
        kept: list = []
        for tok in doc:
            s = ws + tok.idx
            if s < phrase.start or s >= phrase.end:
                continue
            if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "X") or tok.tag_ in ("VBD", "VBN", "VBG"):
                break
            kept.append(tok)
        while kept and kept[-1].pos_ == "ADJ":
            kept.pop()
        if not kept:
            return None
        start, end = ws + kept[0].idx, ws + kept[-1].idx + len(kept[-1].text)
        return Phrase(text[start:end], start, end, [t.text for t in kept], True)


# spaCy's tokenizer splits at whitespace first (str.isspace, as re's \s), so a window cut at
# chunk boundaries is tokenized as the sentence is around the phrase.
_CHUNK_START = re.compile(r"(?<!\S)\S")
_CHUNK_END = re.compile(r"\S(?!\S)")


TAGGER = ("ner", "lemmatizer", "parser")  # excluded: tok2vec, tagger and the attribute_ruler's POS remain


def _tag(texts: list[str]) -> list:
    from ..nlp import tag

    return tag(texts, TAGGER)
