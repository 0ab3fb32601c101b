"""Align a story's claims about the same quantity and judge whether the outlets agree.

Claims align on a key built by the claims stage: the thing counted (head noun, its
distinguishing modifiers, its party: "IS fighters"), the event ("left", "killed") and a
qualifier ("trucks [that were] loaded"). An unqualified claim joins the single qualified
group of its kind ("fighters" -> "IS fighters"; a count with no event -> the one event
group). Each group's intervals are split into compatible subgroups (sets sharing a common
value); one subgroup means consistent/compatible, several mean conflict, and a conflict
between different named sources is "disputed" unless the articles' dates show the figure
changing over time.
"""
from __future__ import annotations

import math
from collections import defaultdict

from ..ids import make_id
from ..model import Article, Claim, ClaimGroup
from .claim_sources import is_pronoun, same_source

_EVENTS_IN_SUBJECT = {"killed", "injured", "arrested", "missing", "displaced", "rescued"}
_CONTEXT_OVERLAP = 0.2  # Jaccard of words around two measures for them to be the same measure
_MAX_SENTENCE = 240  # characters of each evidence sentence quoted in an explanation


def judge_claims(story_id: str, claims: list[Claim], articles: dict[str, Article],
                 origin_of: dict[str, str] | None = None) -> list[ClaimGroup]:
    """Claim groups (two or more claims about one quantity) with verdicts and explanations."""
    origin_of = origin_of or {}
    buckets = _align([c for c in claims if _eligible(c)])
    groups = []
    for key, members in buckets.items():
        members = sorted(members, key=lambda c: (c.article, c.span, c.id))
        if len(members) < 2:
            continue
        groups.append(_judge(story_id, key, members, articles, origin_of))
    groups.sort(key=lambda g: (g.subject, g.id))
    return groups


# -- alignment -----------------------------------------------------------------------------

def _eligible(c: Claim) -> bool:
    x = c.extra
    if x.get("qualifier") == "subset" or x.get("remainder"):
        return False  # a part of a whole ("112 people in my vehicle alone") is not the whole
    if x.get("kind") == "date":
        return bool(x.get("event")) and bool(x.get("date"))
    if x.get("kind") == "count" and x.get("head") == "people" and not x.get("event") \
            and not x.get("qualifier") and not x.get("party") and not x.get("modifiers"):
        return False  # "dozens of people" with nothing happening to them: too vague to align
    return c.low is not None or c.high is not None


def _key(c: Claim) -> tuple:
    x = c.extra
    return (x.get("kind", "count"), x.get("head") or c.unit or "", c.unit if x.get("kind") != "count" else "",
            tuple(x.get("modifiers") or ()), x.get("party") or "", x.get("event") or "",
            x.get("qualifier") or "")


def _align(claims: list[Claim]) -> dict[tuple, list[Claim]]:
    buckets: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        buckets[_key(c)].append(c)
    _split_by_context(buckets)
    # "fighters" joins "IS fighters" when that is the only party counted for this quantity
    _merge(buckets, lambda k: k[4] == "", lambda k: k[:4] + k[5:], lambda k: k[4] != "")
    # a count with no event or qualifier joins the one event group of its thing
    _merge(buckets, lambda k: k[5] == "" and k[6] == "", lambda k: k[:5], lambda k: True)
    return buckets


