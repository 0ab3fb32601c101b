"""Generated corpora for benchmarks: realistic-length news articles, pages and syndicated copies.

Deterministic (seeded) and made of invented words and names, so nothing copyrighted is
involved and sizes scale to 100k+ articles.
"""
from __future__ import annotations

import html
import itertools
import random
from datetime import datetime, timedelta

PLACES = ["Port Ellery", "Kessick", "Alder Falls", "Dunmore", "Ostrin", "Skerra", "Brannoch", "Velm",
          "Corrie Bay", "Tarn Hollow", "Easter Wick", "Lowmoor", "Fenwick Cross", "Halvard", "Marrow Point"]
PEOPLE = ["Elena Marsh", "Juris Varga", "Ana Ruiz", "Lena Oduya", "Rowan Fell", "Tomas Reid", "Dana Petrov",
          "Priya Anand", "Mairi Dunlop", "Omar Haddad", "Ines Carvalho", "Kofi Mensah", "Sofia Lind"]
ORGS = ["the coastguard", "the city council", "the health ministry", "the fire service", "the police",
        "the seismic institute", "the port authority", "the transport agency", "the university"]
EVENTS = ["fire", "flood", "earthquake", "strike", "collision", "protest", "storm", "explosion", "landslide",
          "outbreak", "power cut", "bridge collapse"]
VERBS = ["said", "told reporters", "added", "confirmed", "warned", "explained"]
FILLER = ("the officials residents rescue teams water road hospital morning evening building town centre "
          "investigation emergency services damage families homes government statement week night area "
          "crews witnesses vehicles roads schools shops workers police council repairs bridge harbour").split()
OUTLETS = [f"Outlet {i:03d} News" for i in range(60)]


def _sentence(rng: random.Random, place: str, event: str) -> str:
    kind = rng.random()
    if kind < 0.25:
        return (f"\"The {event} in {place} affected {rng.randint(2, 900)} {rng.choice(['people', 'homes', 'families'])}, "
                f"and we expect more reports,\" {rng.choice(PEOPLE)} {rng.choice(VERBS)}.")
    if kind < 0.5:
        return (f"{rng.choice(ORGS).capitalize()} {rng.choice(VERBS)} that {rng.randint(3, 400)} "
                f"{rng.choice(['people', 'vehicles', 'buildings', 'workers'])} were involved in {place}.")
    words = rng.choices(FILLER, k=rng.randint(12, 24))
    return f"{place} " + " ".join(words) + "."


def article_text(rng: random.Random, place: str, event: str, paragraphs: int = 8) -> str:
    paras = []
    for _ in range(paragraphs):
        paras.append(" ".join(_sentence(rng, place, event) for _ in range(rng.randint(2, 4))))
    return "\n\n".join(paras)


def corpus(n: int, seed: int = 7, syndicated: float = 0.10, max_story: int = 200, style: str = "uniform"):
    """n articles: stories of 1-200 articles, ~10% syndicated copies of another article.

    ``style="uniform"`` (the default, for the figures measured with it): the original
    generator, a ~1,000-word vocabulary. ``style="news"``: calibrated on real news (see
    :func:`news_corpus`)."""
    if style == "news":
        return news_corpus(n, seed, syndicated, max_story)
    if style != "uniform":
        raise ValueError(f"unknown corpus style {style!r}: news or uniform")
    rng = random.Random(seed)
    start = datetime(2025, 1, 1)
    out = []
    story = 0
    while len(out) < n:
        size = min(n - len(out), max(1, int(rng.paretovariate(1.2))), max_story)
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        when = start + timedelta(hours=rng.randint(0, 24 * 300))
        first = len(out)
        for j in range(size):
            if j and rng.random() < syndicated:
                base = out[rng.randint(first, len(out) - 1)]
                paras = base["text"].split("\n\n")
                text = "\n\n".join(paras[: max(3, len(paras) - rng.randint(0, 2))])
            else:
                text = article_text(rng, place, event)
            out.append({"id": f"g{len(out):07d}", "source": rng.choice(OUTLETS), "story": f"s{story}",
                        "title": f"{event.capitalize()} in {place}: {rng.choice(FILLER)} {rng.choice(FILLER)}",
                        "published": (when + timedelta(minutes=37 * j)).isoformat(), "text": text,
                        "url": f"https://outlet{rng.randint(0, 59):03d}.example/{story}/{len(out)}"})
        story += 1
    return out


