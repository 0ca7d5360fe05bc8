"""The web dashboard: FastAPI, Jinja2 templates (autoescaped), charts from the locally installed plotly.

`create_app(db)` builds the app for one database file. The database is opened read-only for each
request (`Store(db, read_only=True)`, whose `reading()` retries while an extract holds the write lock);
nothing here can write to it. Every SQL statement takes user input as parameters only; no file path is
ever built from user input (static files come from two fixed folders). Pages link to each other with
plain `href` links; the JSON API lives under /api (OpenAPI docs at /docs).

Every page and API list takes a date window (`start`, `end`: YYYY-MM-DD, YYYY-MM or YYYY). Without them a
page opens on `relations.default_window` (the data's last 30 days when the data is recent, else all);
`start=&end=` (empty) asks for all dates. Lists are paged (`offset`, and `limit` in the API) and sorted
(`sort`); self-pairs and single-event alerts are hidden unless `self_pairs=1` / `single=1`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import __version__
from ..records import MODALITIES, PLOVER_TYPES
from ..store import Store, StoreBusy
from ..stories import list_stories
from .highlight import highlight
from .security import SECURITY_HEADERS, ServerGuard  # Host allow-list, headers on every response, queue
from .tables import SAFE_CONFIG

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 64 * 1024  # the dashboard takes no uploads; anything bigger is refused with 413
MAX_URL_CHARS = 4096
CODE = r"^[A-Za-z0-9_.-]{1,24}$"
ARTICLE_ID = r"^[A-Za-z0-9_.:-]{1,128}$"
PERIOD = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
DATE_BOUND = re.compile(r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$")
MODALITY = "^(all|" + "|".join(MODALITIES) + ")$"
TYPE_OR_EMPTY = "^(" + "|".join(PLOVER_TYPES) + ")?$"
BY = "^(day|week|month)$"
MAX_OFFSET = 10_000_000
API_MAX_LIMIT = 5000
ARTICLE_SORTS = {"newest": "day DESC NULLS LAST, seq DESC", "oldest": "day NULLS LAST, seq",
                 "outlet": "outlet NULLS LAST, day DESC NULLS LAST, seq DESC", "title": "title, seq"}
QUOTE_SORTS = {"newest": "day DESC NULLS LAST, seq DESC, idx", "oldest": "day NULLS LAST, seq, idx",
               "speaker": "speaker_name NULLS LAST, day DESC NULLS LAST, seq DESC, idx"}
STORY_SORTS = ("recent", "oldest", "size", "outlets")
EVENT_SORTS = ("date_desc", "date", "intensity", "intensity_desc", "type")
PAIR_SORTS = ("n", "net", "net_asc", "last", "pair")


def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the plotly Python package (served locally, never from a CDN)."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _safe_url(url: Optional[str]) -> Optional[str]:
    return url if url and re.match(r"^https?://", url, re.I) else None


def _href(path: str, _win: Optional["Window"] = None, **params: Any) -> str:
    """A link to `path` with the given parameters (None and "" left out) and the window when it was chosen."""
    items = [(k, str(v)) for k, v in params.items() if v is not None and v != "" and v is not False]
    if _win is not None and _win.explicit:
        items += [("start", _win.raw_start), ("end", _win.raw_end)]
    return path + ("?" + urlencode(items) if items else "")


def _with(request: Request, **over: Any) -> str:
    """The current URL with some parameters replaced (None removes one)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in over]
    items += [(k, str(v)) for k, v in over.items() if v is not None]
    return request.url.path + ("?" + urlencode(items) if items else "")


