"""A file dlrev cannot write is one sentence naming the path and the reason, exit 2, no
traceback and no temporary file left behind (jsonio.atomic_open is the one writer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlrev import jsonio
from dlrev.errors import DlrevError


def _one_line_error(result, path: str, why: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert lines == [f"error: cannot write {path}: {why}."], result.output


def _no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_export_to_a_place_that_cannot_hold_files(cli) -> None:
    r = cli("data", "export", "--format", "csv", "-o", "/proc/x.csv")
    _one_line_error(r, "/proc/x.csv", "No such file or directory")
    assert not Path("/proc/x.csv").exists()


def test_export_onto_a_folder(cli, tmp_path: Path) -> None:
    folder = tmp_path / "somefolder"
    folder.mkdir()
    r = cli("data", "export", "--format", "csv", "-o", str(folder))
    _one_line_error(r, str(folder), "it is a folder; give a file name")
    assert folder.is_dir() and not list(folder.iterdir())
    _no_temp_files(tmp_path)


def test_export_under_a_parent_that_is_a_file(cli, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("keep me\n", encoding="utf-8")
    r = cli("data", "export", "--format", "csv", "-o", str(afile / "x.csv"))
    _one_line_error(r, str(afile / "x.csv"), f"{afile} is a file, not a folder")
    assert afile.read_text(encoding="utf-8") == "keep me\n"
    _no_temp_files(tmp_path)


def test_plot_to_a_place_that_cannot_hold_files(cli) -> None:
    r = cli("plot", "trends", "-o", "/proc/t.svg")
    _one_line_error(r, "/proc/t.svg", "No such file or directory")


def test_a_failed_replace_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out.json"
    out.write_text("old\n", encoding="utf-8")

    def refuse(src: str, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(jsonio.os, "replace", refuse)
    with pytest.raises(DlrevError, match=r"^cannot write .*out\.json: Permission denied\.$"):
        jsonio.write_json(out, {"a": 1})
    assert out.read_text(encoding="utf-8") == "old\n"
    _no_temp_files(tmp_path)


def test_errors_raised_inside_the_block_pass_through(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), jsonio.atomic_open(tmp_path / "y.txt") as f:
        f.write("x")
        open(tmp_path / "missing")  # noqa: SIM115 - the caller's own error, not the write's
    assert not (tmp_path / "y.txt").exists()
    _no_temp_files(tmp_path)
