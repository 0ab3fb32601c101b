"""Credits written in an article's text: "the BBC reported", "told Reuters", "(AP) —".

Cheap regex rules only (no model): a cue pattern finds a credited name, a normalisation
table maps the name to one outlet ("BBC News" -> "BBC"), and the name decides whether the
credit goes to a news outlet (``media``), a person or another organisation. Spans point
into ``article.text``; the rules read ``article.analysis_text`` so boilerplate never counts.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Span

# Canonical outlet name -> aliases as written (case-sensitive forms) and web domains.
OUTLETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "BBC": (("BBC", "BBC News", "BBC World Service", "BBC Arabic", "BBC Newsnight", "BBC Panorama",
             "British Broadcasting Corporation", "Beeb"), ("bbc.co.uk", "bbc.com")),
    "Reuters": (("Reuters", "Thomson Reuters", "Reuters news agency"), ("reuters.com",)),
    "Associated Press": (("AP", "Associated Press", "AP News", "the AP"), ("apnews.com", "ap.org")),
    "Agence France-Presse": (("AFP", "Agence France-Presse", "Agence France Presse", "France-Presse",
                              "France Presse"), ("afp.com",)),
    "New York Times": (("New York Times", "NYT", "NY Times", "NYTimes"), ("nytimes.com",)),
    "Washington Post": (("Washington Post", "WaPo"), ("washingtonpost.com",)),
    "Wall Street Journal": (("Wall Street Journal", "WSJ"), ("wsj.com",)),
    "Daily Mail": (("Daily Mail", "Mail Online", "MailOnline", "Mail on Sunday"),
                   ("dailymail.co.uk", "mailonline.co.uk")),
    "CNN": (("CNN",), ("cnn.com",)),
    "Guardian": (("Guardian", "Observer"), ("theguardian.com", "guardian.co.uk")),
    "Bloomberg": (("Bloomberg", "Bloomberg News"), ("bloomberg.com",)),
    "Al Jazeera": (("Al Jazeera", "Al-Jazeera", "Aljazeera"), ("aljazeera.com", "aljazeera.net")),
    "Sky News": (("Sky News",), ("news.sky.com", "sky.com")),
    "Fox News": (("Fox News", "Fox"), ("foxnews.com",)),
    "NBC News": (("NBC News", "NBC"), ("nbcnews.com",)),
    "ABC News": (("ABC News", "ABC"), ("abcnews.go.com", "abc.net.au")),
    "CBS News": (("CBS News", "CBS"), ("cbsnews.com",)),
    "NPR": (("NPR", "National Public Radio"), ("npr.org",)),
    "Politico": (("Politico",), ("politico.com", "politico.eu")),
    "Axios": (("Axios",), ("axios.com",)),
    "The Times": (("The Times", "Times of London", "Sunday Times"), ("thetimes.co.uk",)),
    "Telegraph": (("Telegraph", "Daily Telegraph", "Sunday Telegraph"), ("telegraph.co.uk",)),
    "Independent": (("Independent",), ("independent.co.uk",)),
    "Financial Times": (("Financial Times", "FT"), ("ft.com",)),
    "Economist": (("Economist",), ("economist.com",)),
    "USA Today": (("USA Today",), ("usatoday.com",)),
    "Los Angeles Times": (("Los Angeles Times", "LA Times"), ("latimes.com",)),
    "Der Spiegel": (("Der Spiegel", "Spiegel"), ("spiegel.de",)),
    "Le Monde": (("Le Monde",), ("lemonde.fr",)),
    "Deutsche Welle": (("Deutsche Welle", "DW"), ("dw.com",)),
    "Xinhua": (("Xinhua", "Xinhua News Agency"), ("xinhuanet.com", "news.cn")),
    "TASS": (("TASS", "Tass"), ("tass.com", "tass.ru")),
    "RIA Novosti": (("RIA Novosti", "RIA"), ("ria.ru",)),
    "Interfax": (("Interfax",), ("interfax.com", "interfax.ru")),
    "Anadolu Agency": (("Anadolu Agency", "Anadolu"), ("aa.com.tr",)),
    "dpa": (("dpa", "DPA", "Deutsche Presse-Agentur"), ("dpa.com",)),
    "EFE": (("EFE",), ("efe.com",)),
    "ANSA": (("ANSA",), ("ansa.it",)),
    "Kyodo": (("Kyodo", "Kyodo News"), ("kyodonews.net",)),
    "Yonhap": (("Yonhap",), ("yna.co.kr",)),
    "PA Media": (("PA Media", "Press Association", "PA"), ("pamediagroup.com",)),
    "UPI": (("UPI", "United Press International"), ("upi.com",)),
    "The Hill": (("The Hill",), ("thehill.com",)),
    "HuffPost": (("HuffPost", "Huffington Post"), ("huffpost.com", "huffingtonpost.com")),
    "Channel 4 News": (("Channel 4 News", "Channel 4"), ("channel4.com",)),
    "ITV News": (("ITV News", "ITV"), ("itv.com",)),
    "The Sun": (("The Sun",), ("thesun.co.uk",)),
    "Daily Mirror": (("Daily Mirror", "Mirror"), ("mirror.co.uk",)),
    "Daily Express": (("Daily Express", "Express"), ("express.co.uk",)),
    "Evening Standard": (("Evening Standard",), ("standard.co.uk",)),
    "Newsweek": (("Newsweek",), ("newsweek.com",)),
    "The Atlantic": (("The Atlantic",), ("theatlantic.com",)),
    "American Thinker": (("American Thinker",), ("americanthinker.com",)),
}

# Words that make an unknown name an outlet ("the Harbour Beacon", "Radio Kiev").
MEDIA_WORDS = {
    "news", "times", "post", "mail", "journal", "herald", "telegraph", "gazette", "tribune",
    "chronicle", "tv", "television", "radio", "broadcasting", "broadcaster", "newspaper", "daily",
    "weekly", "magazine", "observer", "express", "mirror", "press", "wire", "monitor", "courier",
    "bulletin", "dispatch", "examiner", "inquirer", "sentinel", "beacon", "review", "record",
    "standard", "today", "online", "insider", "channel", "network", "media", "newswire",
    "reporter", "register", "star", "globe", "times-union", "enquirer", "digest", "ledger",
}
ORG_WORDS = {
    "ministry", "department", "police", "army", "forces", "council", "government", "office",
    "pentagon", "commission", "committee", "court", "party", "union", "university", "agency",
    "authority", "authorities", "service", "services", "coalition", "organisation",
    "organization", "institute", "bank", "group", "command", "military", "embassy", "company",
    "corporation", "inc", "ltd", "house", "senate", "congress", "parliament", "kremlin",
}
PERSON_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "col", "colonel", "gen", "general",
    "lt", "lieutenant", "sgt", "sergeant", "capt", "captain", "maj", "major", "sen", "senator",
    "rep", "gov", "governor", "president", "minister", "secretary", "judge", "sir", "dame",
    "lord", "lady", "rev", "father", "chief", "commander", "spokesman", "spokeswoman",
    "spokesperson", "mayor", "king", "queen", "prince", "princess", "pope", "sheikh",
}
# Capitalised words that start a sentence rather than a name ("But the BBC reported").
_LEADING = {"but", "and", "also", "now", "then", "meanwhile", "however", "the", "a", "an", "so",
            "yet", "in", "on", "as", "earlier", "later", "previously", "separately", "when",
            "while", "if", "after", "before", "since", "one", "another", "this", "that", "it",
            "he", "she", "they", "we", "i", "following", "citing", "last", "first"}
_NOT_NAMES = {"he", "she", "they", "we", "i", "it", "you", "officials", "witnesses", "police",
              "sources", "reporters", "this", "that", "there", "who", "which", "report", "the"}


@dataclass
class Attribution:
    """One credit in an article: ``span`` of the whole cue, ``source`` the normalised name."""
    article: str
    span: Span  # the cue phrase, e.g. "witnesses told the BBC" -> "told the BBC"
    cue: str  # the cue as written
    source: str  # normalised name: "BBC", "Associated Press", "Ryan Dillon"
    source_span: Span  # the credited name as written
    kind: str  # "media" | "person" | "organisation"
    pattern: str  # which rule found it: reported, told, according-to, dateline, label, ...
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = {"article": self.article, "span": list(self.span), "cue": self.cue,
             "source": self.source, "source_span": list(self.source_span), "kind": self.kind,
             "pattern": self.pattern}
        d.update(self.extra)
        return d


def _key(name: str) -> str:
    """Lookup key: lower case, no leading "the", punctuation and hyphens as spaces."""
    name = re.sub(r"[^\w]+", " ", name.lower()).strip()
    return re.sub(r"^the ", "", name)


def _alias_table(aliases: dict[str, str] | None) -> dict[str, str]:
    """Lookup key -> outlet; built once per distinct alias setting (callers only read it)."""
    return _cached_alias_table(tuple((aliases or {}).items()))


@functools.lru_cache(maxsize=1)
def _known_outlets_table() -> dict[str, str]:
    """Lookup key -> outlet for the known outlets (OUTLETS), built once per process."""
    table: dict[str, str] = {}
    for canon, (names, _) in OUTLETS.items():
        table[_key(canon)] = canon
        for name in names:
            table[_key(name)] = canon
    return table


@functools.lru_cache(maxsize=32)
def _cached_alias_table(alias_items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    # Each story brings its own aliases (its outlets' abbreviations), so this runs once per
    # story: the known outlets' keys are copied, not computed again.
    aliases = dict(alias_items)
    table = dict(_known_outlets_table())
    for alias, canon in aliases.items():
        canon = table.get(_key(canon), canon)  # "MailOnline = Daily Mail" joins the known outlet
        table[_key(alias)] = canon
        table.setdefault(_key(canon), canon)
    return table


_DOMAINS = {d: canon for canon, (_, domains) in OUTLETS.items() for d in domains}
_DOMAIN_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?([^/\s:?#]+\.[a-z]{2,})(?:[:/?#].*)?$", re.I)


def outlet_name(source_or_domain: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """An article's outlet as one normalised name: "bbc.co.uk", "BBC News" -> "BBC".

    Unknown domains give the host without "www."; unknown names are kept without a leading
    "The", so that "The Harbour Beacon" and a credit to "the Harbour Beacon" meet.
    """
    if not source_or_domain or not source_or_domain.strip():
        return None
    raw = source_or_domain.strip()
    table = _alias_table(aliases)
    m = _DOMAIN_RE.match(raw)
    if m and " " not in raw:
        host = m.group(1).lower()
        host = re.sub(r"^(?:www\d?|m|amp|mobile)\.", "", host)
        parts = host.split(".")
        for i in range(len(parts) - 1):  # news.bbc.co.uk -> bbc.co.uk -> co.uk
            if ".".join(parts[i:]) in _DOMAINS:
                return _DOMAINS[".".join(parts[i:])]
        if _key(host) in table:
            return table[_key(host)]
        return host
    if _key(raw) in table:
        return table[_key(raw)]
    return re.sub(r"^(?:the)\s+", "", re.sub(r"\s+", " ", raw), flags=re.I)


# --- the cue rules ------------------------------------------------------------------------

_W = r"[A-Z][\w’'&.-]*[\w]|[A-Z]"  # a capitalised word
_CONNECT = r"(?:of|the|and|de|du|al|for|&)"
# A name: capitalised words, with lower-case connectors inside ("Voice of America").
NAME = rf"(?:{_W})(?:[ \t]+(?:{_CONNECT}[ \t]+)?(?:{_W})){{0,5}}"
_ADV = r"(?:(?:also|first|previously|earlier|originally|later|has|had|have|was|were|exclusively|" \
       r"now|late\s+on\s+\w+|on\s+\w+)\s+){0,3}"
_REPORT_VERBS = (r"reported|reports|revealed|reveals|disclosed|discloses|learned|learnt|obtained|"
                 r"broke\s+the\s+news|published|found|quoted|cited|wrote|writes|understands|"
                 r"understood|confirmed|confirms|said|says|stated|noted|added|claimed|claims|"
                 r"announced|estimated|estimates|broadcast|aired")
_DOCS = (r"investigation|report|reports|analysis|interview|survey|documentary|inquiry|probe|"
         r"exclusive|story|article|review|footage|investigators|reporter|reporters|"
         r"correspondent|journalists?|team|poll|data")
_DASH = r"[-—–]{1,2}"

_RULES: list[tuple[str, re.Pattern[str]]] = [
    # "according to (a report by) the BBC"
    ("according-to", re.compile(
        rf"\b[Aa]ccording\s+to\s+(?:(?:a|an|the)\s+)?(?:(?:report|reports|reporting|data|figures)"
        rf"\s+(?:by|from|in)\s+(?:the\s+)?)?(?P<name>{NAME})")),
    # "the BBC (has) reported", "BBC also reported"
    ("reported", re.compile(rf"(?P<name>{NAME})\s+{_ADV}(?:{_REPORT_VERBS})\b")),
    # "told the BBC", "speaking to Reuters", "in an interview with CNN"
    ("told", re.compile(
        rf"\b(?:told|tells|telling|[Ss]peaking\s+to|spoke\s+to|speaks\s+to|[Tt]alking\s+to|talked\s+to|"
        rf"[Ii]n\s+an\s+interview\s+with|in\s+a\s+statement\s+to|interviewed\s+by|confirmed\s+to)"
        rf"\s+(?:the\s+)?(?P<name>{NAME})")),
    # "a BBC investigation found", "the Guardian's analysis"
    ("investigation", re.compile(
        rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<name>{NAME})(?:’s|'s)?\s+(?:{_DOCS})\b|"
        rf"(?P<name2>{NAME})(?:’s|'s)\s+(?:own\s+)?(?:{_DOCS})\b")),
    # "first reported by the BBC", "quoted by AFP"
    ("reported-by", re.compile(
        rf"\b(?:reported|[Rr]eporting|revealed|broken|published|obtained|quoted|cited|seen|aired|broadcast|"
        rf"filmed|carried|confirmed)\s+(?:first\s+)?by\s+(?:the\s+)?(?P<name>{NAME})")),
    # "reports the BBC", "said Colonel Ryan Dillon" (inverted)
    ("inverted", re.compile(
        rf"\b(?:reported|reports|said|says|added|wrote|writes)\s+(?:the\s+)?(?P<name>{NAME})")),
    # "via Reuters"
    ("via", re.compile(rf"\b[Vv]ia\s+(?:the\s+)?(?P<name>{NAME})")),
    # "WASHINGTON (AP) —", "LONDON, Oct 17 (Reuters) -"
    ("dateline", re.compile(rf"\((?P<name>{NAME})\)\s*{_DASH}")),
    # "Daily Mail:" alone on a line, or opening a paragraph
    ("label", re.compile(rf"(?m)^[ \t]*(?:(?:From|Via|Source|Credit|Courtesy(?:\s+of)?)\s*:?\s+(?:the\s+)?)?"
                         rf"(?P<name>{NAME})[ \t]*:[ \t]*$")),
    ("label", re.compile(rf"(?m)^[ \t]*(?:Source|Credit|Courtesy(?:\s+of)?|From|Via)\s*:\s*(?:the\s+)?(?P<name>{NAME})")),
    # "By Jane Doe, Associated Press", "Jane Doe | Reuters"
    ("byline", re.compile(rf"(?m)^[ \t]*By\s+{NAME}\s*(?:,|\||{_DASH}|\bof\b)\s*(?:the\s+)?(?P<name>{NAME})[ \t]*$")),
    # "The Associated Press contributed to this report", "— Reuters" alone on a line
    ("byline", re.compile(rf"(?:^|(?<=[.\n]))[ \t]*(?:[Tt]he\s+)?(?P<name>{NAME})\s+contributed\s+(?:to\s+)?(?:this|the)\s+(?:report|story|article)")),
    ("byline", re.compile(rf"(?m)^[ \t]*{_DASH}[ \t]*(?:the\s+)?(?P<name>{NAME})[ \t]*$")),
]
_MEDIA_ONLY = {"investigation", "reported-by", "via", "dateline", "label", "byline"}
# Tests a text passes wherever its rule matches, by position in _RULES: a text failing one
# skips the rule's scan, which tries a name at every capitalised word (or the rule's cue at
# every position). Each test is implied by any match of its rule, so the credits are the
# same (tests/test_attributions.py compares with the plain scan); plain substrings go first
# as they cost far less than a regex. scan_credits over the 10k news corpus's texts: 9.3 ->
# 5.3 s CPU.


def _contains(*words: str) -> Callable[[str], bool]:
    return lambda text: any(w in text for w in words)


def _finds(pattern: str) -> Callable[[str], bool]:
    search = re.compile(pattern).search
    return lambda text: search(text) is not None


def _both(first: Callable[[str], bool], then: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda text: first(text) and then(text)


def _dash_opens_a_line(text: str) -> bool:
    return text.lstrip(" \t")[:1] in ("-", "—", "–") or re.search(r"\n[ \t]*[-—–]", text) is not None


_NEEDS: dict[int, Callable[[str], bool]] = {
    0: _both(_contains("ccording"), _finds(r"[Aa]ccording\s+to")),
    # the rule's cues, each alternative opening with a letter (so re skips to those), before a capital
    2: _finds(r"(?:told|tells|telling|Speaking\s+to|speaking\s+to|spoke\s+to|speaks\s+to|Talking\s+to|"
              r"talking\s+to|talked\s+to|In\s+an\s+interview\s+with|in\s+an\s+interview\s+with|"
              r"in\s+a\s+statement\s+to|interviewed\s+by|confirmed\s+to)\s+(?:the\s+)?[A-Z]"),
    # a capitalised word (the name's last, with any 's) before the document word
    3: _finds(rf"[A-Z][\w’'&.-]*\s+(?:own\s+)?(?:{_DOCS})\b"),
    # every cue verb ends in "ed" or "ing", or is "seen", "broken" or "broadcast"
    4: _finds(r"(?:ed|ing|seen|broken|broadcast)\s+(?:first\s+)?by\s"),
    6: _both(_contains("via", "Via"), _finds(r"[Vv]ia\s")),  # no leading \b: it stops re from skipping to a V
    8: _finds(r"(?m):[ \t]*$"),  # a name and a colon end the line
    9: _both(_contains(":"), _finds(r"(?:Source|Credit|Courtesy|From|Via)\s*(?:of\s*)?:")),
    10: _both(_contains("By"), _finds(r"(?m)^[ \t]*By\s")),
    11: _both(_contains("contributed"), _finds(r"\scontributed\s")),
    12: _dash_opens_a_line,
}


def classify_name(name: str, table: dict[str, str]) -> tuple[str, str]:
    """(kind, normalised name) for a credited name: media / person / organisation."""
    if _key(name) in table:
        return "media", table[_key(name)]
    words = re.findall(r"[\w’'.-]+", name)
    lowered = [w.lower().strip(".") for w in words]
    if "." in name and " " not in name and _DOMAIN_RE.match(name):
        return "media", outlet_name(name)
    if lowered and lowered[0] in PERSON_TITLES and len(words) > 1:
        return "person", " ".join(w for w, lw in zip(words, lowered) if lw not in PERSON_TITLES)
    if any(w in MEDIA_WORDS for w in lowered):
        return "media", outlet_name(name)
    if any(w in ORG_WORDS for w in lowered) or (len(words) == 1 and name.isupper()):
        return "organisation", name
    return "person", name


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop sentence-starting words ("But", "The", "One") from the front of a name."""
    while True:
        m = re.match(r"([\w’']+)\s+", text[start:end])
        if not m or m.group(1).lower() not in _LEADING:
            return start, end
        start += m.end()


