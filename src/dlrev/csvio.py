"""Reading CSV files as text with one-sentence errors for the usual ways a file is wrong."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from dlrev.errors import DataError


def _checked_head(path: str | Path, size: int) -> bytes:
    """The first `size` bytes, after the checks every reader shares: exists, is a file, is not
    empty, is text."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise DataError(f"{name}: no such file.", file=name)
    if p.is_dir():
        raise DataError(f"{name}: is a folder, not a CSV file.", file=name)
    with p.open("rb") as fh:
        head = fh.read(size)
    if not head.strip():
        raise DataError(f"{name}: the file is empty; expected a CSV with a header row.", file=name)
    if b"\x00" in head:
        raise DataError(f"{name}: is a binary file, not CSV text.", file=name)
    return head


def read_text_frame(path: str | Path, usecols: list[str] | None = None) -> pd.DataFrame:
    """Every cell as a string ('' for blank); DataError for missing, empty or non-CSV files."""
    p = Path(path)
    name = str(path)
    head = _checked_head(path, 4096)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A cut multi-byte character at the 4096 boundary is fine; anything earlier is not.
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            raise DataError(f"{name}: is not UTF-8 text.", file=name) from None
    try:
        frame = pd.read_csv(
            p, dtype=object, keep_default_na=False, na_filter=False, usecols=usecols,
            encoding="utf-8", on_bad_lines="error",
        )
    except UnicodeDecodeError:
        raise DataError(f"{name}: is not UTF-8 text.", file=name) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{name}: the file is empty; expected a CSV with a header row.",
                        file=name) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise DataError(f"{name}: is not a well-formed CSV file ({msg}).", file=name) from None
    return frame


def header_of(path: str | Path) -> list[str]:
    """The header row only (after the same checks as read_text_frame)."""
    text = _checked_head(path, 65536).decode("utf-8", errors="replace")
    row = next(csv.reader(io.StringIO(text)), [])
    return [c.strip() for c in row]


def read_text_columns(path: str | Path, columns: list[str]) -> dict[str, list[str]]:
    """The named columns as lists of strings, read by pyarrow's multi-threaded parser.

    Anything pyarrow does not accept goes through read_text_frame, whose errors name the file
    and what is wrong with it.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types={c: pa.string() for c in columns},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError):
        frame = read_text_frame(path, usecols=columns)
        return {c: frame[c].tolist() for c in columns}
    return {c: table.column(c).to_pylist() for c in columns}
