"""The local, read-only web app: stories (searchable), a story's dossier, an article, and
two articles compared, each page with a ``.json`` twin.

Safety: GET/HEAD only; the store is opened read-only per request; a request whose Host is
not the bound address is refused; unknown ids are 404; every page carries a policy that
allows scripts from this server only (the vendored graph library and our graph.js).
"""
from __future__ import annotations

import hashlib
import sqlite3
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlencode

from ..report.bundle import Limits, story_dossier
from ..report.html import article_view, css, make_env, story_context
from ..report.svg import graph_layout
from .data import load_article, load_links, load_story, written_dossier

VENDORED = {"cytoscape-3.34.4.min.js": "081591ab735b2b6a3b31a3c60f8f3a3e2fee8c92939e0c7820ad1208571b6cd8"}
STATIC = ("graph.js", *VENDORED)
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
           "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
META_CSP = APP_CSP.replace("; frame-ancestors 'none'", "")  # a <meta> policy cannot hold frame-ancestors
SECURITY_HEADERS = {"Content-Security-Policy": APP_CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
                    "Cache-Control": "no-store"}
SEARCH_LIMIT = 200
STORIES_PER_PAGE = 100


def q(value: str) -> str:
    return quote(str(value), safe="")


class WebLinker:
    """Absolute links inside the app."""

    def __init__(self, pages: dict[str, int] | None = None):
        self.pages = pages or {}

    def index(self) -> str:
        return "/"

    def story(self, d: dict) -> str:
        return f"/stories/{q(d['id'])}"

    def articles_page(self, d: dict, page: int) -> str:
        return f"/stories/{q(d['id'])}?page={page}#articles"

    def article(self, a: dict) -> str:
        return f"/articles/{q(a['id'])}"

    def sentence(self, ref: dict) -> str:
        return f"/articles/{q(ref['article'])}#{ref['anchor']}"

    def formats(self, d: dict) -> list[tuple[str, str]]:
        return [("JSON", f"/stories/{q(d['id'])}.json")]

    def compare(self, a: str, b: str) -> str:
        if "/" in a or "/" in b:
            return "/compare?" + urlencode({"a": a, "b": b})
        return f"/compare/{q(a)}/{q(b)}"

    def for_dossier(self, d: dict) -> "WebLinker":
        return self


