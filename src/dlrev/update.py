"""Snapshots of third-party files in the cache, fetched or imported whole or not at all.

The reusable pieces (the Epoch import uses them; any other importer can):

`download(url, dest, *, timeout, deadline, max_bytes, progress)`
    Streams `url` to `dest` and returns the byte count. Raises DlrevError (one sentence, naming
    the URL and the limit hit) on network or HTTP errors, when no byte arrives for `timeout`
    seconds, when the whole download takes longer than `deadline` seconds, when the body is
    larger than `max_bytes` (refused up front when Content-Length says so), and when fewer bytes
    arrive than Content-Length announced.

`fetch_snapshot(url, target, validate, *, ...)`
    Downloads into a private `.download-*` folder beside `target`, rejects a body that does not
    end with a newline (a server that closes early without Content-Length), calls
    `validate(path) -> counts` (raise DataError if the file is not acceptable; return e.g.
    {"rows": 1036, "compute": 529, ...}), and installs it with `install_snapshot`.

`install_snapshot(candidate, target, validate, *, source, force)`
    Under the snapshot's lock: compares the candidate's counts with the current snapshot's and
    refuses a drop below MIN_RATIO of any of them (rows, or coverage of a key column) unless
    `force`; then swaps the file and its metadata (`<target>.json`, which records the file's
    SHA-256) in. Both swaps happen under the lock, so concurrent installs never interleave; a
    run killed between them leaves metadata whose SHA-256 does not match the file, which
    `current_snapshot` reports and treats as absent, as it does unreadable metadata.

Left-over `.download-*` folders of killed runs (each holds a lock while its run lives) and
temporary files are removed by the next run. On any failure the previous snapshot stays.
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dlrev.epoch import EPOCH_URL, EpochImport, read_epoch
from dlrev.errors import DataError, DlrevError
from dlrev.jsonio import atomic_write, read_json, write_json
from dlrev.paths import epoch_snapshot_path

# A new file with less than this share of the current one's rows, or of its rows with a value
# in a key column, is refused as a broken or wrong file (unless forced).
MIN_RATIO = 0.5
MIN_ROW_RATIO = MIN_RATIO  # the old name
MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024
DEADLINE_S = 300.0
CHUNK = 1 << 16
Counts = dict[str, int]


@dataclass
class Snapshot:
    path: Path
    rows: int
    sha256: str
    source: str
    fetched: str
    counts: Counts = field(default_factory=dict)  # rows with a value, per key column

    @property
    def with_compute(self) -> int:
        return self.counts.get("compute", 0)

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "rows": self.rows, "with_compute": self.with_compute,
                "counts": self.counts, "sha256": self.sha256, "source": self.source,
                "fetched": self.fetched}


def _meta_path(path: Path) -> Path:
    return path.with_suffix(".json")


@contextmanager
def _locked(target: Path, exclusive: bool) -> Iterator[None]:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def snapshot_status(path: Path | None = None) -> tuple[Snapshot | None, str | None]:
    """The current snapshot, or None with a note saying why its metadata cannot be used."""
    path = path or epoch_snapshot_path()
    meta = _meta_path(path)
    with _locked(path, exclusive=False):
        if not path.exists():
            return None, None
        try:
            d = read_json(meta)
            snap = Snapshot(path=path, rows=int(d["rows"]), sha256=str(d["sha256"]),
                            source=str(d["source"]), fetched=str(d["fetched"]),
                            counts={str(k): int(v) for k, v in
                                    d.get("counts", {"compute": d["with_compute"]}).items()})
        except FileNotFoundError:
            return None, f"{meta} is missing; it was treated as absent."
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            return None, f"{meta} is unreadable or incomplete; it was treated as absent."
        if _sha256(path) != snap.sha256:
            return None, (f"{meta} describes another file than {path.name} (a run was stopped "
                          "between the two); it was treated as absent.")
    return snap, None


def current_snapshot(path: Path | None = None) -> Snapshot | None:
    return snapshot_status(path)[0]


def epoch_counts(path: Path) -> Counts:
    """Rows and coverage of the key columns of an Epoch export (DataError if it is not one)."""
    return epoch_counts_of(read_epoch(path))


def epoch_counts_of(imp: EpochImport) -> Counts:
    """Rows, and rows with compute, date and parameters, of an import."""
    s = imp.systems
    return {"rows": imp.n_rows, "compute": int(s["compute"].notna().sum()),
            "date": int(s["date"].notna().sum()),
            "parameters": int(s["parameters"].notna().sum())}


def _guard(new: Counts, old: Counts, force: bool, source: str) -> None:
    drops = [k for k in old if k in new and old[k] > 0 and new[k] < MIN_RATIO * old[k]]
    if not drops or force:
        return
    k = drops[0]
    what = "rows" if k == "rows" else f"rows with {k}"
    looks = "it looks truncated" if k == "rows" else "its coverage dropped"
    raise DlrevError(
        f"{source}: the new file has {new[k]} {what} against {old[k]} in the current snapshot; "
        f"{looks}, so the current snapshot was kept (--force takes the new file anyway).")


def _clean_stale(folder: Path) -> None:
    """Remove what killed runs left: `.download-*` folders whose run is gone (their lock is
    free) and temporary files (only called under the exclusive snapshot lock)."""
    if not folder.is_dir():
        return
    for p in folder.glob(".download-*"):
        lock = p / ".lock"
        try:
            with open(lock, "a+b") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(p, ignore_errors=True)
        except BlockingIOError:
            continue  # another run is still downloading into it
        except OSError:
            shutil.rmtree(p, ignore_errors=True)
    for p in list(folder.glob(".*.tmp")) + list(folder.glob(".incoming-*")):
        p.unlink(missing_ok=True)


def install_snapshot(candidate: Path, source: str, target: Path | None = None,
                     validate: Callable[[Path], Counts] = epoch_counts,
                     force: bool = False) -> Snapshot:
    """Validate `candidate` and make it the cached snapshot at `target`, with its metadata."""
    target = target or epoch_snapshot_path()
    new = validate(candidate)
    with _locked(target, exclusive=True):
        _clean_stale(target.parent)
        old = _old_counts(target, validate)
        if old:
            _guard(new, old, force, source)
        data = candidate.read_bytes()
        snap = Snapshot(path=target, rows=new.get("rows", 0),
                        sha256=hashlib.sha256(data).hexdigest(), source=source,
                        fetched=datetime.now(UTC).replace(microsecond=0).isoformat(),
                        counts={k: v for k, v in new.items() if k != "rows"})
        atomic_write(target, data)
        write_json(_meta_path(target), snap.to_dict())
    return snap


def _old_counts(target: Path, validate: Callable[[Path], Counts]) -> Counts | None:
    """The current snapshot's counts: from its metadata, or (metadata unusable) from the file."""
    if not target.exists():
        return None
    try:
        d = read_json(_meta_path(target))
        if _sha256(target) == d["sha256"]:
            return {"rows": int(d["rows"]),
                    **{str(k): int(v) for k, v in
                       d.get("counts", {"compute": d["with_compute"]}).items()}}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    try:
        return validate(target)
    except DlrevError:
        return None  # the current file is itself broken: nothing worth keeping


