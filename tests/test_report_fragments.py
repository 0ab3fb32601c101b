"""The dossier's hot loops are built in Python (report.html) instead of in the templates;
they must print exactly what the template code they replaced printed, hostile text
included. The old template code is kept here verbatim and rendered with the same
environment (autoescape, control characters dropped) as the reference."""
from __future__ import annotations

import functools
import random

import pytest

from storytrace.report.bundle import SentenceIndex, sentences
from storytrace.report.html import (StaticLinker, _env, article_html, article_items_html, article_list_html,
                                    claim_rows_html, outlet_rows_html, pager_html, quote_groups_html, src_html,
                                    verdict_html)
from storytrace.report.markdown import md

NASTY = ['<script>alert("x")</script>', "a & b 'c' \"d\"", "ctl\x07\x1b[31m\x85 end", "", None, "tab\tnew\nline",
         "[x](javascript:y) **b** `c` | d", "“quoted” — dash…", "2026-03-01T08:00:00Z", "2026-03-01", "garbage"]

OLD_MACROS = """{% macro outlet(name) %}{{ name or "(unknown outlet)" }}{% endmacro %}
{% macro src(link, ref, label="source sentence") %}{% if ref %}<a class="small" href="{{ link.sentence(ref) }}">{{ label }}</a>{% endif %}{% endmacro %}
{% macro verdict(v) %}<span class="verdict v-{{ v|cssname }}">{{ v or "?" }}</span>{% endmacro %}
{% macro diff(pieces) %}{% for op, text in pieces %}{% if op == "insert" %}<ins class="ins">{{ text }}</ins>{% elif op == "delete" %}<del class="del">{{ text }}</del>{% else %}{{ text }}{% endif %}{{ " " }}{% endfor %}{% endmacro %}
{% macro pager(link, d, current) %}{% if d.pages > 1 %}<p class="pager">Articles, page: {% for kind, p in pager_items(current, d.pages) %}{% if kind == "current" %}<b>{{ p }}</b>{% elif kind == "link" %}<a href="{{ link.articles_page(d, p) }}">{{ p }}</a>{% else %}… {% endif %}{% endfor %}</p>{% endif %}{% endmacro %}"""

OLD_CLAIMS = """{% for g in d.claim_groups %}<tr id="{{ g.id|cssname }}"><td>{{ g.subject }}</td><td>{{ m.verdict(g.verdict) }}</td><td>{{ g.independent_origins if g.independent_origins is not none else "?" }}</td>
<td>{% for c in g["values"] %}<div><b>{{ c.text }}</b>{% if c.attributed_to %} according to {{ c.attributed_to }}{% endif %} — {% for o in c.outlets[:6] %}{{ m.outlet(o.source) }} {{ m.src(link, o.ref, "↗") }}{% if not loop.last %}, {% endif %}{% endfor %}{% if c.count > c.outlets[:6]|length %} and {{ c.count - c.outlets[:6]|length }} more{% endif %}</div>{% endfor %}
{% if g.members_total > g.members|length %}<div class="muted">and {{ g.members_total - g.members|length }} more</div>{% endif %}
{% set lines = (g.explanation or "").split("\\n") %}<div class="muted small">{{ lines[0] }}</div>{% if lines|length > 1 %}<details class="small"><summary>evidence</summary><div class="text">{{ lines[1:]|join("\\n") }}</div></details>{% endif %}</td></tr>
{% endfor %}"""

OLD_QUOTES = """{% for q in d.quote_groups %}<div class="quote-group"><b>{{ q.speaker }}</b>: “{{ q.canonical }}”
<span class="muted">· {{ q.variants_total }} version{{ "" if q.variants_total == 1 else "s" }} in {{ q.outlets }} outlet{{ "" if q.outlets == 1 else "s" }}{% if q.independent_origins is not none %} · {{ q.independent_origins }} independent origin{{ "" if q.independent_origins == 1 else "s" }}{% endif %}</span>
<table class="small">{% for v in q.versions %}<tr><td>{{ v.fidelity }}</td><td>{{ m.diff(v.diff) }}</td><td>{% for o in v.outlets[:6] %}{{ m.outlet(o.source) }} {{ m.src(link, o.ref, "↗") }}{% if not loop.last %}, {% endif %}{% endfor %}{% if v.count > v.outlets[:6]|length %} and {{ v.count - v.outlets[:6]|length }} more{% endif %}</td></tr>{% endfor %}</table>
{% if q.variants_total > q.variants|length %}<div class="muted">and {{ q.variants_total - q.variants|length }} more versions</div>{% endif %}</div>
{% else %}<p class="muted">No quotes found.</p>{% endfor %}"""

OLD_OUTLETS = """{% for o in d.outlets %}<tr><td>{{ o.outlet }}</td><td>{{ o.first|when }}</td><td>{{ o.articles }}</td><td>{% if o.origins %}<span class="origin">origin</span>{% endif %}</td></tr>{% endfor %}"""

