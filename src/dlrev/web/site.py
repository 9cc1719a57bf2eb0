"""Build the explorer as a static site: HTML pages, our JS and CSS, the vega bundle, data files.

    >>> from dlrev.web import build_site
    >>> build_site(dlrev.load(), "site/")          # open site/index.html through any web server

The output folder is written whole or not at all: everything goes to a temporary sibling folder
first, which then replaces the target in one rename.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlrev._lazy import lazy
from dlrev.errors import DlrevError
from dlrev.jsonio import atomic_write, dumps, loads, plain, read_json
from dlrev.paths import cache_dir
from dlrev.web.assets import gzipped, vega_bundle
from dlrev.web.cachekey import cache_key, folder_key, frame_key

if TYPE_CHECKING:
    from dlrev.catalog import Catalog
    from dlrev.web import fits as fitsmod
    from dlrev.web import pagedata
else:  # serving a cached build needs neither (nor pandas)
    fitsmod = lazy("dlrev.web.fits")
    pagedata = lazy("dlrev.web.pagedata")

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
MARKER = ".dlrev-site"

# The navigation. The later pages appear when their data exists (see extra_data).
CORE_PAGES: list[tuple[str, str, str]] = [
    ("story", "index.html", "Story"),
    ("trends", "trends.html", "Trends"),
    ("timeline", "timeline.html", "Timeline"),
    ("data", "data.html", "Data"),
]
LATER_PAGES: list[tuple[str, str, str]] = [
    ("benchmarks", "benchmarks.html", "Benchmarks"),
    ("forecasts", "forecasts.html", "Forecasts"),
    ("scaling", "scaling.html", "Scaling"),
    ("horizons", "horizons.html", "Horizons"),
    ("growth", "growth.html", "Growth"),
    ("capability", "capability.html", "Capabilities"),
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


def _crossing_sentence(c: Any, today: str, label: str | None = None) -> str:
    """The Horizons page's crossing sentence, past or projected as of the build date."""
    from dlrev.horizons.words import crossing_sentence

    return crossing_sentence(c, today, label)


def _env() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every data string is escaped
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["crossing_sentence"] = _crossing_sentence
    return env


def site_files(cat: Catalog, built: date | None = None, lab: str | Path | None = None
               ) -> dict[str, str | bytes]:
    """Every file of the site as {relative path: content}; pure apart from reading our templates
    and static files (and the lab folder, when one is given)."""
    records = pagedata.system_records(cat.systems)
    milestones = pagedata.milestone_records(cat.milestones)
    records_json = dumps(records)
    fits = _memo("fits", [records_json], lambda: fitsmod.page_fits(cat.systems))
    meta = pagedata.meta_of(cat, built=built, presets=fits["presets"])
    spec_key = [_altair_version()]
    specs = _memo("specs", spec_key, _specs)
    # The same charts compiled to Vega at build time, so the browser skips Vega-Lite's compiler
    # on the way to the first paint.
    vgspecs = _memo("vgspecs", [*spec_key, _vlc_version()], lambda: _vega_specs(specs))
    for spec in [*specs.values(), *vgspecs.values()]:
        spec["title"]["subtitle"] = meta.source_line
    extra = extra_data(cat, lab)
    nav = [*CORE_PAGES, *[p for p in LATER_PAGES if p[0] in extra], ABOUT_PAGE]
    env = _env()
    files: dict[str, str | bytes] = {}
    story = story_page_data(cat, meta.source_line, lab)
    pictures = {k: _memo("pictures", [dumps(v), _vlc_version()], lambda v=v: _pictures(v))
                for k, v in story.get("vega", {}).items()}
    common = {"nav": nav, "meta": meta.to_dict(), "csp": META_CSP,
              "epoch_attribution": pagedata.EPOCH_ATTRIBUTION,
              "source_line": meta.source_line, "extra": extra, "story": story,
              "pictures": pictures}
    for key, fname, title in nav:
        tmpl = env.get_template(f"{key}.html")
        files[fname] = tmpl.render(page=key, title=title, **common)
    for key, value in extra.items():
        files[f"data/{key}.json"] = dumps(value)
    if extra:
        page_specs = _memo("pagespecs", [_altair_version()], _page_specs)
        for spec in page_specs.values():
            spec["title"]["subtitle"] = meta.source_line
        files["data/pagespecs.json"] = dumps(page_specs)
    files["data/story.json"] = dumps(story)
    files["data/storypage.json"] = dumps(story_page_part(story))
    files["data/systems.json"] = records_json
    files["data/systems.csv"] = pagedata.csv_of(records)
    files["data/milestones.json"] = dumps(milestones)
    files["data/meta.json"] = dumps(meta.to_dict())
    files["data/specs.json"] = dumps(specs)
    files["data/vgspecs.json"] = dumps(vgspecs)
    files["data/fits.json"] = dumps(fits)
    files["data/README.txt"] = pagedata.readme_text(meta, "all systems")
    for f in sorted(STATIC.iterdir()):
        if f.is_file():
            files[f"static/{f.name}"] = f.read_bytes()
    files["static/vendor/vega-bundle.js"] = vega_bundle()
    files[MARKER] = f"dlrev explorer site, built {meta.built}\n"
    return files


