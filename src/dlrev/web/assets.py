"""The explorer's static assets that take time to make: the vega bundle (vega, vega-lite and
vega-embed as one script, from vl-convert) and precompressed `.gz` copies of text files. Both
are cached under the user's cache, so a rebuild does not redo them."""

from __future__ import annotations

import hashlib

from dlrev.jsonio import atomic_write
from dlrev.paths import cache_dir

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
    atomic_write(path, text)
    return text


GZIP_SUFFIXES = (".html", ".js", ".json", ".css", ".csv", ".txt")


def gzipped(files: dict[str, str | bytes]) -> dict[str, bytes]:
    """Precompressed copies (`name.gz`) of the text files over 1 KB, so that the server (and any
    static host that honours them) sends them without compressing on every request. The vega
    bundle's copy is cached with the bundle."""
    import gzip

    out: dict[str, bytes] = {}
    for rel, content in files.items():
        if not rel.endswith(GZIP_SUFFIXES):
            continue
        raw = content.encode("utf-8") if isinstance(content, str) else content
        if len(raw) < 1024:
            continue
        if rel == "static/vendor/vega-bundle.js":
            out[rel + ".gz"] = _bundle_gz(raw)
        else:
            out[rel + ".gz"] = gzip.compress(raw, 6, mtime=0)
    return out


def _bundle_gz(raw: bytes) -> bytes:
    import gzip

    digest = hashlib.sha256(raw).hexdigest()[:16]
    path = cache_dir() / "web" / f"vega-bundle-{digest}.js.gz"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = gzip.compress(raw, 6, mtime=0)
    try:
        atomic_write(path, data)
    except OSError:  # a read-only cache only costs time
        pass
    return data