OLD_ARTICLE_LIST = """{% for a in rows %}<tr><td>{{ a.published|when }}</td><td>{{ m.outlet(a.source) }}</td>
<td><a href="{{ link.article(a) }}">{{ a.title or a.id }}</a>{% if a.href %} <a class="muted" rel="noopener noreferrer nofollow" href="{{ a.href }}">original</a>{% endif %}</td>
<td>{% if a.origin %}<span class="origin">origin</span>{% endif %}{% if a.duplicate_of %} <span class="muted">copy</span>{% endif %}{% if a.opinion_chars %} <span class="muted">opinion</span>{% endif %}{% if compare and a.duplicate_of %} <a class="small" href="{{ link.compare(a.id, a.duplicate_of) }}">compare</a>{% endif %}</td></tr>
{% endfor %}"""

OLD_ARTICLE_BODY = """<section class="article" id="{{ a.anchor }}">
<h2>{{ a.title or a.id }}</h2>
<p class="muted">{{ a.source or "(unknown outlet)" }} · {{ a.published|when }}{% if a.origin %} · <span class="origin">origin</span>{% endif %}{% if a.duplicate_of %} · copy of {{ a.duplicate_of }}{% endif %}
{% if a.href %} · <a rel="noopener noreferrer nofollow" href="{{ a.href }}">{{ a.href }}</a>{% elif a.url %} · {{ a.url }}{% endif %} · id {{ a.id }}</p>
{% if a.sources %}<p class="small">Takes from: {% for s in a.sources %}{{ s.label }} <span class="muted">({{ s.kind }}{% if s.uncredited %}, uncredited{% endif %})</span>{% if not loop.last %}; {% endif %}{% endfor %}</p>{% endif %}
<div class="text">{{ a.sentences|text_html }}</div>
</section>"""

OLD_ITEMS = """{% for a in items %}{% if a.same_text_as %}{# a verbatim copy #}
<section class="article copy" id="{{ a.anchor }}"><h2>{{ a.title or a.id }}</h2>
<p class="muted">{{ a.source or "(unknown outlet)" }} · {{ a.published|when }} · word for word the same text as <a href="{{ link.article(a.same_text_as) }}">{{ a.same_text_as.title or a.same_text_as.id }}</a> ({{ a.same_text_as.source or "unknown outlet" }}){% if a.href %} · <a rel="noopener noreferrer nofollow" href="{{ a.href }}">{{ a.href }}</a>{% elif a.url %} · {{ a.url }}{% endif %} · id {{ a.id }}{% for s in a.sentences %}<span id="{{ s.anchor }}"></span>{% endfor %}</p></section>
{% else %}""" + OLD_ARTICLE_BODY + """{% endif %}{% endfor %}"""


class Linker(StaticLinker):
    """Static links, plus compare links (as the web app has) so that branch is exercised."""

    def compare(self, a, b):
        return f"/compare/{a}/{b}?x=<&>"


def old(body: str, **ctx) -> str:
    """``body`` rendered as the dossier templates render, with the old macros as ``m``."""
    return compiled(body).render(m=compiled(OLD_MACROS).make_module(), **ctx)


@functools.lru_cache(maxsize=None)
def compiled(body: str):
    return _env().from_string(body)


def pick(rnd: random.Random):
    return rnd.choice(NASTY)


def ref(rnd):
    return rnd.choice([None, {"article": pick(rnd) or "x", "start": 3, "anchor": f"a1-s{rnd.randint(0, 9)}<"}])


def outlets(rnd):
    return [{"source": pick(rnd), "ref": ref(rnd), "published": pick(rnd)} for _ in range(rnd.randint(0, 9))]


def article_row(rnd, i):
    return {"id": pick(rnd) or f"id{i}", "anchor": f"a{i}", "source": pick(rnd), "title": pick(rnd), "url": pick(rnd),
            "href": rnd.choice([None, "https://example.org/?a=1&b=<2>"]), "published": pick(rnd),
            "duplicate_of": rnd.choice([None, pick(rnd)]), "origin": rnd.random() < .3, "page": rnd.randint(1, 3),
            "opinion_chars": rnd.choice([0, 12])}


