"""The lab's text: where it comes from, its character vocabulary, and its train/validation split.

Three sources:

* ``tinyshakespeare`` (the default): the 1.1 MB public-domain Shakespeare text char-rnn and
  nanoGPT use, downloaded once from its canonical location into the user's cache and checked
  against its sha256;
* ``stdlib``: a corpus assembled at run time from the installed Python standard library's source
  files (always present, nothing to download);
* any UTF-8 text file.

The split is nanoGPT's: the first 90 % of characters train, the last 10 % validate.
"""

from __future__ import annotations

import hashlib
import os
import sysconfig
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dlrev.errors import DataError, DlrevError
from dlrev.jsonio import atomic_write
from dlrev.paths import cache_dir

SHAKESPEARE_URL = (
    "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
)
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
STDLIB_CHARS = 1_100_000  # about the size of tiny-shakespeare
TRAIN_FRACTION = 0.9


@dataclass
class Corpus:
    """A text encoded as integer ids over its sorted character set, split 90/10 by position."""

    name: str
    source: str
    sha256: str
    chars: list[str]
    ids: np.ndarray  # int64 ids of the whole text
    notes: list[str] = field(default_factory=list)

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    @property
    def n_train(self) -> int:
        return int(len(self.ids) * TRAIN_FRACTION)

    @property
    def train(self) -> np.ndarray:
        return self.ids[: self.n_train]

    @property
    def val(self) -> np.ndarray:
        return self.ids[self.n_train:]

    def encode(self, text: str) -> list[int]:
        index = {c: i for i, c in enumerate(self.chars)}
        return [index[c] for c in text if c in index]

    def decode(self, ids) -> str:  # noqa: ANN001 - any iterable of ints
        return "".join(self.chars[int(i)] for i in ids)

    def check_context(self, context: int) -> None:
        """Both splits must hold at least one full context window plus its target."""
        need = context + 2
        if len(self.val) < need:
            raise DlrevError(
                f"corpus {self.source} has {len(self.ids):,} characters, too small for a context "
                f"of {context}: its 10 % validation split needs at least {need} characters, so "
                f"the text needs at least {int(np.ceil(need / (1 - TRAIN_FRACTION))):,}")

    def to_dict(self) -> dict:
        return {"name": self.name, "source": self.source, "sha256": self.sha256,
                "characters": int(len(self.ids)), "vocab_size": self.vocab_size,
                "train_characters": self.n_train, "val_characters": int(len(self.val)),
                "notes": list(self.notes)}


def from_text(text: str, name: str, source: str, notes: list[str] | None = None) -> Corpus:
    """Encode a text over its own sorted character set."""
    if not text:
        raise DlrevError(f"corpus {source} is empty")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    uniq, ids = np.unique(codes, return_inverse=True)
    chars = [chr(int(c)) for c in uniq]
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Corpus(name=name, source=source, sha256=sha, chars=chars,
                  ids=ids.astype(np.int64), notes=list(notes or []))


def read_text_file(path: Path) -> str:
    """A UTF-8 file as text; one sentence naming the file, line and byte when it is not UTF-8."""
    if not path.is_file():
        raise DlrevError(f"corpus file {path} does not exist")
    data = path.read_bytes()
    if not data:
        raise DlrevError(f"corpus file {path} is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"corpus file {path}, line {line}, byte {exc.start}: not valid UTF-8 "
            f"({exc.reason}); the lab reads UTF-8 text only",
            file=str(path), row=line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise DlrevError(f"corpus file {path} holds only whitespace")
    return text


def stdlib_text(limit: int = STDLIB_CHARS) -> tuple[str, int]:
    """Concatenate the standard library's ASCII .py files (sorted by path, tests left out) up to
    ``limit`` characters. Returns the text and the number of files used."""
    root = Path(sysconfig.get_paths()["stdlib"])
    skip = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}
    parts: list[str] = []
    total = files = 0
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if skip.intersection(rel.parts[:-1]):
            continue
        try:
            text = path.read_text(encoding="ascii")
        except (UnicodeDecodeError, OSError):
            continue
        chunk = f"# {rel.as_posix()}\n{text.expandtabs(4)}\n"
        if total + len(chunk) > limit:
            if total:
                break
            chunk = chunk[:limit]
        parts.append(chunk)
        total += len(chunk)
        files += 1
    if not parts:
        raise DlrevError(f"found no readable Python source files under {root} "
                         f"for the stdlib corpus")
    return "".join(parts), files


