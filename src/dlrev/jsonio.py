"""The bottom layer for JSON and files: one encoder, one atomic write, one JSON reader.

Everything that turns results into JSON (the CLI's --json, the web's page data, the lab's run
files, every result's to_dict) goes through `plain`; everything that writes a file a reader might
see half-done goes through `atomic_write`, whose failures become one sentence naming the path
(dlrev.errors.OutputError). This module imports nothing from dlrev but dlrev.errors.

    >>> plain({"x": np.float64(1.5), "d": pd.Timestamp("2020-01-02"), "n": float("nan")})
    {'x': 1.5, 'd': '2020-01-02', 'n': None}
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from dlrev.errors import OutputError


def plain(value: Any) -> Any:
    """`value` as plain JSON types: dicts with string keys, lists, str, int, float, bool, None.

    Objects with a `to_dict()` are asked for it; numpy scalars and arrays become Python numbers
    and lists; dates and timestamps become ISO dates (a timestamp with a time of day keeps it);
    NaN, infinities, NaT and pandas' NA become None; DataFrames become lists of row dicts."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    # numpy and pandas are looked up only when such a value arrives, so a light caller (the
    # CLI's start, serving a cached site) never imports them.
    mod = type(value).__module__.split(".")[0]
    if mod == "numpy":
        import numpy as np

        if isinstance(value, np.ndarray):
            return [plain(v) for v in value.tolist()]
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return plain(float(value))
        if isinstance(value, np.datetime64):
            return None if np.isnat(value) else plain(value.astype("datetime64[us]").item())
        if isinstance(value, np.str_):
            return str(value)
    if mod == "pandas":
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            return [plain(r) for r in value.to_dict(orient="records")]
        if isinstance(value, pd.Series):
            return plain(value.to_dict())
        if value is pd.NaT or value is pd.NA:
            return None
        if isinstance(value, pd.Timestamp):
            return plain(value.to_pydatetime())
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    raise TypeError(f"cannot turn a {type(value).__name__} into JSON")


def dumps(value: Any, *, indent: int | None = None) -> str:
    """One JSON document (UTF-8 text, NaN written as null, never as the invalid NaN)."""
    seps = (",", ":") if indent is None else (",", ": ")
    return json.dumps(plain(value), ensure_ascii=False, indent=indent, separators=seps,
                      allow_nan=False)


def loads(text: str | bytes, *, source: str = "input") -> Any:
    """Parse JSON, raising ValueError that names `source` (callers turn it into their error)."""
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{source}: not valid JSON ({exc})") from None


def read_json(path: str | Path) -> Any:
    """The JSON document in `path`; ValueError naming the file when it is not JSON."""
    p = Path(path)
    return loads(p.read_bytes(), source=str(p))


def _cannot_write(p: Path, exc: OSError) -> OutputError:
    """'cannot write PATH: why' for an OSError met while writing `p`."""
    why = exc.strerror or str(exc)
    if isinstance(exc, IsADirectoryError) or p.is_dir():
        why = "it is a folder; give a file name"
    else:
        # a parent that exists but is a file (mkdir says EEXIST, open says ENOTDIR)
        for parent in p.parents:
            if parent.exists():
                if not parent.is_dir():
                    why = f"{parent} is a file, not a folder"
                break
    return OutputError(f"cannot write {p}: {why}.")


@contextmanager
def atomic_open(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write `path` whole or not at all: into a temporary sibling that replaces it on success and
    is removed on any failure, so a reader (or a killed run) never sees half a file.

    A path that cannot be written (no such place, a folder, a parent that is a file, no
    permission, a full disk) raises OutputError naming it; errors the caller's own code raises
    inside the block pass through unchanged."""
    p = Path(path)
    if p.is_dir():
        raise _cannot_write(p, IsADirectoryError(21, "Is a directory"))
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    except OSError as exc:
        raise _cannot_write(p, exc) from None
    try:
        f: IO[Any]
        if "b" in mode:
            f = os.fdopen(fd, "wb")
        else:
            f = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with f:
            yield f
            try:
                f.flush()
                os.fsync(f.fileno())
            except OSError as exc:
                raise _cannot_write(p, exc) from None
        try:
            os.chmod(tmp, 0o644)
            os.replace(tmp, p)
        except OSError as exc:
            raise _cannot_write(p, exc) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write(path: str | Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to `path` atomically; returns the path."""
    with atomic_open(path, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)
    return Path(path)


def write_json(path: str | Path, value: Any, *, indent: int | None = 2) -> Path:
    """`value` as one JSON document in `path`, written atomically."""
    return atomic_write(path, dumps(value, indent=indent) + "\n")
