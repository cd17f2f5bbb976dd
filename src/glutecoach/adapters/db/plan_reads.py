"""Parts of a stored plan read by the database itself: a 24-week plan document is ~400 kB of
JSON, and a page that shows one day should not parse the other 167."""

from __future__ import annotations


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
