"""Transaction-scoped locks between a bulk writer and the edits that would invalidate what it writes.

PostgreSQL advisory locks, released at the end of the transaction that takes them; SQLite needs none, since it lets
one transaction write at a time and refuses a write based on data another transaction changed meanwhile.
"""

from __future__ import annotations

from django.db import connection

# The weekly rating writes one row per project without database-level foreign keys (docs/decisions.md): it holds
# this lock exclusively, and deleting a project holds it shared, so no rating can be written for a project deleted
# while the rating ran — and two ratings of a week run one after the other instead of colliding.
PROJECT_RATINGS = 0x6B70_0001


def hold(key: int, *, shared: bool = False) -> None:
    """Wait for and take the lock `key` until the current transaction ends."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("an advisory lock is held until the transaction ends: take it inside transaction.atomic")
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [key])
