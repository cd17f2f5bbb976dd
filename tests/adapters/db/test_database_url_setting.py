"""GLUTECOACH_DATABASE_URL: unset, the default SQLite file; a wrong value is refused at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from glutecoach.domain.errors import InvalidInput
from glutecoach.settings import Settings, load_settings


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GLUTECOACH_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path / "share"


def test_with_nothing_set_the_database_is_a_sqlite_file_in_the_data_folder(data_home: Path) -> None:
    settings = load_settings()
    assert settings.database_url is None
    assert (
        settings.resolved_database_url()
        == f"sqlite:///{data_home / 'glutecoach' / 'glutecoach.db'}"
    )


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_database_url_means_the_default(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", value)
    assert load_settings().database_url is None


@pytest.mark.parametrize(
    "value",
    ["postgresql://coach:pw@db:5432/glutecoach", "sqlite:////srv/glutecoach/data.db"],
)
def test_a_postgresql_or_sqlite_url_is_used_as_given(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", value)
    assert load_settings().resolved_database_url() == value


def test_a_url_that_is_neither_sqlite_nor_postgresql_is_refused_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GLUTECOACH_DATABASE_URL", "mysql://coach:s3cret@db/glutecoach")
    with pytest.raises(InvalidInput) as refused:
        load_settings()
    assert refused.value.message.startswith(
        "GLUTECOACH_DATABASE_URL: 'mysql://' is not a database glutecoach can use; it stores "
        "its data in SQLite or PostgreSQL"
    )
    assert "s3cret" not in refused.value.message


def test_settings_can_be_given_directly_too() -> None:
    assert Settings(database_url="sqlite:///x.db").resolved_database_url() == "sqlite:///x.db"