def create_app(db: str | Path, host: str = "127.0.0.1", port: int = 8765, limits: Limits = Limits()):
    import jinja2
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from ..store import Store

    db = Path(db)
    env = make_env(jinja2.PackageLoader("storytrace.web", "templates"))
    allowed_hosts = {f"{host}:{port}", host, f"localhost:{port}", "localhost"}
    if host in ("127.0.0.1", "::1"):
        allowed_hosts |= {f"[::1]:{port}"} if host == "::1" else set()

    def open_store() -> Store:
        if not db.exists():
            raise HTTPException(404, f"no store at {db}")
        return Store(db, readonly=True)

    def render(name: str, **ctx) -> HTMLResponse:
        html = env.get_template(name).render(csp=META_CSP, css="", stylesheet="/static/style.css", **ctx)
        return HTMLResponse(html)

    def split_json(ident: str) -> tuple[str, bool]:
        return (ident[:-5], True) if ident.endswith(".json") else (ident, False)

    # -- pages --
    def index(request: Request):
        query = request.query_params.get("q", "")[:500]
        as_json = request.url.path.endswith(".json")
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        with open_store() as store:
            hits, error = [], None
            story_filter = None
            if query.strip():
                try:
                    ids = store.search(query, limit=SEARCH_LIMIT)
                except sqlite3.Error:
                    ids, error = [], "The search could not be run on that text."
                if ids:
                    marks = ",".join("?" * len(ids))
                    rows = {r["id"]: r for r in store.conn.execute(
                        f"SELECT id, title, source, published, story_id FROM articles WHERE id IN ({marks})", ids)}
                    hits = [dict(rows[i]) for i in ids if i in rows]
                story_filter = {h["story_id"] for h in hits if h["story_id"]}
            rows = story_rows(store, story_filter)
        pages = max(1, -(-len(rows) // STORIES_PER_PAGE))
        shown = rows[(page - 1) * STORIES_PER_PAGE: page * STORIES_PER_PAGE]
        if as_json:
            return JSONResponse({"query": query, "stories": shown, "total": len(rows), "page": page,
                                 "pages": pages, "articles": hits, "error": error})
        for s in shown:
            s["href"] = f"/stories/{q(s['id'])}"
        for h in hits:
            h["href"] = f"/articles/{q(h['id'])}"
        return render("web_index.html", link=WebLinker(), stories=shown, total=len(rows), page=page, pages=pages,
                      page_href=lambda p: "/?" + urlencode({"q": query, "page": p}), query=query, hits=hits,
                      error=error)

    def story_page(request: Request):
        sid, as_json = split_json(request.path_params["sid"])
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        d = dossier_for(sid)
        if as_json:
            return JSONResponse(d)
        link = WebLinker()
        ctx = story_context(d, link, limits, graph_href=lambda n: f"/articles/{q(n['id'])}")
        ctx["compare"] = True
        per = limits.articles_per_page
        ctx["article_rows"] = d["articles"][(page - 1) * per: page * per]
        ctx["page"] = page
        ctx["graph_src"] = f"/stories/{q(sid)}/graph.json"
        return render("web_story.html", **ctx)

    cache: dict[tuple, dict] = {}

    def dossier_for(sid: str) -> dict:
        """The story's dossier, cached until the store changes (the page and its graph share it)."""
        try:
            stamp = (db.stat().st_mtime_ns, Path(str(db) + "-wal").stat().st_mtime_ns
                     if Path(str(db) + "-wal").exists() else 0)
        except OSError:
            raise HTTPException(404, "no store")
        key = (sid, stamp)
        if key not in cache:
            if len(cache) >= 16:
                cache.pop(next(iter(cache)))
            cache[key] = build_dossier(sid)
        return cache[key]

    def build_dossier(sid: str) -> dict:
        with open_store() as store:
            loaded = load_story(store, sid)
        if loaded is None:
            raise HTTPException(404, "no such story")
        story, part = loaded
        d = story_dossier(part, story, limits)
        written = written_dossier(db, sid, story.articles)
        if written:  # facts and provenance quote groups exist only in the written dossier
            d["facts"] = written.get("facts", d["facts"])
            d["quote_groups"] = written.get("quote_groups") or d["quote_groups"]
            d["origin_sources"] = written.get("origin_sources", d["origin_sources"])
        return d

    def graph_json(request: Request):
        sid = request.path_params["sid"]
        d = dossier_for(sid)
        layout = graph_layout(d, limits)
        for n in layout["nodes"]:
            if n["kind"] == "article":
                n["href"] = f"/articles/{q(n['id'])}"
        return JSONResponse(layout)

    def article_page(request: Request):
        aid, as_json = request.path_params["aid"], False
        with open_store() as store:
            art = load_article(store, aid)
            if art is None and aid.endswith(".json"):
                aid, as_json = aid[:-5], True
                art = load_article(store, aid)
            if art is None:
                raise HTTPException(404, "no such article")
            links = load_links(store, "from_article=? OR to_article=?", (aid, aid))
            story_title = None
            origins: list = []
            if art.story:
                row = store.conn.execute("SELECT title, origins FROM stories WHERE id=?", (art.story,)).fetchone()
                if row:
                    story_title = row["title"]
                    origins = _json_list(row["origins"])
            quotes = [dict(r) for r in store.conn.execute(
                "SELECT id, text, speaker, span_start, span_end, quote_group FROM quotes WHERE article_id=? "
                "ORDER BY span_start", (aid,))]
            claims = [dict(r) for r in store.conn.execute(
                "SELECT id, text, subject, low, high, unit, attributed_to, span_start, span_end FROM claims "
                "WHERE article_id=? ORDER BY span_start", (aid,))]
            other_ids = sorted({x for lk in links for x in (lk.from_, lk.to) if x and x != aid})
            others = {}
            for oid in other_ids:
                r = store.conn.execute("SELECT id, source, title, published FROM articles WHERE id=?", (oid,)).fetchone()
                if r:
                    others[oid] = dict(r)
        if art.story:  # opinion spans are not in the store: they travel in the written dossier
            w = _written_row(db, art.story, aid)
            if w:
                art.opinion_spans = [tuple(s) for s in w.get("opinion_spans", [])]
        if as_json:
            data = art.to_dict()
            data.update({"links": [lk.to_dict() for lk in links], "quotes": quotes, "claims": claims})
            return JSONResponse(data)
        from ..report.bundle import anchor, clean_url
        row = {"id": art.id, "anchor": anchor(art.id), "source": art.source, "title": art.title, "url": art.url,
               "href": clean_url(art.url), "published": art.published, "duplicate_of": art.duplicate_of,
               "origin": art.id in origins, "page": 1}
        rows_by_id = {oid: {"id": oid, "source": o["source"]} for oid, o in others.items()}
        view = article_view(links, art, row, rows_by_id)
        related = []
        for oid, o in sorted(others.items(), key=lambda kv: (kv[1]["published"] or "~", kv[0])):
            kinds = sorted({lk.kind for lk in links if oid in (lk.from_, lk.to)})
            related.append({**o, "kinds": kinds, "href": f"/articles/{q(oid)}",
                            "compare": WebLinker().compare(aid, oid)})
        return render("web_article.html", link=WebLinker(), a=view, related=related, quotes=quotes, claims=claims,
                      story={"id": art.story, "title": story_title,
                             "href": f"/stories/{q(art.story)}" if art.story else None})

    def compare_page(request: Request):
        a_id = request.path_params.get("a") or request.query_params.get("a", "")
        b_id = request.path_params.get("b") or request.query_params.get("b", "")
        b_id, as_json = split_json(b_id) if "b" in request.path_params else (b_id, request.url.path.endswith(".json"))
        with open_store() as store:
            a, b = load_article(store, a_id), load_article(store, b_id)
        if a is None or b is None:
            raise HTTPException(404, "no such article")
        from .compare import compare_rows
        rows, share = compare_rows(a, b)
        if as_json:
            return JSONResponse({"a": a.id, "b": b.id, "shared_words_share": share,
                                 "rows": [{"shared": r["shared"], "a_span": r["a_span"], "b_span": r["b_span"]}
                                          for r in rows]})
        return render("web_compare.html", link=WebLinker(), a=a, b=b, rows=rows, share=share,
                      a_href=f"/articles/{q(a.id)}", b_href=f"/articles/{q(b.id)}")

    def static(request: Request):
        name = request.path_params["name"]
        if name == "style.css":
            return Response(css(), media_type="text/css; charset=utf-8")
        if name not in STATIC:
            raise HTTPException(404, "no such file")
        data = resources.files("storytrace.web").joinpath("static", name).read_bytes()
        return Response(data, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "max-age=3600"})

    async def not_found(request: Request, exc: HTTPException):
        status = getattr(exc, "status_code", 404)
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc.detail)}, status_code=status)
        return PlainTextResponse(f"{status}: {exc.detail}", status_code=status)

    async def server_error(request: Request, exc: Exception):
        return PlainTextResponse("500: internal error", status_code=500)

    routes = [
        Route("/", index), Route("/index.json", index),
        Route("/static/{name}", static),
        Route("/stories/{sid}/graph.json", graph_json),
        Route("/stories/{sid}", story_page),
        Route("/articles/{aid:path}", article_page),
        Route("/compare", compare_page), Route("/compare.json", compare_page),
        Route("/compare/{a}/{b}", compare_page),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, 500: server_error})
    return HostCheck(SecurityHeaders(app), allowed_hosts)