def _split_by_context(buckets: dict[tuple, list[Claim]]) -> None:
    """Measures (durations, distances, sums) align only when their surrounding words overlap:
    'a depth of ten kilometres' and '180 kilometres to the south' are different distances."""
    for key in sorted(buckets):
        claims = buckets[key]
        if not claims or "context" not in claims[0].extra:
            continue
        parent = list(range(len(claims)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        ctx = [set(c.extra.get("context") or ()) for c in claims]
        for i in range(len(claims)):
            for j in range(i + 1, len(claims)):
                union = ctx[i] | ctx[j]
                if union and len(ctx[i] & ctx[j]) / len(union) >= _CONTEXT_OVERLAP:
                    parent[find(j)] = find(i)
        parts: dict[int, list[Claim]] = defaultdict(list)
        for i, c in enumerate(claims):
            parts[find(i)].append(c)
        if len(parts) == 1:
            continue
        del buckets[key]
        for members in parts.values():
            anchor = min(members, key=lambda c: c.id).id
            buckets[key[:-1] + (f"{key[-1]}~{anchor}" if key[-1] else f"~{anchor}",)] = members


def _merge(buckets: dict, is_loose, family, is_target) -> None:
    families: dict[tuple, list[tuple]] = defaultdict(list)
    for k in sorted(buckets):
        families[family(k)].append(k)
    for fam in sorted(families):
        keys = families[fam]
        loose = [k for k in keys if is_loose(k)]
        targets = [k for k in keys if not is_loose(k) and is_target(k)]
        if len(loose) == 1 and len(targets) == 1:
            buckets[targets[0]].extend(buckets.pop(loose[0]))


# -- verdicts ------------------------------------------------------------------------------

def _interval(c: Claim) -> tuple[float, float]:
    if c.extra.get("kind") == "date":
        day = _date_ordinal(c.extra["date"])
        return day, day
    lo = c.low if c.low is not None else -math.inf
    hi = c.high if c.high is not None else math.inf
    return lo, hi


def _date_ordinal(iso: str) -> float:
    """'2017-10-12' and '--10-12' compare on month and day when a year is missing."""
    parts = iso.lstrip("-").split("-")
    if iso.startswith("--") or len(parts) == 2 and len(parts[0]) == 2:
        return int(parts[0]) * 40 + int(parts[1])
    nums = [int(p) for p in parts] + [0, 0]
    return nums[1] * 40 + nums[2]


def compatible_subgroups(members: list[Claim]) -> list[list[Claim]]:
    """Split intervals into sets that share a common value (greedy stabbing, deterministic)."""
    iv = {c.id: _interval(c) for c in members}
    rest = sorted(members, key=lambda c: (iv[c.id][1], iv[c.id][0], c.id))
    out = []
    while rest:
        point = iv[rest[0].id][1]  # the smallest upper end: every interval reaching it shares it
        take, keep = [], []
        for c in rest:
            (take if iv[c.id][0] <= point else keep).append(c)
        out.append(take)
        rest = keep
    return out


def _judge(story_id: str, key: tuple, members: list[Claim], articles: dict[str, Article],
           origin_of: dict[str, str]) -> ClaimGroup:
    subgroups = compatible_subgroups(members)
    sub_of = {c.id: i for i, sg in enumerate(subgroups) for c in sg}
    subject = _subject(key, members)
    reason = None
    if len(subgroups) == 1:
        same = len({_interval(c) for c in members}) == 1
        verdict = "consistent" if same else "compatible"
    else:
        trend = _over_time(subgroups, articles)
        pair = _named_disagreement(subgroups, articles)
        if trend:
            verdict, reason = "conflict", "over-time"
        elif pair:
            verdict, reason = "disputed", "sources"
        else:
            verdict, reason = "conflict", "disagreement"
    explanation = _explain(verdict, reason, subject, subgroups, articles)
    art_ids = sorted({c.article for c in members})
    origins = {origin_of.get(a, a) for a in art_ids}
    member_rows = [_member(c, articles, sub_of[c.id]) for c in members]
    extra = {"members": member_rows, "reason": reason, "articles": art_ids,
             "compatible_subgroups": [[c.id for c in sg] for sg in subgroups],
             "kind": key[0]}
    gid = make_id("g", story_id, *[str(k) for k in key])
    return ClaimGroup(id=gid, story=story_id, subject=subject, claims=[c.id for c in members],
                      verdict=verdict, explanation=explanation, independent_origins=len(origins),
                      extra=extra)


def _subject(key: tuple, members: list[Claim]) -> str:
    kind, head, unit, mods, party, event, qualifier = key
    if kind == "date":
        return f"date ({event})"
    if kind == "count":
        label = " ".join(([party] if party else []) + list(mods) + [head])
    else:
        label = f"{head} ({unit})" if unit and unit != head else head
        if "~" in qualifier:  # split by context: name it by the words its claims share
            qualifier = qualifier.split("~")[0]
            counts: dict[str, int] = defaultdict(int)
            for c in members:
                for w in c.extra.get("context") or ():
                    counts[w] += 1
            shared = sorted((w for w in counts if counts[w] == len(members)), key=lambda w: (-len(w), w))
            if shared:
                label += ": " + ", ".join(sorted(shared[:2]))
        if qualifier:
            label += f" per {qualifier}" if kind == "money" else f" of {qualifier}"
            qualifier = ""
    if event in _EVENTS_IN_SUBJECT:
        label += f" {event}"
    elif event:
        label += f" ({event})"
    if qualifier:
        label += f" [{qualifier}]"
    return label


def _over_time(subgroups: list[list[Claim]], articles: dict[str, Article]) -> str | None:
    """'rising'/'falling' when later articles give higher/lower figures, with no overlap in time."""
    spans = []
    for sg in subgroups:
        dates = [(articles[c.article].published or "") if c.article in articles else "" for c in sg]
        if not all(dates):
            return None
        mid = sum(_mid(c) for c in sg) / len(sg)
        spans.append((min(dates), max(dates), mid))
    by_time = sorted(spans)
    if any(by_time[i][1] >= by_time[i + 1][0] for i in range(len(by_time) - 1)):
        return None  # the figures overlap in time: not a change
    mids = [s[2] for s in by_time]
    if all(mids[i] < mids[i + 1] for i in range(len(mids) - 1)):
        return "rising"
    if all(mids[i] > mids[i + 1] for i in range(len(mids) - 1)):
        return "falling"
    return None


def _growth(members: list[Claim], articles: dict[str, Article]) -> str | None:
    """'at least 45 (2024-03-04) -> 112 (2024-03-05)' when lower bounds rise with the dates."""
    by_day: dict[str, Claim] = {}
    for c in members:
        art = articles.get(c.article)
        if art is None or not art.published or c.low is None or c.extra.get("kind") == "date":
            continue
        day = art.published[:16]
        if day not in by_day or (c.low, c.id) > (by_day[day].low, by_day[day].id):
            by_day[day] = c
    days = sorted(by_day)
    if len(days) < 2 or not all(by_day[a].low < by_day[b].low for a, b in zip(days, days[1:])):
        return None
    return " -> ".join(f"{_value(by_day[d])} ({d})" for d in days)


def _mid(c: Claim) -> float:
    lo, hi = _interval(c)
    if math.isinf(lo) and math.isinf(hi):
        return 0.0
    if math.isinf(lo):
        return hi
    if math.isinf(hi):
        return lo
    return (lo + hi) / 2


def _named(c: Claim) -> str | None:
    return c.attributed_to if c.attributed_to and not is_pronoun(c.attributed_to) else None


def _named_disagreement(subgroups: list[list[Claim]], articles: dict[str, Article] | None = None
                        ) -> tuple[str, str] | None:
    """A named source in one subgroup against a different source in another.

    The other side may be an outlet speaking for itself (an unattributed figure is the
    outlet's own claim): "Corran Lines said 190 passengers" vs the Courier's "214 passengers".
    """
    articles = articles or {}

    def speakers(sg: list[Claim], with_outlets: bool) -> list[str]:
        names = {_named(c) for c in sg}
        if with_outlets:
            names |= {articles[c.article].source for c in sg
                      if not _named(c) and c.article in articles}
        return sorted(names - {None})

    for i in range(len(subgroups)):
        for j in range(len(subgroups)):
            if i == j:
                continue
            for a in speakers(subgroups[i], False):
                for b in speakers(subgroups[j], True):
                    if not same_source(a, b):
                        return (a, b) if i < j else (b, a)
    return None


# -- explanation ---------------------------------------------------------------------------

def fmt_interval(low: float | None, high: float | None) -> str:
    def n(v: float) -> str:
        return f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if low is None and high is None:
        return "unknown"
    if high is None:
        return f"at least {n(low)}"
    if low is None:
        return f"at most {n(high)}"
    return n(low) if low == high else f"{n(low)}–{n(high)}"


def _value(c: Claim) -> str:
    if c.extra.get("kind") == "date":
        return c.extra.get("date") or "?"
    return fmt_interval(c.low, c.high)


def _sentence(c: Claim, articles: dict[str, Article]) -> str:
    art = articles.get(c.article)
    if art is None:
        return c.text
    s, e = c.extra.get("sentence_span") or c.span
    sent = " ".join(art.text[s:e].split())
    return sent if len(sent) <= _MAX_SENTENCE else sent[:_MAX_SENTENCE - 1] + "…"


def _evidence(c: Claim, articles: dict[str, Article]) -> str:
    who = _named(c) or "unattributed"
    art = articles.get(c.article)
    when = f", {art.published[:10]}" if art is not None and art.published else ""
    parts = ""
    if c.extra.get("parts"):
        parts = " = " + " + ".join(f"{p['text']} ({fmt_interval(p['low'], p['high'])})"
                                    for p in c.extra["parts"]) + " summed"
    return (f"'{c.text}' = {_value(c)}{parts} [{who}; {c.article}{when}: \"{_sentence(c, articles)}\"]")


def _explain(verdict: str, reason: str | None, subject: str, subgroups: list[list[Claim]],
             articles: dict[str, Article]) -> str:
    members = [c for sg in subgroups for c in sg]
    n_art = len({c.article for c in members})
    head = f"{subject}: {len(members)} figures in {n_art} article{'s' if n_art > 1 else ''}"
    lines = []
    if verdict == "consistent":
        lines.append(f"consistent — {head} give the same value {_value(members[0])}.")
    elif verdict == "compatible":
        lo = max(_interval(c)[0] for c in members)
        hi = min(_interval(c)[1] for c in members)
        common = fmt_interval(None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
        itemised = any(c.extra.get("parts") for c in members)
        lines.append(f"compatible — {head} overlap (all allow {common})"
                     + ("; itemised parts are summed" if itemised else "") + ".")
        growth = _growth(members, articles)
        if growth:
            lines.append(f"The reported figure grew over time ({growth}), though the ranges still overlap.")
    else:
        cause = {"over-time": "the figure changed over time", "sources": "named sources disagree",
                 "disagreement": "the outlets disagree"}.get(reason)
        lines.append(f"{verdict} — {head} fall into {len(subgroups)} sets that cannot all be true"
                     + (f": {cause}." if cause else "."))
    for i, sg in enumerate(subgroups, 1):
        label = f"Set {i}" if len(subgroups) > 1 else "Figures"
        if len(sg) > 1 and len(subgroups) > 1:
            label += " (compatible with each other)"
        lines.append(f"{label}: " + "; ".join(_evidence(c, articles) for c in sg) + ".")
    if reason == "over-time":
        trend = _over_time(subgroups, articles)
        order = sorted(subgroups, key=lambda sg: min(articles[c.article].published for c in sg))
        steps = " -> ".join(f"{_value(sg[0])} ({min(articles[c.article].published for c in sg)[:10]})"
                            for sg in order)
        lines.append(f"The figure changed over time ({trend}): {steps}; later reports update earlier ones.")
    elif reason == "sources":
        named = [sorted({_named(c) or ((articles[c.article].source or "") + " (own reporting)"
                                       if c.article in articles and articles[c.article].source else None)
                         for c in sg} - {None}) for sg in subgroups]
        sides = " vs ".join(f"{', '.join(n)} (set {i})" for i, n in enumerate(named, 1) if n)
        lines.append(f"Different named sources disagree: {sides}.")
    elif reason == "disagreement":
        lines.append("The outlets disagree without naming different sources for the figures.")
    return "\n".join(lines)


def _member(c: Claim, articles: dict[str, Article], subgroup: int) -> dict:
    art = articles.get(c.article)
    return {"claim": c.id, "article": c.article, "source": art.source if art else None,
            "published": art.published if art else None, "text": c.text, "span": list(c.span),
            "sentence": _sentence(c, articles), "sentence_span": c.extra.get("sentence_span"),
            "low": c.low, "high": c.high, "date": c.extra.get("date"),
            "attributed_to": c.attributed_to, "subgroup": subgroup}
