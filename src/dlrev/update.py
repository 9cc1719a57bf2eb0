"""Fetch Epoch AI's newest export into the cache, validate it, and only then swap it in.

On any failure (network, HTTP status, a download shorter than announced, a file that does not
parse as an Epoch export, or one with far fewer rows than the snapshot it would replace) the
previous snapshot stays in place and the error says why.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dlrev.epoch import EPOCH_URL, read_epoch
from dlrev.errors import DataError, DlrevError
from dlrev.paths import epoch_snapshot_path

# A new export with fewer than this share of the old one's rows is taken as a broken download.
MIN_ROW_RATIO = 0.5
CHUNK = 1 << 16


@dataclass
class Snapshot:
    path: Path
    rows: int
    with_compute: int
    sha256: str
    source: str
    fetched: str

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "rows": self.rows, "with_compute": self.with_compute,
                "sha256": self.sha256, "source": self.source, "fetched": self.fetched}


def _meta_path(path: Path) -> Path:
    return path.with_suffix(".json")


def current_snapshot(path: Path | None = None) -> Snapshot | None:
    path = path or epoch_snapshot_path()
    meta = _meta_path(path)
    if not path.exists() or not meta.exists():
        return None
    d = json.loads(meta.read_text())
    return Snapshot(path=path, rows=d["rows"], with_compute=d["with_compute"], sha256=d["sha256"],
                    source=d["source"], fetched=d["fetched"])


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def install_snapshot(candidate: Path, source: str, target: Path | None = None) -> Snapshot:
    """Validate `candidate` as an Epoch export and atomically make it the cached snapshot."""
    target = target or epoch_snapshot_path()
    imported = read_epoch(candidate)
    old = current_snapshot(target)
    if old and imported.n_rows < MIN_ROW_RATIO * old.rows:
        raise DlrevError(
            f"the new file has {imported.n_rows} rows against {old.rows} in the current snapshot; "
            "it looks truncated, so the current snapshot was kept."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-", suffix=".csv")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(candidate, tmp)
        snap = Snapshot(path=target, rows=imported.n_rows, with_compute=imported.n_with_compute,
                        sha256=_sha256(tmp), source=source,
                        fetched=datetime.now(UTC).replace(microsecond=0).isoformat())
        meta_tmp = tmp.with_suffix(".json")
        meta_tmp.write_text(json.dumps(snap.to_dict(), indent=2))
        os.replace(tmp, target)
        os.replace(meta_tmp, _meta_path(target))
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_suffix(".json").unlink(missing_ok=True)
    return snap


def download(url: str, dest: Path, timeout: float = 60.0,
             progress: Callable[[int, int | None], None] | None = None) -> None:
    """Stream `url` to `dest`; raise DlrevError on network or HTTP errors and short reads."""
    req = urllib.request.Request(url, headers={"User-Agent": "dlrev"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, dest.open("wb") as out:
            total_header = resp.headers.get("Content-Length")
            total = int(total_header) if total_header and total_header.isdigit() else None
            got = 0
            while True:
                chunk = resp.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                got += len(chunk)
                if progress:
                    progress(got, total)
    except urllib.error.HTTPError as exc:
        raise DlrevError(f"download of {url} failed: HTTP {exc.code} {exc.reason}.") from None
    except urllib.error.URLError as exc:
        raise DlrevError(f"download of {url} failed: {exc.reason}.") from None
    except (TimeoutError, OSError) as exc:
        # http.client.IncompleteRead is an OSError-free HTTPException; handled below.
        raise DlrevError(f"download of {url} failed: {exc}.") from None
    except Exception as exc:  # http.client.IncompleteRead and friends
        import http.client

        if isinstance(exc, http.client.HTTPException):
            raise DlrevError(f"download of {url} was cut off ({type(exc).__name__}).") from None
        raise
    if total is not None and got != total:
        raise DlrevError(f"download of {url} was cut off: {got} of {total} bytes arrived.")


def update(url: str | None = None, target: Path | None = None, timeout: float = 60.0,
           progress: Callable[[int, int | None], None] | None = None) -> Snapshot:
    """Download, validate and swap in a new Epoch snapshot; keep the old one on any failure."""
    url = url or os.environ.get("DLREV_EPOCH_URL") or EPOCH_URL
    target = target or epoch_snapshot_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".download-") as tmpdir:
        part = Path(tmpdir) / "download.csv"
        download(url, part, timeout=timeout, progress=progress)
        try:
            return install_snapshot(part, source=url, target=target)
        except DataError as exc:
            kept = " The current snapshot was kept." if target.exists() else ""
            raise DlrevError(f"the download from {url} is not a valid Epoch export: {exc}{kept}") \
                from None
