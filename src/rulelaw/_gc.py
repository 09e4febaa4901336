"""Pausing Python's cyclic garbage collector during bulk steps.

Loading, scoring and writing a province make millions of small objects that
live on and hold no reference cycles; the collector would walk them again
and again for nothing (about a tenth of the time). These steps pause it and
restore it as it was; objects are still freed by reference counting.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collection_paused"]


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (or decorated function).

    It is enabled again afterwards only if it was enabled before, so nested
    pauses and a caller's own ``gc.disable()`` are kept.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
