"""`dlrev horizons`, `dlrev data import-metr` and `dlrev data update --source metr` (against a
local HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def metr_file(shared_dir: Path) -> Path:
    return shared_dir / "data" / "metr" / "task_results_1_1.yaml"


def test_json_is_one_document_keyed_by_agent(cli, metr_file: Path) -> None:
    r = cli("horizons", str(metr_file), "--bootstrap", "100", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["kind"] == "fit" and len(d["agents"]) == 23
    a = d["agents"]["o3 (Inspect)"]
    assert a["p50"] == pytest.approx(119.73, abs=0.01)
    assert a["coefficient"] == pytest.approx(a["file_coefficient"], abs=5e-4)
    assert a["p50_low"] < a["p50"] < a["p50_high"]
    assert d["settings"]["bootstrap"] == 100 and d["settings"]["regularization"] == 1e-5
    assert d["trend"]["sota"][0] == "GPT-4 0314"
    assert [c["level"] for c in d["trend"]["crossings"]] == ["day", "week", "month"]
    assert d["file"]["runs"] == 27119


def test_without_a_file_shows_the_published_table(cli) -> None:
    r = cli("horizons", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["kind"] == "published"
    assert d["agents"]["Claude Opus 4.6 (Inspect)"]["p50"] == pytest.approx(718.81)
    assert d["trend"]["windows"][0]["fitted"]
    r = cli("horizons")
    assert r.exit_code == 0 and "published" in r.stdout


@pytest.mark.parametrize("text", ["agents: 3\n", "{{{ not yaml\n"])
def test_bad_file_is_one_sentence_exit_2(cli, tmp_path: Path, text: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    r = cli("horizons", str(f), "--json")
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(f) in lines[0]
    assert "Traceback" not in r.output


def test_missing_file_exit_2(cli, tmp_path: Path) -> None:
    r = cli("horizons", str(tmp_path / "nope.yaml"))
    assert r.exit_code == 2 and "no such file" in r.stderr


def _snapshot(cache: Path) -> Path:
    return cache / "metr" / "task_results.yaml"


def test_import_metr_makes_the_snapshot(cli, metr_file: Path, private_cache: Path,
                                        tmp_path: Path) -> None:
    r = cli("data", "import-metr", str(metr_file), "--json")
    assert r.exit_code == 0, r.output
    meta = json.loads(r.stdout)["snapshot"]
    assert meta["agents"] == 23
    assert meta["sha256"].startswith("4f85fbf0")  # the hash SOURCE.md records
    assert _snapshot(private_cache).read_bytes() == metr_file.read_bytes()
    # A bad file leaves the snapshot as it was, and nothing half-written beside it.
    bad = tmp_path / "bad.yaml"
    bad.write_text("agents: {}\n")
    r = cli("data", "import-metr", str(bad))
    assert r.exit_code == 2
    assert _snapshot(private_cache).read_bytes() == metr_file.read_bytes()
    assert sorted(p.name for p in (private_cache / "metr").iterdir()) == [
        "task_results.json", "task_results.yaml"]
    # `dlrev horizons` without a file now fits the snapshot.
    r = cli("horizons", "--bootstrap", "0", "--json")
    assert json.loads(r.stdout)["kind"] == "fit"


@pytest.fixture(scope="module")
def server(metr_file: Path) -> Iterator[str]:
    body = metr_file.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/good.yaml":
                self._send(body)
            elif self.path == "/cut.yaml":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
            elif self.path == "/html.yaml":
                self._send(b"<html><body>Rate limited</body></html>\n")
            else:
                self.send_error(404, "Not Found")

        def _send(self, b: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(b)))
            self.end_headers()
            self.wfile.write(b)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_update_source_metr(cli, server: str, private_cache: Path, metr_file: Path) -> None:
    r = cli("data", "update", "--source", "metr", "--url", f"{server}/good.yaml", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["snapshot"]["source"] == f"{server}/good.yaml"
    assert _snapshot(private_cache).read_bytes() == metr_file.read_bytes()
    for path, fragment in [("/cut.yaml", "cut off"), ("/html.yaml", "not a METR results file"),
                           ("/missing.yaml", "HTTP 404")]:
        r = cli("data", "update", "--source", "metr", "--url", f"{server}{path}")
        assert r.exit_code == 2 and fragment in r.stderr, (path, r.stderr)
        assert _snapshot(private_cache).read_bytes() == metr_file.read_bytes()
    r = cli("data", "update", "--source", "nope")
    assert r.exit_code == 2 and "--source" in r.stderr


def test_page_data_are_the_engines_numbers() -> None:
    from dlrev import horizons
    from dlrev.metr import read_curated
    from dlrev.web.horizons_page import horizons_data

    d = horizons_data()
    tr = horizons.horizon_trend(horizons.from_published(read_curated()))
    w = tr.windows[0]
    assert d["kind"] == "published" and len(d["agents"]) == 14
    assert d["windows"][0]["doubling_days"] == pytest.approx(w.doubling_days)
    assert d["windows"][0]["doubling_days"] == pytest.approx(150.3, abs=0.5)
    assert [c["date"] for c in d["crossings"]] == [c.date for c in tr.crossings]
    assert d["line"][0]["minutes"] == pytest.approx(w.predict_minutes(w.first_date))
    assert [lv["minutes"] for lv in d["levels"]] == [480.0, 2400.0, 10020.0]
    assert {a["agent"] for a in d["agents"] if a["sota"]} == set(tr.sota)
