"""One per-process cache for what is derived from the data (index arrays, masks, designs).

Entries are charged by the bytes of the numpy arrays they hold; when the total passes the
budget the least recently used entries go. Memory-mapped arrays cost nothing: their pages
belong to the file, shared by every worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import TypeVar, cast

import numpy as np

T = TypeVar("T")


def private_bytes(value: object) -> int:
    """Bytes of process memory held by the arrays in `value` (mapped files count 0)."""
    if isinstance(value, np.ndarray):
        base: object = value
        while isinstance(base, np.ndarray):
            if isinstance(base, np.memmap):
                return 0
            if base.base is None:
                return int(value.nbytes) if base.flags.owndata else 0
            base = base.base
        return 0  # a view of a buffer we do not own (an Arrow or mmap buffer)
    if isinstance(value, list | tuple):
        return sum(private_bytes(v) for v in value)
    if isinstance(value, dict):
        return sum(private_bytes(v) for v in value.values())
    if is_dataclass(value) and not isinstance(value, type):
        return sum(private_bytes(getattr(value, f.name)) for f in fields(value))
    return 0


class MemoCache:
    """Least-recently-used entries within a byte budget, shared by all datasets."""

    def __init__(self, budget: int):
        self.budget = int(budget)
        self._entries: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        return self._used

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: object, build: Callable[[], T]) -> T:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return cast(T, hit[0])
        value = build()
        size = private_bytes(value)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:  # another thread built it meanwhile
                self._entries.move_to_end(key)
                return cast(T, hit[0])
            if size > self.budget:
                return value  # larger than the whole budget: used once, never kept
            self._entries[key] = (value, size)
            self._used += size
            while self._used > self.budget and self._entries:
                _, (_, freed) = self._entries.popitem(last=False)
                self._used -= freed
        return value

    def drop(self, predicate: Callable[[object], bool]) -> None:
        """Forget every entry whose key matches (a dataset replaced on disk)."""
        with self._lock:
            for key in [k for k in self._entries if predicate(k)]:
                _, size = self._entries.pop(key)
                self._used -= size
