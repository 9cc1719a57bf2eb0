"""`dlrev data update` against a local HTTP server on 127.0.0.1: good, cut, garbage, missing."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def serve(epoch_bytes: bytes) -> type[BaseHTTPRequestHandler]:
    rows = list(csv.reader(io.StringIO(epoch_bytes.decode("utf-8"))))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows[:101])  # header + 100 whole records
    small_head = buf.getvalue().encode("utf-8")
    mid_field = b"\n".join(epoch_bytes.split(b"\n")[:400])  # ends inside a quoted field
    garbage = bytes(range(256)) * 64

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path == "/good.csv":
                self._send(epoch_bytes)
            elif self.path == "/cut.csv":  # announces the full length, sends half, hangs up
                self.send_response(200)
                self.send_header("Content-Length", str(len(epoch_bytes)))
                self.end_headers()
                self.wfile.write(epoch_bytes[: len(epoch_bytes) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif self.path == "/short.csv":  # consistent length, but only the first rows
                self._send(small_head)
            elif self.path == "/midfield.csv":
                self._send(mid_field)
            elif self.path == "/garbage.csv":
                self._send(garbage)
            elif self.path == "/html.csv":
                self._send(b"<html><body>Rate limited</body></html>\n")
            else:
                self.send_error(404, "Not Found")

        def _send(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture(scope="module")
def server(epoch_csv: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), serve(epoch_csv.read_bytes()))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def snapshot(cache: Path) -> Path:
    return cache / "epoch" / "notable_ai_models.csv"


def test_good_download_installs_snapshot(cli, server: str, private_cache: Path,
                                         epoch_csv: Path) -> None:
    r = cli("data", "update", "--url", f"{server}/good.csv", "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)
    assert info["snapshot"]["rows"] == 1036
    assert info["snapshot"]["with_compute"] == 529
    assert info["snapshot"]["sha256"].startswith("c5a262f5")
    assert info["previous"] is None
    assert snapshot(private_cache).read_bytes() == epoch_csv.read_bytes()
    # Used by --data epoch from now on.
    r = cli("--data", "epoch", "data", "stats", "--json")
    assert json.loads(r.stdout)["systems"]["rows"] == 1036
    # Nothing left behind in the cache but the snapshot and its metadata.
    assert sorted(p.name for p in (private_cache / "epoch").iterdir()
                  if p.name != ".notable_ai_models.csv.lock") == [
        "notable_ai_models.csv", "notable_ai_models.json"]


@pytest.mark.parametrize("path, fragment", [
    ("/cut.csv", "cut off"),
    ("/short.csv", "looks truncated"),
    ("/midfield.csv", "looks cut off"),
    ("/garbage.csv", "not a valid Epoch export"),
    ("/html.csv", "not a valid Epoch export"),
    ("/missing.csv", "HTTP 404"),
])
def test_bad_downloads_keep_previous_snapshot(cli, server: str, private_cache: Path,
                                              path: str, fragment: str) -> None:
    assert cli("data", "update", "--url", f"{server}/good.csv").exit_code == 0
    before = snapshot(private_cache).read_bytes()
    meta = snapshot(private_cache).with_suffix(".json").read_text()
    r = cli("data", "update", "--url", f"{server}{path}", "--timeout", "10")
    assert r.exit_code == 2, r.output
    assert fragment in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert snapshot(private_cache).read_bytes() == before
    assert snapshot(private_cache).with_suffix(".json").read_text() == meta
    assert sorted(p.name for p in (private_cache / "epoch").iterdir()
                  if p.name != ".notable_ai_models.csv.lock") == [
        "notable_ai_models.csv", "notable_ai_models.json"]


def test_network_error_says_why(cli, private_cache: Path) -> None:
    r = cli("data", "update", "--url", f"http://127.0.0.1:{free_port()}/x.csv", "--timeout", "5")
    assert r.exit_code == 2
    assert "download of" in r.stderr and "failed" in r.stderr
    assert not snapshot(private_cache).exists()


def test_first_download_short_file_is_accepted_when_nothing_to_compare(
        cli, server: str, private_cache: Path) -> None:
    # With no earlier snapshot there is no row count to compare against: a valid file is taken.
    r = cli("data", "update", "--url", f"{server}/short.csv", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["snapshot"]["rows"] == 100
