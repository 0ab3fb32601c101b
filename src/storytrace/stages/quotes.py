"""Direct quotes with their speakers (issue 5, "Voices").

Rules do the work: quotation marks (quote_marks.py), cue verbs and speaker phrases
(attribution.py), paragraph continuation and pronoun resolution here. The statistical
model runs only on the few sentences where a pronoun has no speaker before it (NER for the
nearest person), so the stage costs a small fraction of parsing the whole text.
"""
from __future__ import annotations

import re

from ..ids import make_id
from ..model import Article, Quote
from .attribution import (PRONOUNS, TITLES, Speaker, _classify_np, _CUE, speaker_after_quote,
                          speaker_before_quote)
from .quote_marks import Marked, word_count
from .segments import Segments, segments_for

_TITLE_CUES = re.compile(
    r"\b(?:titled|entitled|called|dubbed|named|nicknamed|labelled|labeled|branded|book|novel|film|"
    r"movie|show|series|song|album|play|programme|program|documentary|headline|slogan|hashtag|"
    r"term|phrase|word|words|so-called|known as|episode|column|article|op-ed|report)"
    r"(?:\s+(?:is|was|are|were|of|as))?\s*$", re.I)
# Words right before a name of a show, work or group: "on CNN's", "star of", "film,".
_TITLE_BEFORE = re.compile(r"(?:['’]s|\b(?:on|of|at|in|for|from|film|show|book|program|programme|"
                           r"series|network|channel|newspaper|magazine|website|movie),?)\s*$", re.I)
_SENT_BOUNDARY = re.compile(r"[.!?…][\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z0-9])|\n")
_NON_PERSON = re.compile(r"\b(?:report|statement|study|agency|ministry|newspaper|paper|survey|"
                         r"poll|document|letter|release|website|bbc|cnn|reuters)\b", re.I)
_MIN_UNATTRIBUTED_WORDS = 6
_MINOR_WORDS = {"a", "an", "the", "and", "of", "in", "on", "for", "to", "at", "by", "with", "or", "from"}


def extract_quotes(article: Article, segments: Segments | None = None) -> list[Quote]:
    """Direct quotations in ``article`` with speakers; [] for non-English articles.

    ``segments``: the article's splits, shared with the other per-article stages."""
    if article.language and not article.language.lower().startswith("en"):
        return []
    text = article.analysis_text
    segments = segments_for(text, segments)
    paras = segments.paragraphs
    marks = segments.quotations
    found: list[tuple[Marked, Speaker | None, str]] = []  # quote, speaker, how it was found
    i = 0
    prev_end = 0
    while i < len(marks):
        m = marks[i]
        inner = m.inner_text(text)
        sent_start = _sentence_start(text, m.start, prev_end)
        lead = (sent_start, m.start)
        trail_end = _trail_end(text, m.end, marks[i + 1].start if i + 1 < len(marks) else len(text))
        if _is_title_or_scare(text, m, inner, lead) and not (
                _short_partial(text, inner, lead) and _reported(text, m, lead, found)):
            i += 1
            continue
        ends_sentence = bool(re.search(r"[.!?…][\"'”’»)]*$", inner.rstrip()))
        after = speaker_after_quote(text, m.end, trail_end)
        before = speaker_before_quote(text, *lead) if lead[1] > lead[0] else None
        if ends_sentence and before is not None:
            sp = before
        else:
            sp = after or before
        how = "cue" if sp else ""
        if sp is None and found and found[-1][1] is not None and _same_sentence(text, found[-1][0], m):
            # 'X said the goal was not to "make A" but to "make B"': one attribution for both.
            sp, how = found[-1][1], "same sentence"
        if sp is None:
            sp = _speaker_unsure(text, m, marks, paras, lead)
            how = "parse" if sp else ""
        # A quote split by its attribution: "I think," he said, "that we will win."
        if (sp is not None and after is sp and i + 1 < len(marks)
                and inner.rstrip().endswith(",") and _is_split(text, m, marks[i + 1], after)):
            nxt = marks[i + 1]
            m = Marked(m.start, nxt.end, m.parts + nxt.parts, nxt.closed)
            i += 1
        found.append((m, sp, how))
        prev_end = m.end
        i += 1
    quotes = _resolve(article, text, paras, found)
    return sorted(quotes, key=lambda q: (q.span, q.id))


