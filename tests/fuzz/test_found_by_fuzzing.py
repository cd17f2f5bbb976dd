"""The smallest inputs the fuzzing found crashes with, kept as plain tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from glutecoach.adapters.runfiles.reader import read_source
from glutecoach.adapters.runfiles.sources import Source, list_sources
from glutecoach.domain.errors import InvalidInput
from glutecoach.services.planning import read_profile
from tests.clock import CLOCK

# A gzip header, then a deflate block of the reserved type 3: zlib.error, not OSError.
BAD_DEFLATE = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x07"


def zip_with_a_damaged_member(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"<gpx></gpx>" * 50)
    data = bytearray(out.getvalue())
    data[30 + len(name)] = 0x07  # the member's first deflate block: the reserved type 3
    return bytes(data)


def test_a_gzip_file_with_a_damaged_deflate_stream_is_refused_with_a_reason(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.gpx.gz"
    path.write_bytes(BAD_DEFLATE)
    result = read_source(Source(str(path)))
    assert result.reason is not None
    assert result.reason.startswith("not a readable gzip file (Error -3")


def test_a_zip_member_with_a_damaged_deflate_stream_is_refused_with_a_reason(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(zip_with_a_damaged_member("run.gpx"))
    [source] = list_sources([path]).sources
    result = read_source(source)
    assert result.reason is not None
    assert result.reason.startswith("cannot read it from its archive (Error -3")


def test_a_nested_zip_with_a_damaged_deflate_stream_is_refused_with_a_reason(
    tmp_path: Path,
) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as outer:
        outer.writestr("inner.zip", zip_with_a_damaged_member("run.gpx"))
    path = tmp_path / "export.zip"
    path.write_bytes(out.getvalue())
    listing = list_sources([path])
    results = [read_source(s) for s in listing.sources]
    assert all(r.reason for r in results)


# Profiles and answers are read by services/files.py `read_document`, which let these through as
# ValueError / RecursionError (a traceback from the CLI) until fuzzing found them.
READ_DOCUMENT_CRASHES = {
    "an integer of 5,000 digits": "name: x\nweekly_km: " + "9" * 5000 + "\n",
    "a date that does not exist": "name: x\nstart_date: 2024-13-45\n",
    "YAML nested 50,000 deep": "name: " + "[" * 50_000 + "]" * 50_000 + "\n",
}


@pytest.mark.parametrize("text", READ_DOCUMENT_CRASHES.values(), ids=READ_DOCUMENT_CRASHES)
def test_a_profile_file_that_yaml_cannot_build_is_invalid_input(tmp_path: Path, text: str) -> None:
    path = tmp_path / "runner.yaml"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=r"runner\.yaml"):
        read_profile(path, CLOCK)


def test_a_json_profile_nested_50000_deep_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "runner.json"
    path.write_text('{"name": ' + "[" * 50_000 + "]" * 50_000 + "}")
    with pytest.raises(InvalidInput, match=r"runner\.json"):
        read_profile(path, CLOCK)