def dossier(rnd):
    arts = [article_row(rnd, i) for i in range(rnd.randint(0, 6))]
    groups = []
    for i in range(rnd.randint(0, 3)):
        values = [{"text": pick(rnd), "attributed_to": pick(rnd), "outlets": (o := outlets(rnd)),
                   "count": len(o) + rnd.choice([0, 0, 4])} for _ in range(rnd.randint(0, 3))]
        groups.append({"id": pick(rnd), "subject": pick(rnd), "verdict": rnd.choice(["disputed", pick(rnd)]),
                       "independent_origins": rnd.choice([None, 0, 1, 3]), "values": values,
                       "members": [1] * rnd.randint(0, 3), "members_total": rnd.randint(0, 5),
                       "explanation": rnd.choice([None, "one line", "first\nsecond <b>\n\x07third"])})
    quotes = []
    for i in range(rnd.randint(0, 3)):
        versions = [{"fidelity": pick(rnd), "diff": [(rnd.choice(["equal", "insert", "delete"]), pick(rnd))
                                                      for _ in range(rnd.randint(0, 4))],
                     "outlets": (o := outlets(rnd)), "count": len(o) + rnd.choice([0, 2])}
                    for _ in range(rnd.randint(0, 3))]
        quotes.append({"speaker": pick(rnd), "canonical": pick(rnd), "variants_total": rnd.randint(0, 4),
                       "outlets": rnd.randint(0, 2), "independent_origins": rnd.choice([None, 1, 2]),
                       "versions": versions, "variants": [1] * rnd.randint(0, 3)})
    out = [{"outlet": pick(rnd), "first": pick(rnd), "articles": rnd.randint(1, 5), "origins": rnd.randint(0, 1)}
           for _ in range(rnd.randint(0, 4))]
    return {"id": pick(rnd) or "s", "articles": arts, "claim_groups": groups, "quote_groups": quotes, "outlets": out,
            "pages": rnd.randint(1, 30)}


def article_view_row(rnd, i):
    row = article_row(rnd, i)
    row["sentences"] = [{"start": s, "anchor": f"a{i}-s{s}",
                         "pieces": [{"text": pick(rnd) or "x", "classes": rnd.choice([[], ["reused"], ["copied", "opinion"]])}
                                    for _ in range(rnd.randint(0, 3))]} for s in range(rnd.randint(0, 3))]
    row["sources"] = [{"label": pick(rnd), "kind": pick(rnd), "uncredited": rnd.random() < .5}
                      for _ in range(rnd.randint(0, 3))]
    row["same_text_as"] = rnd.choice([None, None, article_row(rnd, 99)])
    return row


@pytest.mark.parametrize("seed", range(40))
def test_python_fragments_print_what_the_template_loops_printed(seed):
    rnd = random.Random(seed)
    d = dossier(rnd)
    link = Linker().for_dossier(d)
    assert claim_rows_html(d["claim_groups"], link) == old(OLD_CLAIMS, d=d, link=link)
    assert quote_groups_html(d["quote_groups"], link) == old(OLD_QUOTES, d=d, link=link)
    assert outlet_rows_html(d["outlets"]) == old(OLD_OUTLETS, d=d)
    for compare in (False, True):
        assert article_list_html(d["articles"], link, compare) == old(OLD_ARTICLE_LIST, rows=d["articles"], link=link,
                                                                      compare=compare)
    for current in (0, 1, d["pages"], rnd.randint(1, d["pages"])):
        assert pager_html(link, d, current) == old("{{ m.pager(link, d, current) }}", link=link, d=d, current=current)
    for r in (None, ref(rnd), ref(rnd)):
        assert src_html(link, r) == old("{{ m.src(link, r) }}", link=link, r=r)
        assert src_html(link, r, "↗") == old('{{ m.src(link, r, "↗") }}', link=link, r=r)
    v = pick(rnd)
    assert verdict_html(v) == old("{{ m.verdict(v) }}", v=v)
    items = [article_view_row(rnd, i) for i in range(rnd.randint(0, 5))]
    assert article_items_html(items, link) == old(OLD_ITEMS, items=items, link=link)
    for a in items:
        assert article_html(a) == old(OLD_ARTICLE_BODY, a=a)


def test_sentence_at_is_the_last_sentence_starting_at_or_before():
    rnd = random.Random(1)
    words = ["Mr. Smith", "said", "U.S.", "troops", "left.", "Then", "rain!", "“Why?”", "John F. Kennedy", "\n\n", "2026."]
    for i in range(200):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 40)))
        index = SentenceIndex({"a": {"text": text}})
        for pos in range(-1, len(text) + 2):
            expected = None
            for s, e in sentences(text):  # the linear scan this replaced
                if s <= pos:
                    expected = (s, e)
                    if pos < e:
                        break
                else:
                    break
            assert index.sentence_at("a", pos) == expected


def test_markdown_escape_covers_every_special_character():
    assert md("a\\b`c*d_e{f}g[h]i(j)k#l+m-n.o!p|q~r:s&t<u>v") == \
        "a\\\\b\\`c\\*d\\_e\\{f\\}g\\[h\\]i\\(j\\)k\\#l\\+m\\-n\\.o\\!p\\|q\\~r\\:s&amp;t&lt;u&gt;v"
    assert md(None) == "" and md(3) == "3" and md(" x \x07\n y ") == "x y"
