"""The web app's routes. Each parses its input and calls one function from the modules beside it;
errors become a page or a JSON body in one place (`_install_error_handlers`)."""
from __future__ import annotations

import errno
import logging
import os
import socket
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Form, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.errors import BadUsage, PolicyWatchError
from index import IndexFailure
from index.trend import COLUMNS as TREND_COLUMNS
from core import __version__
from core.config import DEFAULT_STATE, Config

from . import alerts as web_alerts, api_docs, cases as case_views, coverage, entities, exports, feeds, saved as saved_searches, templating
from .urls import article_url, entity_url
from .articles import article_record, article_view
from .errors import BadRequest, Forbidden
from .origin import cross_site
from .search import MAX_PAGE, SearchForm, api_result, build_request, run_search
from .services import Services

logger = logging.getLogger(__name__)

TOKEN_HEADER = "X-PolicyWatch-Token"
STATIC = Path(__file__).with_name("static")
# No page needs a script: none may run, whatever a crawled title holds.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])


# -- what routes take ----------------------------------------------------------------------------------
def get_services(request: Request) -> Services:
    return request.app.state.services


def search_form(q: str = "", date_from: Annotated[str, Query(alias="from")] = "", to: str = "",
                source: Annotated[list[str], Query()] = [], entity: Annotated[list[str], Query()] = [],
                type_: Annotated[list[str], Query(alias="type")] = [], action: Annotated[list[str], Query()] = [],
                sort: Literal["relevance", "date"] = "relevance",
                page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
                collection: Annotated[list[str], Query()] = [],
                lang: Annotated[list[str], Query(description="article language (ISO 639-1), e.g. ko")] = [],
                collapse: bool = False, interval: Literal["day", "week", "month"] = "month",
                measure: Literal["articles", "share"] = "articles") -> SearchForm:
    """The search state: the query language in `q`, plus filters (repeat a parameter for several values);
    collapse=true gives one result per story; interval and measure shape the coverage chart."""
    return SearchForm.of(q, date_from, to, source, entity, type_, action, sort, page, lang=lang,
                         collection=collection, collapse=collapse, interval=interval, measure=measure)


def trend_form(date_from: Annotated[str, Query(alias="from")] = "", to: str = "",
               source: Annotated[list[str], Query()] = [], entity: Annotated[list[str], Query()] = [],
               type_: Annotated[list[str], Query(alias="type")] = [], action: Annotated[list[str], Query()] = [],
               collection: Annotated[list[str], Query()] = [], lang: Annotated[list[str], Query()] = [],
               collapse: bool = False, interval: Literal["day", "week", "month"] = "month",
               measure: Literal["articles", "share"] = "articles") -> SearchForm:
    """The filters and chart options shared by every query of a comparison (the queries are `q`, repeated)."""
    return SearchForm.of("", date_from, to, source, entity, type_, action, "relevance", 1, lang=lang,
                         collection=collection, collapse=collapse, interval=interval, measure=measure)


def timeline_options(interval: Literal["day", "week", "month"] = "month",
                     metric: Literal["articles", "stories", "mentions"] = "articles", tz: str = "",
                     date_from: Annotated[str, Query(alias="from")] = "", to: str = "") -> entities.TimelineOptions:
    return entities.TimelineOptions(interval, metric, tz or None, date_from, to)


Svc = Annotated[Services, Depends(get_services)]
Search = Annotated[SearchForm, Depends(search_form)]
Timeline = Annotated[entities.TimelineOptions, Depends(timeline_options)]
Compare = Annotated[list[str], Query(description="another entity to chart (2 to 4 in all)")]
TrendForm = Annotated[SearchForm, Depends(trend_form)]
Queries = Annotated[list[str], Query(description="a query to chart (repeat for up to 4 lines)")]
TokenHeader = Annotated[str | None, Header(alias=TOKEN_HEADER)]


def render(request: Request, template: str, context: dict, status: int = 200) -> Response:
    services = request.app.state.services
    return request.app.state.templates.TemplateResponse(
        request, template, {"token_required": services.token_required, **context}, status_code=status)


