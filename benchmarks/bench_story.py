"""The Story page's speed, weight and stability, measured in headless Chromium.

Prints, in one run on this machine:
  1. `dlrev serve` start -> the Story's largest chart (training compute) on screen, cold and
     warm (goal < 1.5 s warm; the picture drawn at build time), and -> the same chart
     interactive (Vega drawn over it), beside the same start -> the Trends chart painted;
  2. gzip weight of the Story page with everything it loads (goal < 700 KB), beside Plotly's
     write_html of the same compute chart alone;
  3. cumulative layout shift while the Story loads and draws (goal < 0.1), at 1280 and 390 px.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import ARGS, CHROMIUM, EPOCH, plotly_html  # noqa: E402

REPEAT = 3
# the compute chart on screen: the picture drawn at build time, visible as soon as the HTML is
STORY_PAINTED = ("() => { const s = Array.from(document.querySelectorAll("
                 "'figure[data-chart=compute] svg')).find(e => e.getBoundingClientRect().width);"
                 " return !!(s && s.querySelector('.mark-symbol')); }")
# the interactive chart (tooltips, clicks) drawn by Vega over it
STORY_INTERACTIVE = "() => !!(window.dlrevCharts && window.dlrevCharts.firstPainted)"
TRENDS_PAINTED = "() => Number(document.body.getAttribute('data-rendered') || 0) >= 1"
CLS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(total), 600);
})"""
STORY_FILES = ["index.html", "static/style.css", "static/story.css", "static/story.js",
               "static/vendor/vega-bundle.js", "static/cards.js", "static/app.js",
               "data/storypage.json"]


def serve_to_paint(browser, data: str | None, path: str, ready: str) -> float:
    cmd = [sys.executable, "-m", "dlrev", "serve", "--port", "0"]
    if data:
        cmd += ["--data", data]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    try:
        assert proc.stdout is not None
        url = None
        for line in proc.stdout:
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if m:
                url = m.group(1)
                break
        if url is None:
            raise RuntimeError("dlrev serve did not start")
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        page = ctx.new_page()
        for attempt in range(20):  # the URL can be printed a moment before it accepts
            try:
                page.goto(url + path, wait_until="commit")  # not the load event
                break
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.05)
        page.wait_for_function(ready, timeout=120_000, polling="raf")
        dt = time.perf_counter() - t0
        ctx.close()
        return dt
    finally:
        proc.terminate()
        proc.wait()


def main() -> int:
    if not Path(CHROMIUM).exists():
        print("bench_story: /usr/bin/chromium not found; install Debian's chromium to run it.")
        return 0
    from playwright.sync_api import sync_playwright

    import dlrev
    from dlrev.web import build_site

    data = str(EPOCH) if EPOCH.exists() and "--epoch" in sys.argv else None
    tmp = Path(tempfile.mkdtemp(prefix="bench-story-"))
    os.environ["DLREV_CACHE_DIR"] = str(tmp / "cache")
    from dlrev.web.assets import vega_bundle

    vega_bundle()
    cat = dlrev.load(data)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        story = [serve_to_paint(browser, data, "", STORY_PAINTED) for _ in range(REPEAT + 1)]
        live = [serve_to_paint(browser, data, "", STORY_INTERACTIVE) for _ in range(REPEAT)]
        trends = [serve_to_paint(browser, data, "trends.html", TRENDS_PAINTED)
                  for _ in range(REPEAT)]
        print(f"serve start -> Story's compute chart painted ({len(cat.systems)} systems): "
              f"cold {story[0]:.2f} s, warm median {statistics.median(story[1:]):.2f} s "
              f"(goal < 1.5 s); interactive (Vega drawn over it), warm median "
              f"{statistics.median(live):.2f} s; Trends chart painted, warm median "
              f"{statistics.median(trends):.2f} s")

        site = tmp / "site"
        build_site(cat, site)
        w = {f: len(gzip.compress((site / f).read_bytes(), 6)) for f in STORY_FILES}
        total = sum(w.values())
        pdir = tmp / "plotly"
        pdir.mkdir()
        plotly_html(cat, pdir / "index.html")
        pw = len(gzip.compress((pdir / "index.html").read_bytes(), 6))
        print(f"Story page weight, gzip: {total / 1024:.0f} KB (goal < 700 KB): "
              + ", ".join(f"{k.split('/')[-1]} {v / 1024:.0f}" for k, v in w.items())
              + f"; Plotly write_html of the compute chart alone: {pw / 1024:.0f} KB")

        from bench_web import serve_site

        base, srv = serve_site(site)
        for width, height in ((1280, 800), (390, 844)):
            shifts, painted = [], []
            for _ in range(REPEAT):
                ctx = browser.new_context(viewport={"width": width, "height": height})
                page = ctx.new_page()
                page.goto(base)
                page.wait_for_function(STORY_INTERACTIVE, timeout=120_000, polling="raf")
                shifts.append(page.evaluate(CLS))
                painted.append(page.evaluate("() => window.dlrevCharts.firstPainted"))
                ctx.close()
            print(f"layout shift at {width}x{height}: {max(shifts):.3f} worst of {REPEAT} "
                  f"(goal < 0.1); in the page, navigation -> compute chart interactive "
                  f"{statistics.median(painted):.0f} ms (median)")
        srv.should_exit = True  # type: ignore[attr-defined]
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
