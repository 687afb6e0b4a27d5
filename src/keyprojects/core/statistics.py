"""The query planner's view of tables after a bulk load."""

from __future__ import annotations

from django.db import connection, models

# Below this many new rows autovacuum's own ANALYZE (within a minute) is soon enough.
BULK_LOAD_ROWS = 1000


def refresh_planner_statistics(*tables: type[models.Model]) -> None:
    """Tell PostgreSQL what the tables hold now instead of waiting up to a minute for autovacuum. Without statistics
    for 20,000 just-imported projects it planned a search matching all of them as if one row matched: nested loops
    taking 0.6 s instead of 3 ms. SQLite plans without statistics and needs nothing."""
    if connection.vendor != "postgresql" or not tables:
        return
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {names}")