def _stat_key(root: Path, pattern: str = "*") -> list[str]:
    out = []
    for p in sorted(root.rglob(pattern)):
        if p.is_file() and "__pycache__" not in p.parts:
            st = p.stat()
            out.append(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return out


def serve_key(data_file: Path | None, lab: Path | None) -> str:
    """What a built site depends on, from file metadata only (no catalog load): the systems file,
    the curated tables, dlrev's own source files, the lab folder, versions and today's date."""
    from dlrev import __version__
    from dlrev.paths import DATA_DIR

    parts = [__version__, date.today().isoformat(), _vlc_version(), _altair_version()]
    if data_file is not None:
        st = data_file.stat()
        parts.append(f"{data_file.resolve()}:{st.st_size}:{st.st_mtime_ns}")
    parts += _stat_key(DATA_DIR)
    parts += _stat_key(HERE.parent, "*.py") + _stat_key(STATIC) + _stat_key(TEMPLATES)
    if lab is not None:
        parts.append(str(lab.resolve()))
        parts += _stat_key(lab, "*.json")
    bench = cache_dir() / "benchmarks"  # the tables of the Capabilities page, once imported
    if bench.is_dir():
        parts += _stat_key(bench)
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:24]


def cached_site(key: str, build: Any) -> Path:
    """The site built for `key` under the user's cache, building it (with `build(outdir)`) when
    it is missing. `dlrev serve` reuses an identical earlier build instead of rebuilding, which
    is most of its start-up time; only the five newest builds are kept."""
    root = cache_dir() / "web" / "sites"
    site = root / key
    if (site / MARKER).is_file() and (site / "index.html").is_file():
        os.utime(site)
        return site
    root.mkdir(parents=True, exist_ok=True)
    build(site)
    olds = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds[5:]:
        shutil.rmtree(old, ignore_errors=True)
    return site


def _page_specs() -> Any:
    from dlrev.web.pagespecs import page_specs

    return page_specs()


def extra_data(cat: Catalog, lab: str | Path | None = None) -> dict[str, Any]:
    """The page data of the Benchmarks, Forecasts, Scaling and Lab pages, keyed by page; a page
    whose data or module is missing is left out (and so is its navigation entry)."""
    out: dict[str, Any] = {}
    if len(cat.benchmarks) and len(cat.benchmark_results):
        key = [frame_key(cat.benchmarks), frame_key(cat.benchmark_results)]
        out["benchmarks"] = _memo("benchmarks", key, lambda: _benchmarks_data(cat))
    if len(cat.forecasts) or len(cat.predictions):
        key = [frame_key(cat.forecasts), frame_key(cat.predictions),
               frame_key(cat.benchmarks), frame_key(cat.benchmark_results)]
        out["forecasts"] = _memo("forecasts", key, lambda: _forecasts_data(cat))
    if (HERE.parent / "scaling" / "__init__.py").exists():
        from dlrev.web.scaling_page import scaling_data

        out["scaling"] = _memo("scaling", [], scaling_data)
    if (HERE.parent / "horizons" / "__init__.py").exists():
        from dlrev.web.horizons_page import horizons_key

        out["horizons"] = _memo("horizons", horizons_key(), _horizons_data)
    if (HERE.parent / "growth.py").exists() and (HERE.parent / "horizons").is_dir():
        from dlrev.web.growth_page import growth_key

        key = [frame_key(cat.systems), frame_key(cat.benchmarks),
               frame_key(cat.benchmark_results), *growth_key()]
        out["growth"] = _memo("growth", key, lambda: _growth_data(cat))
    if lab is not None:
        from dlrev.web.lab_page import lab_data

        out["lab"] = lab_data(lab)
    from dlrev.web import capability_page  # shown once `dlrev data import-benchmarks` has run

    tables = capability_page.tables_folder()
    if tables is not None:
        out["capability"] = _memo("capability", folder_key(tables),
                                  lambda: capability_page.capability_data(tables))
    return out


