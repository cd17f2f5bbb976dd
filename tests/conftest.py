from __future__ import annotations

from pathlib import Path

import pytest

from glutecoach.domain.library import Library, load_library

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()
