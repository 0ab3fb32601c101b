"""A small fictional story as a complete ``Analysis``, for tests, benchmarks and previews.

Everything is invented (outlets, people, places). ``n_articles`` grows the story with
re-reports spread over outlets and hours; ``payload`` puts hostile text into every field a
stranger controls (titles, outlets, URLs, text, quotes, claims).
"""
from __future__ import annotations

from ..ids import make_id
from ..model import Analysis, Article, Claim, ClaimGroup, Link, Passage, Quote, Story

ORIGIN = ("Fire broke out on the ferry Marisol Star near Port Alder on Sunday morning. "
          "\"The fire started in the engine room and the crew acted fast,\" said harbour master Ines Varga. "
          "All 40 passengers were taken ashore by lifeboat, the coastguard said.\n\n"
          "The ferry service to Kessick Island is suspended until Wednesday.")
COPY_INTRO = "The Coastline Courier reported that fire broke out on a ferry near Port Alder. "
OPINION = ("\n\nIn our view, the council should have replaced this ageing ferry years ago; "
           "it is hard to believe nobody saw this coming.")
DISPUTED = " A crew member told reporters that 52 passengers were on board."
OUTLETS = ["Valley Gazette", "Daily Beacon", "Northern Ledger", "Harbourside Review", "Velmora Times",
           "Kessick Post", "Alder Evening News", "Bay Wire"]


def _span(text: str, piece: str) -> tuple[int, int]:
    i = text.index(piece)
    return (i, i + len(piece))


def sample_analysis(n_articles: int = 4, payload: str | None = None) -> Analysis:
    story_id = "s-sample0001"
    p = payload or ""
    origin_text = (p + " " if p else "") + ORIGIN
    a1 = Article(id="art-origin", text=origin_text, url="https://coastline.example/ferry-fire",
                 source="Coastline Courier" + p, title="Ferry fire near Port Alder" + p,
                 published="2026-03-01T08:00:00+00:00", story=story_id)
    copied = ORIGIN.split("\n\n")[0]
    articles, links, quotes, claims = [a1], [], [], []
    quote_text = "The fire started in the engine room and the crew acted fast,"
    for i in range(1, n_articles):
        outlet = OUTLETS[(i - 1) % len(OUTLETS)]
        hour = 8 + i * 0.5
        altered = i % 2 == 0
        body = copied.replace("and the crew acted fast", "and the crew acted") if altered else copied
        text = COPY_INTRO + body + (OPINION if i % 3 == 2 else "") + (DISPUTED if i == 2 else "") + (" " + p if p else "")
        dup = "art-1" if (i > 3 and i % 5 == 0) else None
        aid = f"art-{i}"
        art = Article(id=aid, text=text, url=("javascript:alert(1)" if p and i == 1 else f"https://{outlet.lower().replace(' ', '')}.example/{i}"),
                      source=outlet + (p if i == 1 else ""), title=f"Ferry fire: {outlet} report {i}" + p,
                      published=f"2026-03-01T{int(hour):02d}:{int((hour % 1) * 60):02d}:00+00:00",
                      story=story_id, duplicate_of=dup)
        if i % 3 == 2:
            art.opinion_spans = [_span(text, OPINION.strip())]
        articles.append(art)
        shared = "Fire broke out on the ferry Marisol Star near Port Alder on Sunday morning."
        links.append(Link(from_=aid, to="art-origin", kind="copies-text", passages=[
            Passage(_span(text, shared), _span(origin_text, shared))],
            extra={"uncredited": i % 4 == 3}))
        if i % 4 != 3:
            links.append(Link(from_=aid, to="art-origin", kind="cites", to_source="Coastline Courier",
                              cue="The Coastline Courier reported"))
        q = quote_text.replace("and the crew acted fast", "and the crew acted") if altered else quote_text
        quotes.append(Quote(id=make_id("q", aid), article=aid, text=q, span=_span(text, q), speaker="Ines Varga",
                            group="qg-1", extra={"fidelity": "truncated" if altered else "exact"}))
        claims.append(Claim(id=make_id("c", aid), article=aid, text="40 passengers", span=_span(text, "40 passengers"),
                            low=40, high=40, unit="passengers", subject="passengers", attributed_to="the coastguard"))
        if i == 2:
            claims.append(Claim(id="c-disputed", article=aid, text="52 passengers", span=_span(text, "52 passengers"),
                                low=52, high=52, unit="passengers", subject="passengers", attributed_to="a crew member"))
    quotes.append(Quote(id="q-origin", article="art-origin", text=quote_text, span=_span(origin_text, quote_text),
                        speaker="Ines Varga" + p, group="qg-1", extra={"fidelity": "exact"}))
    claims.append(Claim(id="c-origin", article="art-origin", text="40 passengers", span=_span(origin_text, "40 passengers"),
                        low=40, high=40, unit="passengers", subject="passengers", attributed_to="the coastguard"))
    group = ClaimGroup(id="g-passengers", story=story_id, subject="passengers on board" + p,
                       claims=sorted(c.id for c in claims), verdict="disputed",
                       explanation="The coastguard says 40; a crew member says 52." + p, independent_origins=2,
                       extra={"compatible_subgroups": [sorted(c.id for c in claims if c.low == 40), ["c-disputed"]]})
    story = Story(id=story_id, title="Ferry fire near Port Alder" + p, articles=sorted(a.id for a in articles),
                  origins=["art-origin"], entities=["Port Alder", "Ines Varga"],
                  extra={"origin_sources": []})
    first = "Fire broke out on the ferry Marisol Star near Port Alder on Sunday morning."
    facts = [{"article": "art-origin", "span": list(_span(origin_text, first)),
              "supporting": sorted(a.id for a in articles), "independent_origins": 1}]
    return Analysis(articles=articles, stories=[story], links=links, quotes=quotes, claims=claims,
                    claim_groups=[group], extra={"facts": facts, "quote_groups": []})
