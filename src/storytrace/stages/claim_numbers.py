"""Number expressions in English news text, normalised to intervals. Regex only, no model.

Finds digits ("3,500", "7.1", "£3,000", "$2.5bn"), number words ("four", "two hundred and
fifty"), ranges ("six to seven", "500 or 600", "between 5 and 10"), bounds ("almost 50",
"more than 100", "at least 225", "up to 300"), vague quantities ("hundreds", "a few dozen",
"tens of thousands") and dates ("October 12", "12 Oct 2017", "on Monday"). Each becomes a
``NumberExpr`` with ``[low, high]`` in the expression's own unit (``None`` = open bound).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .word_trie import trie_pattern

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
          "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
                 "b": 1_000_000_000, "tn": 1_000_000_000_000}

_UNIT_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_SCALE_WORD = "hundred|thousand|million|billion|trillion"
_WORDNUM = (rf"(?:(?:{_UNIT_WORD})(?:-(?:{_UNIT_WORD}))?|an?(?=\s+(?:{_SCALE_WORD})))"
            rf"(?:[\s-]+(?:and\s+)?(?:{_SCALE_WORD}|{_UNIT_WORD})(?:-(?:{_UNIT_WORD}))?)*")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CURRENCY = r"(?:US\$|A\$|C\$|HK\$|[£$€¥₹]|(?:USD|GBP|EUR)\s?)"
# A single number: digits with an optional scale ("2.5 million", "$3bn") or number words.
_CORE = (rf"(?:{_CURRENCY})?(?:(?:{_DIGITS})(?:\s?(?:{_SCALE_WORD})\b|(?:bn|mn|tn|m|k|b)\b(?=\s|[.,;:!?)]|$))?"
         rf"|\b{_WORDNUM}\b)")

_VAGUE_MULT = r"(?:a\s+few|a\s+couple\s+of|several|many|some|a\s+handful\s+of)"
_VAGUE = (rf"(?:(?:{_VAGUE_MULT})\s+)?(?:tens|hundreds|thousands|millions|billions|dozens|scores)"
          rf"(?:\s+of\s+(?:thousands|millions|billions))?"
          rf"|(?:{_VAGUE_MULT})\s+(?:dozen|hundred|thousand|million|billion)\b"
          rf"|half\s+a\s+dozen|a\s+dozen")

# Modifiers before the number, longest first so "just over" wins over "just".
_MODIFIERS = {
    "approx": ["approximately", "an estimated", "estimated", "roughly", "around", "about", "some",
               "circa", "approx.", "or so", "round about", "in the region of"],
    "almost": ["almost", "nearly", "just under", "close to", "just shy of", "not quite"],
    "over": ["more than", "over", "upwards of", "in excess of", "well over", "just over",
             "above", "exceeding"],
    "at_least": ["at least", "no fewer than", "no less than", "a minimum of"],
    "under": ["fewer than", "less than", "under", "below"],
    "at_most": ["up to", "at most", "no more than", "a maximum of", "as many as", "not more than"],
    "exact": ["only", "just", "exactly", "precisely", "a total of", "a further", "another",
              "all", "the"],
}
_MOD_LOOKUP = {w: k for k, ws in _MODIFIERS.items() for w in ws}
_MOD_RE = "|".join(re.escape(w) for w in sorted(_MOD_LOOKUP, key=len, reverse=True))

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()} | {"sept": 9}
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
             r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_RE})(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH_RE})\s+(?P<y3>(?:19|20)\d\d)"
    rf"|(?P<wd>(?:last\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
    rf"|(?P<rel>yesterday|today|tonight|this\s+morning|last\s+night))\b")
_YEAR = re.compile(r"\b(?:in|since|by|of|until|from|during|before|after)\s+(?P<y>(?:19|20)\d\d)\b(?![,.]?\d)")

# Cheap anchors for the expensive patterns; the word lists as tries (see word_trie.py).
ANCHOR = re.compile(r"\d|\b" + trie_pattern(
    [*_UNITS, "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
     "billions", "dozen", "dozens", "scores", "tens"]) + r"\b", re.IGNORECASE)
_DATE_ANCHOR = re.compile(r"\b(?:" + trie_pattern(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon", "tue",
     "wed", "thu", "fri", "sat", "sun", "yesterday", "today", "tonight"])
    + r"|this\s+morning|last\s+night)", re.IGNORECASE)


# Words that may stand before a number's first digit or word: modifiers, "between", a
# vague multiplier ("a few"), an article before a scale ("a hundred").
_LEAD_WORDS = {w for phrase in list(_MOD_LOOKUP) + ["between", "from", "a few", "a couple of", "several",
                                                    "many", "some", "a handful of", "half a", "a", "an"]
               for w in phrase.split()}
_LEAD_TOKEN = re.compile(r"\S+")


def _lead_starts(text: str, lo: int, a: int) -> list[int]:
    """Candidate starts of the expression holding the anchor at ``a``: earliest first."""
    starts = [a]
    j = a
    while j > 0 and text[j - 1] in "£$€¥₹":
        j -= 1
    if j != a:
        starts.append(j)
    toks = list(_LEAD_TOKEN.finditer(text, lo, j))
    for tok in reversed(toks[-6:]):
        if tok.end() < j - 1 and not text[tok.end():j].isspace():
            break
        if tok.group().lower() not in _LEAD_WORDS:
            break
        starts.append(tok.start())
        j = tok.start()
    return sorted(set(starts))


def has_figures(text: str, start: int = 0, end: int | None = None) -> bool:
    """Cheap test: could ``text[start:end]`` hold a number expression or a date at all?"""
    end = len(text) if end is None else end
    return bool(ANCHOR.search(text, start, end) or _DATE_ANCHOR.search(text, start, end))


_EXPR = re.compile(
    rf"(?P<mods>(?:(?:{_MOD_RE})\s+)*)"
    rf"(?:(?P<between>between|from)\s+)?"
    rf"(?:(?P<vague>\b(?:{_VAGUE}))\b|(?P<n1>{_CORE}))"
    rf"(?:(?P<sep>\s*[-–—]\s*|\s+(?:to|or|and)\s+)(?P<n2>(?:{_MOD_RE}\s+)?{_CORE}))?"
    rf"(?P<pct>\s*%|\s+per\s?cent\b|\s+percent\b|\s+percentage\s+points?\b)?",
    re.IGNORECASE)

_DISTANCE = {"km": "km", "kilometre": "km", "kilometer": "km", "kms": "km", "mile": "miles",
             "metre": "m", "meter": "m", "m": "m", "foot": "feet", "feet": "feet", "ft": "feet",
             "yard": "yards", "cm": "cm", "centimetre": "cm", "mm": "mm", "nautical mile": "nautical miles"}
_DURATION = {"second": "seconds", "minute": "minutes", "hour": "hours", "hr": "hours",
             "day": "days", "week": "weeks", "month": "months", "year": "years",
             "decade": "decades", "century": "centuries", "fortnight": "fortnights"}
_WEIGHT = {"tonne": "tonnes", "ton": "tons", "kg": "kg", "kilogram": "kg", "kilo": "kg",
           "gram": "g", "lb": "lb", "pound weight": "lb", "ounce": "ounces"}
_CURRENCY_WORDS = {"dollar": "USD", "pound": "GBP", "euro": "EUR", "yen": "JPY", "rupee": "INR",
                   "yuan": "CNY", "rouble": "RUB", "ruble": "RUB", "franc": "CHF", "sterling": "GBP"}
_CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "us$": "USD", "€": "EUR", "¥": "JPY", "₹": "INR",
                   "a$": "AUD", "c$": "CAD", "hk$": "HKD", "usd": "USD", "gbp": "GBP", "eur": "EUR"}
_UNIT_AFTER = re.compile(
    r"\s*(?:-|\s)?(?P<u>nautical miles?|kilometres?|kilometers?|kms?|miles?|metres?|meters?|feet|foot|ft|"
    r"yards?|centimetres?|cm|mm|seconds?|minutes?|hours?|hrs?|days?|weeks?|months?|years?|decades?|"
    r"centuries|century|fortnights?|tonnes?|tons?|kilograms?|kilos?|kg|grams?|lbs?|ounces?|"
    r"dollars?|pounds?|euros?|yen|rupees?|yuan|roubles?|rubles?|francs?|sterling|degrees?|"
    r"m)\b(?P<old>[\s-]old)?", re.IGNORECASE)
_MAGNITUDE = re.compile(r"magnitude(?:[\s-]+(?:of\s+)?)?$|\bmagnitude\b", re.IGNORECASE)

# Patterns used per number, compiled once (not rebuilt from f-strings per call).
_CURRENCY_RE = re.compile(_CURRENCY, re.IGNORECASE)
_DIGITS_SCALE = re.compile(rf"({_DIGITS})\s?([a-z]+)?$", re.IGNORECASE)
_MOD_WORDS = re.compile(_MOD_RE, re.IGNORECASE)
_LEADING_MOD = re.compile(rf"^(?:{_MOD_RE})\s+", re.I)
_MOD_THEN_SPACE = re.compile(rf"(?:{_MOD_RE})\s", re.I)


@dataclass
class NumberExpr:
    start: int
    end: int
    low: float | None
    high: float | None
    kind: str = "count"  # count|money|percent|distance|duration|weight|magnitude|age|date|temperature
    unit: str | None = None
    approximate: bool = False
    vague: bool = False
    date: str | None = None  # ISO date (or partial: "--10-12", "2017") for kind == "date"
    modifier: str | None = None
    extra: dict = field(default_factory=dict)


def words_to_number(text: str) -> float | None:
    """'two hundred and fifty' -> 250; 'a thousand' -> 1000; None when not a number."""
    total, current, seen = 0, 0, False
    for tok in re.split(r"[\s-]+", text.lower()):
        if not tok or tok == "and":
            continue
        if tok in ("a", "an"):
            current = current or 1
            continue
        if tok in _UNITS:
            current += _UNITS[tok]
            seen = True
        elif tok == "hundred":
            current = (current or 1) * 100
            seen = True
        elif tok in _SCALES:
            total += (current or 1) * _SCALES[tok]
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def parse_core(text: str) -> tuple[float | None, str | None]:
    """One number (digits, words, with scale and currency) -> (value, currency code or None)."""
    t = text.strip()
    currency = None
    m = _CURRENCY_RE.match(t)
    if m:
        currency = _CURRENCY_SIGNS.get(m.group().strip().lower())
        t = t[m.end():].strip()
    m = _DIGITS_SCALE.match(t)
    if m:
        value = float(m.group(1).replace(",", ""))
        scale = (m.group(2) or "").lower()
        if scale in _SCALES:
            value *= _SCALES[scale]
        elif scale in _SHORT_SCALES and currency:
            value *= _SHORT_SCALES[scale]
        elif scale:
            return None, currency
        return value, currency
    return words_to_number(t), currency


_VAGUE_BASE = {"dozens": (24, 144), "scores": (40, 199), "tens": (20, 99), "hundreds": (200, 999),
               "thousands": (2_000, 9_999), "millions": (2_000_000, 999_999_999),
               "billions": (2e9, 999e9)}
_VAGUE_MULT_RANGE = {"a few": (2, 5), "a couple of": (2, 3), "several": (3, 9), "many": (2, 9),
                     "some": (2, 9), "a handful of": (2, 6)}
_UNIT_OF = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
            "billion": 1_000_000_000}


def vague_interval(text: str) -> tuple[float, float]:
    """'hundreds' -> (200, 999); 'a few dozen' -> (24, 60); 'tens of thousands' -> (20000, 99999)."""
    t = re.sub(r"\s+", " ", text.lower()).strip()
    if t == "a dozen":
        return 12, 12
    if t == "half a dozen":
        return 6, 6
    mult = None
    for key in sorted(_VAGUE_MULT_RANGE, key=len, reverse=True):
        if t.startswith(key + " "):
            mult, t = key, t[len(key) + 1:]
            break
    if t in _UNIT_OF:  # "several hundred", "a few dozen"
        lo, hi = _VAGUE_MULT_RANGE[mult or "several"]
        return lo * _UNIT_OF[t], hi * _UNIT_OF[t]
    m = re.match(r"(\w+)(?: of (\w+))?$", t)
    base = _VAGUE_BASE.get(m.group(1), (2, 9)) if m else (2, 9)
    lo, hi = base
    if m and m.group(2):  # "tens of thousands", "hundreds of millions"
        inner = _VAGUE_BASE[m.group(2)][0] / 2  # thousands -> 1000
        lo, hi = lo * inner, (hi + 1) * inner - 1
    # "many hundreds" / "some hundreds" keep the plain range; "a few"/"several" narrow it
    if mult in ("a few", "several", "a couple of"):
        unit = lo / 2 if m and m.group(1) in ("hundreds", "thousands", "millions") else None
        if unit:
            mlo, mhi = _VAGUE_MULT_RANGE[mult]
            lo, hi = max(lo, mlo * unit), min(hi, mhi * unit)
    return lo, hi


def _round_count(value: float) -> float:
    return float(round(value))


def apply_modifier(mod: str | None, low: float, high: float, integer: bool) -> tuple[float | None, float | None, bool]:
    """Widen or open an interval by its modifier; returns (low, high, approximate)."""
    step = 1 if integer else 0
    if mod == "approx":
        lo, hi = low * 0.9, high * 1.1
        if integer:
            lo, hi = float(int(lo) + (lo > int(lo))), float(int(hi))
        return lo, hi, True
    if mod == "almost":
        lo = low * 0.9
        return (float(int(lo) + (lo > int(lo))) if integer else lo), high, True
    if mod == "over":
        return low + step, None, False
    if mod == "at_least":
        return low, None, False
    if mod == "under":
        return None, high - step, False
    if mod == "at_most":
        return None, high, False
    return low, high, False


def _is_integer(value: float | None) -> bool:
    return value is not None and float(value).is_integer()


def find_numbers(text: str, start: int = 0, end: int | None = None,
                 published: str | None = None) -> list[NumberExpr]:
    """Every number expression in ``text[start:end]``, sorted by position, dates included."""
    end = len(text) if end is None else end
    found: list[NumberExpr] = find_dates(text, start, end, published)
    taken = [(d.start, d.end) for d in found]
    pos = start
    for anchor in ANCHOR.finditer(text, start, end):
        if anchor.start() < pos:
            continue
        # The expression regex is only *matched* at a few start positions found by looking
        # back from a cheap anchor (a digit or a number word): searching it from every
        # position cost 70% of the stage.
        a = anchor.start()
        m = None
        for begin in _lead_starts(text, max(pos, a - 64), a):
            m = _EXPR.match(text, begin, end)
            if m is not None and m.end() > a:
                break
            m = None
        if m is None:
            continue
        expr = _expression(text, m, end)
        if expr is None:
            pos = max(pos, anchor.end())
            continue
        pos = max(expr.end, anchor.end())
        if not any(s < expr.end and expr.start < e for s, e in taken):
            found.append(expr)
            taken.append((expr.start, expr.end))
    found.sort(key=lambda e: (e.start, e.end))
    return found


_CHANGE_VERB = re.compile(r"\b(?:rose|risen|rising|rises|increased|increasing|climbed|climbing|jumped|"
                          r"fell|fallen|dropped|grew|grown|up|down|revised|raised|lowered|doubled)\s*$", re.I)


def _expression(text: str, m: re.Match, limit: int) -> NumberExpr | None:
    n1, n2, vague = m.group("n1"), m.group("n2"), m.group("vague")
    core_start = m.start("vague") if vague else m.start("n1")
    core_end = m.end("vague") if vague else m.end("n1")
    prev = text[core_start - 1:core_start] if core_start else ""
    # numbers glued to letters or other numbers are names/codes: AK47, COVID-19, 10:30, 3/4
    if prev and (prev.isalnum() or prev in "/:#_.") or (
            prev == "-" and core_start >= 2 and text[core_start - 2].isalnum()):
        return None
    nxt = text[core_end:core_end + 3]
    if re.match(r"[:/]\d|\.\d|(?:st|nd|rd|th)\b|[a-zA-Z]\d", nxt):
        return None
    mods_text = m.group("mods") or ""
    mods = _MOD_WORDS.findall(mods_text)
    modifier = _MOD_LOOKUP.get(mods[-1].lower()) if mods else None
    # a leading "the"/"all"/"another" is not part of the figure as written
    lead = re.match(r"(?:(?:the|all|another|a further)\s+)+", mods_text, re.IGNORECASE)
    expr_start = m.start() + (lead.end() if lead else 0)
    if m.group("between"):
        if _CHANGE_VERB.search(text[max(0, m.start("between") - 12):m.start("between")]):
            n2 = None  # "rose from 20 to 45": two figures, not a range
            expr_start = core_start
        else:
            expr_start = min(expr_start, m.start("between"))
    currency = None
    approximate = vague_flag = False
    if vague:
        low, high = vague_interval(vague)
        vague_flag = approximate = True
        n2 = None
    else:
        v1, currency = parse_core(n1)
        if v1 is None:
            return None
        if n1.strip().lower() in ("one", "zero") and not n2:
            return None  # "one driver said": an article, not a figure
        low = high = v1
        if n2:
            sep = (m.group("sep") or "").strip().lower()
            v2, cur2 = parse_core(_LEADING_MOD.sub("", n2))
            ok = (v2 is not None and v2 >= v1 and (sep != "and" or m.group("between"))
                  and not _MOD_THEN_SPACE.match(n2))
            if ok:
                currency = currency or cur2
                high = v2
                core_end = m.end("n2")
            else:
                n2 = None  # "13 buses and 100 vehicles": two figures; the next search finds the second
    if not vague and re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|BST\b|UTC\b|o['’]clock\b|hrs\b|h\b)",
                              text[core_end:core_end + 8], re.I):
        return None  # a time of day, not a quantity
    kind = "count"
    pct = m.group("pct")
    if pct and (vague is None) and (n2 is None and m.start("pct") == m.end("n1") or n2 is not None):
        kind, core_end = "percent", m.end("pct")
    integer = kind == "count" and _is_integer(low) and _is_integer(high)
    low_, high_, approx_mod = apply_modifier(modifier, low, high, integer)
    if vague and modifier in ("approx", "exact"):
        low_, high_ = low, high
    expr = NumberExpr(expr_start, core_end, low_, high_, kind=kind, unit=None,
                      approximate=approximate or approx_mod, vague=vague_flag, modifier=modifier)
    if currency:
        expr.kind, expr.unit = "money", currency
    elif kind == "percent":
        expr.unit = "%"
    else:
        _attach_unit(text, expr, limit)
        if expr.kind != "count" and integer and modifier:
            # durations and distances are continuous: "almost four months" is 3.6-4, not 4-4
            expr.low, expr.high, _ = apply_modifier(modifier, low, high, False)
    if expr.kind == "count" and not vague and n2 is None and modifier is None and \
            re.fullmatch(r"(?:19|20)\d\d", n1.strip()):
        return None  # a bare year ("2017"): find_dates handles "in 2017"
    if re.search(r"\bmagnitude[\s-]*(?:of\s+)?$", text[max(0, expr.start - 14):expr.start], re.I) or \
            re.match(r"[\s-]*magnitude\b", text[expr.end:expr.end + 12], re.I):
        expr.kind, expr.unit = "magnitude", "magnitude"
    return expr


def _attach_unit(text: str, expr: NumberExpr, limit: int) -> None:
    m = _UNIT_AFTER.match(text, expr.end, limit)
    if not m:
        return
    u = m.group("u").lower()
    base = re.sub(r"(?<=[a-z])s$", "", u) if u not in ("feet", "centuries", "yen", "mm", "kms", "hrs", "lbs") else u
    base = {"centuries": "century", "kms": "km", "hrs": "hr", "lbs": "lb"}.get(base, base)
    if m.group("old") and base == "year":
        expr.kind, expr.unit, expr.end = "age", "years", m.end()
        return
    if base == "m" and expr.kind == "count" and not re.match(r"\s*(?:long|high|wide|deep|tall|away|\.|,)", text[m.end():m.end() + 8]):
        if not re.match(r"\d", text[expr.end - 1:expr.end]) or text[expr.end:expr.end + 1] == " ":
            return  # "5 m" only when clearly a length; "5m" glued is metres
    if base in _DISTANCE:
        expr.kind, expr.unit = "distance", _DISTANCE[base]
    elif base in _DURATION:
        expr.kind, expr.unit = "duration", _DURATION[base]
    elif base in _WEIGHT:
        expr.kind, expr.unit = "weight", _WEIGHT[base]
    elif base in _CURRENCY_WORDS:
        expr.kind, expr.unit = "money", _CURRENCY_WORDS[base]
    elif base == "degree":
        expr.kind, expr.unit = "temperature", "degrees"
    else:
        return
    expr.end = m.end() if not m.group("old") else m.start("old")


def find_dates(text: str, start: int, end: int, published: str | None) -> list[NumberExpr]:
    """Calendar dates, weekdays and 'yesterday', normalised against the publication date."""
    pub = _parse_iso(published)
    out: list[NumberExpr] = []
    for m in (_DATE.finditer(text, start, end) if _DATE_ANCHOR.search(text, start, end) else ()):
        iso = None
        if m.group("wd") or m.group("rel"):
            iso = _relative_date(m.group("wd") or m.group("rel"), pub)
            if iso is None:
                continue
        else:
            month_txt = (m.group("m1") or m.group("m2") or m.group("m3")).rstrip(".").lower()
            month = _MONTHS.get(month_txt) or _MONTH_ABBR.get(month_txt[:4] if month_txt.startswith("sept") else month_txt[:3])
            if month_txt in ("may", "mar", "jun", "jan") and m.group("m3") and not m.group("y3"):
                continue
            day_txt = m.group("d1") or m.group("d2")
            year_txt = m.group("y1") or m.group("y2") or m.group("y3")
            if month_txt == "may" and not day_txt:
                continue
            day = int(day_txt) if day_txt else None
            if day is not None and not 1 <= day <= 31:
                continue
            year = int(year_txt) if year_txt else None
            if year is None and pub is not None:
                year = pub.year - (1 if month > pub.month + 1 else 0)  # "December" read in January
            if year and day:
                try:
                    iso = dt.date(year, month, day).isoformat()
                except ValueError:
                    continue
            elif year:
                iso = f"{year:04d}-{month:02d}"
            else:
                iso = f"--{month:02d}-{day:02d}"
        out.append(NumberExpr(m.start(), m.end(), None, None, kind="date", unit="date", date=iso))
    for m in _YEAR.finditer(text, start, end):
        if any(d.start <= m.start("y") < d.end for d in out):
            continue
        out.append(NumberExpr(m.start("y"), m.end("y"), None, None, kind="date", unit="date",
                              date=m.group("y")))
    return out


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _relative_date(word: str, pub: dt.date | None) -> str | None:
    if pub is None:
        return None
    w = re.sub(r"\s+", " ", word.lower())
    if w in ("today", "tonight", "this morning"):
        return pub.isoformat()
    if w in ("yesterday", "last night"):
        return (pub - dt.timedelta(days=1)).isoformat()
    last = w.startswith("last ")
    target = _WEEKDAYS.index(w.split()[-1])
    delta = (pub.weekday() - target) % 7
    if last and delta == 0:
        delta = 7
    return (pub - dt.timedelta(days=delta)).isoformat()
