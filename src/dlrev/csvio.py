"""Reading and writing CSV files: one reader, one set of checks, one sentence per problem.

Every CSV dlrev reads goes through `read_rows`, which takes the whole file or none of it:

- the path must be a regular file we may read (a folder, a FIFO, a device, a symlink loop or a
  file we may not open is one clear error, never a hang or a traceback), at most MAX_FILE_BYTES;
- the bytes must be UTF-8 text (a byte-order mark is dropped) with no NUL byte anywhere;
- any line ending works (LF, CRLF, CR only); header names are stripped and must be distinct;
- every record must have as many fields as the header, hold no control character (other than
  tab and the newlines of a quoted cell), and end with a newline: a last record with no final
  newline, or one that ends inside a quoted cell, may have been cut off mid-value.

A record that breaks a rule is a *row problem*. Our own tables are read strictly (the first row
problem is raised); third-party files are read generously (`strict=False`): the bad record is
skipped and reported in `CsvRows.skipped`, and the rest is read - unless most records disagree
with the header's width, which is a broken file, not a few bad rows. Rows count from 1 for the first
data record after the header, as in every dlrev error.

Writing: `safe_cell` is the one rule for CSV cells we write (formula-injection guard).
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dlrev.errors import DataError, where

if TYPE_CHECKING:
    import pandas as pd

MAX_FILE_BYTES = 512 * 1024 * 1024
# The csv module's own per-field cap (128 KiB) would turn a long header or abstract into an error.
csv.field_size_limit(MAX_FILE_BYTES)

# C0 and C1 control characters except tab, LF and CR (which a quoted cell may hold).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINE_END = ("\n", "\r")


@dataclass
class CsvRows:
    """A CSV file as strings: its header, its good records (by column) and what was skipped."""

    file: str
    header: list[str]
    columns: dict[str, list[str]]  # the columns asked for, each a list over the kept records
    row_numbers: list[int]  # data-row number (1 = first after the header) of each kept record
    skipped: list[DataError] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers)


def _open_regular(path: str | Path) -> int:
    """An fd open for reading on a regular file; DataError for anything else."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not block before we can refuse it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise DataError(f"{name}: no such file.", file=name) from None
    except IsADirectoryError:
        raise DataError(f"{name}: is a folder, not a CSV file.", file=name) from None
    except PermissionError:
        raise DataError(f"{name}: cannot be read (permission denied).", file=name) from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise DataError(f"{name}: is a symbolic link that loops back on itself.",
                            file=name) from None
        raise DataError(f"{name}: cannot be opened ({exc.strerror or exc}).", file=name) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise DataError(f"{name}: is a folder, not a CSV file.", file=name)
        what = "a pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise DataError(f"{name}: is {what}, not a regular CSV file.", file=name)
    return fd


