"""Per-process caches bounded in bytes, not entries: a hostile file cannot make one grow without
limit (a million distinct rows are as many bytes as the rows themselves, whatever their count).

Sizes are estimates the caller gives with each entry (e.g. twice the length of a key string plus
a fixed cost per parsed cell); when an entry would take the cache over its budget, the cache is
emptied first (the entries are cheap to recompute, and templates repeat across files)."""

from __future__ import annotations

from typing import Any, Hashable

MAX_CACHE_BYTES = 32 * 1024 * 1024   # per cache and process (docs/kontroll.md, «Grenser»)


class ByteCache:
    def __init__(self, max_bytes: int = MAX_CACHE_BYTES):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._data: dict[Hashable, Any] = {}

    def get(self, key: Hashable, default: Any = None) -> Any:
        return self._data.get(key, default)

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.max_bytes:
            return                       # never kept: larger than the whole budget
        if self.bytes + size > self.max_bytes:
            self.clear()
        if key not in self._data:
            self.bytes += size
        self._data[key] = value

    def clear(self) -> None:
        self._data.clear()
        self.bytes = 0

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)