def _written_row(db, story_id: str, article_id: str) -> dict | None:
    d = written_dossier_any(db, story_id)
    if not d:
        return None
    return next((a for a in d.get("articles", []) if a.get("id") == article_id), None)


def written_dossier_any(db, story_id: str) -> dict | None:
    import json

    from ..report.html import story_slug
    path = Path(db).resolve().parent / "stories" / story_slug(story_id) / "dossier.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, ValueError):
        return None


def _json_list(value) -> list:
    import json
    try:
        out = json.loads(value or "[]")
    except ValueError:
        return []
    return out if isinstance(out, list) else []


def story_rows(store, only: set | None) -> list[dict]:
    outlets: dict[str, set] = {}
    for sid, source in store.conn.execute("SELECT story_id, source FROM articles WHERE story_id IS NOT NULL"):
        outlets.setdefault(sid, set()).add(source or "?")
    verdicts: dict[str, dict] = {}
    for sid, verdict, n in store.conn.execute(
            "SELECT story_id, verdict, count(*) FROM claim_groups GROUP BY story_id, verdict"):
        verdicts.setdefault(sid, {})[verdict] = n
    rows = []
    import json
    for r in store.conn.execute("SELECT id, title, size, first_published, origins, data FROM stories "
                                "ORDER BY size DESC, id"):
        if only is not None and r["id"] not in only:
            continue
        try:
            data = json.loads(r["data"] or "{}")
            origins = len(json.loads(r["origins"] or "[]")) + len(data.get("origin_sources") or [])
        except (ValueError, AttributeError):
            origins = 0
        v = verdicts.get(r["id"], {})
        rows.append({"id": r["id"], "title": r["title"], "articles": r["size"],
                     "outlets": len(outlets.get(r["id"], ())), "origins": origins,
                     "disputed": v.get("disputed", 0), "conflict": v.get("conflict", 0),
                     "first": r["first_published"]})
    return rows


class SecurityHeaders:
    """Adds the policy and hardening headers to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["method"] not in ("GET", "HEAD"):
            from starlette.responses import PlainTextResponse
            return await PlainTextResponse("405: read-only", status_code=405,
                                           headers={"Allow": "GET, HEAD", **SECURITY_HEADERS})(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in {h.lower() for h in SECURITY_HEADERS}]
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)
        await self.app(scope, receive, send_with_headers)


class HostCheck:
    """Refuses requests whose Host is not the bound address (DNS-rebinding guard)."""

    def __init__(self, app, allowed: set[str]):
        self.app = app
        self.allowed = {h.lower() for h in allowed}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
            if host not in self.allowed:
                from starlette.responses import PlainTextResponse
                return await PlainTextResponse("400: this server answers only to its own address",
                                               status_code=400)(scope, receive, send)
        return await self.app(scope, receive, send)


def vendored_checksums_ok() -> bool:
    for name, digest in VENDORED.items():
        data = resources.files("storytrace.web").joinpath("static", name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            return False
    return True


__all__ = ["create_app", "WebLinker", "APP_CSP", "VENDORED", "vendored_checksums_ok"]