def _add(request: Request, key: str, value: Any) -> str:
    """The current URL with one more value for a (repeatable) parameter, back on the first page."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in ("_offset", "offset")]
    items.append((key, "" if value is None else str(value)))
    return request.url.path + "?" + urlencode(items)


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(enabled_extensions=("html", "xml"), default=True))
    env.filters["safe_url"] = _safe_url
    env.filters["signed"] = lambda v: "" if v is None else (f"{v:+d}" if isinstance(v, int) else f"{v:+.1f}")
    env.filters["thousands"] = lambda v: "" if v is None else f"{v:,}"
    env.globals["version"] = __version__
    env.globals["href"] = _href
    env.globals["with_params"] = _with
    env.globals["add_param"] = _add
    from .tables import cell_text

    env.filters["cell"] = cell_text
    return env


@dataclass
class Window:
    """The date window of one request."""

    start: Optional[_dt.date]
    end: Optional[_dt.date]
    explicit: bool  # chosen by the user (start/end in the URL), else the default
    raw_start: str = ""
    raw_end: str = ""

    @property
    def label(self) -> str:
        if not self.start and not self.end:
            return "all dates"
        return f"{self.start.isoformat() if self.start else '…'} to {self.end.isoformat() if self.end else '…'}"

    def as_dict(self) -> dict[str, Optional[str]]:
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None}


@dataclass
class Pager:
    offset: int
    limit: int
    total: int
    prev_href: Optional[str]
    next_href: Optional[str]

    @property
    def first(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.limit, self.total)


def _pager(request: Request, total: int, offset: int, limit: int, key: str = "offset") -> Pager:
    prev_href = _with(request, **{key: max(offset - limit, 0)}) if offset > 0 else None
    next_href = _with(request, **{key: offset + limit}) if offset + limit < total else None
    return Pager(offset, limit, total, prev_href, next_href)


def _mod(modality: str):
    return None if modality == "all" else modality


# -- data access (all read-only, all parameterized) ----------------------------------------------


def _story_day(s: dict[str, Any]) -> str:
    return str(s.get("end") or s.get("start") or "")


def _stories(stories: list[dict[str, Any]], win: Optional[Window] = None, sort: str = "recent") -> list[dict[str, Any]]:
    """Stories (STORIES' list) in the window (their span meets it), sorted: recent (newest last article
    first), oldest, size or outlets."""
    from ..relations import parse_bound

    out = list(stories)  # [] when the database was never grouped
    if win and (win.start or win.end):
        kept = []
        for s in out:
            lo, hi = parse_bound(s.get("start")), parse_bound(s.get("end") or s.get("start"), end=True)
            if lo is None or hi is None:
                continue
            if (win.start and hi < win.start) or (win.end and lo > win.end):
                continue
            kept.append(s)
        out = kept
    if sort == "size":
        out.sort(key=lambda s: (-s["size"], _story_day(s), s["id"]))
    elif sort == "outlets":
        out.sort(key=lambda s: (-len(s.get("outlets") or []), -s["size"], s["id"]))
    elif sort == "oldest":
        out.sort(key=lambda s: (not s.get("start"), str(s.get("start") or ""), s["id"]))
    else:
        out.sort(key=lambda s: (bool(_story_day(s)), _story_day(s), s["size"], s["id"]), reverse=True)
    return out


_ART_DAY = ("CASE WHEN try_cast(left(published, 10) AS DATE) BETWEEN DATE '1800-01-01' AND DATE '2199-12-31' "
            "THEN try_cast(left(published, 10) AS DATE) END")


def _window_sql(win: Optional[Window], col: str = "day") -> tuple[str, list[Any]]:
    sql, params = "", []
    if win and win.start:
        sql += f" AND {col} >= ?"
        params.append(win.start)
    if win and win.end:
        sql += f" AND {col} <= ?"
        params.append(win.end)
    return sql, params


def _articles(store: Store, win: Optional[Window], limit: int, offset: int = 0, sort: str = "newest",
              outlet: Optional[str] = None) -> tuple[list[dict[str, Any]], int]:
    where, params = _window_sql(win)
    if outlet:
        where += " AND outlet = ?"
        params.append(outlet)
    base = f"FROM (SELECT id, title, outlet, published, seq, {_ART_DAY} AS day FROM articles) WHERE TRUE{where}"
    total = store.query(f"SELECT count(*) AS n {base}", params)[0]["n"]
    rows = store.query(
        f"WITH page AS (SELECT id, title, outlet, published, seq, day {base} "
        f"ORDER BY {ARTICLE_SORTS.get(sort, ARTICLE_SORTS['newest'])} LIMIT ? OFFSET ?) "
        "SELECT p.id, p.title, p.outlet, p.published, p.day, "
        "(SELECT count(*) FROM events e WHERE e.article_id = p.id) AS n_events, "
        "(SELECT count(*) FROM quotes q WHERE q.article_id = p.id) AS n_quotes "
        f"FROM page p ORDER BY {ARTICLE_SORTS.get(sort, ARTICLE_SORTS['newest'])}", params + [limit, offset])
    return rows, int(total)


def _quotes(store: Store, win: Optional[Window], limit: int, offset: int = 0, sort: str = "newest",
            speaker: Optional[str] = None) -> tuple[list[dict[str, Any]], int]:
    where, params = _window_sql(win, "a.day")
    if speaker:
        where += " AND (q.speaker_code = ? OR q.speaker_country = ?)"
        params += [speaker, speaker]
    base = (f"FROM quotes q JOIN (SELECT id, title, outlet, published, seq, {_ART_DAY} AS day FROM articles) a "
            f"ON a.id = q.article_id WHERE TRUE{where}")
    total = store.query(f"SELECT count(*) AS n {base}", params)[0]["n"]
    order = QUOTE_SORTS.get(sort, QUOTE_SORTS["newest"])
    rows = store.query(
        f"SELECT q.article_id, q.idx, q.text, q.speaker_name, q.speaker_code, a.title, a.outlet, a.published, "
        f"a.day, a.seq {base} ORDER BY {order.replace('day', 'a.day').replace('seq', 'a.seq')} LIMIT ? OFFSET ?",
        params + [limit, offset])
    return rows, int(total)


def word_pattern(q: str) -> str:
    """A case-insensitive RE2 pattern matching q as whole words ('India' does not match 'Indiana')."""
    escaped = "".join(ch if ch.isalnum() or ch == " " else "\\" + ch for ch in q.strip())
    escaped = r"\s+".join(escaped.split())
    return r"(?i)(^|[^\pL\pN_])" + escaped + r"($|[^\pL\pN_])"


def _like(q: str) -> str:
    """q as an ILIKE pattern matching it anywhere (its own % _ \\ taken literally, with ESCAPE '\\')."""
    return "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _search(store: Store, q: str, limit: int = 50, win: Optional[Window] = None) -> dict[str, list[dict[str, Any]]]:
    """Articles, actors and quotes in which q occurs as whole words (case-insensitive). A cheap ILIKE scan
    finds the candidates; the word-boundary expression keeps the whole-word matches among them."""
    needle, like, pattern = q.strip().lower(), _like(q), word_pattern(q)
    where, wparams = _window_sql(win)
    arts = store.query(
        f"SELECT id, title, outlet, published, "
        f"substr(text, greatest(1, strpos(lower(text), ?) - 80), 220) AS snippet "
        f"FROM (SELECT id, title, outlet, published, seq, text, {_ART_DAY} AS day FROM articles "
        f"      WHERE (title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\') "
        f"      AND (regexp_matches(title, ?) OR regexp_matches(text, ?))) "
        f"WHERE TRUE{where} ORDER BY day DESC NULLS LAST, seq DESC LIMIT ?",
        [needle, like, like, pattern, pattern] + wparams + [limit])
    actors = store.query(
        "SELECT coalesce(name, text) AS name, country, code, count(*) AS n, count(DISTINCT article_id) AS articles, "
        "min(article_id) AS example FROM mentions "
        "WHERE ((name ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\') "
        "AND (regexp_matches(coalesce(name, ''), ?) OR regexp_matches(text, ?))) "
        "OR code = upper(?) OR country = upper(?) "
        "GROUP BY 1, 2, 3 ORDER BY n DESC, name LIMIT ?",
        [like, like, pattern, pattern, needle, needle, limit])
    qwhere, qparams = _window_sql(win, "a.day")
    quotes = store.query(
        "SELECT q.article_id, q.idx, q.text, q.speaker_name, q.speaker_code, a.title, a.outlet "
        f"FROM quotes q JOIN (SELECT id, title, outlet, seq, {_ART_DAY} AS day FROM articles) a ON a.id = q.article_id "
        f"WHERE q.text ILIKE ? ESCAPE '\\' AND regexp_matches(q.text, ?){qwhere} "
        "ORDER BY a.day DESC NULLS LAST, a.seq DESC, q.idx LIMIT ?", [like, pattern] + qparams + [limit])
    return {"articles": arts, "actors": actors, "quotes": quotes}


def _clean_event(r: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in r.items() if k not in ("claimed_by", "seq")}


# -- the app -------------------------------------------------------------------------------------


def create_app(db: str | Path, allowed_hosts: Optional[list[str]] = None,
               today: Optional[_dt.date] = None, warm: bool = False) -> FastAPI:
    """The dashboard for one database file (opened read-only per request). `allowed_hosts`: the Host
    names answered (None: any; `tightrope serve` passes loopback names and --allow-host). `today`: the
    date the default window is judged against (the clock when None). `warm`: read what every page needs
    (the events relation, the story list) in a thread at start, so the first reader does not wait for it."""
    db_path = Path(db)
    env = _templates()
    app = FastAPI(title="Tightrope", version=__version__, docs_url=None, redoc_url=None,
                  description="Read-only dashboard and JSON API over a Tightrope database. "
                              "Every figure links to the events (and sentences) behind it. Lists take a date "
                              "window (start, end: YYYY-MM-DD, YYYY-MM or YYYY) and limit/offset.")
    app.state.db = db_path
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    default_cache: dict[tuple, tuple] = {}
    comparisons: "OrderedDict[tuple, Optional[dict[str, Any]]]" = OrderedDict()

    stories_held: dict[tuple, list[dict[str, Any]]] = {}

    def all_stories(st: Store) -> list[dict[str, Any]]:
        """STORIES' list of every story, read once per state of the database file (thousands of rows)."""
        from ..relations.query import _file_state

        key = _file_state(db_path.resolve())
        if key not in stories_held:
            stories_held.clear()
            stories_held[key] = list_stories(st)
        return [dict(s) for s in stories_held[key]]

    def compared(st: Store, story_id: str, read: Optional[list] = None) -> Optional[dict[str, Any]]:
        """STORIES' comparison of one story, kept for the last 64 stories asked while the file is unchanged
        (comparing a large story takes seconds; a reader goes back and forth). `read`: a list that receives
        the story's results when they had to be read for the comparison, so that the page need not read them
        again."""
        from ..relations.query import _file_state
        from ..stories import compare_results, story_headline, story_results

        key = (_file_state(db_path.resolve()), story_id)
        if key in comparisons:
            comparisons.move_to_end(key)
            return comparisons[key]
        results = story_results(st, story_id)
        comp = compare_results(results, story_id, title=story_headline(st, story_id)) if results else None
        if read is not None:
            read.extend(results)
        comparisons[key] = comp
        while len(comparisons) > 64:
            comparisons.popitem(last=False)
        return comp

    def store() -> Store:
        try:
            return Store(db_path, read_only=True, config=SAFE_CONFIG)
        except FileNotFoundError as exc:
            raise HTTPException(503, str(exc)) from exc

    def open_store() -> Iterator[Store]:
        """The store for one request, on one read-only connection held for the request."""
        st = store()
        with st.session():
            yield st

    def window(request: Request, st: Store) -> Window:
        qp = request.query_params
        if "start" in qp or "end" in qp:
            raw_s, raw_e = qp.get("start", "").strip(), qp.get("end", "").strip()
            for v in (raw_s, raw_e):
                if not DATE_BOUND.match(v):
                    raise HTTPException(422, f"dates are YYYY-MM-DD, YYYY-MM or YYYY, not {v[:40]!r}")
            from ..relations import parse_bound

            return Window(parse_bound(raw_s), parse_bound(raw_e, end=True), True, raw_s, raw_e)
        lo, hi = default_for(st)
        return Window(lo, hi, False)

    def default_for(st: Store) -> tuple:
        """relations.default_window, worked out once per state of the database file."""
        from ..relations import default_window
        from ..relations.query import _file_state

        key = (_file_state(db_path.resolve()), today)
        if key not in default_cache:
            default_cache.clear()
            default_cache[key] = default_window(st, today)
        return default_cache[key]

    def render(request: Request, _template: str, win: Optional[Window] = None, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(_template).render(request=request, win=win, **ctx))

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
    def docs_page(request: Request) -> HTMLResponse:
        """The OpenAPI description rendered on the server (Swagger UI would load from a CDN)."""
        schema = app.openapi()
        endpoints = []
        for path, ops in schema.get("paths", {}).items():
            for method, op in ops.items():
                endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                                  "description": op.get("description", ""),
                                  "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                              "schema": p.get("schema", {})} for p in op.get("parameters", [])]})
        return render(request, "docs.html", title="JSON API", endpoints=endpoints, info=schema.get("info", {}))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static-lib/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    # -- JSON API ------------------------------------------------------------------------------
    # Every list takes start/end (the window; absent: the default window, empty: all dates) and limit/offset.

    StartQ = Query(None, pattern=DATE_BOUND.pattern, description="First day: YYYY-MM-DD, YYYY-MM or YYYY")
    EndQ = Query(None, pattern=DATE_BOUND.pattern, description="Last day: YYYY-MM-DD, YYYY-MM or YYYY")

    @app.get("/api/counts", tags=["api"])
    def api_counts(st: Store = Depends(open_store)) -> dict[str, int]:
        """Rows per table."""
        return st.counts()

    @app.get("/api/stories", tags=["api"])
    def api_stories(request: Request, response: Response, st: Store = Depends(open_store),
                    start: Optional[str] = StartQ, end: Optional[str] = EndQ,
                    sort: str = Query("recent", pattern="^(" + "|".join(STORY_SORTS) + ")$"),
                    limit: int = Query(100, ge=1, le=API_MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)
                    ) -> list[dict[str, Any]]:
        """Stories {id, articles, outlets, size, start, end, headline} whose dates meet the window, newest first
        (sort: recent, oldest, size, outlets); the X-Total-Count header gives how many there are."""
        rows = _stories(all_stories(st), window(request, st), sort)
        response.headers["X-Total-Count"] = str(len(rows))
        return rows[offset:offset + limit]

    @app.get("/api/stories/{story_id}", tags=["api"])
    def api_story(st: Store = Depends(open_store), story_id: str = PathParam(..., pattern=ARTICLE_ID)) -> dict[str, Any]:
        """How the outlets of one story compare (shared facts, only-in facts, conflicts, quote variants,
        tone) and its coverage: which outlets (and leans) covered it and which did not."""
        s = compared(st, story_id)
        if s is None:
            raise HTTPException(404, "no such story")
        return {**s, "coverage": _coverage(st, s)}

    @app.get("/api/dyads", tags=["api"])
    def api_dyads(request: Request, st: Store = Depends(open_store), level: str = Query("country", pattern="^(country|actor)$"),
                  modality: str = Query("asserted", pattern=MODALITY), start: Optional[str] = StartQ,
                  end: Optional[str] = EndQ, sort: str = Query("n", pattern="^(" + "|".join(PAIR_SORTS) + ")$"),
                  self_pairs: bool = Query(False, description="Keep pairs like USA → USA"),
                  limit: int = Query(20, ge=1, le=API_MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)
                  ) -> list[dict[str, Any]]:
        """The most active ordered pairs with counts by type/quad, intensity and net cooperation."""
        from ..relations import dyads

        win = window(request, st)
        return dyads(st, level=level, modality=_mod(modality), limit=limit, offset=offset, start=win.start,
                     end=win.end, self_pairs=self_pairs, sort=sort)

    @app.get("/api/dyad/{source}/{target}", tags=["api"])
    def api_dyad(request: Request, st: Store = Depends(open_store), source: str = PathParam(..., pattern=CODE), target: str = PathParam(..., pattern=CODE),
                 by: str = Query("week", pattern=BY), modality: str = Query("asserted", pattern=MODALITY),
                 type: Optional[str] = Query(None, pattern="^(" + "|".join(PLOVER_TYPES) + ")$"),
                 start: Optional[str] = StartQ, end: Optional[str] = EndQ) -> dict[str, Any]:
        """The series of one ordered pair (country codes of up to 5 letters, else actor codes). Filled with
        empty periods up to 1,500 periods; a wider span lists only the periods with events (see `note`)."""
        from ..relations import dyad_series

        win = window(request, st)
        return dyad_series(st, source.upper(), target.upper(), by=by, modality=_mod(modality),
                           types=[type] if type else None, start=win.start, end=win.end)

    @app.get("/api/pair/{a}/{b}", tags=["api"])
    def api_pair(request: Request, st: Store = Depends(open_store), a: str = PathParam(..., pattern=CODE), b: str = PathParam(..., pattern=CODE),
                 by: str = Query("month", pattern=BY), modality: str = Query("asserted", pattern=MODALITY),
                 start: Optional[str] = StartQ, end: Optional[str] = EndQ,
                 limit: int = Query(50, ge=1, le=API_MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)
                 ) -> dict[str, Any]:
        """Both directions of a pair on the same periods, and the quotes of either side about the other."""
        from ..relations import pair_quotes, pair_view

        win = window(request, st)
        a, b = a.upper(), b.upper()
        view = pair_view(st, a, b, by=by, modality=_mod(modality), start=win.start, end=win.end)
        quotes, n_quotes = pair_quotes(st, a, b, start=win.start, end=win.end, limit=limit, offset=offset)
        return {**view, "quotes": quotes, "n_quotes": n_quotes}

    @app.get("/api/triangle/{a}/{b}/{c}", tags=["api"])
    def api_triangle(request: Request, st: Store = Depends(open_store), a: str = PathParam(..., pattern=CODE), b: str = PathParam(..., pattern=CODE),
                     c: str = PathParam(..., pattern=CODE), by: str = Query("week", pattern=BY),
                     start: Optional[str] = StartQ, end: Optional[str] = EndQ) -> dict[str, Any]:
        """A→B against A→C: balance = net cooperation A→B − net cooperation A→C."""
        from ..relations import triangle

        win = window(request, st)
        return triangle(st, a.upper(), b.upper(), c.upper(), by=by, start=win.start, end=win.end)

    @app.get("/api/network", tags=["api"])
    def api_network(request: Request, st: Store = Depends(open_store), modality: str = Query("asserted", pattern=MODALITY),
                    start: Optional[str] = StartQ, end: Optional[str] = EndQ,
                    min_events: int = Query(1, ge=1, le=100000),
                    region: Optional[str] = Query(None, max_length=40)) -> dict[str, Any]:
        """Countries as nodes; directed edges weighted by events, signed by net cooperation."""
        from ..relations import network

        win = window(request, st)
        return network(st, modality=_mod(modality), min_events=min_events, start=win.start, end=win.end,
                       countries=_region_codes(region))

    @app.get("/api/alerts", tags=["api"])
    def api_alerts(request: Request, st: Store = Depends(open_store), k: float = Query(3.0, gt=0, le=20), start: Optional[str] = StartQ,
                   end: Optional[str] = EndQ, min_events: int = Query(2, ge=1, le=1000),
                   self_pairs: bool = Query(False)) -> list[dict[str, Any]]:
        """Weeks in which a pair's mean intensity left median ± k·1.4826·MAD of its previous weeks (weeks
        with at least min_events events; self-pairs only when asked)."""
        from ..relations import shift_alerts

        win = window(request, st)
        return shift_alerts(st, k=k, start=win.start, end=win.end, min_events=min_events, self_pairs=self_pairs)

    @app.get("/api/events", tags=["api"])
    def api_events(request: Request, st: Store = Depends(open_store), source: Optional[str] = Query(None, pattern=CODE),
                   target: Optional[str] = Query(None, pattern=CODE),
                   type: Optional[str] = Query(None, pattern="^(" + "|".join(PLOVER_TYPES) + ")$"),
                   modality: str = Query("asserted", pattern=MODALITY),
                   by: str = Query("week", pattern=BY), period: Optional[str] = Query(None, pattern=PERIOD),
                   both: bool = Query(False, description="source and target in either direction"),
                   start: Optional[str] = StartQ, end: Optional[str] = EndQ,
                   sort: str = Query("date_desc", pattern="^(" + "|".join(EVENT_SORTS) + ")$"),
                   limit: int = Query(200, ge=1, le=API_MAX_LIMIT),
                   offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> list[dict[str, Any]]:
        """Events with their evidence sentence, newest first; each has `evidence`, the article page anchor.
        Page through them with limit and offset (the X-Total-Count header gives the total)."""
        from ..relations import event_rows

        win = window(request, st)
        rows = event_rows(st, source, target, modality=_mod(modality), types=[type] if type else None,
                          start=win.start, end=win.end, by=by if period else None, period=period, both=both,
                          order=sort, limit=limit, offset=offset)
        return [{**_clean_event(r), "evidence": f"/article/{r['article_id']}#e{r['idx']}"} for r in rows]

    @app.get("/api/articles/{article_id}", tags=["api"])
    def api_article(st: Store = Depends(open_store), article_id: str = PathParam(..., pattern=ARTICLE_ID)) -> dict[str, Any]:
        """One article with its actors, events, quotes and claims (the extract --json object)."""
        r = st.result(article_id)
        if r is None:
            raise HTTPException(404, "no such article")
        return r.to_dict()

    @app.get("/api/search", tags=["api"])
    def api_search(request: Request, st: Store = Depends(open_store), q: str = Query(..., min_length=1, max_length=200),
                   start: Optional[str] = StartQ, end: Optional[str] = EndQ) -> dict[str, list[dict[str, Any]]]:
        """Articles (title/text), actors (name/code) and quotes holding q as whole words (case-insensitive)."""
        return _search(st, q, win=window(request, st))

    @app.get("/api/outlets", tags=["api"])
    def api_outlets(request: Request, st: Store = Depends(open_store), start: Optional[str] = StartQ, end: Optional[str] = EndQ) -> list[dict[str, Any]]:
        """Outlets: name, domain, country, lean (from `tightrope outlets`), articles in the window."""
        from ..relations.outlets import outlet_rows

        win = window(request, st)
        return outlet_rows(st, win.start, win.end)

    @app.get("/api/tables/{table}", tags=["api"])
    def api_table(request: Request, st: Store = Depends(open_store), table: str = PathParam(..., pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")) -> dict[str, Any]:
        """Rows of one table as shown by /tables/{table} (same filters: col=value, col__contains=,
        _sort, _desc, _facet, _offset, _size)."""
        view = _table_view(st, table, request)
        return {"table": table, **_jsonable(view.run(st))}

    @app.get("/api/sql", tags=["api"])
    def api_sql(sql: str = Query(..., min_length=1, max_length=4000)) -> dict[str, Any]:
        """One read-only SQL query (SELECT, WITH, ...): at most 1,000 rows, stopped after 5 seconds."""
        from .tables import QueryError, run_sql

        try:
            return _jsonable(run_sql(store(), sql))
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None

    # -- helpers shared by pages ------------------------------------------------------------------

    def _region_codes(region: Optional[str]) -> Optional[set[str]]:
        if not region:
            return None
        from ..relations.geo import continents, countries_in

        if region not in continents():
            raise HTTPException(422, f"unknown region {region[:40]!r}; one of: {', '.join(continents())}")
        return countries_in(region)

    def _coverage(st: Store, comp: dict[str, Any]) -> dict[str, Any]:
        from ..relations.outlets import story_coverage

        info = comp.get("article_info") or []
        days = sorted(str(a.get("published"))[:10] for a in info if a.get("published"))
        return story_coverage(st, [a.get("outlet") for a in info], days[0] if days else None,
                              days[-1] if days else None)

    def _table_view(st: Store, table: str, request: Request):
        from .tables import TableView, table_names

        if table not in table_names(st):
            raise HTTPException(404, "no such table")
        return TableView.from_params(st, table, list(request.query_params.multi_items()))

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, st: Store = Depends(open_store), self_pairs: bool = Query(False), single: bool = Query(False)) -> HTMLResponse:
        from ..relations import dyads, shift_alerts

        win = window(request, st)
        every = all_stories(st)
        stories = _stories(every, win, "recent")
        articles, n_articles = _articles(st, win, 10)
        return render(request, "overview.html", win, title="Overview", counts=st.counts(),
                      n_stories=len(every), n_stories_window=len(stories), stories=stories[:15],
                      articles=articles, n_articles_window=n_articles,
                      dyads=dyads(st, limit=15, start=win.start, end=win.end, self_pairs=self_pairs),
                      alerts=shift_alerts(st, start=win.start, end=win.end, min_events=1 if single else 2,
                                          self_pairs=self_pairs)[:10],
                      self_pairs=self_pairs, single=single, modality="asserted")

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(request: Request, st: Store = Depends(open_store), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                      sort: str = Query("newest", pattern="^(" + "|".join(ARTICLE_SORTS) + ")$"),
                      outlet: Optional[str] = Query(None, max_length=300)) -> HTMLResponse:
        win = window(request, st)
        rows, total = _articles(st, win, 100, offset, sort, outlet)
        return render(request, "articles.html", win, title="Articles", articles=rows, sort=sort, outlet=outlet,
                      sorts=list(ARTICLE_SORTS), pager=_pager(request, total, offset, 100))

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request, st: Store = Depends(open_store), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
        win = window(request, st)
        where, params = _window_sql(win, "a.day")
        base = (f"FROM mentions m JOIN (SELECT id, {_ART_DAY} AS day FROM articles) a ON a.id = m.article_id "
                f"WHERE TRUE{where} GROUP BY 1, 2, 3") if where else "FROM mentions m GROUP BY 1, 2, 3"
        rows = st.query(  # one grouping: the number of groups comes with the page (count(*) OVER ())
            "SELECT coalesce(m.name, m.text) AS name, m.country, m.code, count(*) AS n, "
            f"count(DISTINCT m.article_id) AS articles, min(m.article_id) AS example, count(*) OVER () AS groups {base} "
            "ORDER BY n DESC, name LIMIT 200 OFFSET ?", params + [offset])
        total = rows[0]["groups"] if rows else (0 if offset == 0 else offset)
        return render(request, "actors.html", win, title="Actors", actors=rows,
                      pager=_pager(request, int(total), offset, 200))

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(request: Request, st: Store = Depends(open_store), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                    sort: str = Query("newest", pattern="^(" + "|".join(QUOTE_SORTS) + ")$"),
                    speaker: Optional[str] = Query(None, pattern="^([A-Za-z0-9_.-]{1,24})?$")) -> HTMLResponse:
        win = window(request, st)
        rows, total = _quotes(st, win, 200, offset, sort, speaker or None)
        return render(request, "quotes.html", win, title="Quotes", quotes=rows, sort=sort, sorts=list(QUOTE_SORTS),
                      speaker=speaker, pager=_pager(request, total, offset, 200))

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, st: Store = Depends(open_store), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                     sort: str = Query("recent", pattern="^(" + "|".join(STORY_SORTS) + ")$")) -> HTMLResponse:
        win = window(request, st)
        rows = _stories(all_stories(st), win, sort)
        return render(request, "stories.html", win, title="Stories", stories=rows[offset:offset + 100], sort=sort,
                      sorts=STORY_SORTS, pager=_pager(request, len(rows), offset, 100))

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, st: Store = Depends(open_store), story_id: str = PathParam(..., pattern=ARTICLE_ID)) -> HTMLResponse:
        read: list = []
        comp = compared(st, story_id, read)
        if comp is None:
            raise HTTPException(404, "no such story")
        results = {r.article.id: r for r in (read or st.results(comp["articles"]))}
        columns = []
        for aid in comp["articles"]:
            r = results.get(aid)
            if r is None:
                continue
            columns.append({"result": r, "html": highlight(r.article.text, r.actors, r.events, r.quotes),
                            "only_in": comp.get("only_in", {}).get(aid, [])})
        title = comp.get("title") or comp.get("headline") or next(
            (c["result"].article.title for c in columns if c["result"].article.title), None) or f"Story {story_id}"
        coverage = _coverage(st, comp)
        lean_of = {o["name"]: o.get("lean") for o in coverage["covered"]}
        tone_rows = []
        for outlet, t in sorted((comp.get("tone") or {}).items()):
            if isinstance(t, dict):
                tone_rows.append({"outlet": outlet, "lean": lean_of.get(outlet), **t})
        return render(request, "story.html", title=title, story=comp, columns=columns, coverage=coverage,
                      tone_rows=tone_rows)

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, st: Store = Depends(open_store), article_id: str = PathParam(..., pattern=ARTICLE_ID)) -> HTMLResponse:
        r = st.result(article_id)
        if r is None:
            raise HTTPException(404, "no such article")
        return render(request, "article.html", title=r.article.title or r.article.id, r=r,
                      html=highlight(r.article.text, r.actors, r.events, r.quotes))

    @app.get("/pairs", response_class=HTMLResponse, include_in_schema=False)
    def pairs_page(request: Request, st: Store = Depends(open_store), level: str = Query("country", pattern="^(country|actor)$"),
                   modality: str = Query("asserted", pattern=MODALITY),
                   sort: str = Query("n", pattern="^(" + "|".join(PAIR_SORTS) + ")$"),
                   country: Optional[str] = Query(None, pattern="^([A-Za-z0-9_.-]{1,24})?$"),
                   self_pairs: bool = Query(False), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
        from ..relations import count_dyads, dyads

        win = window(request, st)
        country = (country or "").upper() or None
        rows = dyads(st, level=level, modality=_mod(modality), limit=100, offset=offset, start=win.start,
                     end=win.end, self_pairs=self_pairs, sort=sort, country=country)
        total = count_dyads(st, level, _mod(modality), win.start, win.end, self_pairs, country)
        return render(request, "pairs.html", win, title="Pairs" + (f" of {country}" if country else ""), dyads=rows,
                      level=level, modality=modality, sort=sort, sorts=PAIR_SORTS, self_pairs=self_pairs,
                      country=country, pager=_pager(request, total, offset, 100))

    @app.get("/pair/{source}/{target}", response_class=HTMLResponse, include_in_schema=False)
    def pair_page(request: Request, st: Store = Depends(open_store), source: str = PathParam(..., pattern=CODE),
                  target: str = PathParam(..., pattern=CODE), by: str = Query("month", pattern=BY),
                  modality: str = Query("asserted", pattern=MODALITY),
                  type: Optional[str] = Query(None, pattern=TYPE_OR_EMPTY),
                  offset: int = Query(0, ge=0, le=MAX_OFFSET), qoffset: int = Query(0, ge=0, le=MAX_OFFSET)
                  ) -> HTMLResponse:
        from ..relations import count_events, event_rows, pair_quotes, pair_view, period_bounds

        win = window(request, st)
        a, b = source.upper(), target.upper()
        mod = _mod(modality)
        types = [type] if type else None
        view = pair_view(st, a, b, by=by, modality=mod, types=types, start=win.start, end=win.end)
        n_events = count_events(st, a, b, modality=mod, types=types, start=win.start, end=win.end, both=True)
        events = event_rows(st, a, b, modality=mod, types=types, start=win.start, end=win.end, both=True,
                            order="date", limit=50, offset=offset)
        quotes, n_quotes = pair_quotes(st, a, b, start=win.start, end=win.end, limit=20, offset=qoffset)
        periods = []
        for p in view["series"]:
            bounds = period_bounds(p["period"], by)
            p_href = _href(request.url.path, by="day" if by != "day" else None, modality=modality, type=type,
                           start=bounds[0].isoformat(), end=bounds[1].isoformat()) if bounds else None
            periods.append({**p, "href": p_href})
        chart = {"a": a, "b": b, "by": by,
                 "x": [p["period"] + ("-01" if by == "month" else "") for p in view["series"]],
                 "links": [p["href"] for p in periods],
                 "ab": {q: [p["ab"]["by_quad"][q] for p in view["series"]] for q in "1234"},
                 "ba": {q: [p["ba"]["by_quad"][q] for p in view["series"]] for q in "1234"},
                 "ab_net": [p["ab"]["net_cooperation"] for p in view["series"]],
                 "ba_net": [p["ba"]["net_cooperation"] for p in view["series"]]}
        return render(request, "pair.html", win, title=f"{a} and {b}", a=a, b=b, v=view, periods=periods,
                      events=events, n_events=n_events, quotes=quotes, n_quotes=n_quotes, by=by,
                      modality=modality, type=type or "", types=PLOVER_TYPES, modalities=MODALITIES, chart=chart,
                      pager_events=_pager(request, n_events, offset, 50),
                      qpager=_pager(request, n_quotes, qoffset, 20, key="qoffset"))

    @app.get("/triangle", response_class=HTMLResponse, include_in_schema=False)
    def triangle_page(request: Request, st: Store = Depends(open_store), a: str = Query(..., pattern=CODE), b: str = Query(..., pattern=CODE),
                      c: str = Query(..., pattern=CODE), by: str = Query("week", pattern=BY),
                      modality: str = Query("asserted", pattern=MODALITY)) -> HTMLResponse:
        from ..relations import triangle

        win = window(request, st)
        t = triangle(st, a.upper(), b.upper(), c.upper(), by=by, modality=_mod(modality), start=win.start,
                     end=win.end)
        return render(request, "triangle.html", win, title=f"{t['a']} → {t['b']} vs {t['a']} → {t['c']}", t=t,
                      by=by, modality=modality)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, st: Store = Depends(open_store), source: Optional[str] = Query(None, pattern="^([A-Za-z0-9_.-]{1,24})?$"),
                    target: Optional[str] = Query(None, pattern="^([A-Za-z0-9_.-]{1,24})?$"),
                    type: Optional[str] = Query(None, pattern=TYPE_OR_EMPTY),
                    modality: str = Query("asserted", pattern=MODALITY), by: str = Query("week", pattern=BY),
                    period: Optional[str] = Query(None, pattern="^([0-9]{4}-[0-9]{2}(-[0-9]{2})?)?$"),
                    both: bool = Query(False), sort: str = Query("date_desc", pattern="^(" + "|".join(EVENT_SORTS) + ")$"),
                    offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
        from ..relations import count_events, event_rows

        win = window(request, st)
        kw = dict(modality=_mod(modality), types=[type] if type else None, start=win.start, end=win.end,
                  by=by if period else None, period=period or None, both=both)
        total = count_events(st, source or None, target or None, **kw)
        rows = event_rows(st, source or None, target or None, order=sort, limit=100, offset=offset, **kw)
        filters = {"source": source, "target": target, "type": type, "modality": modality, "period": period,
                   "by": by if period else None, "both directions": "yes" if both else None}
        return render(request, "events.html", win, title="Events", events=rows, n_events=total, filters=filters,
                      sort=sort, sorts=EVENT_SORTS, pager=_pager(request, total, offset, 100))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(request: Request, st: Store = Depends(open_store), modality: str = Query("asserted", pattern=MODALITY),
                     min_events: int = Query(2, ge=1, le=100000), region: Optional[str] = Query(None, max_length=40),
                     top: int = Query(40, ge=2, le=200)) -> HTMLResponse:
        from ..relations import network
        from ..relations.geo import continents, country_name
        from .svg import force_layout

        win = window(request, st)
        net = network(st, modality=_mod(modality), min_events=min_events, start=win.start, end=win.end,
                      countries=_region_codes(region or None), top=top)
        pos = force_layout([n["id"] for n in net["nodes"]],
                           [(e["source"], e["target"], e["weight"]) for e in net["edges"]])
        undirected: dict[tuple[str, str], dict[str, Any]] = {}
        for e in net["edges"]:
            key = tuple(sorted((e["source"], e["target"])))
            u = undirected.setdefault(key, {"a": key[0], "b": key[1], "n": 0, "net": 0, "parts": []})
            u["n"] += e["weight"]
            u["net"] += e["net_cooperation"]
            u["parts"].append(f"{e['source']} → {e['target']}: {e['weight']} events, net {e['net_cooperation']:+d}")
        data = {"nodes": [{"id": n["id"], "name": country_name(n["id"]), "n": n["n"], "partners": n["partners"],
                           "x": pos[n["id"]][0], "y": pos[n["id"]][1],
                           "href": _href("/pairs", win, country=n["id"], modality=modality)} for n in net["nodes"]],
                "edges": [{**u, "hover": "<br>".join(u.pop("parts")),
                           "href": _href(f"/pair/{u['a']}/{u['b']}", win, modality=modality)}
                          for u in undirected.values()]}
        for e in data["edges"]:
            e["x0"], e["y0"] = pos[e["a"]]
            e["x1"], e["y1"] = pos[e["b"]]
        return render(request, "network.html", win, title="Network", net=net, data=data, modality=modality,
                      min_events=min_events, region=region or "", regions=continents(), top=top)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, st: Store = Depends(open_store), country: Optional[str] = Query(None, pattern="^([A-Za-z]{3})?$"),
                 modality: str = Query("asserted", pattern=MODALITY)) -> HTMLResponse:
        from ..relations import country_activity, partners
        from ..relations.geo import country_name, world
        from .svg import map_legend, world_map_svg

        win = window(request, st)
        activity = country_activity(st, modality=_mod(modality), start=win.start, end=win.end)
        focus = (country or "").upper() or None
        href = {c: _href("/map", win, country=c, modality=modality) for c in world()}
        plist = partners(st, focus, modality=_mod(modality), start=win.start, end=win.end) if focus else []
        pair_href = {p["partner"]: _href(f"/pair/{focus}/{p['partner']}", win, modality=modality) for p in plist}
        svg = world_map_svg(activity, href, focus, plist, pair_href)
        off_map = sorted(((k, v) for k, v in activity.items() if k not in world()), key=lambda kv: -kv[1]["n"])
        top = sorted(((k, v) for k, v in activity.items()), key=lambda kv: (-kv[1]["n"], kv[0]))[:25]
        return render(request, "map.html", win, title=f"Partners of {country_name(focus)}" if focus else "World map",
                      svg=svg, legend=map_legend(activity, focus), focus=focus, partners=plist, off_map=off_map[:20],
                      top=top, modality=modality, name=country_name)

    @app.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
    def alerts_page(request: Request, st: Store = Depends(open_store), self_pairs: bool = Query(False), single: bool = Query(False)) -> HTMLResponse:
        from ..relations import shift_alerts

        win = window(request, st)
        return render(request, "alerts.html", win, title="Shift alerts", self_pairs=self_pairs, single=single,
                      alerts=shift_alerts(st, start=win.start, end=win.end, min_events=1 if single else 2,
                                          self_pairs=self_pairs))

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request, st: Store = Depends(open_store)) -> HTMLResponse:
        from ..relations.outlets import has_outlet_table, outlet_rows

        win = window(request, st)
        return render(request, "outlets.html", win, title="Outlets", outlets=outlet_rows(st, win.start, win.end),
                      has_table=has_outlet_table(st))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, st: Store = Depends(open_store), q: str = Query("", max_length=200)) -> HTMLResponse:
        win = window(request, st)
        found = _search(st, q, win=win) if q.strip() else {"articles": [], "actors": [], "quotes": []}
        return render(request, "search.html", win, title="Search", q=q, found=found)

    @app.get("/tables", response_class=HTMLResponse, include_in_schema=False)
    def tables_page(request: Request, st: Store = Depends(open_store)) -> HTMLResponse:
        from .tables import quote_ident, table_columns, table_names

        rows = []
        with st.reading() as con:
            for t in table_names(st):
                rows.append({"name": t, "rows": con.execute(f"SELECT count(*) FROM {quote_ident(t)}").fetchone()[0],
                             "columns": [c["name"] for c in table_columns(st, t)]})
        return render(request, "tables.html", title="Tables", tables=rows)

    @app.get("/tables/{table}", include_in_schema=False)
    def table_page(request: Request, st: Store = Depends(open_store), table: str = PathParam(..., pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}(\.(csv|json))?$")) -> Response:
        name, _, fmt = table.partition(".")
        view = _table_view(st, name, request)
        result = view.run(st)
        if fmt == "json":
            return JSONResponse(_jsonable(result)["rows"])
        if fmt == "csv":
            return Response(_csv(result["columns"], [[r[c] for c in result["columns"]] for r in result["rows"]]),
                            media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        base = request.url.path
        download = {f: f"{base}.{f}" + ("?" + request.url.query if request.url.query else "") for f in ("csv", "json")}
        return render(request, "table.html", title=f"Table {name}", table=name, view=view, result=result,
                      download=download, pager=_pager(request, result["total"], view.offset, view.size, key="_offset"))

    @app.get("/sql", response_class=HTMLResponse, include_in_schema=False)
    def sql_page(request: Request, sql: str = Query("", max_length=4000), fmt: str = Query("html", pattern="^(html|csv|json)$")) -> Response:
        from .tables import SQL_ROW_LIMIT, SQL_TIME_LIMIT_S, QueryError, run_sql

        result, problem = None, None
        if sql.strip():
            try:
                result = run_sql(store(), sql)
            except QueryError as exc:
                problem = str(exc)
        if result is not None and fmt == "csv":
            return Response(_csv(result["columns"], result["rows"]), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="query.csv"'})
        if result is not None and fmt == "json":
            return JSONResponse(_jsonable(result))
        if problem and fmt != "html":
            raise HTTPException(400, problem)
        return render(request, "sql.html", title="SQL query", sql=sql, result=result, problem=problem,
                      row_limit=SQL_ROW_LIMIT, time_limit=SQL_TIME_LIMIT_S,
                      examples=["SELECT source_country, target_country, type, count(*) AS n FROM events "
                                "GROUP BY ALL ORDER BY n DESC LIMIT 20",
                                "SELECT outlet, count(*) AS articles FROM articles GROUP BY outlet ORDER BY 2 DESC"])

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(env.get_template("error.html").render(title=f"Error {exc.status_code}", request=request, win=None,
                                                                   status=exc.status_code, detail=str(exc.detail)),
                            status_code=exc.status_code)

    app.add_middleware(ServerGuard, allowed_hosts=allowed_hosts)  # outermost: holds for every response
    if warm and db_path.exists():
        import threading

        def warm_up() -> None:
            try:
                for name in env.list_templates():
                    env.get_template(name)  # compiled once, kept by the environment
                st = store()
                with st.session():
                    default_for(st)
                    all_stories(st)
                # the language data a story comparison reads (0.6 s of the first story page's 1.5 s)
                from ..quotes.rules import default_quote_rules
                from ..stories.compare import tone_lexicon

                tone_lexicon()
                default_quote_rules()
            except Exception:  # noqa: BLE001 - a failed warm-up only means the first request does the work
                pass

        threading.Thread(target=warm_up, name="dashboard-warm-up", daemon=True).start()
    return app


def _jsonable(value: Any) -> Any:
    """Dates, decimals and other DuckDB values as JSON-friendly values."""
    return json.loads(json.dumps(value, default=str))


def _csv(columns: list[str], rows: list[list[Any]]) -> str:
    """CSV of what is shown, with text cells that a spreadsheet would run as a formula neutralised."""
    from ..relations.exports import neutralise_formula

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([neutralise_formula(c) for c in columns])
    for r in rows:
        w.writerow(["" if v is None else neutralise_formula(v) if isinstance(v, str) else v for v in r])
    return buf.getvalue()