def _same_sentence(text: str, first: Marked, second: Marked) -> bool:
    """No sentence boundary or paragraph break between two quotations."""
    between = text[first.end:second.start]
    if "\n" in between or re.search(r"[.!?…]\s*$", text[first.start:first.end - 1]) and \
            re.match(r"\s+[\"'“‘«(]?[A-Z0-9]", between + text[second.start:second.start + 2]):
        return False
    return next(_real_boundaries(text, first.end, second.start), None) is None


def _sentence_end(text: str, m: Marked) -> int:
    """End of the sentence holding the quotation ``m`` (its own closing stop may end it)."""
    for b in _real_boundaries(text, max(m.start + 1, m.end - 3), len(text)):
        if b.start() >= m.end - 3:
            return b.start() + 1 if text[b.start()] != "\n" else b.start()
    return len(text)


def _speaker_unsure(text: str, m: Marked, marks: list[Marked], paras, lead) -> Speaker | None:
    """The rules found no speaker. When the sentence still reports speech (a speech verb
    outside the quotes, or a colon before the quote), ask the dependency parser; a quote
    opening a paragraph may be introduced by the previous one ("Cruz continued:")."""
    from .speaker_parse import SPEECH_VERBS, speaker_from_parse

    if lead[1] <= lead[0] or not text[lead[0]:lead[1]].strip():
        intro = _colon_intro(text, m.start, paras)
        if intro is None:
            return None
        sp = speaker_before_quote(text, *intro)
        if sp is not None:
            return sp
        return speaker_from_parse(text, intro[0], intro[1], intro[1], [])
    start = _sentence_start(text, m.start, _para_start(paras, m.start))
    end = _sentence_end(text, m)
    inside = [(q.start, q.end) for q in marks if q.end > start and q.start < end]
    outside = list(text[start:end])
    for qs, qe in inside:
        for k in range(max(qs, start), min(qe, end)):
            outside[k - start] = " "
    words = set(re.findall(r"[a-z]+", "".join(outside)))
    if not (words & SPEECH_VERBS) and not re.search(r":\s*$", text[lead[0]:lead[1]]):
        return None
    return speaker_from_parse(text, start, end, m.start, inside)


def _para_start(paras, pos: int) -> int:
    k = _para_index(paras, pos)
    return paras[k][0] if k >= 0 else 0


def _colon_intro(text: str, pos: int, paras) -> tuple[int, int] | None:
    """The sentence ending in a colon right before a quotation that opens its paragraph."""
    k = _para_index(paras, pos)
    if k <= 0 or paras[k][0] != pos:
        return None
    ps, pe = paras[k - 1]
    if not text[ps:pe].rstrip().endswith(":"):
        return None
    return _sentence_start(text, pe - 1, ps), pe


def _sentence_start(text: str, pos: int, floor: int) -> int:
    """Start of the sentence holding ``pos``, never before ``floor`` (the previous quote)."""
    start = floor
    for m in _real_boundaries(text, floor, pos):
        start = m.end()
    return start


def _real_boundaries(text: str, start: int, end: int):
    """Sentence boundaries, skipping the full stop of a title or initial ("Col. Ryan")."""
    # Scan past ``end`` so the lookahead sees the opening mark of a quote starting there.
    for m in _SENT_BOUNDARY.finditer(text, start):
        if m.start() >= end:
            break
        if text[m.start()] == ".":
            word = re.search(r"(\w+)$", text[max(start, m.start() - 20):m.start()])
            if word and (word.group(1).lower() in TITLES or len(word.group(1)) == 1):
                continue
        yield m


def _trail_end(text: str, pos: int, next_quote: int) -> int:
    m = next(_real_boundaries(text, pos, next_quote), None)
    end = m.start() + 1 if m else next_quote
    nl = text.find("\n", pos, end)
    return nl if nl != -1 else end