def read_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The whole file, after the checks that it is a regular, readable, non-huge file."""
    name = str(path)
    fd = _open_regular(path)
    try:
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise DataError(f"{name}: cannot be read ({exc.strerror or exc}).", file=name) from None
    if len(data) > max_bytes:
        raise DataError(f"{name}: is larger than {max_bytes // 2**20} MB; not read.", file=name)
    return data


def _check_text_bytes(data: bytes, name: str) -> None:
    """DataError for an empty file or one holding a NUL byte (binary)."""
    if not data or data.isspace():
        raise DataError(f"{name}: the file is empty; expected a CSV with a header row.", file=name)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError(f"{name}: is a binary file, not CSV text (a NUL byte at byte {nul}).",
                        file=name)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (BOM dropped); DataError for empty, binary or non-UTF-8 content."""
    _check_text_bytes(data, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(f"{name}: is not UTF-8 text (byte {exc.start}, line {line}).",
                        file=name) from None


def _line_of(text: str, offset: int) -> int:
    """The physical line (from 1) holding `offset`, counting LF, CRLF and CR as the csv reader
    does."""
    return (text.count("\n", 0, offset) + text.count("\r", 0, offset)
            - text.count("\r\n", 0, offset) + 1)


def _problem(name: str, row: int, message: str, value: object = None,
             column: str | None = None) -> DataError:
    return DataError(f"{where(name, row, column)}: {message}", file=name, row=row, column=column,
                     value=value)


def parse_text(text: str, name: str, *, strict: bool = True,
               used: Callable[[list[str]], Iterable[str]] | None = None,
               final_newline: bool = True) -> CsvRows:
    """`text` (a whole file) as header and records, by the rules in this module's docstring.

    `used`, given the header, names the columns the caller keeps: only those are returned and
    checked for control characters (a third-party file's unused free text may hold a stray one).
    `final_newline=False` accepts a last record with no newline after it (for third-party
    tables that are known to be written that way)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise DataError(f"{name}: the header row is not well-formed CSV ({exc}).",
                        file=name) from None
    except StopIteration:
        raise DataError(f"{name}: the file is empty; expected a CSV with a header row.",
                        file=name) from None
    if not any(header):
        raise DataError(f"{name}: the header row is blank.", file=name)
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise DataError(f'{name}: the header names column "{h}" twice.', file=name, column=h)
        seen.add(h)
    bad_header = next((h for h in header if _CONTROL.search(h)), None)
    if bad_header is not None:
        raise DataError(f"{name}: the header holds a control character ({bad_header!r}).",
                        file=name)
    checked = range(len(header)) if used is None else sorted(
        {header.index(c) for c in used(header) if c in header})
    # Physical lines holding a control character (usually none): only their records are
    # searched cell by cell.
    control_lines = {_line_of(text, m.start()) for m in _CONTROL.finditer(text)}
    out = CsvRows(name, header, {}, [])
    rows: list[list[str]] = []
    width = len(header)
    n = 0
    misfits = 0  # records whose width differs from the header's

    def bad(err: DataError) -> None:
        if strict:
            raise err
        out.skipped.append(err)

    while True:
        first_line = reader.line_num + 1
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            n += 1
            cut = "unexpected end of data" in str(exc)
            bad(_problem(name, n, "the file ends inside a quoted cell, so the last row is cut off."
                         if cut else f"is not well-formed CSV ({exc})."))
            if cut:
                break
            continue
        if not rec:  # a blank line
            continue
        n += 1
        if len(rec) != width:
            if len(rec) > width and not any(rec[width:]):
                rec = rec[:width]  # trailing empty fields (a stray comma) change nothing
            else:
                misfits += 1
                bad(_problem(name, n, f"has {len(rec)} fields where the header has {width}."))
                continue
        if control_lines and not control_lines.isdisjoint(range(first_line,
                                                                 reader.line_num + 1)):
            j = next((j for j in checked if _CONTROL.search(rec[j])), None)
            if j is not None:
                bad(_problem(name, n, f"{rec[j][:40]!r} holds a control character.", rec[j],
                             header[j]))
                continue
        rows.append(rec)
        out.row_numbers.append(n)
    if final_newline and rows and out.row_numbers[-1] == n and \
            not text.endswith(_NEWLINE_END):
        # The last record has no final newline: it may have been cut in the middle of a value.
        rows.pop()
        out.row_numbers.pop()
        bad(_problem(name, n, "the file does not end with a newline, so the last row may be cut "
                     "off; add the newline if the row is whole."))
    if misfits > 1 and misfits * 2 > n:
        # Not a few bad rows but a broken header or structure: skipping would hide that.
        raise DataError(f"{name}: {misfits} of {n} rows have a different number of fields than "
                        f"the header ({width}); the header row or the file's structure is "
                        "broken.", file=name)
    out.columns = {header[j]: [r[j] for r in rows] for j in checked}
    return out


def read_rows(path: str | Path, *, strict: bool = True,
              used: Callable[[list[str]], Iterable[str]] | None = None) -> CsvRows:
    """Read a CSV file by the rules in this module's docstring (`used`: see parse_text).

    A file that needs no row-level decision goes through pyarrow's parser (several times
    faster); anything else, or anything pyarrow refuses, through parse_text, which decides."""
    name = str(path)
    data = read_bytes(path)
    _check_text_bytes(data, name)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    fast = _fast_rows(body, name, used)
    if fast is not None:
        return fast
    return parse_text(decode_text(data, name), name, strict=strict, used=used)


def _fast_rows(body: bytes, name: str,
               used: Callable[[list[str]], Iterable[str]] | None) -> CsvRows | None:
    """pyarrow's reading of valid UTF-8 with a plain header (distinct names, no quotes), whole
    rows, a final newline and no control character in the kept columns; None when any of that
    is not so."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not body.endswith((b"\n", b"\r")):
        return None
    try:  # validates the UTF-8 of the whole file, ~20x faster than decoding it
        pa.array([body], pa.large_binary()).cast(pa.large_string())
    except pa.ArrowInvalid:
        return None
    ends = [i for i in (body.find(b"\n"), body.find(b"\r")) if i >= 0]
    head = body[:min(ends)]
    if b'"' in head:
        return None
    raw = head.decode("utf-8").split(",")
    header = [h.strip() for h in raw]
    if len(set(raw)) != len(raw) or len(set(header)) != len(header) or not any(header) or \
            any(_CONTROL.search(h) for h in header):
        return None
    keep = header if used is None else [h for h in dict.fromkeys(used(header)) if h in header]

    raw_of = dict(zip(header, raw, strict=True))
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=[raw_of[h] for h in keep],
                column_types={raw_of[h]: pa.string() for h in keep},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        return None
    columns = {h: table.column(raw_of[h]).to_pylist() for h in keep}
    if any(_CONTROL.search("\n".join(v)) for v in columns.values()):
        return None
    return CsvRows(name, header, columns, list(range(1, table.num_rows + 1)))


