"""Parts of a stored plan read by the database itself (a day; the weeks around a date), and a JSON
column as the driver hands it over: a page that shows one day should not parse the other 167.
The stored layout (a day's sessions as indexes into one list of the distinct sessions) is
`plan_documents`'s."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def plan_day_sql(dialect: str) -> str:
    """The query for a plan version's start, end and the day at :date (its JSON with its sessions
    in place, or NULL), for :runner_id and :version."""
    if dialect == "postgresql":
        return (
            "SELECT p.data ->> 'start', p.data ->> 'end', "
            "(SELECT jsonb_set(d.day, '{sessions}', coalesce((SELECT jsonb_agg("
            "p.data -> 'sessions' -> s.i::int ORDER BY s.n) "
            "FROM jsonb_array_elements_text(d.day -> 'sessions') WITH ORDINALITY AS s(i, n)), "
            "'[]'::jsonb)) "
            "FROM (SELECT jsonb_path_query_first(p.data, '$.weeks[*].days[*] ? (@.date == $d)', "
            "jsonb_build_object('d', CAST(:date AS text))) AS day) AS d) "
            "FROM plans p WHERE p.runner_id = :runner_id AND p.version = :version"
        )
    if dialect == "sqlite":
        # json(...) around a subquery's JSON: SQLite passes it on as JSON only so
        return (
            "SELECT json_extract(p.data, '$.start'), json_extract(p.data, '$.end'), "
            "(SELECT json_set(d.value, '$.sessions', json((SELECT json_group_array("
            "json(json_extract(p.data, '$.sessions[' || s.value || ']'))) "
            "FROM json_each(d.value, '$.sessions') AS s))) "
            "FROM json_each(p.data, '$.weeks') AS w, json_each(w.value, '$.days') AS d "
            "WHERE json_extract(d.value, '$.date') = :date) "
            "FROM plans p WHERE p.runner_id = :runner_id AND p.version = :version"
        )
    raise ValueError(f"no plan day query for {dialect}")


def plan_document_sql(dialect: str, trimmed: bool) -> str:
    """The SQL for the stored plan document `p.data`; when `trimmed`, with only the weeks that
    start between :weeks_from and :weeks_to (ISO dates compare as text) and, of the shared
    sessions, only those their days use (the others null, so the indexes still hold), built by
    the database."""
    if not trimmed:
        return "p.data"
    if dialect == "postgresql":
        kept = (
            "coalesce((SELECT jsonb_agg(w.value ORDER BY w.n) "
            "FROM jsonb_array_elements(p.data -> 'weeks') WITH ORDINALITY AS w(value, n) "
            "WHERE w.value ->> 'start' BETWEEN :weeks_from AND :weeks_to), '[]'::jsonb)"
        )
        # the indexes the kept days use, found once (a jsonb array holds a number it lists),
        # not by a search of the kept days for each shared session
        used = "jsonb_path_query_array(k.weeks, '$[*].days[*].sessions[*]')"
        return (
            f"(SELECT jsonb_set(jsonb_set(p.data, '{{weeks}}', t.weeks), '{{sessions}}', "
            "coalesce((SELECT jsonb_agg(CASE WHEN t.used @> to_jsonb(s.n - 1) THEN s.value "
            "ELSE 'null'::jsonb END ORDER BY s.n) "
            "FROM jsonb_array_elements(p.data -> 'sessions') WITH ORDINALITY AS s(value, n)), "
            f"'[]'::jsonb)) FROM (SELECT k.weeks, {used} AS used "
            f"FROM (SELECT {kept} AS weeks) AS k) AS t)"
        )
    if dialect == "sqlite":
        kept = (
            "(SELECT json_group_array(json(w.value)) FROM "
            "(SELECT value FROM json_each(p.data, '$.weeks') "
            "WHERE json_extract(value, '$.start') BETWEEN :weeks_from AND :weeks_to "
            "ORDER BY key) AS w)"
        )
        used = (
            f"SELECT 1 FROM json_each({kept}) AS w, json_each(w.value, '$.days') AS d, "
            "json_each(d.value, '$.sessions') AS i WHERE i.value = s.key"
        )
        return (
            f"json_set(p.data, '$.weeks', json({kept}), '$.sessions', json((SELECT "
            f"json_group_array(CASE WHEN EXISTS ({used}) THEN json(s.value) END) "
            "FROM json_each(p.data, '$.sessions') AS s)))"
        )
    raise ValueError(f"no trimmed plan documents for {dialect}")


def json_column(data: Any) -> Mapping[str, Any]:
    """A JSON column read through text(): psycopg hands PostgreSQL's jsonb over parsed, SQLite
    hands over the text."""
    loaded = json.loads(data) if isinstance(data, str | bytes) else data
    assert isinstance(loaded, Mapping)
    return loaded
