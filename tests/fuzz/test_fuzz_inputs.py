"""Fuzzing what people hand glutecoach: profiles and answers, the API's JSON bodies, run files.

Each property is derandomized and bounded (the same examples on every run). What it proves:
whatever the input, the answer is a result or a readable refusal (InvalidInput, a 4xx with a
message, a run file's rejection reason) and never a crash, a traceback or a 500.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import random
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glutecoach.adapters.runfiles.reader import FileResult, read_source
from glutecoach.adapters.runfiles.sources import list_sources
from glutecoach.domain.errors import DataError, InvalidInput
from glutecoach.domain.runs import Run
from glutecoach.services import planning
from glutecoach.services import screening as screening_service
from tests.clock import clock_on
from tests.conftest import EXAMPLES, SHARED_DATA
from tests.fuzz.mutations import json_values, mutated, to_json, to_python
from tests.web.conftest import Runner, app_client, example_answers, profile_json, start_runner

TODAY = dt.date(2026, 3, 2)
PROFILE = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
ANSWERS = yaml.safe_load((EXAMPLES / "answers.yaml").read_text())
BOUNDED = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


# (a) Profiles and answers ------------------------------------------------------------------------


@settings(BOUNDED, max_examples=400)
@given(st.one_of(mutated(PROFILE), json_values))
def test_a_damaged_profile_is_a_plan_or_a_readable_refusal(document: Any) -> None:
    try:
        profile = planning.parse_profile(to_python(document), "profile", clock_on(TODAY))
    except (InvalidInput, DataError) as error:
        refused = error.message
    else:
        assert planning.make(profile, None, weeks=2).weeks
        return
    assert refused.startswith("profile")


@settings(BOUNDED, max_examples=400)
@given(st.one_of(mutated(ANSWERS), json_values))
def test_damaged_answers_are_a_screening_or_a_readable_refusal(document: Any) -> None:
    try:
        answers = screening_service.parse_input(to_python(document), "answers")
    except (InvalidInput, DataError) as error:
        refused = error.message
    else:
        assert screening_service.run(answers, TODAY).model_dump_json()
        return
    assert refused.startswith("answers")


def damaged_texts(original: str, count: int, seed: int) -> list[str]:
    """The example file with characters dropped, repeated or swapped for YAML's own syntax."""
    rng = random.Random(seed)
    specials = [":", "-", "[", "]", "{", "}", "&a", "*a", "!!", "\t", "'", '"', "#", "\n", "\x00"]
    texts = []
    for _ in range(count):
        text = original
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            how = rng.choice(["drop", "repeat", "insert"])
            if how == "drop":
                text = text[:at] + text[at + rng.randint(1, 20) :]
            elif how == "repeat":
                text = text[:at] + text[at : at + 30] * rng.randint(2, 5) + text[at:]
            else:
                text = text[:at] + rng.choice(specials) + text[at:]
        texts.append(text)
    return texts


def cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glutecoach", *args],
        capture_output=True,
        text=True,
        cwd=data,
        timeout=60,
        env={
            "COLUMNS": "120",
            "PATH": "/usr/bin:/bin",
            "TZ": "UTC",
            "XDG_DATA_HOME": str(data),
            "GLUTECOACH_DATABASE_URL": f"sqlite:///{data / 'cli.db'}",
        },
    )


CLI_FILES = 12  # of each kind: a CLI start costs ~0.7 s


@pytest.mark.parametrize(
    ("command", "example"),
    [
        (["plan", "--format", "json", "--profile"], "runner.yaml"),
        (["screen", "--answers"], "answers.yaml"),
    ],
)
def test_the_cli_reads_damaged_files_with_exit_0_or_one_line_and_exit_2(
    tmp_path: Path, command: list[str], example: str
) -> None:
    original = (EXAMPLES / example).read_text()
    for n, text in enumerate(damaged_texts(original, CLI_FILES, seed=len(example))):
        path = tmp_path / f"damaged-{n}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        done = cli(*command, str(path), "-o", str(tmp_path / "out.json"), data=tmp_path)
        assert done.returncode in (0, 2), f"{text!r}:\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{text!r}:\n{done.stderr}"
        if done.returncode == 2:
            assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr


# (b) The API's JSON bodies -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    database = tmp_path_factory.mktemp("api") / "glutecoach.db"
    with app_client(f"sqlite:///{database}") as client:
        yield start_runner(client)


