"""Files, folders and bulk-export archives: what is listed, what is read, what is refused."""

from __future__ import annotations

import gzip
import io
import shutil
import zipfile
from pathlib import Path

from glutecoach.adapters.runfiles.reader import read_source
from glutecoach.adapters.runfiles.sources import Source, list_sources
from tests.adapters.runfiles.test_reading_real_files import RUNS

FIT = RUNS / "fit" / "garmin-fenix-5-run.fit"
GPX = RUNS / "gpx" / "gpxpy_cerknicko-jezero.gpx"
TCX = RUNS / "tcx" / "tcxparser_test_running.tcx"


def export_archive(folder: Path) -> Path:
    """Like a platform's bulk export: gzip'd activities, a CSV, and a zip inside the zip."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as nested:
        nested.writestr("uploads/run.fit", FIT.read_bytes())
    archive = folder / "export.zip"
    with zipfile.ZipFile(archive, "w") as outer:
        outer.writestr("activities/1.gpx.gz", gzip.compress(GPX.read_bytes()))
        outer.writestr("activities/2.tcx", TCX.read_bytes())
        outer.writestr("activities.csv", "id,name\n1,run\n")
        outer.writestr("DI_CONNECT/part1.zip", inner.getvalue())
    return archive


def test_a_bulk_export_is_read_through_gzip_and_nested_zips(tmp_path: Path) -> None:
    listing = list_sources([export_archive(tmp_path)])
    assert sorted(s.members[-1] for s in listing.sources) == [
        "activities/1.gpx.gz",
        "activities/2.tcx",
        "uploads/run.fit",
    ]
    assert listing.ignored == 1 and listing.refused == ()
    results = [read_source(s) for s in listing.sources]
    assert all(r.reason is None and len(r.runs) == 1 for r in results)
    by_name = {r.source.members[-1]: r for r in results}
    assert by_name["activities/1.gpx.gz"].records == read_source(Source(str(GPX))).records
    assert by_name["uploads/run.fit"].digest == read_source(Source(str(FIT))).digest


def test_folders_are_searched_recursively_and_other_files_left_alone(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(FIT, tmp_path / "a" / "b" / "run.FIT")
    shutil.copy(GPX, tmp_path / "a" / "walk.gpx")
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8")
    listing = list_sources([tmp_path])
    assert {Path(s.path).name for s in listing.sources} == {"walk.gpx", "run.FIT"}
    assert listing.ignored == 1


def test_a_named_file_that_is_no_run_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    listing = list_sources([notes, tmp_path / "missing.fit"])
    assert listing.sources == ()
    reasons = dict(listing.refused)
    assert "not a run file (.txt)" in reasons[str(notes)]
    assert reasons[str(tmp_path / "missing.fit")] == "no such file or folder"


def test_text_named_like_a_run_file_is_refused_not_crashed_on(tmp_path: Path) -> None:
    for name, reason in (
        ("fake.fit", "not a FIT file"),
        ("fake.gpx", "not a GPX file: it is not XML"),
        ("fake.tcx", "not a TCX file: it is not XML"),
        ("empty.fit", "empty"),
        ("fake.gpx.gz", "not a readable gzip file"),
        ("other.gpx", "not a GPX file"),
    ):
        path = tmp_path / name
        text = "" if name.startswith("empty") else "just some text, not a run"
        if name == "other.gpx":
            text = "<html><body>hi</body></html>"
        path.write_text(text)
        result = read_source(Source(str(path)))
        assert result.runs == () and result.reason is not None and reason in result.reason, name


def test_a_broken_zip_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "export.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    listing = list_sources([bad])
    assert listing.sources == ()
    assert "not a readable zip archive" in listing.refused[0][1]
