"""Reading user files and writing results: errors name the file; failures leave nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.services.files import read_document, write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old plan")

    class Boom(Exception):
        pass

    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        raise Boom  # the disk fills or the process dies between write and rename

    os.replace = failing_replace  # type: ignore[assignment]
    try:
        with pytest.raises(Boom):
            write_atomically(target, "new plan")
    finally:
        os.replace = real_replace
    assert target.read_text() == "old plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "plan.ics"
    write_atomically(target, b"BEGIN:VCALENDAR")
    assert target.read_bytes() == b"BEGIN:VCALENDAR"


def test_json_and_yaml_are_both_read(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"name": "A"}')
    (tmp_path / "a.yaml").write_text("name: A\n")
    assert read_document(tmp_path / "a.json") == read_document(tmp_path / "a.yaml") == {"name": "A"}


def test_bad_json_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{\n"tests": ,\n}')
    with pytest.raises(InvalidInput, match=r"answers\.json: not valid JSON \(line 2"):
        read_document(path)


def test_a_folder_or_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="is a folder"):
        read_document(tmp_path)
    with pytest.raises(NotFound, match=r"missing\.yaml: no such file"):
        read_document(tmp_path / "missing.yaml")