def stream(fmt: str, records, columns: list[str], filename: str) -> StreamingResponse:
    return StreamingResponse(exports.chunks(fmt, records, columns), media_type=exports.MEDIA_TYPES[fmt],
                             headers={"Content-Disposition": exports.disposition(filename, fmt != "json")})


# -- pages ---------------------------------------------------------------------------------------------
@pages.get("/")
def search_page(request: Request, services: Svc, form: Search):
    page = run_search(services, form)
    chart = None if page.error else coverage.coverage(services, form)
    return render(request, "search.html", {"page": page, "form": form, "outlets": services.outlets(),
                                           "collections": sorted(services.collections()), "coverage": chart,
                                           "coverage_urls": coverage}, page.status)


@pages.get("/trend")
def trend_page(request: Request, services: Svc, form: TrendForm, q: Queries = []):
    view = coverage.coverage(services, form, q)
    return render(request, "trend.html", {"view": view, "form": form, "coverage_urls": coverage})


@pages.get("/articles/{article_id}")
def article_page(request: Request, services: Svc, article_id: str):
    return render(request, "article.html", {"view": article_view(services, article_id)})


@pages.get("/entities/{name:path}")
def entity_page(request: Request, services: Svc, name: str, options: Timeline, compare: Compare = []):
    canonical = services.canonical(name)
    if canonical != name:          # an alias: send the reader to the canonical page
        query = request.url.query
        return RedirectResponse(entity_url(canonical) + (f"?{query}" if query else ""), 307)
    return render(request, "entity.html", {"page": entities.entity_page(services, name, compare, options)})


@pages.get("/api-docs")
def api_page(request: Request):
    """The API, readable and offline (FastAPI's /docs needs a CDN): web/api_docs.py."""
    schema = request.app.openapi()
    return render(request, "api.html", {"info": schema["info"], "endpoints": api_docs.endpoints(schema), "nav": "api"})
def case_form(authority: str = "", target: str = "", country: str = "", stage: str = "",
              since: str = "") -> case_views.CaseForm:
    """Cases filters: authority and target take any alias; since = a stage first reported on or after (YYYY-MM-DD)."""
    return case_views.CaseForm(authority.strip(), target.strip(), country.strip(), stage.strip(), since.strip())


Cases = Annotated[case_views.CaseForm, Depends(case_form)]


@pages.get("/cases")
def cases_page(request: Request, services: Svc, form: Cases):
    return render(request, "cases.html", {"found": case_views.case_list(services, form), "form": form,
                                          "stages": case_views.cases.STAGE_ORDER})


@pages.get("/cases/{case_id}")
def case_page(request: Request, services: Svc, case_id: str):
    return render(request, "case.html", {"c": case_views.case(services, case_id)})


@pages.get("/saved")
def saved_page(request: Request, services: Svc):
    return render(request, "saved.html", {"searches": saved_searches.with_counts(services)})


def check_write(request: Request, services: Services, token: str | None) -> None:
    """A write needs the token when the server has one; without one, it must not come from another site."""
    if services.token_required:
        services.check_token(token)
        return
    why = cross_site(request.headers, f"{request.url.scheme}://{request.headers.get('host', '')}")
    if why:
        raise Forbidden(f"refused a cross-site request ({why}): save and delete searches from this site's "
                        "own pages, or start the server with --token")


@pages.post("/saved")
def save_search(request: Request, services: Svc, name: Annotated[str, Form()], q: Annotated[str, Form()] = "",
                date_from: Annotated[str, Form(alias="from")] = "", to: Annotated[str, Form()] = "",
                source: Annotated[list[str], Form()] = [], entity: Annotated[list[str], Form()] = [],
                type_: Annotated[list[str], Form(alias="type")] = [], action: Annotated[list[str], Form()] = [],
                sort: Annotated[str, Form()] = "relevance", token: Annotated[str | None, Form()] = None,
                header_token: TokenHeader = None, lang: Annotated[list[str], Form()] = [],
                collection: Annotated[list[str], Form()] = [], collapse: Annotated[str, Form()] = ""):
    check_write(request, services, header_token or token)
    form = SearchForm.of(q, date_from, to, source, entity, type_, action, sort, lang=lang, collection=collection,
                         collapse=collapse)
    saved_searches.save(services, name, form)
    return RedirectResponse("/saved", 303)


