"""MediaPipe Pose's three models and the check that the chosen one is installed intact.

mediapipe 0.10.21's wheel ships only the full model; `scripts/install-pose-models.sh` puts the
lite and heavy ones beside it (from the npm package @mediapipe/pose@0.5.1675469404). Without
them, MediaPipe would try to download the file when the graph starts, and fail offline with a
C++ error: `verify` says what is wrong, and how to fix it, before that.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from glutecoach.adapters.pose.errors import ModelError


@dataclass(frozen=True)
class ModelFile:
    complexity: int  # MediaPipe's model_complexity
    file_name: str
    size: int  # bytes
    md5: str


class PoseModel(StrEnum):
    lite = "lite"
    full = "full"
    heavy = "heavy"

    @property
    def file(self) -> ModelFile:
        return _FILES[self]

    @property
    def complexity(self) -> int:
        return self.file.complexity

    @property
    def label(self) -> str:
        return f"MediaPipe Pose {self.value} (complexity {self.complexity})"


_FILES = {
    PoseModel.lite: ModelFile(
        0, "pose_landmark_lite.tflite", 2_819_824, "2ff4286131d9ecfdfdb76693bfe7ad8f"
    ),
    # the wheel's own, and byte for byte the npm package's
    PoseModel.full: ModelFile(
        1, "pose_landmark_full.tflite", 6_440_512, "80700fe9e5514be16bd8f8f773f2bbd7"
    ),
    PoseModel.heavy: ModelFile(
        2, "pose_landmark_heavy.tflite", 27_709_200, "52337aea988efa7ce17851641f4b730a"
    ),
}

DEFAULT_MODEL = PoseModel.full  # to be chosen from the models' measured accuracy and speed

INSTALL_HINT = "run `make models` (or `bash scripts/install-pose-models.sh`) in the project folder"


def installed_folder() -> Path:
    """Where MediaPipe looks for its pose models: found without importing mediapipe, which takes
    about a second and loads its native libraries."""
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("mediapipe is not installed: run `make` in the project folder")
    return Path(next(iter(spec.submodule_search_locations))) / "modules" / "pose_landmark"


def verify(model: PoseModel, folder: Path | None = None) -> Path:
    """The model's file, after checking its size and md5 (ModelError when missing or wrong)."""
    path = (installed_folder() if folder is None else folder) / model.file.file_name
    expected = model.file
    try:
        stat = path.stat()
        if stat.st_size != expected.size:
            found = f"{stat.st_size} bytes, expected {expected.size}"
        else:
            digest = _md5(str(path), stat.st_size, stat.st_mtime_ns)
            found = "" if digest == expected.md5 else f"md5 {digest}, expected {expected.md5}"
    except FileNotFoundError:
        raise ModelError(f"the {model.value} pose model is not installed: {INSTALL_HINT}") from None
    except OSError as error:  # a folder in its place, or not readable by this user
        raise ModelError(f"{path} cannot be read ({error.strerror}): {INSTALL_HINT}") from None
    if found:
        raise ModelError(f"{path} fails its checksum ({found}): reinstall it with `make models`")
    return path


@lru_cache(maxsize=16)
def _md5(path: str, size: int, mtime_ns: int) -> str:
    """Keyed by size and modification time too, so a replaced file is read again; once per
    process otherwise (the heavy model's 28 MB take ~50 ms)."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
