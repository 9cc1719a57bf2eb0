"""Server under load: 200 concurrent clients on loopback for 20 s, dlrev against the standard
library's static server.

dlrev: `dlrev serve`'s app and uvicorn settings (Host check, connection limits, timeouts),
clients alternating GET / and GET /api/systems. Peer: `python -m http.server` serving the same
built site, clients alternating GET / and GET /data/systems.json (the same systems, as a file).
Prints requests per second, median and 99th-percentile latency and the error count of each
(goal: 0 errors for dlrev).

Bounded and self-stopping: each server runs in its own subprocess bound to 127.0.0.1 and is
killed when its run ends (or on any error); nothing listens after the script exits.

    python benchmarks/bench_server_load.py [--clients 200] [--seconds 20] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_dlrev(site: str, port: int) -> None:
    """Child process: dlrev's app and server settings, as `dlrev serve` runs them."""
    import uvicorn

    from dlrev.cli.web import allowed_hosts, uvicorn_config
    from dlrev.web import secure_app

    app = secure_app(site, allowed_hosts=allowed_hosts("127.0.0.1", public=False))
    uvicorn.Server(uvicorn_config(app, host="127.0.0.1", port=port)).run()


def start(kind: str, site: Path, port: int) -> subprocess.Popen:
    if kind == "dlrev":
        cmd = [sys.executable, __file__, "--serve-dlrev", str(site), str(port)]
    else:
        cmd = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
               "--directory", str(site)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{kind} server did not start")


async def client(port: int, paths: tuple[str, str], until: float, lat: list[float],
                 errors: list[str]) -> None:
    """Keep-alive HTTP/1.1 GETs in turn; reconnects when the server closes the connection."""
    reader = writer = None
    i = 0
    while time.monotonic() < until:
        path = paths[i % 2]
        i += 1
        t0 = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            status = head.split(b" ", 2)[1]
            headers = head.decode("latin-1").lower()
            length = int(headers.split("content-length:")[1].split("\r\n")[0])
            await asyncio.wait_for(reader.readexactly(length), 30)
            lat.append(time.monotonic() - t0)
            if status != b"200":
                errors.append(status.decode())
            if "connection: close" in headers or head.startswith(b"HTTP/1.0"):
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, TimeoutError, IndexError,
                ValueError) as exc:
            errors.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def load(port: int, paths: tuple[str, str], clients: int, seconds: float) -> dict:
    lat: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds
    t0 = time.monotonic()
    await asyncio.gather(*[client(port, paths, until, lat, errors) for _ in range(clients)])
    took = time.monotonic() - t0
    lat.sort()
    pick = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 1)) if lat \
        else (lambda q: None)
    return {"requests": len(lat), "req_per_s": round(len(lat) / took, 1), "p50_ms": pick(0.5),
            "p99_ms": pick(0.99), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5]}


def run(kind: str, site: Path, clients: int, seconds: float) -> dict:
    port = free_port()
    paths = ("/", "/api/systems") if kind == "dlrev" else ("/", "/data/systems.json")
    proc = start(kind, site, port)
    try:
        return {"server": kind, "paths": list(paths),
                **asyncio.run(load(port, paths, clients, seconds))}
    finally:
        proc.kill()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--serve-dlrev", nargs=2, metavar=("SITE", "PORT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_dlrev:
        serve_dlrev(args.serve_dlrev[0], int(args.serve_dlrev[1]))
        return
    sys.path.insert(0, str(ROOT / "src"))
    import dlrev
    from dlrev.web import build_site

    with tempfile.TemporaryDirectory(prefix="dlrev-load-") as tmp:
        site = Path(tmp) / "site"
        build_site(dlrev.load(), site)
        results = [run(kind, site, args.clients, args.seconds) for kind in ("dlrev", "peer")]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{args.clients} clients, {args.seconds:g} s each, loopback")
    for r in results:
        name = "dlrev (uvicorn)" if r["server"] == "dlrev" else "python -m http.server"
        print(f"  {name:22s} {r['req_per_s']:8.1f} req/s  p50 {r['p50_ms']} ms  "
              f"p99 {r['p99_ms']} ms  errors {r['errors']} {r['error_kinds'] or ''}")
    d, p = results
    if p["req_per_s"]:
        print(f"  ratio dlrev/peer: {d['req_per_s'] / p['req_per_s']:.2f}x req/s")


if __name__ == "__main__":
    main()