def _is_title_or_scare(text: str, m: Marked, inner: str, lead: tuple[int, int]) -> bool:
    """Titles ("One Hundred Years of Solitude") and scare quotes ("cuties") are not quotes."""
    n = word_count(inner)
    if n == 0:
        return True
    before = text[lead[0]:lead[1]]
    embedded = bool(re.search(r"\w[\w’'-]*\s*$", before))  # running text right before it
    punct_end = bool(re.search(r"[.!?,…;:]$", inner.rstrip()))
    if n <= 2 and not punct_end:
        return True
    if embedded and n <= 3 and not punct_end:
        return True
    if _TITLE_CUES.search(before) and not punct_end:
        return True
    words = re.findall(r"[A-Za-z][\w’'-]*", inner)
    content = [w for w in words if w.lower() not in _MINOR_WORDS]
    if content and all(w[0].isupper() for w in content) and not punct_end and n <= 10:
        return True  # a title-cased name of a work or event
    if (content and all(w[0].isupper() for w in content) and n <= 6
            and not re.search(r"[!?]", inner) and _TITLE_BEFORE.search(before)):
        # News puts the comma inside the marks: on CNN's "New Day," / founder of "X Group."
        return True
    return False


def _short_partial(text: str, inner: str, lead: tuple[int, int]) -> bool:
    """Three words in running text ("was "a total lightweight""): a quote only when the
    sentence reports someone's words; a scare quote otherwise."""
    words = re.findall(r"[A-Za-z][\w’'-]*", inner)
    return word_count(inner) == 3 and bool(words) and not all(w[0].isupper() for w in words) \
        and not _TITLE_CUES.search(text[lead[0]:lead[1]])


def _reported(text: str, m: Marked, lead: tuple[int, int], found) -> bool:
    if found and found[-1][1] is not None and _same_sentence(text, found[-1][0], m):
        return True
    return lead[1] > lead[0] and speaker_before_quote(text, *lead) is not None


def _is_split(text: str, first: Marked, second: Marked, sp: Speaker) -> bool:
    between = text[first.end:second.start]
    if "\n" in between or re.search(r"[.!?]", between):
        return False
    if not between.rstrip().endswith(","):
        return False
    first_inner = text[second.parts[0][0]:second.parts[0][1]].lstrip()
    return bool(first_inner) and first_inner[0].islower() and sp.cue_span[0] >= first.end


def _para_index(paras: list[tuple[int, int]], pos: int) -> int:
    for k, (s, e) in enumerate(paras):
        if s <= pos < e:
            return k
    return -1


def _resolve(article: Article, text: str, paras, found) -> list[Quote]:
    """Continuation quotes, pronoun resolution, unattributed-quote filtering; build Quotes."""
    out: list[Quote] = []
    last: tuple[Marked, Speaker, str] | None = None  # previous attributed quote
    for m, sp, how in found:
        para = _para_index(paras, m.start)
        name, role, unnamed, cue, sp_span = None, None, False, None, None
        if sp is None and last is not None:
            lm, lsp, lname = last
            lpara = _para_index(paras, lm.start)
            starts_para = para >= 0 and paras[para][0] == m.start
            if _embedded(text, m, paras[para][0] if para >= 0 else 0):
                pass  # a fragment inside running text needs its own attribution
            elif para == lpara or (para == lpara + 1 and starts_para and
                                 _para_index(paras, lm.end - 1) >= lpara):
                sp, how = lsp, "continuation"
        if sp is None:
            inner = m.inner_text(text)
            lead = text[_sentence_start(text, m.start, 0):m.start].rstrip()
            if word_count(inner) < _MIN_UNATTRIBUTED_WORDS or not (lead.endswith(":") or not lead):
                continue  # no speaker and not set off as speech: most likely not a quote
        if sp is not None:
            cue = sp.cue if how != "continuation" else "continuation"
            role = sp.role
            sp_span = list(sp.span)
            if sp.kind == "pronoun":
                resolved = _resolve_pronoun(text, sp, m.start, out)
                name = resolved[0] if resolved else sp.text
                if resolved:
                    role = role or resolved[1]
                    unnamed = resolved[2]
            else:
                name = sp.text
                unnamed = sp.kind == "unnamed"
            if how == "continuation" and last is not None:
                name, role, unnamed = last[2], out[-1].extra.get("speaker_role"), out[-1].extra.get("unnamed", False)
        start, end = m.start, m.end
        q = Quote(
            id=make_id("q", article.id, start, end), article=article.id,
            text=_quote_text(text, m), span=(start, end), speaker=name,
            extra={"speaker_role": role, "cue": cue, "speaker_span": sp_span, "unnamed": bool(unnamed),
                   "fragments": [list(p) for p in m.parts] if len(m.parts) > 1 else None,
                   "closed": m.closed},
        )
        out.append(q)
        if name is not None:
            last = (m, sp, name)
    return out


