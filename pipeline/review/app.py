"""The review web app: Starlette routes for the two pages and the JSON API they use.

Pages are server-side Jinja2 templates (``templates/review/``, autoescaped) with
one plain script (``review.js``, no build step); the script talks to the same
JSON API that scripts and bots use:

- ``GET /api/documents``: every catalog with its counts by state and QA totals;
- ``GET /api/documents/NAME``: its paragraphs, entries (id, msgid, msgstr, state,
  engine, QA findings, memory matches) and the catalog's ``revision``;
- ``PUT /api/documents/NAME/entries/ID`` with ``{"action": "save"|"approve"|"revert",
  "msgstr": ..., "revision": ..., "confirm": false}``: 200 with the entry and the new
  revision; 409 when the catalog changed since `revision`; 422 when approving needs
  confirmation (QA errors); 404 for an unknown document or entry.

Security (see :class:`TokenGate`): every request carries the random token —
the page gets it once in the address (``/?token=...``), which sets a
``SameSite=Strict`` HttpOnly cookie and redirects to the address without it;
writes must also send it in the ``X-Review-Token`` header (a cookie alone is
what a cross-site form would carry). Without it: 403. Pages are sent with a
Content-Security-Policy allowing only this server's own script and style, so
even a markup injection that slipped past escaping could not run.
"""
from __future__ import annotations

import hmac
import json
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import Config
from ..errors import PipelineError
from ..render import TEMPLATES_DIR
from .store import ReviewError, Store

COOKIE = "review_token"
HEADER = "x-review-token"
STATIC = {"review.js": "text/javascript", "review.css": "text/css"}  # the only files served from templates/review
SAFE_METHODS = {"GET", "HEAD"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")


class TokenGate:
    """ASGI middleware: 403 unless the request carries the token (header for writes)."""

    def __init__(self, app: ASGIApp, token: str):
        self.app = app
        self.token = token

    def _matches(self, offered: str | None) -> bool:
        return offered is not None and bool(offered) and hmac.compare_digest(offered.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        query_token = request.query_params.get("token")
        if request.method in SAFE_METHODS and self._matches(query_token):
            # the printed address: keep the token in a same-site cookie and drop it from the address bar
            target = request.url.remove_query_params("token")
            redirect = RedirectResponse(str(target.path) + (f"?{target.query}" if target.query else ""), 303)
            redirect.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            await redirect(scope, receive, send)
            return
        header = request.headers.get(HEADER)
        allowed = self._matches(header) or (request.method in SAFE_METHODS and self._matches(request.cookies.get(COOKIE)))
        if not allowed:
            why = "writes need the X-Review-Token header" if request.method not in SAFE_METHODS else \
                "open the address `pipeline review` printed (with ?token=...)"
            if request.url.path.startswith("/api/"):
                response: Response = JSONResponse({"error": f"forbidden: {why}"}, 403)
            else:
                response = PlainTextResponse(f"403 forbidden: {why}\n", 403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(config: Config, token: str) -> Starlette:
    """The review app for the catalogs of `config.locales`, guarded by `token`."""
    store = Store(config)
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(TEMPLATES_DIR) / "review")),
                                   autoescape=True, trim_blocks=True, lstrip_blocks=True)

    def page(name: str, **context) -> HTMLResponse:
        html = templates.get_template(name).render(token=token, locales=str(config.locales), **context)
        return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                                           "Referrer-Policy": "no-referrer"})

    def failure(exc: Exception) -> JSONResponse:
        if isinstance(exc, ReviewError):
            return JSONResponse({"error": str(exc), **exc.details}, exc.status)
        return JSONResponse({"error": str(exc)}, 503 if "lock" in type(exc).__name__.lower() else 500)

    def documents_page(request: Request) -> Response:
        try:
            return page("documents.html", documents=store.documents())
        except PipelineError as exc:
            return PlainTextResponse(f"pipeline: error: {exc}\n", 500)

    def document_page(request: Request) -> Response:
        try:
            doc = store.document(request.path_params["name"])
        except ReviewError as exc:
            return PlainTextResponse(f"{exc}\n", exc.status)
        except PipelineError as exc:
            return PlainTextResponse(f"pipeline: error: {exc}\n", 500)
        entries = {entry["id"]: entry for entry in doc["entries"]}
        # the whole view as JSON for the script; Jinja's tojson escapes <, > and & so it cannot close the tag
        return page("document.html", doc=doc, entries=entries, data=doc)

    def list_documents(request: Request) -> Response:
        try:
            return JSONResponse(store.documents())
        except PipelineError as exc:
            return failure(exc)

    def get_document(request: Request) -> Response:
        try:
            return JSONResponse(store.document(request.path_params["name"]))
        except (ReviewError, PipelineError) as exc:
            return failure(exc)

    async def update_entry(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return JSONResponse({"error": "the body must be JSON"}, 400)
        if not isinstance(body, dict) or not isinstance(body.get("revision"), str):
            return JSONResponse({"error": "the body must be a JSON object with the revision it was based on"}, 400)
        try:
            result = await run_in_threadpool(
                store.update, request.path_params["name"], request.path_params["entry"], body["revision"],
                body.get("action", "save"), body.get("msgstr"), bool(body.get("confirm")))
        except (ReviewError, PipelineError) as exc:
            return failure(exc)
        return JSONResponse(result)

    def static(request: Request) -> Response:
        name = request.path_params["file"]
        if name not in STATIC:
            return PlainTextResponse("not found\n", 404)
        return FileResponse(Path(TEMPLATES_DIR) / "review" / name, media_type=STATIC[name],
                            headers={"Cache-Control": "no-store"})

    routes = [
        Route("/", documents_page),
        Route("/documents/{name}", document_page),
        Route("/static/{file}", static),
        Route("/api/documents", list_documents),
        Route("/api/documents/{name}", get_document),
        Route("/api/documents/{name}/entries/{entry}", update_entry, methods=["PUT", "POST"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(TokenGate, token=token)])