def valid_bodies(runner: Runner) -> dict[str, Any]:
    day = runner.days("strength")[0]
    return {
        "/api/v1/screenings": example_answers(),
        "/api/v1/runners": {"profile": profile_json(name="Fuzz Two"), "weeks": 2},
        runner.url("/screenings"): example_answers(),
        runner.url("/logs"): runner.entry(day),
        runner.url("/skips"): {"date": day["date"], "session": "strength", "reason": "tired"},
        runner.url("/soreness"): {"date": day["date"], "level": 3, "note": "legs"},
        runner.url("/runs"): {"date": day["date"], "distance_km": 5.2, "minutes": 31},
    }


@st.composite
def api_requests(draw: st.DrawFn, bodies: dict[str, Any]) -> tuple[str, Any]:
    url = draw(st.sampled_from(sorted(bodies)))
    return url, draw(mutated(bodies[url]))


@settings(BOUNDED, max_examples=200)
@given(data=st.data())
def test_a_mangled_json_body_is_never_a_server_error(api: Runner, data: st.DataObject) -> None:
    url, body = data.draw(api_requests(valid_bodies(api)))
    response = api.client.post(
        url, content=to_json(body), headers={"content-type": "application/json"}
    )
    assert response.status_code < 500, response.text[:500]
    if response.status_code >= 400:
        said = response.json()
        assert said["error"] and said["message"], said


# (c) Run files ---------------------------------------------------------------------------------

RUNS = SHARED_DATA / "runs"
MAX_TEMPLATE_BYTES = 200_000  # bigger files take seconds per example to decode
TEMPLATES = (
    sorted(
        p
        for p in RUNS.rglob("*")
        if p.suffix in (".fit", ".gpx", ".tcx") and p.stat().st_size <= MAX_TEMPLATE_BYTES
    )
    if RUNS.is_dir()
    else []
)


@st.composite
def damaged_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        how = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "repeat", "header"]))
        if how == "flip":
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif how == "truncate":
            data = data[:at]
        elif how == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        elif how == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        elif how == "repeat":
            data = data[:at] + data[at : at + 64] * draw(st.integers(2, 8)) + data[at:]
        else:  # the FIT header and the XML prolog are where a reader decides what it has
            data = data[: at % 16] + draw(st.binary(min_size=1, max_size=4)) + data[at % 16 + 4 :]
        if not data:
            break
    return data


def _zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


@st.composite
def run_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes): a damaged real file, as it is, gzipped or zipped (then perhaps the
    container damaged too), or garbage under a run file's name."""
    if draw(st.integers(0, 9)) == 0:
        suffix = draw(st.sampled_from([".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".zip"]))
        return f"garbage{suffix}", draw(st.binary(max_size=2000))
    template = draw(st.sampled_from(TEMPLATES))
    data = draw(damaged_bytes(template.read_bytes()))
    wrapper = draw(st.sampled_from(["plain", "plain", "gz", "zip", "gz-damaged", "zip-damaged"]))
    if wrapper == "plain":
        return template.name, data
    packed = gzip.compress(data) if wrapper.startswith("gz") else _zip(template.name, data)
    if wrapper.endswith("damaged"):
        packed = draw(damaged_bytes(packed))
    return template.name + (".gz" if wrapper.startswith("gz") else ".zip"), packed


def read_all(path: Path) -> list[FileResult]:
    listing = list_sources([path])
    return [read_source(source) for source in listing.sources]


@pytest.mark.skipif(not TEMPLATES, reason=f"no run files in {RUNS}")
@settings(BOUNDED, max_examples=600)
@given(run_files())
def test_a_damaged_run_file_is_runs_or_a_reason_never_an_exception(file: tuple[str, bytes]) -> None:
    name, data = file
    with tempfile.TemporaryDirectory(prefix="glutecoach-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        results = read_all(path)
    for result in results:
        if result.reason is not None:
            assert result.reason.strip() and not result.runs
            continue
        for run in result.runs:
            assert Run.model_validate(json.loads(run.model_dump_json())) == run


def test_the_fuzzed_examples_cover_every_reader() -> None:
    assert {p.suffix for p in TEMPLATES} == {".fit", ".gpx", ".tcx"}, f"run files in {RUNS}"