def _embedded(text: str, m: Marked, floor: int) -> bool:
    before = text[_sentence_start(text, m.start, floor):m.start]
    return bool(before.strip()) and not before.rstrip().endswith(":")


def _quote_text(text: str, m: Marked) -> str:
    parts = [text[s:e].strip() for s, e in m.parts if text[s:e].strip()]
    return " ".join(parts)


_CUE_WORD = re.compile(rf"\b{_CUE}\b")


# A person's name opening a sentence: "Abu Musab Huthaifa, the IS intelligence chief, ..."
_SENTENCE_NAME = re.compile(
    r"(?:^|[.!?]\s+|\n)(?:(?:But|And|However,|Meanwhile,)\s+)?"
    r"(?P<name>(?:[A-Z][a-z’'-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z’'-]+|[A-Z]\.)){1,4})(?=,|\s+[a-z])")


def _resolve_pronoun(text: str, sp: Speaker, pos: int, earlier: list[Quote]):
    """The person a "he"/"she"/"they" points to: the nearest earlier speaker of a quote or of
    reported speech ("X said that ..."); else the nearest PERSON the model finds nearby."""
    window_start = max(0, pos - 600)
    candidates: list[tuple[int, str, str | None, bool]] = []
    for q in earlier:
        if q.speaker and q.span[1] <= pos and q.span[0] >= window_start and q.speaker.lower() not in PRONOUNS:
            candidates.append((q.span[0], q.speaker, q.extra.get("speaker_role"), q.extra.get("unnamed", False)))
    masked = _mask_quotes(text, window_start, pos, earlier)
    for m in _CUE_WORD.finditer(masked):
        # The subject: the words before the cue back to a clause boundary (no backtracking
        # regex over the whole window: that was quadratic).
        head = masked[max(0, m.start() - 100):m.start()]
        cut = max(head.rfind(c) for c in ",.;:!?\"“”«»\n")
        np_start = m.start() - len(head) + cut + 1
        if not masked[np_start:m.start()].strip() and cut > 0 and head[cut] == ",":
            # an apposition names the subject: "One skipper, Tomas Reid, said"
            prev = max(head.rfind(c, 0, cut) for c in ",.;:!?\"“”«»\n")
            np_start = m.start() - len(head) + prev + 1
            np_text = masked[np_start:m.start() - len(head) + cut]
        else:
            np_text = masked[np_start:m.start()]
        np_end = np_start + len(re.sub(r"(?:\s+(?:has|had|was|also|\w+ly))*\s*$", "", np_text))
        cand = _classify_np(masked, np_start, np_end, leading=True)
        if cand and cand.kind != "pronoun":
            candidates.append((window_start + cand.span[0], cand.text, cand.role, cand.kind == "unnamed"))
    for m in _SENTENCE_NAME.finditer(masked):
        candidates.append((window_start + m.start("name"), m.group("name"), None, False))
    personal = sp.text.lower() in {"he", "she"}
    candidates = [c for c in candidates if not (personal and _NON_PERSON.search(c[1]))]
    if candidates:
        best = max(candidates, key=lambda c: c[0])
        return best[1], best[2], best[3]
    person = _nearest_person(text, window_start, pos)
    return (person, None, False) if person else None


def _mask_quotes(text: str, start: int, end: int, quotes: list[Quote]) -> str:
    seg = list(text[start:end])
    for q in quotes:
        for k in range(max(q.span[0], start), min(q.span[1], end)):
            seg[k - start] = " "
    return "".join(seg)


NER_ONLY = ("parser", "lemmatizer", "attribute_ruler", "tagger", "tok2vec")  # the pipes excluded


def _nearest_person(text: str, start: int, end: int) -> str | None:
    """The last PERSON entity in the sentences before ``end``: the only model call here."""
    from ..nlp import tag

    snippet = text[start:end]
    if not re.search(r"[A-Z][a-z]", snippet):
        return None
    # NER only: en_core_web_sm's ner has its own tok2vec, the shared one feeds only the
    # tagger and parser (a quarter of this call, for nothing). Through ``nlp.tag`` (with no
    # attribute_ruler, the plain pipeline) so a chunk's calls are batched (``nlp_batch``).
    doc = tag([snippet], NER_ONLY)[0]
    persons = [e.text for e in doc.ents if e.label_ == "PERSON"]
    return persons[-1] if persons else None