def _known_part(name: str, table: dict[str, str]) -> tuple[int, int]:
    """The known outlet that starts a matched name ("Reuters In Paris" -> "Reuters"), else all."""
    if _key(name) in table:
        return 0, len(name)
    words = list(re.finditer(r"\S+", name))
    for j in range(len(words) - 1, -1, -1):  # a known prefix only: "John Fox" is no Fox News
        if _key(name[:words[j].end()]) in table:
            return 0, words[j].end()
    return 0, len(name)


def find_attributions(article: Article, aliases: dict[str, str] | None = None) -> list[Attribution]:
    """Every credit in the article, sorted by position; one per credited name occurrence."""
    own = outlet_name(article.source or _host(article.url), aliases)
    return attributions_for(article.id, scan_credits(article.analysis_text, aliases), own)


# A credit found in a text, before it is tied to an article:
# (span, cue, source, source_span, kind, pattern).
Credit = tuple[Span, str, str, Span, str, str]


def scan_credits(text: str, aliases: dict[str, str] | None = None) -> list[Credit]:
    """The credits in ``text`` (the rules' work); depends on the text and aliases only, so
    callers may scan each distinct text once (a wire story carried by many sites)."""
    alias_items = tuple((aliases or {}).items())
    found: dict[tuple[int, int], Credit] = {}
    for k, (pattern, rx) in enumerate(_RULES):
        needs = _NEEDS.get(k)
        if needs is not None and not needs(text):
            continue
        for m in rx.finditer(text):
            group = "name" if m.group("name") else "name2"
            s0, e0 = m.span(group)
            read = _read_name(text[s0:e0], alias_items)
            if read is None:
                continue
            ds, de, kind, source = read
            if pattern in _MEDIA_ONLY and kind != "media":
                continue  # "a Pentagon investigation", "(Reuters-free) —" carry no media credit
            s, e = s0 + ds, s0 + de
            if (s, e) in found:
                continue  # the first (most specific) rule wins for one name occurrence
            cue_start = min(m.start(), s)
            found[(s, e)] = ((cue_start, m.end()), text[cue_start:m.end()], source, (s, e), kind, pattern)
    return sorted(found.values(), key=lambda c: (c[0], c[3]))


