"""Exact query counts (after Zulip's assert_database_query_count): on failure, print every query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_query_count(expected: int) -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    if len(ctx.captured_queries) != expected:
        listing = "\n".join(f"{i + 1}. {q['sql']}" for i, q in enumerate(ctx.captured_queries))
        raise AssertionError(f"expected {expected} queries, ran {len(ctx.captured_queries)}:\n{listing}")


def count_queries(func: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()  # type: ignore[operator]
    return len(ctx.captured_queries)