def read_text_frame(path: str | Path, usecols: list[str] | None = None,
                    final_newline: bool = False) -> pd.DataFrame:
    """Every cell as a string ('' for blank), read strictly; DataError for any problem.

    Our own tables pass final_newline=True (see parse_text)."""
    import pandas as pd

    name = str(path)
    data = parse_text(decode_text(read_bytes(path), name), name, strict=True,
                      final_newline=final_newline)
    cols = data.header if usecols is None else usecols
    missing = [c for c in cols if c not in data.header]
    if missing:
        raise DataError(f'{name}: no column "{missing[0]}".', file=name, column=missing[0])
    return pd.DataFrame({c: data.columns[c] for c in cols}, columns=cols, dtype=object)


def header_of(path: str | Path) -> list[str]:
    """The header row only (after the same checks as read_rows), however long it is."""
    name = str(path)
    text = decode_text(read_bytes(path), name)
    try:
        row = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise DataError(f"{name}: the header row is not well-formed CSV ({exc}).",
                        file=name) from None
    return [c.strip() for c in row]


# --- writing -----------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula.

    The one rule for every CSV dlrev writes (the OWASP advice on CSV injection): a text cell that
    starts with = + - @ tab or carriage return gets a leading apostrophe. Numbers, dates and
    blanks are left alone; JSON and Parquet exports are never changed. The browser download
    (web/static/app.js) applies the same rule.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with `safe_cell` applied to every text column."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = frame.copy()
    for c in out.columns:
        if is_object_dtype(out[c]) or is_string_dtype(out[c]):
            out[c] = out[c].map(safe_cell)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """`frame` as CSV (cells made safe, UTF-8, LF endings), written atomically."""
    from dlrev.jsonio import atomic_write

    return atomic_write(path, csv_text(frame))


def csv_text(frame: pd.DataFrame) -> str:
    """`frame` as CSV text with every cell made safe."""
    return str(safe_frame(frame).to_csv(index=False, lineterminator="\n"))
