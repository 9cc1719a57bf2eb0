"""What the explorer's disk caches are keyed by: the content of their inputs and of dlrev itself.

One rule for every cache (page data, fits, specs): the key is a hash of the inputs (tables by
content, files by content) plus a hash of dlrev's whole installed source tree and its version.
No hand-kept list of the modules a page depends on, so an edit anywhere in dlrev (schema.py, a
template, a static script) can never serve a stale page; the price is that any edit rebuilds
every cache once, which costs seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]  # src/dlrev (or site-packages/dlrev)


def tree_hash(root: Path) -> str:
    """A content hash of every file under `root` (its path and bytes; compiled caches left out).
    File times play no part: a touched but unchanged file keeps the hash."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix in (".pyc", ".pyo"):
            continue
        h.update(p.relative_to(root).as_posix().encode("utf-8") + b"\x00")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@lru_cache(maxsize=1)
def source_hash() -> str:
    """tree_hash of dlrev's own installed source (code, templates, static files, curated data),
    computed once per process (about 2 MB to read)."""
    return tree_hash(PACKAGE)


def files_key(paths: Iterable[Path]) -> list[str]:
    """'name:sha256' of each file that exists, in the order given."""
    out = []
    for p in paths:
        if p.is_file():
            out.append(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}")
    return out


def folder_key(folder: Path, pattern: str = "*") -> list[str]:
    """files_key of the files under `folder` matching `pattern`, with their relative paths."""
    out = []
    for p in sorted(folder.rglob(pattern)):
        if p.is_file() and "__pycache__" not in p.parts:
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            out.append(f"{p.relative_to(folder).as_posix()}:{digest}")
    return out


def frame_key(df: Any) -> str:
    """A content hash of a (small) table."""
    text = df.to_json(orient="split", date_format="iso", default_handler=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(kind: str, inputs: Iterable[str]) -> str:
    """The key of one cached result: its kind, its inputs, dlrev's version and source hash."""
    from dlrev import __version__

    parts = [kind, __version__, source_hash(), *inputs]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:24]