@functools.lru_cache(maxsize=8192)
def _read_name(raw: str, alias_items: tuple[tuple[str, str], ...]) -> tuple[int, int, str, str] | None:
    """A matched name as credited: (start, end) within ``raw``, kind, normalised source; None
    when it is no name. Depends on the matched text only, so names met again ("Reuters",
    "Elena Marsh said") are read once."""
    table = _cached_alias_table(alias_items)
    s, e = _trim_name(raw, 0, len(raw))
    owner = re.match(r"(.+?)(?:'s|’s)(?:\s|$)", raw[s:e])
    if owner and _key(owner.group(1)) in table:  # "the BBC's Newsnight" credits the BBC
        e = s + len(owner.group(1))
    ks, ke = _known_part(raw[s:e], table)
    s, e = s + ks, s + ke
    name = raw[s:e].rstrip(".’'")
    e = s + len(name)
    if not name or name.lower() in _NOT_NAMES or not name[0].isupper() and name not in table:
        return None
    kind, source = classify_name(name, table)
    return s, e, kind, source


def attributions_for(article_id: str, credits: list[Credit], own: str | None) -> list[Attribution]:
    """An article's Attributions from the credits in its text; ``own`` is its outlet, so a
    credit to it is marked ``self``."""
    out = []
    for span, cue, source, source_span, kind, pattern in credits:
        extra = {"self": True} if kind == "media" and same_outlet(source, own) else {}
        out.append(Attribution(article_id, span, cue, source, source_span, kind, pattern, extra))
    return out


def same_outlet(credited: str | None, outlet: str | None) -> bool:
    """A credit names this outlet: equal names, or a short form ("Gazette" of "Varnholt Gazette")."""
    if not credited or not outlet:
        return False
    if credited == outlet:
        return True
    cw, ow = set(_key(credited).split()), _key(outlet).split()
    if len(cw) == 1 and ow and ow[-1] in cw and len(ow) > 1:
        return True  # "told the Times" in the Velmora Times: an outlet calling itself by its last word
    if credited in OUTLETS and outlet in OUTLETS:
        return False  # two different well-known outlets ("The Times" is not "New York Times")
    return bool(cw) and cw <= set(ow) and not cw <= {"news", "daily", "times", "post", "mail"}


def media_credits(attributions: list[Attribution]) -> list[Attribution]:
    """Credits to outlets other than the article's own."""
    return [a for a in attributions if a.kind == "media" and not a.extra.get("self")]


def _host(url: str | None) -> str | None:
    if not url:
        return None
    m = _DOMAIN_RE.match(url.strip())
    return m.group(1) if m else None
