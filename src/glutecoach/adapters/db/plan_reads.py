"""Parts of a stored plan read by the database itself (a day; the weeks around a date), and a JSON
column as the driver hands it over: a 24-week plan document is ~400 kB of JSON, and a page that
shows one day should not parse the other 167."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def plan_day_sql(dialect: str) -> str:
    """The query for a plan version's start, end and the day at :date (its JSON, or NULL), for
    :runner_id and :version."""
    if dialect == "postgresql":
        return (
            "SELECT p.data ->> 'start', p.data ->> 'end', "
            "jsonb_path_query_first(p.data, '$.weeks[*].days[*] ? (@.date == $d)', "
            "jsonb_build_object('d', CAST(:date AS text))) "
            "FROM plans p WHERE p.runner_id = :runner_id AND p.version = :version"
        )
    if dialect == "sqlite":
        return (
            "SELECT json_extract(p.data, '$.start'), json_extract(p.data, '$.end'), "
            "(SELECT d.value FROM json_each(p.data, '$.weeks') AS w, "
            "json_each(w.value, '$.days') AS d WHERE json_extract(d.value, '$.date') = :date) "
            "FROM plans p WHERE p.runner_id = :runner_id AND p.version = :version"
        )
    raise ValueError(f"no plan day query for {dialect}")


def plan_document_sql(dialect: str, trimmed: bool) -> str:
    """The SQL for the stored plan document `p.data`; when `trimmed`, with only the weeks that
    start between :weeks_from and :weeks_to (ISO dates compare as text), built by the
    database."""
    if not trimmed:
        return "p.data"
    if dialect == "postgresql":
        return (
            "jsonb_set(p.data, '{weeks}', coalesce((SELECT jsonb_agg(w.value ORDER BY w.n) "
            "FROM jsonb_array_elements(p.data -> 'weeks') WITH ORDINALITY AS w(value, n) "
            "WHERE w.value ->> 'start' BETWEEN :weeks_from AND :weeks_to), '[]'::jsonb))"
        )
    if dialect == "sqlite":
        return (
            "json_set(p.data, '$.weeks', json((SELECT json_group_array(json(w.value)) FROM "
            "(SELECT value FROM json_each(p.data, '$.weeks') "
            "WHERE json_extract(value, '$.start') BETWEEN :weeks_from AND :weeks_to "
            "ORDER BY key) AS w)))"
        )
    raise ValueError(f"no trimmed plan documents for {dialect}")


def json_column(data: Any) -> Mapping[str, Any]:
    """A JSON column read through text(): psycopg hands PostgreSQL's jsonb over parsed, SQLite
    hands over the text."""
    loaded = json.loads(data) if isinstance(data, str | bytes) else data
    assert isinstance(loaded, Mapping)
    return loaded
