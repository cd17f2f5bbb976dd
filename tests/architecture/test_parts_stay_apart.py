"""The parts stay apart (DESIGN.md): the domain imports nothing outside it, the web and the CLI
reach storage, files and the pose model only through the services, and the reports render what
they are handed. Each crossing fails here, named by file, line and import; so does a module or a
function grown past the size the team splits at."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture.imports import import_findings, size_findings
from tests.conftest import ROOT

PACKAGE_ROOT = ROOT / "src" / "glutecoach"


def test_no_part_imports_what_it_may_not() -> None:
    found = import_findings(PACKAGE_ROOT)
    assert not found, "\n" + "\n".join(map(str, found))


def test_no_module_or_function_is_past_the_size_the_team_splits_at() -> None:
    found = size_findings(PACKAGE_ROOT)
    assert not found, "\n" + "\n".join(map(str, found))


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("web/routes/page.py", "from glutecoach.adapters.db import tables\n", "web/ imports"),
        ("cli/run.py", "import glutecoach.adapters.pose.video\n", "cli/ imports"),
        ("reports/table.py", "from glutecoach.services import running\n", "reports/ imports"),
        ("reports/gait.py", "def f():\n    from glutecoach.adapters.pose import video\n", ""),
        ("domain/load/x.py", "from ...settings import load_settings\n", "glutecoach.settings"),
        ("domain/plan.py", "from glutecoach.adapters.db.tables import PlanRow\n", "domain/"),
    ],
)
def test_an_import_across_a_line_is_named_with_its_file_and_line(
    tmp_path: Path, name: str, text: str, said: str
) -> None:
    root = _package(tmp_path, {name: "'''A module.'''\n\n" + text})
    [finding] = import_findings(root)
    assert str(finding).startswith(f"glutecoach/{name}:")
    assert said in str(finding)


def test_imports_within_the_rule_are_not_findings(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "web/page.py": "from glutecoach.services import training\nimport glutecoach.domain\n",
            "reports/plot.py": "from glutecoach.domain.records import StoredRun\nimport numpy\n",
            "domain/a.py": "from . import b\nfrom glutecoach.domain.library import models\n",
            "services/s.py": "from glutecoach.adapters.db import repositories\n",
        },
    )
    assert import_findings(root) == []


def test_a_long_module_and_a_long_function_are_named(tmp_path: Path) -> None:
    body = "".join(f"    x{n} = {n}\n" for n in range(60))
    root = _package(
        tmp_path,
        {
            "services/long.py": "def grown():\n" + body,
            "services/big.py": "x = 1\n" * 401,
            "adapters/db/migrations/versions/0001.py": "def upgrade():\n" + body + "x = 1\n" * 400,
        },
    )
    found = sorted(map(str, size_findings(root)))
    assert found == [
        "glutecoach/services/big.py:1: 401 lines (split past 400)",
        "glutecoach/services/long.py:1: grown is 61 lines (split past 60)",
    ]
