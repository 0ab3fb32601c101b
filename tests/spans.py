"""Checks on analysis.json shared by the property, hostile-input and crash suites."""
import json


def span_problems(result: dict) -> list[str]:
    """Every span in analysis.json that is outside its article's text or does not round-trip."""
    texts = {a["id"]: a["text"] for a in result["articles"]}
    bad = []

    def inside(aid, span, what):
        if span is None:
            return
        s, e = span
        if aid not in texts or not (0 <= s <= e <= len(texts[aid])):
            bad.append(f"{what}: {span} outside {aid}")

    for a in result["articles"]:
        for key in ("boilerplate_spans", "opinion_spans"):
            for span in a[key]:
                inside(a["id"], span, key)
    for q in result["quotes"]:
        inside(q["article"], q["span"], f"quote {q['id']}")
        if q["article"] in texts and q["text"] not in texts[q["article"]][q["span"][0]:q["span"][1]]:
            bad.append(f"quote {q['id']} text is not at its span")
        if q.get("speaker_span"):
            inside(q["article"], q["speaker_span"], f"quote {q['id']} speaker")
    for c in result["claims"]:
        inside(c["article"], c["span"], f"claim {c['id']}")
        if c["article"] in texts and texts[c["article"]][c["span"][0]:c["span"][1]] != c["text"]:
            bad.append(f"claim {c['id']} text {c['text']!r} is not its span")
        for key in ("sentence_span", "number_span", "phrase"):
            if isinstance(c.get(key), list) and len(c[key]) == 2:
                inside(c["article"], c[key], f"claim {c['id']} {key}")
    for link in result["links"]:
        for p in link["passages"]:
            inside(link["from"], p.get("from_span"), f"link {link['from']}->{link['to']} from_span")
            if link["to"] is not None:
                inside(link["to"], p.get("to_span"), f"link {link['from']}->{link['to']} to_span")
    return bad


def comparable(result: dict) -> dict:
    """The analysis without what legitimately depends on input order (record locators),
    each list in a canonical order."""
    out = {k: result[k] for k in ("stories", "links", "quotes", "claims", "claim_groups")}
    out["articles"] = [{k: v for k, v in a.items() if k != "origin"} for a in result["articles"]]
    out = json.loads(json.dumps(out, sort_keys=True))
    return {k: sorted(v, key=lambda r: json.dumps(r, sort_keys=True)) for k, v in out.items()}
