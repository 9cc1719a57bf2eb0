"""Build the explorer as a static site: HTML pages, our JS and CSS, the vega bundle, data files.

    >>> from dlrev.web import build_site
    >>> build_site(dlrev.load(), "site/")          # open site/index.html through any web server

The output folder is written whole or not at all: everything goes to a temporary sibling folder
first, which then replaces the target in one rename.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dlrev.catalog import Catalog
from dlrev.errors import DlrevError
from dlrev.paths import cache_dir
from dlrev.web import fits as fitsmod
from dlrev.web import pagedata

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
MARKER = ".dlrev-site"

# The navigation. The later pages appear when their data exists (see extra_data).
CORE_PAGES: list[tuple[str, str, str]] = [
    ("trends", "index.html", "Trends"),
    ("timeline", "timeline.html", "Timeline"),
    ("data", "data.html", "Data"),
]
LATER_PAGES: list[tuple[str, str, str]] = [
    ("benchmarks", "benchmarks.html", "Benchmarks"),
    ("forecasts", "forecasts.html", "Forecasts"),
    ("scaling", "scaling.html", "Scaling"),
    ("lab", "lab.html", "Lab"),
]
ABOUT_PAGE = ("about", "about.html", "About")

# The page's own origin only. Vega runs with its expression interpreter (no eval); inline style
# attributes are set by vega through the CSSOM, which CSP permits.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'self'")
# A <meta> policy cannot carry frame-ancestors (browsers ignore it there, with a warning).
META_CSP = CSP.replace("; frame-ancestors 'self'", "")


@dataclass
class BuildResult:
    outdir: Path
    files: list[str] = field(default_factory=list)
    n_systems: int = 0
    n_milestones: int = 0
    presets: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"outdir": str(self.outdir), "files": self.files, "n_systems": self.n_systems,
                "n_milestones": self.n_milestones, "presets": self.presets, "pages": self.pages}


_BUNDLES: dict[str, str] = {}


def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one script, from vl-convert (cached per vl-convert version:
    writing it takes seconds)."""
    import vl_convert as vlc

    version = getattr(vlc, "__version__", "unknown")
    if version in _BUNDLES:
        return _BUNDLES[version]
    path = cache_dir() / "web" / f"vega-bundle-{version}.js"
    if path.exists() and path.stat().st_size > 100_000:
        _BUNDLES[version] = path.read_text(encoding="utf-8")
        return _BUNDLES[version]
    text: str = vlc.javascript_bundle()  # type: ignore[call-arg]  # the snippet is optional
    _BUNDLES[version] = text
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return text


def _env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every data string is escaped
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _json(value: Any) -> str:
    from dlrev.cli.common import to_jsonable

    return json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def site_files(cat: Catalog, built: date | None = None, lab: str | Path | None = None
               ) -> dict[str, str | bytes]:
    """Every file of the site as {relative path: content}; pure apart from reading our templates
    and static files (and the lab folder, when one is given)."""
    records = pagedata.system_records(cat.systems)
    milestones = pagedata.milestone_records(cat.milestones)
    records_json = _json(records)
    fits = _memo("fits", [records_json, *_sources("trends"), *_sources("web/fits.py")],
                 lambda: fitsmod.page_fits(cat.systems))
    meta = pagedata.meta_of(cat, built=built, presets=fits["presets"])
    specs = _memo("specs", [*_sources("web/specs.py"), _altair_version()], _specs)
    for spec in specs.values():
        spec["title"]["subtitle"] = meta.source_line
    extra = extra_data(cat, lab)
    nav = [*CORE_PAGES, *[p for p in LATER_PAGES if p[0] in extra], ABOUT_PAGE]
    env = _env()
    files: dict[str, str | bytes] = {}
    common = {"nav": nav, "meta": meta.to_dict(), "csp": META_CSP,
              "epoch_attribution": pagedata.EPOCH_ATTRIBUTION,
              "source_line": meta.source_line, "extra": extra}
    for key, fname, title in nav:
        tmpl = env.get_template(f"{key}.html")
        files[fname] = tmpl.render(page=key, title=title, **common)
    for key, value in extra.items():
        files[f"data/{key}.json"] = _json(value)
    if extra:
        page_specs = _memo("pagespecs", _sources("web/pagespecs.py") + _sources("web/specs.py"),
                           _page_specs)
        for spec in page_specs.values():
            spec["title"]["subtitle"] = meta.source_line
        files["data/pagespecs.json"] = _json(page_specs)
    files["data/systems.json"] = records_json
    files["data/systems.csv"] = pagedata.csv_of(records)
    files["data/milestones.json"] = _json(milestones)
    files["data/meta.json"] = _json(meta.to_dict())
    files["data/specs.json"] = _json(specs)
    files["data/fits.json"] = _json(fits)
    files["data/README.txt"] = pagedata.readme_text(meta, "all systems")
    for f in sorted(STATIC.iterdir()):
        if f.is_file():
            files[f"static/{f.name}"] = f.read_bytes()
    files["static/vendor/vega-bundle.js"] = vega_bundle()
    files[MARKER] = f"dlrev explorer site, built {meta.built}\n"
    return files


