"""Issue 13 points 12-15 on the server: Host check, no 500s, slow clients, file name only,
formula-safe CSV download."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import dlrev
from dlrev.cli import web as cli_web
from dlrev.web import build_site, secure_app

USER_CSV = (
    "name,date,domain,compute,organization\n"
    "Plain,2019-01-01,language,1e21,Lab A\n"
    '"=HYPERLINK(""http://evil.example"")",2020-01-01,language,1e22,@Lab B\n'
    "Third,2021-01-01,vision,1e23,+Lab C\n"
)


@pytest.fixture(scope="module")
def user_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("private-folder-name")
    data = folder / "my_systems.csv"
    data.write_text(USER_CSV, encoding="utf-8")
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLREV_CACHE_DIR", str(cache))
        out = tmp_path_factory.mktemp("site") / "site"
        build_site(dlrev.load(data), out)
    return out, data


def client(site: Path, hosts: list[str] | None, base: str = "http://127.0.0.1:8000"):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from starlette.testclient import TestClient

        return TestClient(secure_app(site, allowed_hosts=hosts), base_url=base)


# --- 12. Host check, --public, file name only --------------------------------------------------

def test_host_header_is_checked(user_site: tuple[Path, Path]) -> None:
    site, _ = user_site
    c = client(site, cli_web.allowed_hosts("127.0.0.1", public=False))
    assert c.get("/api/systems").status_code == 200
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"):
        assert c.get("/", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "",
                 "localhost.:8000"):
        r = c.get("/api/systems", headers={"host": host})
        assert r.status_code == 400, host
        assert "Host" in r.json()["error"] and "systems" not in r.text
    # The bound host is allowed too; a public server answers to any name.
    c = client(site, cli_web.allowed_hosts("192.168.1.5", public=False))
    assert c.get("/", headers={"host": "192.168.1.5:8000"}).status_code == 200
    assert client(site, cli_web.allowed_hosts("0.0.0.0", public=True)).get(
        "/", headers={"host": "my-box.lan"}).status_code == 200


def test_non_loopback_host_needs_public(cli) -> None:
    r = cli("serve", "--host", "0.0.0.0", "--port", "0")
    assert r.exit_code == 2
    assert "--public" in r.stderr and "other machines" in r.stderr


def test_footer_and_meta_show_the_file_name_only(user_site: tuple[Path, Path]) -> None:
    site, data = user_site
    c = client(site, None)
    meta = c.get("/api/meta").text
    assert "my_systems.csv" in meta and str(data.parent) not in meta
    for page in ("/", "/data.html", "/about.html"):
        html = c.get(page).text
        assert str(data.parent) not in html, page
    assert "my_systems.csv" in c.get("/").text


# --- 13. no 500s -------------------------------------------------------------------------------

@pytest.mark.parametrize("path, status", [
    ("/" + "a" * 300, 404),
    ("/static/" + "b" * 256 + "/x.js", 404),
    ("/data/" + "c" * 5000, 404),
    ("/api/fit?from=zzz", 400),
    ("/api/fit?to=2023-02-30", 400),
    ("/api/fit?eras=2015-13-01", 400),
    ("/api/systems?from=zzz", 400),
    ("/api/systems?to=2023-02-30", 400),
])
def test_bad_paths_and_dates_are_4xx_json(user_site: tuple[Path, Path], path: str,
                                          status: int) -> None:
    site, _ = user_site
    r = client(site, None).get(path)
    assert r.status_code == status, r.text
    if status == 400 or len(path) > 256:
        assert "error" in r.json()


def test_good_dates_still_filter(user_site: tuple[Path, Path]) -> None:
    site, _ = user_site
    r = client(site, None).get("/api/systems?from=2020-01-01&to=2021-06-01")
    assert r.status_code == 200 and r.json()["total"] == 2


# --- 15. formula-safe CSV download -------------------------------------------------------------

def test_systems_csv_download_is_formula_safe(user_site: tuple[Path, Path]) -> None:
    site, _ = user_site
    text = client(site, None).get("/data/systems.csv").text
    assert "'=HYPERLINK" in text and "'@Lab B" in text and "'+Lab C" in text
    assert ",=" not in text and "\n=" not in text and ",@" not in text
    assert "leading apostrophe" in (site / "data" / "README.txt").read_text("utf-8")
    systems = json.loads((site / "data" / "systems.json").read_text("utf-8"))
    assert any(s["name"] == '=HYPERLINK("http://evil.example")' for s in systems)


# --- 14. slow clients: uvicorn with dlrev serve's limits ---------------------------------------

@pytest.fixture
def running(user_site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    import uvicorn

    monkeypatch.setattr(cli_web, "HEADER_TIMEOUT_S", 1.0)
    app = secure_app(user_site[0], allowed_hosts=cli_web.allowed_hosts("127.0.0.1", False))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(cli_web.uvicorn_config(app))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])),
                              daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.mark.timeout(60)
def test_idle_connections_are_closed(running: int) -> None:
    port = running
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # a head that never ends
    # After one whole request, a second head sent a few bytes at a time.
    kept = socket.create_connection(("127.0.0.1", port))
    kept.sendall(b"GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    kept.settimeout(5)
    assert kept.recv(64).startswith(b"HTTP/1.1 200")
    try:
        t0 = time.monotonic()
        try:
            for _ in range(8):  # a trickle that never completes a head: closed after ~1 s
                time.sleep(0.5)
                kept.sendall(b"X")
        except OSError:
            pass
        assert time.monotonic() - t0 < 3.5
        for s in [*idle, slow]:
            s.settimeout(2)
            assert s.recv(1024) == b"", "connection still open"
        kept.settimeout(2)
        try:
            while kept.recv(65536):  # the rest of the first response, then the close
                pass
        except ConnectionResetError:
            pass
        # The server still answers afterwards.
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            s.settimeout(5)
            assert s.recv(64).startswith(b"HTTP/1.1 200")
    finally:
        for s in [*idle, slow, kept]:
            s.close()
