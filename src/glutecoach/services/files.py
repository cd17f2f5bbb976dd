"""Reading the user's YAML/JSON files; writing results without ever leaving half a file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from glutecoach.domain.errors import InvalidInput, NotFound

MAX_INPUT_BYTES = 1_000_000  # profiles and answers are small; anything bigger is a wrong file


def read_document(path: Path) -> Any:
    """A YAML or JSON document (JSON is YAML), with a message that names the file on any failure."""
    if not path.exists():
        raise NotFound(f"{path}: no such file")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, expected a YAML or JSON file")
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InvalidInput(f"{path}: larger than {MAX_INPUT_BYTES // 1000} kB; not a profile")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not a text file (expected YAML or JSON)") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror})") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InvalidInput(f"{path}: not valid YAML{where}") from None
    except RecursionError:
        raise InvalidInput(f"{path}: nested too deeply to be a profile or answers") from None
    except ValueError as error:  # what YAML cannot build: a date that does not exist, a huge number
        raise InvalidInput(f"{path}: a value cannot be read ({error})") from None


def write_atomically(path: Path, content: str | bytes) -> Path:
    """Write a temporary file beside the target, then rename: the old file survives any failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