def download(url: str, dest: Path, *, timeout: float = 60.0, deadline: float = DEADLINE_S,
             max_bytes: int = MAX_DOWNLOAD_BYTES,
             progress: Callable[[int, int | None], None] | None = None) -> int:
    """Stream `url` to `dest` within the limits described in this module's docstring."""
    start = time.monotonic()
    mb = f"{max_bytes / 2**20:g} MB"
    req = urllib.request.Request(url, headers={"User-Agent": "dlrev"})
    got = 0
    total: int | None = None
    try:
        with urllib.request.urlopen(req, timeout=min(timeout, deadline)) as resp, \
                dest.open("wb") as out:
            total_header = resp.headers.get("Content-Length")
            total = int(total_header) if total_header and total_header.isdigit() else None
            if total is not None and total > max_bytes:
                raise DlrevError(f"download of {url} refused: it announces {total} bytes, more "
                                 f"than the {mb} limit (--max-size).")
            while True:
                left = deadline - (time.monotonic() - start)
                if left <= 0:
                    raise DlrevError(f"download of {url} stopped: the {deadline:g} s deadline "
                                     f"passed after {got} bytes (--deadline).")
                _set_read_timeout(resp, min(timeout, left))
                chunk = resp.read1(CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > max_bytes:
                    raise DlrevError(f"download of {url} stopped: it passed the {mb} limit "
                                     "(--max-size).")
                out.write(chunk)
                if progress:
                    progress(got, total)
    except urllib.error.HTTPError as exc:
        raise DlrevError(f"download of {url} failed: HTTP {exc.code} {exc.reason}.") from None
    except urllib.error.URLError as exc:
        raise DlrevError(f"download of {url} failed: {exc.reason}.") from None
    except TimeoutError:
        if time.monotonic() - start >= deadline:
            raise DlrevError(f"download of {url} stopped: the {deadline:g} s deadline passed "
                             f"after {got} bytes (--deadline).") from None
        raise DlrevError(f"download of {url} failed: no data for {timeout:g} s after {got} "
                         "bytes (--timeout).") from None
    except http.client.HTTPException as exc:
        raise DlrevError(f"download of {url} was cut off ({type(exc).__name__}).") from None
    except OSError as exc:
        raise DlrevError(f"download of {url} failed: {exc.strerror or exc}.") from None
    if total is not None and got != total:
        raise DlrevError(f"download of {url} was cut off: {got} of {total} bytes arrived.")
    return got


def _set_read_timeout(resp: object, seconds: float) -> None:
    """Shorten the socket's timeout so the deadline holds even against a slow trickle."""
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.01))


