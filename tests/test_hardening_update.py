"""Issue 13 points 2, 7, 10, 11: fault tests for `data update` and concurrent imports.

A small local server on 127.0.0.1 misbehaves on purpose: it trickles, sends too much, or closes
early without a Content-Length. Every failure must leave the previous snapshot byte-identical.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import dlrev.update as upd

SRC = Path(__file__).resolve().parents[1] / "src"


def make_handler(body: bytes) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/good.csv":
                self._head(len(body))
                self.wfile.write(body)
            elif self.path == "/nolength-cut.csv":  # closes mid-row, no Content-Length
                self._head(None)
                cut = body.index(b"\n", len(body) // 2) + 40
                self.wfile.write(body[:cut])
            elif self.path == "/trickle.csv":  # one byte every 0.5 s, forever
                self._head(None)
                try:
                    for b in body:
                        self.wfile.write(bytes([b]))
                        self.wfile.flush()
                        time.sleep(0.5)
                except OSError:
                    pass
            elif self.path == "/huge-announced.csv":
                self._head(3 * 2**30)
            elif self.path == "/huge.csv":  # no length given; 3 MB of rows
                self._head(None)
                try:
                    for _ in range(48):
                        self.wfile.write(b"x" * 65536)
                except OSError:
                    pass
            elif self.path == "/slow.csv":  # the whole body, but slowly (for the kill test)
                self._head(len(body))
                try:
                    for i in range(0, len(body), 4096):
                        self.wfile.write(body[i:i + 4096])
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    pass
            else:
                self.send_error(404)

        def _head(self, length: int | None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            if length is not None:
                self.send_header("Content-Length", str(length))
            self.end_headers()

    return Handler


@pytest.fixture(scope="module")
def server(epoch_csv: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(epoch_csv.read_bytes()))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def snap(cache: Path) -> Path:
    return cache / "epoch" / "notable_ai_models.csv"


def state(cache: Path) -> tuple[bytes, bytes, list[str]]:
    p = snap(cache)
    return (p.read_bytes(), p.with_suffix(".json").read_bytes(),
            sorted(x.name for x in p.parent.iterdir()))


@pytest.mark.parametrize("path, args, fragment", [
    ("/nolength-cut.csv", [], "looks cut off"),
    ("/trickle.csv", ["--timeout", "5", "--deadline", "2"], "the 2 s deadline passed"),
    ("/huge-announced.csv", ["--max-size", "1"], "more than the 1 MB limit"),
    ("/huge.csv", ["--max-size", "1"], "passed the 1 MB limit"),
])
@pytest.mark.timeout(30)
def test_faulty_servers_keep_the_snapshot(cli, server: str, private_cache: Path, path: str,
                                          args: list[str], fragment: str) -> None:
    assert cli("data", "update", "--url", f"{server}/good.csv").exit_code == 0
    before = state(private_cache)
    t0 = time.monotonic()
    r = cli("data", "update", "--url", f"{server}{path}", *args)
    took = time.monotonic() - t0
    assert r.exit_code == 2, r.output
    assert fragment in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert state(private_cache) == before
    if path == "/trickle.csv":
        assert took < 4.0  # the deadline holds, one read at most past it
    if path.startswith("/huge"):
        assert took < 10.0


@pytest.mark.slow
@pytest.mark.timeout(60)
def test_kill_mid_download_then_rerun(server: str, private_cache: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC), "DLREV_CACHE_DIR": str(private_cache)}
    cmd = [sys.executable, "-m", "dlrev", "data", "update", "--url"]
    assert subprocess.run([*cmd, f"{server}/good.csv"], env=env, capture_output=True,
                          timeout=60).returncode == 0
    before = state(private_cache)
    proc = subprocess.Popen([*cmd, f"{server}/slow.csv"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    folder = snap(private_cache).parent
    deadline = time.monotonic() + 20
    while not list(folder.glob(".download-*/download.csv")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(folder.glob(".download-*")), "the kill should have left a download folder"
    assert state(private_cache)[:2] == before[:2]
    r = subprocess.run([*cmd, f"{server}/good.csv", "--json"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["snapshot"]["rows"] == 1036
    assert not list(folder.glob(".download-*")) and not list(folder.glob(".*.tmp"))


def test_concurrent_imports_keep_file_and_metadata_together(tmp_path: Path,
                                                            epoch_csv: Path) -> None:
    # Two different valid files installed 12 times by 8 threads at once: afterwards (and at
    # every read in between) the metadata describes the file that is in place.
    target = tmp_path / "cache" / "notable_ai_models.csv"
    lines = epoch_csv.read_bytes().split(b"\n")
    other = tmp_path / "other.csv"
    other.write_bytes(b"\n".join(lines[:-200]) + b"\n")
    files = [epoch_csv, other]
    seen: list[bool] = []

    def install(i: int) -> None:
        upd.install_snapshot(files[i % 2], source=str(i), target=target)
        s, note = upd.snapshot_status(target)
        seen.append(s is not None and note is None)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(install, range(12)))
    assert all(seen) and len(seen) == 12
    final = upd.current_snapshot(target)
    assert final is not None
    assert final.rows == (1036 if target.read_bytes() == epoch_csv.read_bytes() else
                          json.loads(target.with_suffix(".json").read_text())["rows"])


@pytest.mark.parametrize("meta", [b"{", b"{}", b'{"rows": "many"}', b"[]"])
def test_corrupt_metadata_is_treated_as_absent(cli, server: str, private_cache: Path,
                                               meta: bytes) -> None:
    assert cli("data", "update", "--url", f"{server}/good.csv").exit_code == 0
    snap(private_cache).with_suffix(".json").write_bytes(meta)
    s, note = upd.snapshot_status(snap(private_cache))
    assert s is None and note is not None and "treated as absent" in note
    r = cli("data", "update", "--url", f"{server}/good.csv", "--json")
    assert r.exit_code == 0, r.output
    assert "treated as absent" in r.stderr
    assert json.loads(r.stdout)["snapshot"]["rows"] == 1036
    assert json.loads(snap(private_cache).with_suffix(".json").read_text())["rows"] == 1036


def test_metadata_of_another_file_is_detected(cli, server: str, private_cache: Path) -> None:
    assert cli("data", "update", "--url", f"{server}/good.csv").exit_code == 0
    p = snap(private_cache)
    p.write_bytes(p.read_bytes().replace(b"GPT-3 175B", b"GPT-3 176B"))
    s, note = upd.snapshot_status(p)
    assert s is None and note is not None and "describes another file" in note
