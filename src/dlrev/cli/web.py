"""`dlrev serve` and `dlrev build`: the explorer as a local server or a static site."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import typer

from dlrev.cli.common import JSON_OPTION, catalog, console, print_json
from dlrev.errors import DlrevError

DATA_OPTION = typer.Option(
    None, "--data", metavar="FILE",
    help="Systems table to show instead of the curated one (an Epoch AI CSV export, a CSV in "
         "dlrev's format, or 'epoch'). Same as the global --data.",
)


LAB_OPTION = typer.Option(
    None, "--lab", metavar="DIR",
    help="A scaling-lab folder (from `dlrev lab run` or `dlrev lab isoflop`) to show on the Lab "
         "page (an IsoFLOP folder also on the Scaling page).",
)


def _lab(lab: Path | None) -> Path | None:
    if lab is None:
        return None
    if not (lab / "lab.json").is_file() and not (lab / "isoflop.json").is_file():
        raise DlrevError(f"--lab {lab}: not a lab folder (it has no lab.json or isoflop.json); "
                         f"make one with `dlrev lab run --out {lab}` or "
                         f"`dlrev lab isoflop --out {lab}`.")
    return lab


def _data_file(data: str | None) -> Path | None:
    if data is None:
        return None
    if data == "epoch":
        from dlrev.paths import epoch_snapshot_path

        return epoch_snapshot_path()
    return Path(data)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("build")(build)


def _catalog(ctx: typer.Context, data: str | None):
    if data is not None:
        root = ctx.find_root()
        obj = root.obj if isinstance(root.obj, dict) else {}
        obj["data"] = data
        obj.pop("catalog", None)
        root.obj = obj
    return catalog(ctx)


def build(
    ctx: typer.Context,
    outdir: Path = typer.Argument(..., help="Folder to write the site into (created or replaced "
                                            "if it holds an earlier dlrev site)."),
    data: str = DATA_OPTION,
    lab: Path = LAB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the explorer as static files (HTML, CSS, JS, data) that work from any web host."""
    from dlrev.web import build_site

    lab_dir = _lab(lab)
    cat = _catalog(ctx, data)
    res = build_site(cat, outdir, lab=lab_dir)
    if as_json:
        print_json(res)
        return
    console.print(f"wrote {len(res.files)} files to {res.outdir} ({res.n_systems} systems, "
                  f"{res.n_milestones} milestones); serve it with "
                  f"`dlrev serve --site {res.outdir}` or any static web server, e.g. "
                  f"python -m http.server -d {res.outdir}")


# Connection limits of the server (uvicorn's settings plus a header deadline of our own).
HEADER_TIMEOUT_S = 10.0  # a connection must send a whole request head within this
KEEP_ALIVE_S = 5  # an idle keep-alive connection is closed after this
MAX_CONNECTIONS = 1000  # beyond this, new requests get 503 instead of piling up
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _header_timeout_protocol() -> type:
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request head within
    HEADER_TIMEOUT_S of opening or of its last response (uvicorn's keep-alive timer stops at the
    first byte of a new request, so a head sent a byte at a time would hold it forever)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutProtocol(H11Protocol):
        def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
            super().connection_made(transport)
            self._arm_header_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm_header_timer()

        def _arm_header_timer(self) -> None:
            self.loop.call_later(HEADER_TIMEOUT_S, self._close_if_silent, self.cycle)

        def _close_if_silent(self, cycle) -> None:  # type: ignore[no-untyped-def]
            # No new request head since the timer was set, and nothing being answered.
            idle = self.cycle is cycle and (cycle is None or cycle.response_complete)
            if idle and not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutProtocol


def uvicorn_config(app, **kwargs):  # type: ignore[no-untyped-def]
    """The uvicorn Config `dlrev serve` runs with: bounded connections and timeouts."""
    import uvicorn

    return uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                          http=_header_timeout_protocol(), timeout_keep_alive=KEEP_ALIVE_S,
                          limit_concurrency=MAX_CONNECTIONS, h11_max_incomplete_event_size=16384,
                          **kwargs)


def allowed_hosts(host: str, public: bool) -> list[str] | None:
    """Host names the server answers to: the loopback names and the bound host; None (any) only
    for a public server, which the user asked for by name."""
    if public:
        return None
    return list(dict.fromkeys([*LOOPBACK, host]))


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on (0 picks a free one)."),
    public: bool = typer.Option(False, "--public", help="Allow a non-loopback --host such as "
                                "0.0.0.0: every machine that can reach this one can read the "
                                "site and its API, under any host name."),
    data: str = DATA_OPTION,
    lab: Path = LAB_OPTION,
    site_dir: Path = typer.Option(None, "--site", help="Serve this already built site folder "
                                  "(from `dlrev build`) as it is, without building."),
) -> None:
    """Build the explorer into a temporary folder and serve it, read-only, on loopback."""
    import socket

    from dlrev.web import build_site, secure_app

    if not 0 <= port <= 65535:
        raise DlrevError(f"--port {port} is not a port number (0-65535).")
    if host not in LOOPBACK and not public:
        raise DlrevError(f"--host {host} would serve to other machines; add --public if that is "
                         "what you want.")
    from dlrev.web.site import cached_site, serve_key

    if site_dir is not None:
        from dlrev.web.site import MARKER

        if not (site_dir / MARKER).is_file():
            raise DlrevError(f"--site {site_dir}: not a site built by `dlrev build` (no {MARKER} "
                             "file in it); build one with `dlrev build DIR`.")
    lab_dir = _lab(lab)
    root = ctx.find_root()
    if data is None and isinstance(root.obj, dict):
        data = root.obj.get("data")
    data_file = _data_file(data)
    tmp = Path(tempfile.mkdtemp(prefix="dlrev-site-"))
    try:
        if site_dir is not None:
            site = site_dir
        elif data_file is None or data_file.is_file():
            # an identical earlier build (same files, same day) is served again as it is
            site = cached_site(serve_key(data_file, lab_dir),
                               lambda out: build_site(_catalog(ctx, data), out, lab=lab_dir))
        else:  # let the catalog say what is wrong with --data
            site = tmp / "site"
            build_site(_catalog(ctx, data), site, lab=lab_dir)
        app = secure_app(site, allowed_hosts=allowed_hosts(host, public))
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise DlrevError(f"cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
        # Listen before the address is printed: a client that reads it and connects at once is
        # queued by the kernel until uvicorn accepts, never refused.
        sock.listen(2048)
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        if public:
            console.print(f"[yellow]warning: --public: serving on {host}:{bound}; every machine "
                          "that can reach this one can read the explorer, its data and the JSON "
                          "API (read-only), under any host name.[/yellow]")
        console.print(f"dlrev explorer: http://{shown}:{bound}/  (Ctrl-C to stop)", highlight=False)
        import uvicorn

        server = uvicorn.Server(uvicorn_config(app))
        server.run(sockets=[sock])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
