from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

from glutecoach.domain.library import Library
from glutecoach.domain.progress import ExerciseHistory, Progress
from glutecoach.reports import write_progress_plots
from glutecoach.reports.plots import _exercises
from tests.reports.test_progress_report import (
    empty_progress,
    make_point,
    make_progress,
    make_test,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALL = ["adherence", "exercises", "trends", "tests"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_it_writes_one_png_per_section_with_the_expected_names(
    small_library: Library, tmp_path: Path
) -> None:
    written = write_progress_plots(make_progress(), small_library, tmp_path)
    assert [p.name for p in written] == [f"{name}.png" for name in ALL]
    for path in written:
        assert path.parent == tmp_path
        assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_the_pngs_are_six_by_four_inches_at_150_dpi_for_a_phone(
    small_library: Library, tmp_path: Path
) -> None:
    for path in write_progress_plots(make_progress(), small_library, tmp_path):
        assert _png_size(path) == (900, 600)


def test_it_writes_svgs_that_parse_as_xml_with_an_svg_root(
    small_library: Library, tmp_path: Path
) -> None:
    written = write_progress_plots(make_progress(), small_library, tmp_path, fmt="svg")
    assert [p.name for p in written] == [f"{name}.svg" for name in ALL]
    for path in written:
        root = ET.parse(path).getroot()
        assert root.tag.endswith("svg")


def test_no_temporary_files_are_left_behind(small_library: Library, tmp_path: Path) -> None:
    write_progress_plots(make_progress(), small_library, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.png" for n in ALL)


def test_it_creates_the_folder_and_replaces_old_plots(
    small_library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "plots" / "ana"
    (folder).mkdir(parents=True)
    (folder / "trends.png").write_bytes(b"old")
    written = write_progress_plots(make_progress(), small_library, folder)
    assert folder / "trends.png" in written
    assert (folder / "trends.png").read_bytes().startswith(PNG_SIGNATURE)


def test_a_section_without_data_gets_no_plot(small_library: Library, tmp_path: Path) -> None:
    progress = make_progress(tests=(), soreness=(), pain=())
    written = write_progress_plots(progress, small_library, tmp_path)
    assert [p.name for p in written] == ["adherence.png", "exercises.png"]
    assert not (tmp_path / "trends.png").exists()
    assert not (tmp_path / "tests.png").exists()


def test_soreness_alone_is_enough_for_the_trends_plot(
    small_library: Library, tmp_path: Path
) -> None:
    progress = make_progress(weeks=(), exercises=(), tests=(), pain=())
    written = write_progress_plots(progress, small_library, tmp_path)
    assert [p.name for p in written] == ["trends.png"]


def test_tests_that_are_not_numbers_get_no_tests_plot(
    small_library: Library, tmp_path: Path
) -> None:
    felt = make_test("clamshell_felt", "left", "side_of_thigh", "glutes", True)
    written = write_progress_plots(make_progress(tests=(felt,)), small_library, tmp_path)
    assert "tests.png" not in [p.name for p in written]


def test_a_progress_with_no_data_writes_nothing_and_does_not_fail(
    small_library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "plots"
    assert write_progress_plots(empty_progress(), small_library, folder) == []
    assert not folder.exists()


def test_at_most_twelve_exercise_panels_are_drawn(small_library: Library) -> None:
    histories = tuple(
        ExerciseHistory(
            exercise_id=f"exercise_{i:02}", points=tuple(make_point(d, 10 + d) for d in range(3))
        )
        for i in range(15)
    )
    figure = _exercises(histories, small_library)
    assert figure is not None
    assert len(figure.axes) == 12


def test_an_odd_number_of_exercises_and_a_single_point_still_plot(
    small_library: Library, tmp_path: Path
) -> None:
    histories = tuple(
        ExerciseHistory(exercise_id=name, points=(make_point(0, 12),))
        for name in ("clamshell", "side_plank", "glute_bridge")
    )
    progress: Progress = make_progress(exercises=histories)
    written = write_progress_plots(progress, small_library, tmp_path)
    assert (tmp_path / "exercises.png") in written
