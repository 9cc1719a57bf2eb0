"""The explorer's disk caches are keyed by content: of their inputs and of dlrev's whole source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dlrev.web import cachekey, site


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of dlrev's installed source tree."""
    dst = tmp_path_factory.mktemp("src") / "dlrev"
    shutil.copytree(cachekey.PACKAGE, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def test_an_identical_tree_gives_the_same_key(tree: Path) -> None:
    assert cachekey.tree_hash(tree) == cachekey.source_hash()
    os.utime(tree / "schema.py", (1, 1))  # touched, not changed: same key
    assert cachekey.tree_hash(tree) == cachekey.source_hash()


@pytest.mark.parametrize("rel", ["schema.py", "benchmarks.py", "web/templates/benchmarks.html",
                                 "web/static/app.js", "data/benchmarks.csv"])
def test_editing_any_source_file_changes_the_key(tree: Path, rel: str) -> None:
    p = tree / rel
    before = p.read_bytes()
    try:
        p.write_bytes(before + b"\n")
        assert cachekey.tree_hash(tree) != cachekey.source_hash()
    finally:
        p.write_bytes(before)
    assert cachekey.tree_hash(tree) == cachekey.source_hash()


def test_memo_recomputes_when_the_source_or_inputs_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert site._memo("probe", ["a"], compute) == {"n": 1}
    assert site._memo("probe", ["a"], compute) == {"n": 1}  # from the disk cache
    assert site._memo("probe", ["b"], compute) == {"n": 2}  # other inputs
    monkeypatch.setattr(cachekey, "source_hash", lambda: "an edited tree")
    assert site._memo("probe", ["a"], compute) == {"n": 3}  # other source: not served stale


def test_files_key_is_by_content(tmp_path: Path) -> None:
    f = tmp_path / "runs.json"
    f.write_text('{"a": 1}')
    k1 = cachekey.folder_key(tmp_path, "*.json")
    os.utime(f, (1, 1))
    assert cachekey.folder_key(tmp_path, "*.json") == k1
    f.write_text('{"a": 2}')
    assert cachekey.folder_key(tmp_path, "*.json") != k1
    assert cachekey.files_key([f, tmp_path / "missing.json"]) == [cachekey.files_key([f])[0]]
