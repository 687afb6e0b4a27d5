"""Bulk work in one process: keep Python's cyclic garbage collector out of the way while it runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cyclic collector rescans every live object again and again while bulk work allocates 100,000 small
    objects (an import of a province's list, the rating of a week): 20–30% of the time. Objects alive before the
    work (Django, the parsed rows) are frozen out of its scans and the youngest generation is collected less often
    while it runs; both are restored afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