@pages.get("/saved/{slug}")
def open_saved(services: Svc, slug: str):
    return RedirectResponse(saved_searches.open_saved(services, slug), 303)


@pages.post("/saved/{slug}/delete")
def delete_saved(request: Request, services: Svc, slug: str, token: Annotated[str | None, Form()] = None,
                 header_token: TokenHeader = None):
    check_write(request, services, header_token or token)
    services.saved.delete(slug)
    return RedirectResponse("/saved", 303)


@pages.get("/alerts")
def alerts_page(request: Request, services: Svc):
    return render(request, "alerts.html", {"alerts": web_alerts.listed(services)})


@pages.post("/alerts")
def add_alert(request: Request, services: Svc, name: Annotated[str, Form()], to: Annotated[str, Form()],
              every: Annotated[str, Form()] = "instant", q: Annotated[str, Form()] = "",
              entity: Annotated[str, Form()] = "", saved: Annotated[str, Form()] = "",
              token: Annotated[str | None, Form()] = None, header_token: TokenHeader = None):
    check_write(request, services, header_token or token)
    web_alerts.add(services, name, to, every, query=q, entity=entity, saved=saved)
    return RedirectResponse("/alerts", 303)


@pages.post("/alerts/{name}/delete")
def delete_alert(request: Request, services: Svc, name: str, token: Annotated[str | None, Form()] = None,
                 header_token: TokenHeader = None):
    check_write(request, services, header_token or token)
    web_alerts.delete(services, name)
    return RedirectResponse("/alerts", 303)


@pages.get("/feeds/{slug}.atom")
def saved_feed(request: Request, services: Svc, slug: str):
    saved, form, hits = saved_searches.newest(services, slug, feeds.FEED_SIZE)
    base = str(request.base_url).rstrip("/")
    body = feeds.atom_feed(saved, hits, base + request.url.path, base + form.url(),
                           lambda article_id: base + article_url(article_id))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


