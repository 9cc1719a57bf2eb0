"""The loopback server: a small, read-only ASGI app (Starlette) over a built site.

It serves only the files of the built folder, plus a JSON API over the same page data:

    GET /api                      the endpoints (and which page data this build lacks)
    GET /api/meta                 sources, licence, citation, presets
    GET /api/systems              systems; filters q, area, org, from, to (dlrev.query);
                                  limit, offset
    GET /api/systems/{name}       one system
    GET /api/milestones           milestones; filter domain (vision, games, language,
                                  science; comma-separated; anything else is a 400)
    GET /api/fit?metric=&eras=    the trend engine's fit (eras: comma-separated ISO dates)
                                  (metric: compute, parameters, dataset_size or data)
    GET /api/benchmarks           SOTA curves and saturation   (also /api/forecasts,
                                  /api/scaling and, with --lab, /api/lab: each page's data)

Anything but GET/HEAD gets 405. Every response carries a Content-Security-Policy that allows
only the page's own origin.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dlrev.jsonio import plain
from dlrev.web.site import CSP


def _system_fields() -> dict[str, str]:
    from dlrev.web.pagedata import SYSTEM_FIELDS

    return SYSTEM_FIELDS

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
    "cross-origin-resource-policy": "same-origin",
}
MAX_LIMIT = 5000
# Pages whose whole data file is served as is: /api/benchmarks, /api/forecasts, ...
PAGE_DATA = ("story", "benchmarks", "forecasts", "scaling", "horizons", "growth", "capability",
             "lab")


class SecurityHeaders:
    """Adds the security headers to every response and refuses methods that could change state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            resp = PlainTextResponse("read-only: only GET and HEAD are allowed\n", status_code=405,
                                     headers={"allow": "GET, HEAD", **SECURITY_HEADERS})
            await resp(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _host_name(header: str) -> str:
    """'example.org:8000' -> 'example.org'; '[::1]:8000' -> '::1' (lower-cased)."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


class HostGuard:
    """Answers 400 to a request whose Host header is not one of the names the server was bound
    to: a page on another site that rebinds its DNS name to 127.0.0.1 gets nothing."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = {_host_name(h) for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope.get("headers", [])
                         if k == b"host"), "")
            if _host_name(host) not in self.allowed:
                resp = JSONResponse({"error": "unknown Host header; this server answers only "
                                     "to the names it was started on."}, status_code=400,
                                    headers=SECURITY_HEADERS)
                await resp(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _date_param(qp: Any, name: str) -> str | None:
    """An ISO date query parameter, checked: ValueError naming it when it is not a real day."""
    from datetime import date

    value = qp.get(name)
    if not value:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be an ISO date (YYYY-MM-DD), not {value[:20]!r}.") \
            from None
    return str(value)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(site_dir: str | Path) -> Starlette:
    """The ASGI app serving `site_dir` (a folder written by build_site) and the API."""
    root = Path(site_dir).resolve()
    if not (root / "index.html").is_file():
        from dlrev.errors import DlrevError

        raise DlrevError(f"{root}: no index.html; build the site first (dlrev build DIR).")
    systems: list[dict[str, Any]] = json.loads((root / "data" / "systems.json").read_text("utf-8"))
    milestones: list[dict[str, Any]] = json.loads(
        (root / "data" / "milestones.json").read_text("utf-8"))
    meta: dict[str, Any] = json.loads((root / "data" / "meta.json").read_text("utf-8"))
    by_name = {s["name"]: s for s in systems}
    frames: list[Any] = []  # the systems as a frame (index = position), made on first query

    def systems_frame() -> Any:
        if not frames:
            from dlrev.web.fits import frame_of_records

            frames.append(frame_of_records(systems))
        return frames[0]

    async def api_index(request: Request) -> Response:
        # Every endpoint, those whose page this build lacks too, with why and how to add it.
        absent = {f"/api/{name}": (
            "this site was built without a lab folder; build it with --lab DIR "
            "(dlrev build DIR --lab LAB or dlrev serve --lab LAB)" if name == "lab" else
            f"this site has no {name} page (its data or module was missing at build time)")
            for name in PAGE_DATA if name not in pages}
        return JSONResponse({
            "endpoints": ["/api/meta", "/api/systems", "/api/systems/{name}", "/api/milestones",
                          "/api/fit", *[f"/api/{name}" for name in PAGE_DATA]],
            "not_in_this_site": absent,
            "systems": len(systems), "milestones": len(milestones), "read_only": True,
        })

    async def api_meta(request: Request) -> Response:
        return JSONResponse(meta)

    # The data never changes while serving: the answer to a query string is computed once
    # (bounded, oldest dropped first), so a busy page costs a dict lookup, not a JSON dump.
    answers: dict[str, Response] = {}

    async def api_systems(request: Request) -> Response:
        key = request.url.query
        hit = answers.get(key)
        if hit is None:
            hit = systems_answer(request)
            if hit.status_code == 200:
                if len(answers) >= 256:
                    answers.pop(next(iter(answers)))
                answers[key] = hit
        return Response(hit.body, status_code=hit.status_code, media_type="application/json")

    def systems_answer(request: Request) -> Response:
        qp = request.query_params
        try:
            start, end = _date_param(qp, "from"), _date_param(qp, "to")
        except ValueError as exc:
            return _error(400, str(exc))
        rows = systems
        q, area, org = qp.get("q", "").strip(), qp.get("area"), qp.get("org")
        if systems and (q or area or org or start or end):
            from dlrev.query import filter_systems

            hits = filter_systems(systems_frame(), q=q, area=area.split(",") if area else None,
                                  org=org, since=start, before=end)  # 'to' is exclusive
            rows = [systems[i] for i in hits.index]
        try:
            limit = int(qp.get("limit", str(MAX_LIMIT)))
            offset = int(qp.get("offset", "0"))
        except ValueError:
            return _error(400, "limit and offset must be whole numbers.")
        if limit < 0 or offset < 0:
            return _error(400, "limit and offset must not be negative.")
        limit = min(limit, MAX_LIMIT)
        return JSONResponse({"total": len(rows), "offset": offset, "limit": limit,
                             "fields": list(_system_fields().values()),
                             "systems": rows[offset:offset + limit]})

    async def api_system(request: Request) -> Response:
        name = request.path_params["name"]
        s = by_name.get(name)
        if s is None:
            low = {k.lower(): v for k, v in by_name.items()}
            s = low.get(name.lower())
        if s is None:
            return _error(404, f"no system named {name!r}.")
        return JSONResponse(s)

    domains = sorted({str(m.get("domain")) for m in milestones if m.get("domain")})

    async def api_milestones(request: Request) -> Response:
        rows = milestones
        dom = request.query_params.get("domain")
        if dom:
            wanted = {d.strip().lower() for d in dom.split(",") if d.strip()}
            unknown = sorted(wanted - set(domains))
            if unknown:
                return _error(400, f"domain {unknown[0][:40]!r} is not one of "
                                   f"{', '.join(domains)} (comma-separate several).")
            rows = [m for m in rows if m.get("domain") in wanted]
        return JSONResponse({"total": len(rows), "milestones": rows})

    async def api_fit(request: Request) -> Response:
        try:
            from dlrev import trends
        except ImportError:
            return _error(503, "the trend engine (dlrev.trends) is not installed.")
        qp = request.query_params
        # The page's name for a metric (dataset_size) or the trend engine's (data).
        metric = {"dataset_size": "data"}.get(qp.get("metric", "compute"),
                                              qp.get("metric", "compute"))
        if metric not in ("compute", "parameters", "data"):
            return _error(400, "metric must be compute, parameters or dataset_size (or data).")
        eras_raw = qp.get("eras", "")
        eras = [e for e in eras_raw.split(",") if e] if eras_raw else None
        try:
            bootstrap = min(int(qp.get("bootstrap", "1000")), 5000)
            ci = float(qp.get("ci", "0.9"))
        except ValueError:
            return _error(400, "bootstrap must be a whole number and ci a fraction.")
        try:
            start, end = _date_param(qp, "from"), _date_param(qp, "to")
            for e in eras or []:
                _date_param({"eras": e}, "eras")
        except ValueError as exc:
            return _error(400, str(exc))
        from dlrev.web.fits import frame_of_records

        df = frame_of_records(systems)
        if start:
            df = df[df["date"] >= start]
        if end:
            df = df[df["date"] < end]
        try:
            fit = trends.fit(df, metric=metric, eras=eras, bootstrap=bootstrap, ci=ci, seed=0)
        except Exception as exc:  # bad eras or too few points: a 400 with the engine's sentence
            return _error(400, str(exc))
        return JSONResponse(plain(fit.to_dict()))

    pages = {name: root / "data" / f"{name}.json" for name in PAGE_DATA
             if (root / "data" / f"{name}.json").is_file()}

    async def api_page(request: Request) -> Response:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1]
        path = pages.get(name)
        if path is None:
            return _error(404, f"this site has no {name} page.")
        return Response(path.read_bytes(), media_type="application/json")

    async def static(request: Request) -> Response:
        raw = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        path = unquote(raw.split("?", 1)[0])
        # Refuse anything that could step outside the folder, however it is spelled.
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") or "\\" in p or "\x00" in p for p in parts):
            return PlainTextResponse("not found\n", status_code=404)
        if any(p.startswith(".") for p in parts):
            return PlainTextResponse("not found\n", status_code=404)
        try:  # a name too long for the file system, a loop: not found, never a 500
            target = (root.joinpath(*parts) if parts else root).resolve()
            if target != root and root not in target.parents:
                return PlainTextResponse("not found\n", status_code=404)
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                return PlainTextResponse("not found\n", status_code=404)
        except (OSError, RuntimeError, ValueError):
            return _error(404, "not found.")
        headers = {"cache-control": "no-cache"}
        gz = target.with_name(target.name + ".gz")
        if "gzip" in request.headers.get("accept-encoding", "") and gz.is_file():
            # precompressed at build time: sent as is (GZipMiddleware passes it through)
            media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if media.startswith("text/") or media.endswith(("javascript", "json")):
                media += "; charset=utf-8"
            return FileResponse(str(gz), media_type=media, headers={
                **headers, "content-encoding": "gzip", "vary": "Accept-Encoding"})
        return FileResponse(str(target), headers=headers)

    routes = [
        Route("/api", api_index),
        Route("/api/", api_index),
        Route("/api/meta", api_meta),
        Route("/api/systems", api_systems),
        Route("/api/systems/{name:path}", api_system),
        Route("/api/milestones", api_milestones),
        Route("/api/fit", api_fit),
        *[Route(f"/api/{name}", api_page) for name in PAGE_DATA],
        Route("/{path:path}", static),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=800)])
    app.state.site_dir = root
    app.state.n_systems = len(systems)
    return app


def secure_app(site_dir: str | Path, allowed_hosts: Iterable[str] | None = None) -> ASGIApp:
    """create_app wrapped with the security headers and the read-only guard, and, given
    `allowed_hosts` (as `dlrev serve` always gives), the Host-header check."""
    app: ASGIApp = SecurityHeaders(create_app(site_dir))
    return app if allowed_hosts is None else HostGuard(app, allowed_hosts)