def _page_specs() -> Any:
    from dlrev.web.pagespecs import page_specs

    return page_specs()


def _frame_key(df: Any) -> str:
    """A content hash of a (small) table, for the on-disk cache key."""
    text = df.to_json(orient="split", date_format="iso", default_handler=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extra_data(cat: Catalog, lab: str | Path | None = None) -> dict[str, Any]:
    """The page data of the Benchmarks, Forecasts, Scaling and Lab pages, keyed by page; a page
    whose data or module is missing is left out (and so is its navigation entry)."""
    from dlrev.web import pages

    out: dict[str, Any] = {}
    if len(cat.benchmarks) and len(cat.benchmark_results):
        key = [_frame_key(cat.benchmarks), _frame_key(cat.benchmark_results),
               *_sources("benchmarks.py"), *_sources("web/pages.py")]
        out["benchmarks"] = _memo("benchmarks", key, lambda: pages.benchmarks_data(cat))
    if len(cat.forecasts) or len(cat.predictions):
        key = [_frame_key(cat.forecasts), _frame_key(cat.predictions),
               _frame_key(cat.benchmarks), _frame_key(cat.benchmark_results),
               *_sources("forecasts.py"), *_sources("benchmarks.py"), *_sources("web/pages.py")]
        out["forecasts"] = _memo("forecasts", key, lambda: pages.forecasts_data(cat))
    if (HERE.parent / "scaling" / "__init__.py").exists():
        key = [*_sources("scaling"), *_sources("web/pages.py")]
        out["scaling"] = _memo("scaling", key, pages.scaling_data)
    if lab is not None:
        out["lab"] = pages.lab_data(lab)
    return out


def _specs() -> Any:
    from dlrev.web.specs import all_trends_specs

    return all_trends_specs(subtitle="")


def _altair_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("altair")
    except PackageNotFoundError:
        return "unknown"


def _sources(rel: str) -> list[str]:
    """Identity of our own source files (path, size, mtime) that a cached result depends on."""
    base = HERE.parent / rel
    paths = sorted(base.rglob("*.py")) if base.is_dir() else [base]
    out = []
    for p in paths:
        if p.exists():
            st = p.stat()
            out.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
    return out


def _memo(kind: str, key: list[str], compute: Any) -> Any:
    """A JSON result cached on disk under the user's cache, keyed by a hash of `key`: the specs
    (Altair's import and validation take seconds) and the trend fits of an unchanged table are
    made once, so `dlrev serve` starts in about a second the next time."""
    digest = hashlib.sha256("\x00".join(key).encode("utf-8")).hexdigest()[:24]
    path = cache_dir() / "web" / f"{kind}-{digest}.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        pass
    value = json.loads(_json(compute()))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(value), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only cache only costs time
        pass
    return value


def build_site(cat: Catalog, outdir: str | Path, built: date | None = None,
               lab: str | Path | None = None) -> BuildResult:
    """Write the site to `outdir` (replacing an earlier dlrev site there, never anything else)."""
    out = Path(outdir)
    if out.exists():
        if not out.is_dir():
            raise DlrevError(f"{out}: exists and is not a folder; choose another output folder.")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise DlrevError(f"{out}: folder is not empty and holds no dlrev site; refusing to "
                             "overwrite it (choose an empty or new folder).")
    files = site_files(cat, built=built, lab=lab)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        for rel, content in files.items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
        os.chmod(tmp, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            os.replace(out, old / "site")
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(outdir=out, files=sorted(files), n_systems=len(cat.systems),
                       n_milestones=len(cat.milestones),
                       presets=sorted(meta_presets(files)),
                       pages=[f for f in sorted(files) if f.endswith(".html")])


def meta_presets(files: dict[str, str | bytes]) -> list[str]:
    meta = json.loads(files["data/meta.json"])
    return list(meta.get("presets", {}))