# -- the JSON API ----------------------------------------------------------------------------------------
@api.get("/search", summary="Search articles with the query language and filters")
def api_search(services: Svc, form: Search, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict:
    page = run_search(services, form, limit=limit)
    if page.error:
        raise BadRequest(page.error)
    return api_result(page)


@api.get("/trend", summary="Coverage over time: matching articles, stories and share per period, per query")
def api_trend(services: Svc, form: TrendForm, q: Queries = [],
              format: Literal["json", "csv"] = "json") -> StreamingResponse:
    queries = list(dict.fromkeys(t.strip() for t in q)) or [""]
    if len(queries) > coverage.MAX_QUERIES:
        raise BadRequest(f"at most {coverage.MAX_QUERIES} queries at once")
    rows = [vars(r) for r in coverage.trend_rows(services, form, queries)]   # a bad query fails before streaming
    return stream(format, rows, TREND_COLUMNS, f"policywatch-trend-{form.interval}.{format}")


@api.get("/articles/{article_id}", summary="One article with its entities and actions")
def api_article(services: Svc, article_id: str) -> dict:
    return article_record(services, article_id)


@api.get("/entities/{name:path}/timeline",
         summary="Articles and mentions per period (or, with detail, every mention; with newest=N, the N newest)")
def api_timeline(services: Svc, name: str, options: Timeline, compare: Compare = [], detail: bool = False,
                 newest: Annotated[int | None, Query(ge=1, le=10_000)] = None,
                 format: Literal["json", "csv"] = "json") -> StreamingResponse:
    names = entities.entity_names(services, name, compare)
    if detail or newest:
        records, columns = entities.detail_records(services, names, options, newest), entities.DETAIL_COLUMNS
    else:
        records, columns = entities.timeline_records(services, names, options), entities.TIMELINE_COLUMNS
    kind = "mentions" if detail or newest else f"timeline-{options.interval}"
    return stream(format, records, columns, f"{'-'.join(names)}-{kind}.{format}")


@api.get("/entities/{name:path}", summary="An entity: type, aliases, article count, co-mentioned entities")
def api_entity(services: Svc, name: str) -> dict:
    return entities.entity_record(services, name)


@api.get("/cases", summary="Cases (an authority acting on a target, with stages), newest first")
def api_cases(services: Svc, form: Cases) -> list[dict]:
    return [c.record(reports=False) for c in case_views.case_list(services, form)]


@api.get("/cases/{case_id}", summary="One case: its stages in time order, each with every report and its evidence")
def api_case(services: Svc, case_id: str) -> dict:
    return case_views.case(services, case_id).record()


@api.get("/export", summary="Every matching article, streamed as JSON lines or CSV")
def api_export(services: Svc, form: Search, format: Literal["jsonl", "csv"] = "jsonl") -> StreamingResponse:
    request = build_request(services, form, facets=False)     # a malformed query fails here, before streaming
    return stream(format, exports.export_records(services, request), exports.EXPORT_COLUMNS,
                  f"policywatch-export.{format}")


@api.get("/saved", summary="Saved searches with their match counts and new matches since last opened")
def api_saved(services: Svc) -> list[dict]:
    return [record for _, record in saved_searches.with_counts(services)]


# -- errors, in one place ------------------------------------------------------------------------------
def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, "status": status}, status)
    if request.url.path.startswith("/feeds/"):
        return PlainTextResponse(message + "\n", status)
    return render(request, "error.html", {"status": status, "message": message}, status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "bad request — " + "; ".join(parts)


def _install_error_handlers(app: FastAPI) -> None:
    async def policywatch_error(request, exc: PolicyWatchError):
        """The one place PolicyWatch's errors become HTTP: bad usage 4xx, an index failure 503."""
        if isinstance(exc, IndexFailure) and not isinstance(exc, BadUsage):
            logger.error("index error on %s: %s", request.url.path, exc)
            return _error(request, 503, f"the index is unavailable: {exc}")
        return _error(request, exc.http_status, exc.user_message())

    async def invalid(request, exc: RequestValidationError):
        return _error(request, 400, _validation_message(exc))

    async def http_error(request, exc: StarletteHTTPException):
        message = f"there is no page at {request.url.path}" if exc.status_code == 404 else str(exc.detail)
        return _error(request, exc.status_code, message)

    app.add_exception_handler(PolicyWatchError, policywatch_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)


# -- the app ---------------------------------------------------------------------------------------------
def create_app(cfg: Config, token: str | None = None, state: str = DEFAULT_STATE) -> FastAPI:
    # the environment fills ${VAR} in alert channel URLs: read here, where the app is composed
    services = Services(cfg, token, state, environ=dict(os.environ))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        services.close()

    app = FastAPI(title="PolicyWatch", version=__version__, lifespan=lifespan,
                  description="Search news about how governments act on online harms; follow entities over time.",
                  docs_url=None, redoc_url=None)      # the interactive docs load scripts from a CDN
    app.state.services = services
    app.state.templates = templating.build()

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages)
    app.include_router(api)
    _install_error_handlers(app)
    return app


def serve(cfg: Config, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          state: str = DEFAULT_STATE) -> None:
    """`policywatch serve`: open the index (failing early on a bad setting), then run uvicorn."""
    import uvicorn

    sock = listening_socket(host, port)           # a busy port: one line before any other work
    app = create_app(cfg, token, state)
    app.state.services.warm()
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        logger.warning("serving on %s without a token: anyone who can reach it can save and delete searches", host)
    config = uvicorn.Config(app, log_level="info")
    uvicorn.Server(config).run(sockets=[sock])


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound here so a busy port is one line naming it and the way out
    (uvicorn would log a raw [Errno 98] and exit 3)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BadUsage(f"port {port} on {host} is already in use (another `policywatch serve`?): choose "
                           "another with --port N (make serve PORT=N)") from None
        raise BadUsage(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock
