"""Explorer speed and weight, measured in headless Chromium against Plotly's write_html.

Prints, in one run on this machine:
  1. `dlrev serve` start -> Trends chart painted (goal < 2 s);
  2. Trends render time with 1,000 and 20,000 synthetic systems (goals < 300 ms, < 1.5 s), and
     the time to re-render after a filter change at 20,000 (interactive?);
  3. gzip weight of the Trends page with its data (goal < 600 KB);
  4. load-to-first-paint of the same chart written by Plotly's write_html (the usual Python
     alternative) beside dlrev's, and their ratio.
"""

from __future__ import annotations

import gzip
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DLREV_SHARED", ROOT.parent / "shared"))
EPOCH = SHARED / "data" / "epoch" / "notable_ai_models.csv"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
REPEAT = 3
PAINTED = "() => Number(document.body.getAttribute('data-rendered') || 0) >= 1"


def synthetic_csv(n: int, path: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    year = rng.uniform(1955, 2026, n)
    logc = np.where(year < 2010, 4 + 0.18 * (year - 1955), 13.9 + 0.64 * (year - 2010))
    logc = logc + rng.normal(0, 1.0, n)
    dates = pd.to_datetime((year - 1970) * 365.25, unit="D").strftime("%Y-%m-%d")
    areas = rng.choice(["language", "vision", "games", "biology", "speech"], n)
    frame = pd.DataFrame({
        "name": [f"System {i}" for i in range(n)], "organization": rng.choice(
            ["Lab A", "Lab B", "Lab C", "University D"], n),
        "date": dates, "domain": areas, "compute": 10 ** logc,
        "parameters": 10 ** (logc / 2.2), "confidence": "likely",
        "source_url": "https://example.org/paper",
    })
    frame.to_csv(path, index=False)
    return path


def serve_site(site: Path) -> tuple[str, object]:
    import uvicorn

    from dlrev.web import secure_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    srv = uvicorn.Server(uvicorn.Config(secure_app(site), log_level="warning", lifespan="off"))
    threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not srv.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{sock.getsockname()[1]}/", srv


def static_server(folder: Path) -> tuple[str, subprocess.Popen]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "-b", "127.0.0.1",
                             "-d", str(folder)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    return f"http://127.0.0.1:{port}/", proc


def load_time(browser, url: str, ready: str) -> tuple[float, object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function(ready, timeout=120_000, polling="raf")
    dt = time.perf_counter() - t0
    return dt, (ctx, page)


def page_weight_gz(site: Path) -> dict[str, int]:
    # Every JS module is counted, not only those the Trends page loads: an upper bound.
    files = ["trends.html", *sorted(f"static/{p.name}" for p in (site / "static").glob("*.js")),
             "static/style.css", "static/vendor/vega-bundle.js",
             "data/systems.json", "data/meta.json", "data/fits.json", "data/vgspecs.json"]
    return {f: len(gzip.compress((site / f).read_bytes(), 6)) for f in files}


def plotly_html(cat, path: Path) -> None:
    import plotly.graph_objects as go

    from dlrev import trends

    s = cat.systems[cat.systems["compute"].notna() & cat.systems["date"].notna()]
    fig = go.Figure()
    for area, g in s.groupby("area"):
        fig.add_trace(go.Scatter(x=g["year"], y=g["compute"], mode="markers", name=str(area),
                                 text=g["name"], hovertemplate="%{text}<br>%{y:.2e} FLOP"))
    fit = trends.fit(cat.systems, preset="epoch", bootstrap=0)
    for e in fit.eras:
        if e.fitted:
            xs = np.array([e.x_first, e.x_last])
            fig.add_trace(go.Scatter(x=xs, y=10 ** (e.intercept + e.slope * xs), mode="lines",
                                     name=e.label, line={"color": "black"}))
    fig.update_layout(title="Training compute of notable AI systems", width=1000, height=470,
                      yaxis={"type": "log", "exponentformat": "power"})
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)


def main() -> int:
    only = sys.argv[1] if len(sys.argv) > 1 else ""   # "render": only part 2
    if not Path(CHROMIUM).exists():
        print("bench_web: /usr/bin/chromium not found; install Debian's chromium to run it.")
        return 0
    from playwright.sync_api import sync_playwright

    import dlrev
    from dlrev.web import build_site

    data = str(EPOCH) if EPOCH.exists() else None
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    os.environ["DLREV_CACHE_DIR"] = str(tmp / "cache")
    from dlrev.web.assets import vega_bundle

    vega_bundle()  # written once into the cache, as after a user's first `dlrev serve`
    cat = dlrev.load(data)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        # 1. serve start -> painted
        times = []
        for _ in range(0 if only == "render" else REPEAT + 1):
            cmd = [sys.executable, "-m", "dlrev", "serve", "--port", "0"]
            if data:
                cmd += ["--data", data]
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, env={**os.environ, "COLUMNS": "200"})
            url = None
            assert proc.stdout is not None
            for line in proc.stdout:
                m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
                if m:
                    url = m.group(1)
                    break
            if url is None:
                print("bench_web: dlrev serve did not start")
                return 1
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto(url + "trends.html")
            page.wait_for_function(PAINTED, timeout=120_000, polling="raf")
            times.append(time.perf_counter() - t0)
            ctx.close()
            proc.terminate()
            proc.wait()
        if times:
            print(f"serve start -> Trends painted ({len(cat.systems)} systems): first run (cold "
                  f"cache: specs, fits and the site built) {times[0]:.2f} s; warm cache median "
                  f"{statistics.median(times[1:]):.2f} s (goal < 1.5 s)")

        # 2. render with 1,000 and 20,000 synthetic systems
        for n in (1000, 20000):
            site = tmp / f"site{n}"
            build_site(dlrev.load(synthetic_csv(n, tmp / f"syn{n}.csv")), site)
            base, srv = serve_site(site)
            render, load = [], []
            for _ in range(REPEAT):
                dt, (ctx, page) = load_time(browser, base + "trends.html", PAINTED)
                load.append(dt)
                render.append(page.evaluate("() => window.dlrevExplorer.renderMs"))
                if n == 20000 and len(render) == REPEAT:
                    before = page.evaluate("() => Number(document.body.dataset.rendered)")
                    t0 = time.perf_counter()
                    page.locator("#area-games").uncheck()
                    page.wait_for_function(
                        f"() => Number(document.body.dataset.rendered) > {before}",
                        timeout=120_000, polling="raf")
                    refilter = time.perf_counter() - t0
                ctx.close()
            goal = "300 ms" if n == 1000 else "1.5 s"
            print(f"Trends render, {n:,} systems: chart {statistics.median(render):.0f} ms "
                  f"(goal < {goal}); page load to painted {statistics.median(load):.2f} s")
            if n == 20000:
                print(f"  filter change at 20,000 systems (refit with 1,000-resample bootstrap "
                      f"in the browser, re-render): {refilter * 1000:.0f} ms")
            srv.should_exit = True  # type: ignore[attr-defined]

        if only == "render":
            browser.close()
            return 0
        # 3. page weight; 4. Plotly peer
        site = tmp / "site"
        build_site(cat, site)
        w = page_weight_gz(site)
        total = sum(w.values())
        print(f"Trends page weight, gzip: {total / 1024:.0f} KB (goal < 600 KB): " +
              ", ".join(f"{k.split('/')[-1]} {v / 1024:.0f}" for k, v in w.items()))
        base, srv = serve_site(site)
        pdir = tmp / "plotly"
        pdir.mkdir()
        plotly_html(cat, pdir / "index.html")
        pbase, pproc = static_server(pdir)
        ours, theirs = [], []
        for _ in range(REPEAT):
            dt, (ctx, _pg) = load_time(browser, base + "trends.html", PAINTED)
            ours.append(dt)
            ctx.close()
            dt, (ctx, _pg) = load_time(browser, pbase + "index.html",
                                       "() => document.querySelectorAll('.main-svg .point')"
                                       ".length > 0")
            theirs.append(dt)
            ctx.close()
        pw = len(gzip.compress((pdir / "index.html").read_bytes(), 6))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"load to first paint, same chart: dlrev {a:.2f} s vs Plotly write_html {b:.2f} s "
              f"(ratio dlrev/plotly {a / b:.2f}); gzip weight dlrev {total / 1024:.0f} KB vs "
              f"plotly {pw / 1024:.0f} KB")
        srv.should_exit = True  # type: ignore[attr-defined]
        pproc.terminate()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