def fetch_snapshot(url: str, target: Path, validate: Callable[[Path], Counts], *,
                   timeout: float = 60.0, deadline: float = DEADLINE_S,
                   max_bytes: int = MAX_DOWNLOAD_BYTES, force: bool = False,
                   progress: Callable[[int, int | None], None] | None = None,
                   what: str = "export") -> Snapshot:
    """Download `url`, validate it, check it looks whole and install it at `target`.
    `what` names the kind of file in messages ('Epoch export')."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(dir=target.parent, prefix=".download-"))
    try:
        with open(tmpdir / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # tells _clean_stale this run is alive
            part = tmpdir / f"download{target.suffix}"
            download(url, part, timeout=timeout, deadline=deadline, max_bytes=max_bytes,
                     progress=progress)
            kept = " The current snapshot was kept." if target.exists() else ""
            try:
                counts = validate(part)
            except DataError as exc:
                raise DlrevError(f"the download from {url} is not a valid {what}: {exc}{kept}") \
                    from None
            with part.open("rb") as fh:
                fh.seek(max(part.stat().st_size - 1, 0))
                last = fh.read(1)
            if last not in (b"\n", b"\r"):
                raise DlrevError(f"the download from {url} looks cut off: it does not end with "
                                 f"a newline.{kept}")
            return install_snapshot(part, source=url, target=target,
                                    validate=lambda _: counts, force=force)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def update(url: str | None = None, target: Path | None = None, timeout: float = 60.0,
           progress: Callable[[int, int | None], None] | None = None, *,
           deadline: float = DEADLINE_S, max_bytes: int = MAX_DOWNLOAD_BYTES,
           force: bool = False) -> Snapshot:
    """Download, validate and swap in a new Epoch snapshot; keep the old one on any failure."""
    url = url or os.environ.get("DLREV_EPOCH_URL") or EPOCH_URL
    return fetch_snapshot(url, target or epoch_snapshot_path(), epoch_download_counts,
                          timeout=timeout, deadline=deadline, max_bytes=max_bytes, force=force,
                          progress=progress, what="Epoch export")


def epoch_download_counts(path: Path) -> Counts:
    """epoch_counts for a download: a last row cut off inside a quoted cell is a cut download."""
    imp = read_epoch(path)
    cut = [e for e in imp.skipped if "cut off" in str(e)]
    if cut:
        raise DataError(f"it looks cut off ({cut[0]})", file=str(path))
    return epoch_counts_of(imp)