def page(a: dict) -> str:
    """A news page around the article: navigation, share bar, related links, footer."""
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in a["text"].split("\n\n"))
    related = "".join(f"<li><a href='/r{i}'>Related story number {i} about the {e(a['source'])}</a></li>" for i in range(8))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(a['title'])}</title>
<meta property="og:site_name" content="{e(a['source'])}"><link rel="canonical" href="{e(a['url'])}">
<meta property="article:published_time" content="{e(a['published'])}"></head><body>
<header><nav><a href="/">Home</a><a href="/news">News</a><a href="/sport">Sport</a><a href="/weather">Weather</a></nav></header>
<div class="share">Share this article: Facebook Twitter Email</div>
<main><article><h1>{e(a['title'])}</h1><p class="byline">By Staff Reporter</p>
{body}
<p>Sign up for our newsletter to get the top stories every morning.</p>
</article><aside><h2>Most read</h2><ul>{related}</ul></aside></main>
<footer><p>&copy; 2025 {e(a['source'])}. All rights reserved.</p><p>Contact us | Privacy | Terms</p></footer>
</body></html>"""


# -- style "news": calibrated on real news ---------------------------------------------------
#
# benchmarks/corpus_stats.py prints the calibration against the real dev sets in
# ../shared/data (ECB+, GVC, BASIL): article lengths, vocabulary growth, the share of article
# pairs at the story threshold, quotes, claims and the spaCy calls they cause. Every content
# word, name, place, organisation and agency is invented (syllables); only English function
# words and common English words are real, so no generated sentence reproduces a real one.

# English function words, most frequent first (drawn with Zipf weights).
_FUNCTION = """the of to a and in that for is on was with he it as at by from his an be has
have are but had not were their they this who been which or its after one more when will about
would two also up than over out into other some there them her she we can could all no so if
what while before because only where three during most many these those under then our any
between both just first against very since through being still my how until even each such
four may much you few off around here must another should five again never without among own
why ten""".split()
# Common English content words of news (drawn before the invented ones, Zipf by rank).
_COMMON = """said people year police told time state government city years day week former
president officials told news home school family public report group percent million last
county according local department official says including told children family women man
court case members support help since early night morning area life work country national
world house community health water told found death killed left high members service center
continue later since plan security told months office statement billion program show during
days recent major second began led months say team month already hospital reported set
include nearly known following called announced business free military law held family told
issue director leader company market party election vote officers students federal building
attack told region international open taking late small across taken power change water
began young according days night fire near least several cases lost charges investigation
street near local hours workers staff emergency residents agency minister council minutes
schools victims saying meeting prison financial released decision trial percent record court
told wrote election tuesday wednesday thursday friday monday saturday sunday""".split()
_COMMON = list(dict.fromkeys(_COMMON))  # order kept, repeats dropped
_SYL = ("ar bel cor dan el fen gar har ist jor kel lan mar nor ost pel quin ros sal tor ul ven wes "
        "yar zan bro cla dre fal gri hol ivo kra lor mel nis ora pra rin sto tal ume vor wil bar "
        "den fir gos hen lis mor nel per ren sun tev vin").split()
_ENDINGS = ["", "", "er", "ing", "ed", "s", "ly", "ment", "al", "ness", "ion", "ent", "ity", "ous"]
_PLACE_ENDS = ["ton", "ford", "by", "wick", "mouth", "vale", "field", "more", "stead", "port", "ham", "ley"]
_GIVEN_ENDS = ["a", "o", "en", "an", "ie", "is", "el", "ine", "ar", "on"]
_AGENCIES = ["Meridian Press", "Norwire", "Tellan News Service", "Coastline Press Agency", "Ostrel Wire",
             "Halden Newswire", "Capital Press Bureau", "Varro News Agency"]
_ORG_KINDS = ["Police Department", "Fire Service", "City Council", "General Hospital", "Water Board",
              "School District", "Port Authority", "County Court", "Transit Agency", "Health Department",
              "University", "Chamber of Commerce", "Sheriff's Office", "Electoral Commission"]
_ROLES = ["a spokesman for", "a spokeswoman for", "the director of", "a senior official at", "the head of",
          "a lawyer for", "a researcher at", "the chairman of", "an analyst at", "a deputy at"]
# Event kinds: the words every story of that kind uses (two floods share them: near misses).
_KINDS = {
    "earthquake": "earthquake quake magnitude tremor aftershock epicenter collapsed rubble seismic",
    "flood": "flood flooding river rain rainfall evacuated levee waters submerged",
    "wildfire": "wildfire blaze firefighters acres flames evacuation containment smoke burned",
    "shooting": "shooting gunman shot fired wounded suspect gunfire weapon victim",
    "strike": "strike union workers walkout wages negotiations picket contract pay",
    "election": "election vote candidate ballots campaign voters polls turnout seat",
    "trial": "trial jury defendant prosecutors verdict judge testimony sentenced charges",
    "merger": "merger deal shares acquisition shareholders company takeover bid valuation",
    "protest": "protest protesters demonstrators march rally crowd police marched demands",
    "storm": "storm winds hurricane gusts damage power outages landfall forecasters",
    "crash": "crash plane aircraft passengers flight pilot runway wreckage crashed",
    "outbreak": "outbreak virus infections cases patients vaccine health hospitalized symptoms",
    "arrest": "arrested arrest suspect custody charged detectives warrant police raid",
    "resignation": "resigned resignation minister scandal allegations stepped cabinet pressure",
    "launch": "launch product device company unveiled release customers market features",
    "rehab": "rehab treatment actress singer star facility entered representative publicist",
    "heist": "robbery robbers stolen theft bank jewels thieves vault loot",
    "cyberattack": "hackers cyberattack breach data systems ransomware attack servers compromised",
}
_PLURALS = ["people", "homes", "families", "vehicles", "buildings", "workers", "residents", "students",
            "officers", "patients", "passengers", "jobs", "votes", "shares", "cases", "tonnes", "acres"]
_PARTICIPLES = ["injured", "evacuated", "affected", "killed", "involved", "reported", "arrested",
                "displaced", "damaged", "rescued", "counted", "hired", "lost"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_LEXICON_SIZE = 400_000  # invented content words that the Zipf draw can reach
_CONTENT_ZIPF = 1.4  # exponent of the content-word Zipf law (vocabulary growth)
_MIX = (0.47, 0.43, 0.10)  # filler tokens: function word, content word, story word


class _Lexicon:
    """Invented words, names and places (fixed, independent of the corpus seed)."""

    def __init__(self) -> None:
        import numpy as np

        shuffle = np.random.default_rng(20261123).permutation
        syl = _SYL
        known = set(_FUNCTION) | set(_COMMON)

        def words(parts, cap=False) -> list[str]:
            """Distinct joined words from the product of ``parts``, in a fixed shuffled order."""
            out = list(dict.fromkeys("".join(p) for p in itertools.product(*parts)))
            out = [w.capitalize() if cap else w for w in out if w not in known]
            return np.array(out, dtype=object)[shuffle(len(out))].tolist()

        # frequent words are short ones (as in any language), rare ones long
        short = words([syl, syl, _ENDINGS])
        seen = set(short)
        long = [w for w in words([syl, syl, syl, ("", "s", "er")]) if w not in seen]
        self.content = np.array(_COMMON + short + long, dtype=object)
        ranks = np.arange(1, len(self.content) + 1, dtype=np.float64)
        weights = 1.0 / (ranks + 2.0) ** _CONTENT_ZIPF
        weights[_LEXICON_SIZE:] = 0.0  # beyond: one story's own coinages, never drawn at random
        fw = 1.0 / (np.arange(1, len(_FUNCTION) + 1) + 1.0)
        # One draw per filler token over function words, content words and a last slot
        # that stands for "one of the story's own words" (filled in per article).
        self.tokens = np.array(_FUNCTION + list(self.content) + [""], dtype=object)
        probs = np.concatenate([_MIX[0] * fw / fw.sum(), _MIX[1] * weights / weights.sum(), [_MIX[2]]])
        self.tokens_cum = np.cumsum(probs) / probs.sum()
        self.given = words([syl, _GIVEN_ENDS], cap=True)
        self.surnames = words([syl, syl, ("", "er", "son", "ley", "ton", "e")], cap=True)
        self.places = words([syl, syl, _PLACE_ENDS], cap=True)
        self.regions = [f"{a}{b}ia".capitalize() for a, b in zip(syl[::2], syl[1::2])]


_LEX: _Lexicon | None = None


def _ri(rng: random.Random, a: int, b: int) -> int:
    """rng.randint(a, b), 3x cheaper (the generator draws ~100 per article)."""
    return a + int((b - a + 1) * rng.random())


def _pick(rng: random.Random, seq):
    """rng.choice(seq), cheaper."""
    return seq[int(len(seq) * rng.random())]


def _lexicon() -> _Lexicon:
    global _LEX
    if _LEX is None:
        _LEX = _Lexicon()
    return _LEX


def _zipf_pick(rng: random.Random, items: list, s: float = 1.0, top: int | None = None):
    """One of ``items`` (the first ``top``), the k-th with weight ~ 1/k^s (inverse CDF)."""
    n = min(len(items), top or len(items))
    u = rng.random()
    k = int(n ** u) if s == 1.0 else int((u * (n ** (1 - s) - 1) + 1) ** (1 / (1 - s)))
    return items[min(n - 1, max(0, k - 1))]


class _Story:
    """One event: its kind, place, people, organisations, figures and own words."""

    def __init__(self, rng: random.Random, lex: _Lexicon, index: int, like: "_Story | None") -> None:
        if like is not None:  # a near miss: same kind of event in the same place, another event
            self.kind, self.place, self.region = like.kind, like.place, like.region
        else:
            self.kind = _pick(rng, list(_KINDS))
            self.place = _pick(rng, lex.places)  # a place recurs through near misses only
            self.region = _zipf_pick(rng, lex.regions)
        self.kind_words = _KINDS[self.kind].split()
        self.people = [(f"{_pick(rng, lex.given)} {_pick(rng, lex.surnames)}", _pick(rng, "hs"),
                        _pick(rng, _ROLES)) for _ in range(_ri(rng, 2, 6))]
        self.orgs = [f"{_pick(rng, [self.place, _pick(rng, lex.surnames)])} {_pick(rng, _ORG_KINDS)}"
                     for _ in range(_ri(rng, 1, 3))]
        self.figures = [(_pick(rng, [_ri(rng, 2, 60), _ri(rng, 10, 900), _ri(rng, 100, 20000)]),
                         _pick(rng, _PLURALS), _pick(rng, _PARTICIPLES)) for _ in range(_ri(rng, 2, 4))]
        self.day = datetime(2024, 1, 1) + timedelta(days=_ri(rng, 0, 700))
        # its own topic words: 100 from the middle of the vocabulary (real stories of one
        # event share a topic vocabulary), and two coined for it alone
        own = [str(lex.content[_ri(rng, 150, 30_000)]) for _ in range(100)]
        coined = [str(lex.content[_LEXICON_SIZE + (2 * index + k) % (len(lex.content) - _LEXICON_SIZE)])
                  for k in range(2)]
        names = [p[0].split()[1] for p in self.people] + [self.place] + self.orgs[:1]
        self.words = self.kind_words + own + coined + names + [self.place]


class _Writer:
    """Sentences of one article: filler drawn in bulk, quotes, figures, credits."""

    def __init__(self, rng: random.Random, nrng, lex: _Lexicon, story: _Story, length: int) -> None:
        import numpy as np

        self.rng, self.story = rng, story
        k = length + 60
        idx = np.minimum(np.searchsorted(lex.tokens_cum, nrng.random(k)), len(lex.tokens) - 1)
        pool = lex.tokens[idx]
        own = idx == len(lex.tokens) - 1
        pool[own] = np.array(story.words, dtype=object)[nrng.integers(0, len(story.words), int(own.sum()))]
        self.pool = pool.tolist()
        self.pos = 0
        self.person = None  # last person named: "he said" refers to them

    def filler(self, k: int) -> str:
        if self.pos + k > len(self.pool):
            self.pos = 0
        out = self.pool[self.pos:self.pos + k]
        self.pos += k
        return " ".join(out)

    def sentence(self, k: int) -> str:
        s = self.filler(k)
        return s[:1].upper() + s[1:]

    def name(self, age: bool = False) -> str:
        self.person = _pick(self.rng, self.story.people)
        if age and self.rng.random() < 0.3:  # an age, as news gives it: "Ana Velm, 54, the head of"
            return f"{self.person[0]}, {_ri(self.rng, 19, 88)}"
        return self.person[0]

    def quote(self) -> str:
        r, rng = self.rng.random(), self.rng
        q = self.sentence(_ri(rng, 7, 22))
        first = _pick(rng, ["We ", "I ", "Our ", "", "", ""])
        q = first + (q[:1].lower() + q[1:] if first else q)
        if r < 0.15 and self.person is not None:  # a pronoun speaker: the last person named
            pron = "he" if self.person[1] == "h" else "she"
            return f"\u201c{q},\u201d {pron} {_pick(rng, ['said', 'said', 'told reporters', 'added'])}."
        if r < 0.18:  # a speech verb the rules do not read ("described X as"): the parser decides
            who = _pick(rng, [self.name(), _pick(rng, self.story.orgs), "Residents", "The " + _pick(rng, _PLURALS)])
            verb = _pick(rng, ["described the", "called the", "dismissed the", "has described the"])
            return (f"{who} {verb} {self.filler(_ri(rng, 2, 6))} as "
                    f"\u201c{self.filler(_ri(rng, 4, 10))}.\u201d")
        if r < 0.32:  # the speaker far after the quote: left without a speaker
            who = f"{_pick(rng, ['a', 'the'])} {_pick(rng, ['mayor', 'director', 'spokesman', 'chief'])} of {self.story.place}"
            return (f"\u201c{q},\u201d {who}, who {self.filler(_ri(rng, 6, 12))} on "
                    f"{_pick(rng, _WEEKDAYS)}, said.")
        pattern = int(4 * rng.random())
        who = self.name(age=pattern == 2)
        if pattern == 0:
            return f"\u201c{q},\u201d {who} said."
        if pattern == 1:
            return f"\u201c{q},\u201d said {who}, {self.person[2]} {_pick(rng, self.story.orgs)}."
        if pattern == 2:
            return f"{who}, {self.person[2]} {_pick(rng, self.story.orgs)}, said: \u201c{q}.\u201d"
        told = _pick(rng, _AGENCIES) if rng.random() < 0.3 else _pick(rng, ["reporters", "the crowd", "a news conference"])
        return f"\u201c{q},\u201d {who.split()[1].rstrip(',')} told {told}."

    def figure(self) -> str:
        rng, st = self.rng, self.story
        n, noun, verb = _pick(rng, st.figures)
        if rng.random() < 0.2:
            n = max(1, int(n * rng.uniform(0.8, 1.25)))  # outlets round and update figures
        r = rng.random()
        if r < 0.35:
            return f"{_pick(rng, st.orgs)} said {n:,} {noun} were {verb} {self.filler(_ri(rng, 4, 10))}."
        if r < 0.56:  # a number before a word the rules cannot be sure counts anything: tagger
            return f"{self.sentence(_ri(rng, 4, 9))} {_ri(rng, 2, 99)} {self.filler(_ri(rng, 2, 8))}."
        if r < 0.7:
            return (f"{self.sentence(_ri(rng, 5, 10))} ${_ri(rng, 2, 900)}.{_ri(rng, 1, 9)} "
                    f"{_pick(rng, ['million', 'billion'])} {self.filler(_ri(rng, 3, 8))}.")
        if r < 0.8:
            return (f"{self.sentence(_ri(rng, 4, 10))} on {_pick(rng, _MONTHS)} {_ri(rng, 1, 28)}, "
                    f"{st.day.year}, {self.filler(_ri(rng, 3, 8))}.")
        if r < 0.9:  # itemised figures: "12 homes, 3 schools and 40 vehicles"
            items = rng.sample(_PLURALS, 3)
            return (f"{self.sentence(_ri(rng, 3, 8))} {_ri(rng, 2, 40)} {items[0]}, {_ri(rng, 2, 40)} "
                    f"{items[1]} and {_ri(rng, 2, 90)} {items[2]} in {_pick(rng, [st.place, str(st.day.year - _ri(rng, 0, 9))])}.")
        return f"{_pick(rng, ['Almost', 'More than', 'About', 'Nearly'])} {n:,} {noun} {self.filler(_ri(rng, 5, 12))}."

    def credit(self) -> str:
        rng = self.rng
        agency = _pick(rng, _AGENCIES)
        r = rng.random()
        if r < 0.5:
            return f"{self.sentence(_ri(rng, 6, 14))}, according to {agency}."
        if r < 0.8:
            return f"{agency} reported that {self.filler(_ri(rng, 6, 14))}."
        return f"{self.name()} told {agency} that {self.filler(_ri(rng, 6, 12))}."


def _news_text(rng: random.Random, nrng, lex: _Lexicon, story: _Story) -> tuple[str, str]:
    """(title, text) of one original article about ``story``."""
    # Lengths: lognormal fitted to the real sets (median ~260 words, p10 ~85, p90 ~740;
    # the last paragraph overshoots the drawn length by ~10%).
    length = max(30, int(rng.lognormvariate(5.45, 0.86)))
    w = _Writer(rng, nrng, lex, story, length)
    kw = _pick(rng, story.kind_words)
    lede = (f"{story.place.upper()} \u2014 {w.sentence(_ri(rng, 8, 16))} {kw} in {story.place}, "
            f"{story.region}, on {story.day.strftime('%A')}, {w.filler(_ri(rng, 4, 10))}.")
    paras, words = [lede], lede.count(" ") + 1
    while words < length:
        para = []
        for _ in range(min(_pick(rng, [1, 1, 2, 2, 3]), 1 + (length - words) // 25)):
            r = rng.random()
            s = (w.quote() if r < 0.17 else w.figure() if r < 0.44 else w.credit() if r < 0.455
                 else w.sentence(_ri(rng, 10, 30)) + (f" in {story.day.year - _ri(rng, 0, 12)}." if r > 0.95 else "."))
            para.append(s)
        text = " ".join(para)
        paras.append(text)
        words += text.count(" ") + 1
    n, noun, verb = _pick(rng, story.figures)
    title = _pick(rng, [f"{kw.capitalize()} in {story.place}: {n:,} {noun} {verb}",
                        f"{story.place} {kw} {w.filler(3)}",
                        f"{w.sentence(4)} after {story.place} {kw}"])
    return title, "\n\n".join(paras)


def news_corpus(n: int, seed: int = 7, syndicated: float = 0.10, max_story: int = 200) -> list[dict]:
    """n articles shaped like real news (see the section comment); the same record format
    and law of story sizes as the uniform style. Deterministic for a seed, and prefix-stable: the
    first k articles of ``news_corpus(n)`` are those of ``news_corpus(k)``."""
    import numpy as np

    lex = _lexicon()
    srng = random.Random(seed)  # stories: sizes, events, people (a change to the text keeps them)
    rng = random.Random(seed + 1)  # the articles' text
    nrng = np.random.default_rng(seed)
    out: list[dict] = []
    stories: list[_Story] = []
    outlets = [f"The {p} {s}" for p, s in zip(lex.places[::7][:400],
                                              ["Courier", "Herald", "Gazette", "Times", "Post", "Tribune",
                                               "Chronicle", "Observer"] * 50)]
    while len(out) < n:
        size = min(n - len(out), max(1, int(srng.paretovariate(1.2))), max_story)
        like = _pick(srng, stories[-300:]) if stories and srng.random() < 0.35 else None
        story = _Story(srng, lex, len(stories), like)
        stories.append(story)
        first = len(out)
        for j in range(size):
            when = story.day + timedelta(hours=int(rng.expovariate(1 / 30)), minutes=_ri(rng, 0, 59))
            if j and rng.random() < syndicated:  # a syndicated copy, trimmed and lightly edited
                base = out[_ri(rng, first, len(out) - 1)]
                paras = base["text"].split("\n\n")
                paras = paras[: max(3, len(paras) - _ri(rng, 0, 2))]
                if rng.random() < 0.5 and len(paras) > 1:
                    paras[0] = paras[0].split(" \u2014 ", 1)[-1]  # dateline dropped
                title, text = base["title"], "\n\n".join(paras)
            else:
                title, text = _news_text(rng, nrng, lex, story)
            out.append({"id": f"g{len(out):07d}", "source": _pick(rng, outlets), "story": f"s{len(stories) - 1}",
                        "title": title, "published": when.isoformat(), "text": text,
                        "url": f"https://outlet{_ri(rng, 0, 399):03d}.example/{len(stories) - 1}/{len(out)}"})
    return out