def _benchmarks_data(cat: Catalog) -> Any:
    from dlrev.web.benchmarks_page import benchmarks_data

    return benchmarks_data(cat)


def _forecasts_data(cat: Catalog) -> Any:
    from dlrev.web.forecasts_page import forecasts_data

    return forecasts_data(cat)


def _growth_data(cat: Catalog) -> Any:
    from dlrev.web.growth_page import growth_data

    return growth_data(cat)


def _horizons_data() -> Any:
    from dlrev.web.horizons_page import horizons_data

    return horizons_data()


def _pictures(vega: Any) -> dict[str, str]:
    """A chart drawn at build time at the widths its box has on a wide and on a phone screen."""
    from dlrev.web.story_charts import PICTURE_WIDTHS, to_svg

    return {name: to_svg(vega, width) for name, width in PICTURE_WIDTHS.items()}


def story_page_part(story: Any) -> Any:
    from dlrev.web.story_page import page_part

    return page_part(story)


def story_page_data(cat: Catalog, source_line: str, lab: str | Path | None = None) -> Any:
    """The Story page's data (dlrev.story through web.story_page), cached like the fits."""
    from dlrev.web.story_page import story_data

    key = [source_line, *(frame_key(cat.table(n)) for n in (
        "systems", "milestones", "benchmarks", "benchmark_results", "forecasts", "predictions"))]
    if lab is not None:
        key += [str(Path(lab).resolve()), *folder_key(Path(lab), "*.json")]
    return _memo("story", key, lambda: story_data(cat, source_line, lab))


def _specs() -> Any:
    from dlrev.web.specs import all_trends_specs

    return all_trends_specs(subtitle="")


TRENDS_DATASETS = ("eras", "bands", "lines", "points", "rings", "labels", "landmarks",
                   "proj_lines", "proj_bands", "proj_text")


def _vega_specs(specs: dict[str, Any]) -> dict[str, Any]:
    """Vega-Lite -> Vega for every Trends spec (vl-convert, no browser). The named datasets are
    compiled in empty; the page fills their `values`."""
    import vl_convert as vlc

    out = {}
    for key, spec in specs.items():
        vl = {**spec, "datasets": {name: [] for name in TRENDS_DATASETS}}
        out[key] = vlc.vegalite_to_vega(vl)
    return out


def _vlc_version() -> str:
    import vl_convert as vlc

    return str(getattr(vlc, "__version__", "unknown"))


def _altair_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("altair")
    except PackageNotFoundError:
        return "unknown"


def _memo(kind: str, inputs: list[str], compute: Any) -> Any:
    """A JSON result cached on disk under the user's cache: the specs (Altair's import and
    validation take seconds) and the trend fits of an unchanged table are made once, so `dlrev
    serve` starts in about a second the next time. Keyed by the content of `inputs` and of
    dlrev's whole source tree (see cachekey), never by a list of the modules it uses."""
    digest = cache_key(kind, inputs)
    path = cache_dir() / "web" / f"{kind}-{digest}.json"
    try:
        return read_json(path)
    except (OSError, ValueError):
        pass
    value = plain(compute())
    try:
        atomic_write(path, dumps(value))
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
    files.update(gzipped(files))
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    # The one temp-and-rename that is not jsonio.atomic_write: the whole folder is written aside
    # and swapped in with directory renames, so a reader never sees a mix of two builds (files
    # inside the private temporary folder need no atomic write of their own).
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
    return BuildResult(outdir=out, files=sorted(f for f in files if not f.endswith(".gz")),
                       n_systems=len(cat.systems),
                       n_milestones=len(cat.milestones),
                       presets=sorted(meta_presets(files)),
                       pages=[f for f in sorted(files) if f.endswith(".html")])


def meta_presets(files: dict[str, str | bytes]) -> list[str]:
    meta = loads(files["data/meta.json"])
    return list(meta.get("presets", {}))