def stdlib_corpus(notes: list[str] | None = None) -> Corpus:
    text, files = stdlib_text()
    root = sysconfig.get_paths()["stdlib"]
    return from_text(text, "stdlib", f"Python standard library sources ({files} files in {root})",
                     notes)


def shakespeare_path() -> Path:
    return cache_dir() / "corpora" / "tinyshakespeare.txt"


def fetch_shakespeare(url: str = SHAKESPEARE_URL, timeout: float = 20.0) -> Path:
    """Download tiny-shakespeare once into the cache, checked against its sha256.

    Raises OSError when offline (the caller falls back) and DlrevError on a checksum mismatch.
    """
    path = shakespeare_path()
    if path.is_file() and _sha256(path.read_bytes()) == SHAKESPEARE_SHA256:
        return path
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - fixed https URL
        data = resp.read()
    if _sha256(data) != SHAKESPEARE_SHA256:
        raise DlrevError(
            f"the tiny-shakespeare file downloaded from {url} has sha256 {_sha256(data)}, "
            f"expected {SHAKESPEARE_SHA256}; nothing was saved")
    return atomic_write(path, data)


def load_corpus(spec: str | os.PathLike | None = None) -> Corpus:
    """``None`` or 'tinyshakespeare' (download once, fall back to stdlib when offline),
    'stdlib', or a path to a UTF-8 text file."""
    if spec is None or str(spec).lower() in ("tinyshakespeare", "shakespeare", "default"):
        try:
            path = fetch_shakespeare()
        except (OSError, urllib.error.URLError) as exc:
            reason = getattr(exc, "reason", exc)
            note = (f"could not download tiny-shakespeare ({reason}); offline, so using "
                    f"--corpus stdlib instead (its samples look like Python)")
            return stdlib_corpus(notes=[note])
        return from_text(read_text_file(path), "tinyshakespeare",
                         "tiny-shakespeare (karpathy/char-rnn data/tinyshakespeare/input.txt)")
    if str(spec).lower() == "stdlib":
        return stdlib_corpus()
    path = Path(spec).expanduser()
    return from_text(read_text_file(path), path.stem, str(path))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def markov_source(n_chars: int, vocab: int = 8, order: int = 2, seed: int = 0,
                  concentration: float = 0.25) -> tuple[str, float]:
    """A synthetic text from a random order-``order`` Markov chain over the first ``vocab``
    lowercase letters, and the chain's entropy rate in nats per character (the best loss any
    model can reach). Small Dirichlet ``concentration`` makes the transitions peaked, so that
    models with more capacity have more to learn."""
    if not 2 <= vocab <= 26 or order < 1 or n_chars < order:
        raise DlrevError("markov_source needs 2 <= vocab <= 26, order >= 1, n_chars >= order")
    rng = np.random.default_rng(seed)
    states = vocab**order
    trans = rng.dirichlet(np.full(vocab, concentration), size=states)
    # stationary distribution over states (the last `order` characters), by power iteration
    nxt = (np.arange(states)[:, None] * vocab) % states + np.arange(vocab)[None, :]
    pi = np.full(states, 1.0 / states)
    for _ in range(2000):
        new = np.zeros(states)
        np.add.at(new, nxt.reshape(-1), (pi[:, None] * trans).reshape(-1))
        if np.abs(new - pi).max() < 1e-13:
            pi = new
            break
        pi = new
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.where(trans > 0, np.log(trans), 0.0)
    entropy = float(-(pi[:, None] * trans * logp).sum())
    cum = trans.cumsum(axis=1)
    u = rng.random(n_chars)
    out = np.empty(n_chars, dtype=np.int64)
    out[:order] = rng.integers(0, vocab, order)
    state = 0
    for c in out[:order]:
        state = (state * vocab + int(c)) % states
    for i in range(order, n_chars):
        c = min(int(np.searchsorted(cum[state], u[i], side="right")), vocab - 1)
        out[i] = c
        state = (state * vocab + c) % states
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(letters[int(c)] for c in out), entropy
