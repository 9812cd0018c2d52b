"""Tests for cmokit._files: writing a text file in one step."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmokit._files import write_text_atomically


def test_writes_utf8_with_newline_line_ends(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    write_text_atomically(target, "Ünïcode\nline two\n")
    assert target.read_bytes() == "Ünïcode\nline two\n".encode()
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_relative_name_writes_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_text_atomically("here.txt", "text")
    assert (tmp_path / "here.txt").read_text(encoding="utf-8") == "text"


def test_replacing_keeps_the_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "private.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_text_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomically(target, "a lone surrogate \udc80 cannot be encoded")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_a_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_text_atomically(tmp_path / "no" / "file.txt", "text")
    assert list(tmp_path.iterdir()) == []
