"""The web dashboard: FastAPI, Jinja2 templates (autoescaped), charts from the locally installed plotly.

`create_app(db)` builds the app for one database file. The database is opened read-only for each
request (`Store(db, read_only=True)`, whose `reading()` retries while an extract holds the write lock);
nothing here can write to it. Every SQL statement takes user input as parameters only; no file path is
ever built from user input (static files come from two fixed folders). Pages link to each other with
plain `href` links; the JSON API lives under /api (OpenAPI docs at /docs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from ..records import MODALITIES, PLOVER_TYPES
from ..store import Store, StoreBusy
from ..stories import list_stories, story_comparison
from .highlight import highlight
from .security import SECURITY_HEADERS, ServerGuard  # Host allow-list, headers on every response, queue

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 64 * 1024  # the dashboard takes no uploads; anything bigger is refused with 413
MAX_URL_CHARS = 4096
CODE = r"^[A-Za-z0-9_.-]{1,24}$"
ARTICLE_ID = r"^[A-Za-z0-9_.:-]{1,128}$"
PERIOD = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"

def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the plotly Python package (served locally, never from a CDN)."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _safe_url(url: Optional[str]) -> Optional[str]:
    return url if url and re.match(r"^https?://", url, re.I) else None


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(enabled_extensions=("html", "xml"), default=True))
    env.filters["safe_url"] = _safe_url
    env.filters["signed"] = lambda v: "" if v is None else (f"{v:+d}" if isinstance(v, int) else f"{v:+.1f}")
    env.globals["version"] = __version__
    return env


# -- data access (all read-only, all parameterized) ----------------------------------------------


def _stories(store: Store) -> list[dict[str, Any]]:
    return list_stories(store)  # [] when the database was never grouped


def _story(store: Store, story_id: str) -> Optional[dict[str, Any]]:
    return story_comparison(store, story_id)  # None for an unknown story


def _latest_articles(store: Store, limit: int = 10, offset: int = 0) -> list[dict[str, Any]]:
    return store.query(
        "WITH page AS (SELECT id, title, outlet, published, seq FROM articles ORDER BY seq DESC LIMIT ? OFFSET ?) "
        "SELECT p.id, p.title, p.outlet, p.published, "
        "(SELECT count(*) FROM events e WHERE e.article_id = p.id) AS n_events, "
        "(SELECT count(*) FROM quotes q WHERE q.article_id = p.id) AS n_quotes "
        "FROM page p ORDER BY p.seq DESC", [limit, offset])


def _search(store: Store, q: str, limit: int = 50) -> dict[str, list[dict[str, Any]]]:
    needle = q.lower()
    arts = store.query(
        "SELECT id, title, outlet, published, "
        "substr(text, greatest(1, strpos(lower(text), ?) - 80), 220) AS snippet "
        "FROM articles WHERE contains(lower(title), ?) OR contains(lower(text), ?) ORDER BY seq DESC LIMIT ?",
        [needle, needle, needle, limit])
    actors = store.query(
        "SELECT coalesce(name, text) AS name, country, code, count(*) AS n, count(DISTINCT article_id) AS articles, "
        "min(article_id) AS example FROM mentions "
        "WHERE contains(lower(coalesce(name, '')), ?) OR contains(lower(text), ?) OR lower(coalesce(code, '')) = ? "
        "OR lower(coalesce(country, '')) = ? GROUP BY 1, 2, 3 ORDER BY n DESC LIMIT ?",
        [needle, needle, needle, needle, limit])
    quotes = store.query(
        "SELECT q.article_id, q.idx, q.text, q.speaker_name, q.speaker_code, a.title, a.outlet "
        "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE contains(lower(q.text), ?) "
        "ORDER BY a.seq DESC, q.idx LIMIT ?", [needle, limit])
    return {"articles": arts, "actors": actors, "quotes": quotes}


def _event_filters(source, target, types, modality, by, period) -> dict[str, Any]:
    mod = None if modality in (None, "", "all") else [modality]
    return {"source": source or None, "target": target or None, "types": [types] if types else None,
            "modality": mod, "by": by if period else None, "period": period or None}


def _clean_event(r: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in r.items() if k != "claimed_by"}


# -- the app -------------------------------------------------------------------------------------


def create_app(db: str | Path, allowed_hosts: Optional[list[str]] = None) -> FastAPI:
    """The dashboard for one database file (opened read-only per request). `allowed_hosts`: the Host
    names answered (None: any; `tightrope serve` passes loopback names and --allow-host)."""
    db_path = Path(db)
    env = _templates()
    app = FastAPI(title="Tightrope", version=__version__, docs_url=None, redoc_url=None,
                  description="Read-only dashboard and JSON API over a Tightrope database. "
                              "Every figure links to the events (and sentences) behind it.")
    app.state.db = db_path
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def store() -> Store:
        try:
            return Store(db_path, read_only=True)
        except FileNotFoundError as exc:
            raise HTTPException(503, str(exc)) from exc

    def render(name: str, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx))

    @app.middleware("http")
    async def limits_and_headers(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"detail": "request body too large"}, status_code=413)
        if request.headers.get("transfer-encoding", "").lower() == "chunked" and request.method not in ("GET", "HEAD"):
            return JSONResponse({"detail": "chunked request bodies are not accepted"}, status_code=411)
        if len(str(request.url)) > MAX_URL_CHARS:
            return JSONResponse({"detail": "URL too long"}, status_code=414)
        try:
            response = await call_next(request)
        except StoreBusy as exc:
            response = JSONResponse({"detail": str(exc)}, status_code=503)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        """The OpenAPI description rendered on the server (Swagger UI would load from a CDN)."""
        schema = app.openapi()
        endpoints = []
        for path, ops in schema.get("paths", {}).items():
            for method, op in ops.items():
                endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                                  "description": op.get("description", ""),
                                  "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                              "schema": p.get("schema", {})} for p in op.get("parameters", [])]})
        return render("docs.html", title="JSON API", endpoints=endpoints, info=schema.get("info", {}))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static-lib/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    # -- JSON API ------------------------------------------------------------------------------

    @app.get("/api/counts", tags=["api"])
    def api_counts() -> dict[str, int]:
        """Rows per table."""
        return store().counts()

    @app.get("/api/stories", tags=["api"])
    def api_stories() -> list[dict[str, Any]]:
        """Stories {id, articles, outlets, size, start, end, headline}, largest first (empty if none)."""
        return _stories(store())

    @app.get("/api/stories/{story_id}", tags=["api"])
    def api_story(story_id: str = PathParam(..., pattern=ARTICLE_ID)) -> dict[str, Any]:
        """How the outlets of one story compare: shared facts, facts only one has, conflicts, quote variants."""
        s = _story(store(), story_id)
        if s is None:
            raise HTTPException(404, "no such story")
        return s

    @app.get("/api/dyads", tags=["api"])
    def api_dyads(level: str = Query("country", pattern="^(country|actor)$"),
                  modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$"),
                  limit: int = Query(20, ge=1, le=1000)) -> list[dict[str, Any]]:
        """The most active ordered pairs with counts by type/quad, intensity and net cooperation."""
        from ..relations import dyads

        return dyads(store(), level=level, modality=None if modality == "all" else modality, limit=limit)

    @app.get("/api/dyad/{source}/{target}", tags=["api"])
    def api_dyad(source: str = PathParam(..., pattern=CODE), target: str = PathParam(..., pattern=CODE),
                 by: str = Query("week", pattern="^(day|week|month)$"),
                 modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$"),
                 type: Optional[str] = Query(None, pattern="^(" + "|".join(PLOVER_TYPES) + ")$")) -> dict[str, Any]:
        """The series of one ordered pair (country codes of up to 5 letters, else actor codes)."""
        from ..relations import dyad_series

        return dyad_series(store(), source.upper(), target.upper(), by=by,
                           modality=None if modality == "all" else modality, types=[type] if type else None)

    @app.get("/api/triangle/{a}/{b}/{c}", tags=["api"])
    def api_triangle(a: str = PathParam(..., pattern=CODE), b: str = PathParam(..., pattern=CODE),
                     c: str = PathParam(..., pattern=CODE),
                     by: str = Query("week", pattern="^(day|week|month)$")) -> dict[str, Any]:
        """A→B against A→C: balance = net cooperation A→B − net cooperation A→C."""
        from ..relations import triangle

        return triangle(store(), a.upper(), b.upper(), c.upper(), by=by)

    @app.get("/api/network", tags=["api"])
    def api_network(modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$")) -> dict[str, Any]:
        """Countries as nodes; directed edges weighted by events, signed by net cooperation."""
        from ..relations import network

        return network(store(), modality=None if modality == "all" else modality)

    @app.get("/api/alerts", tags=["api"])
    def api_alerts(k: float = Query(3.0, gt=0, le=20)) -> list[dict[str, Any]]:
        """Weeks in which a pair's mean intensity left median ± k·1.4826·MAD of its previous weeks."""
        from ..relations import shift_alerts

        return shift_alerts(store(), k=k)

    @app.get("/api/events", tags=["api"])
    def api_events(source: Optional[str] = Query(None, pattern=CODE), target: Optional[str] = Query(None, pattern=CODE),
                   type: Optional[str] = Query(None, pattern="^(" + "|".join(PLOVER_TYPES) + ")$"),
                   modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$"),
                   by: str = Query("week", pattern="^(day|week|month)$"),
                   period: Optional[str] = Query(None, pattern=PERIOD),
                   limit: int = Query(200, ge=1, le=5000)) -> list[dict[str, Any]]:
        """Events with their evidence sentence; each has `evidence`, the article page anchor."""
        from ..relations import event_rows

        rows = event_rows(store(), **_event_filters(source, target, type, modality, by, period))[:limit]
        return [{**_clean_event(r), "evidence": f"/article/{r['article_id']}#e{r['idx']}"} for r in rows]

    @app.get("/api/articles/{article_id}", tags=["api"])
    def api_article(article_id: str = PathParam(..., pattern=ARTICLE_ID)) -> dict[str, Any]:
        """One article with its actors, events, quotes and claims (the extract --json object)."""
        r = store().result(article_id)
        if r is None:
            raise HTTPException(404, "no such article")
        return r.to_dict()

    @app.get("/api/search", tags=["api"])
    def api_search(q: str = Query(..., min_length=1, max_length=200)) -> dict[str, list[dict[str, Any]]]:
        """Articles (title/text), actors (name/code) and quotes containing q (case-insensitive)."""
        return _search(store(), q)

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview() -> HTMLResponse:
        from ..relations import dyads, shift_alerts

        st = store()
        return render("overview.html", title="Overview", counts=st.counts(), stories=_stories(st)[:15],
                      articles=_latest_articles(st, 10), dyads=dyads(st, limit=15),
                      alerts=shift_alerts(st)[:10])

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(offset: int = Query(0, ge=0, le=10_000_000)) -> HTMLResponse:
        st = store()
        return render("articles.html", title="Articles", articles=_latest_articles(st, 100, offset),
                      offset=offset, total=st.counts()["articles"])

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page() -> HTMLResponse:
        rows = store().query(
            "SELECT coalesce(name, text) AS name, country, code, count(*) AS n, count(DISTINCT article_id) AS articles, "
            "min(article_id) AS example FROM mentions GROUP BY 1, 2, 3 ORDER BY n DESC, name LIMIT 500")
        return render("actors.html", title="Actors", actors=rows)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(offset: int = Query(0, ge=0, le=10_000_000)) -> HTMLResponse:
        st = store()
        rows = st.query(
            "SELECT q.article_id, q.idx, q.text, q.speaker_name, q.speaker_code, a.title, a.outlet, a.published "
            "FROM quotes q JOIN articles a ON a.id = q.article_id ORDER BY a.seq DESC, q.idx LIMIT 200 OFFSET ?",
            [offset])
        return render("quotes.html", title="Quotes", quotes=rows, offset=offset, total=st.counts()["quotes"])

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page() -> HTMLResponse:
        return render("stories.html", title="Stories", stories=_stories(store()))

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str = PathParam(..., pattern=ARTICLE_ID)) -> HTMLResponse:
        st = store()
        comp = _story(st, story_id)
        if comp is None:
            raise HTTPException(404, "no such story")
        results = {r.article.id: r for r in st.results(comp["articles"])}
        columns = []
        for aid in comp["articles"]:
            r = results.get(aid)
            if r is None:
                continue
            columns.append({"result": r, "html": highlight(r.article.text, r.actors, r.events, r.quotes),
                            "only_in": comp.get("only_in", {}).get(aid, [])})
        return render("story.html", title=f"Story {story_id}", story=comp, columns=columns)

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str = PathParam(..., pattern=ARTICLE_ID)) -> HTMLResponse:
        r = store().result(article_id)
        if r is None:
            raise HTTPException(404, "no such article")
        return render("article.html", title=r.article.title or r.article.id, r=r,
                      html=highlight(r.article.text, r.actors, r.events, r.quotes))

    @app.get("/pairs", response_class=HTMLResponse, include_in_schema=False)
    def pairs_page(level: str = Query("country", pattern="^(country|actor)$"),
                   modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$")) -> HTMLResponse:
        from ..relations import dyads

        rows = dyads(store(), level=level, modality=None if modality == "all" else modality, limit=200)
        return render("pairs.html", title="Pairs", dyads=rows, level=level, modality=modality)

    @app.get("/pair/{source}/{target}", response_class=HTMLResponse, include_in_schema=False)
    def pair_page(source: str = PathParam(..., pattern=CODE), target: str = PathParam(..., pattern=CODE),
                  by: str = Query("week", pattern="^(day|week|month)$"),
                  modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$"),
                  type: Optional[str] = Query(None, pattern="^(" + "|".join(PLOVER_TYPES) + ")?$")) -> HTMLResponse:
        from ..relations import dyad_series, event_rows

        st = store()
        source, target = source.upper(), target.upper()
        mod = None if modality == "all" else modality
        types = [type] if type else None
        series = dyad_series(st, source, target, by=by, modality=mod, types=types)
        events = event_rows(st, source, target, modality=mod, types=types)
        reverse = dyad_series(st, target, source, by=by, modality=mod, types=types)["total"]
        return render("pair.html", title=f"{source} → {target}", s=series, events=events[:500],
                      n_events=len(events), by=by, modality=modality, type=type or "", types=PLOVER_TYPES,
                      modalities=MODALITIES, reverse=reverse,
                      chart={"periods": [p["period"] for p in series["series"]],
                             "quads": {q: [p["by_quad"][q] for p in series["series"]] for q in "1234"},
                             "mean": [p["mean_intensity"] for p in series["series"]],
                             "net": [p["net_cooperation"] for p in series["series"]]})

    @app.get("/triangle", response_class=HTMLResponse, include_in_schema=False)
    def triangle_page(a: str = Query(..., pattern=CODE), b: str = Query(..., pattern=CODE),
                      c: str = Query(..., pattern=CODE), by: str = Query("week", pattern="^(day|week|month)$"),
                      modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$")) -> HTMLResponse:
        from ..relations import triangle

        t = triangle(store(), a.upper(), b.upper(), c.upper(), by=by, modality=None if modality == "all" else modality)
        return render("triangle.html", title=f"{t['a']} → {t['b']} vs {t['a']} → {t['c']}", t=t, by=by,
                      modality=modality)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(source: Optional[str] = Query(None, pattern="^([A-Za-z0-9_.-]{1,24})?$"),
                    target: Optional[str] = Query(None, pattern="^([A-Za-z0-9_.-]{1,24})?$"),
                    type: Optional[str] = Query(None, pattern="^(" + "|".join(PLOVER_TYPES) + ")?$"),
                    modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$"),
                    by: str = Query("week", pattern="^(day|week|month)$"),
                    period: Optional[str] = Query(None, pattern="^([0-9]{4}-[0-9]{2}(-[0-9]{2})?)?$")) -> HTMLResponse:
        from ..relations import event_rows

        rows = event_rows(store(), **_event_filters(source, target, type, modality, by, period))
        return render("events.html", title="Events", events=rows[:1000], n_events=len(rows),
                      filters={"source": source, "target": target, "type": type, "modality": modality,
                               "by": by, "period": period})

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(modality: str = Query("asserted", pattern="^(all|" + "|".join(MODALITIES) + ")$")) -> HTMLResponse:
        from ..relations import network

        from .svg import network_svg

        net = network(store(), modality=None if modality == "all" else modality)
        return render("network.html", title="Network", net=net, svg=network_svg(net, modality), modality=modality)

    @app.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
    def alerts_page() -> HTMLResponse:
        from ..relations import shift_alerts

        return render("alerts.html", title="Shift alerts", alerts=shift_alerts(store()))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = Query("", max_length=200)) -> HTMLResponse:
        found = _search(store(), q) if q.strip() else {"articles": [], "actors": [], "quotes": []}
        return render("search.html", title="Search", q=q, found=found)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(env.get_template("error.html").render(title=f"Error {exc.status_code}",
                                                                   status=exc.status_code, detail=str(exc.detail)),
                            status_code=exc.status_code)

    app.add_middleware(ServerGuard, allowed_hosts=allowed_hosts)  # outermost: holds for every response
    return app
