"""One generated PostgreSQL data set per bench run, shared by the groups that need it.

``gen`` measures the generator on it; ``worklist``, ``http`` and ``cluster`` then work on the same
100,000 cases instead of generating their own.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from bench.databases import postgres_schema
from bench.generator import Generated, generate


@dataclass
class DataSet:
    url: str
    seal_key: bytes
    generated: Generated


class SharedData:
    """Generates on first use, drops the schema when the run ends."""

    def __init__(self, base_url: str, cases: int, variants: int) -> None:
        self.base_url = base_url
        self.cases = cases
        self.variants = variants
        self._stack = ExitStack()
        self._data: DataSet | None = None

    def get(self) -> DataSet:
        if self._data is None:
            url = self._stack.enter_context(postgres_schema(self.base_url))
            key = secrets.token_bytes(32)
            self._data = DataSet(url, key, generate(url, self.cases, key, variants=self.variants))
        return self._data

    def close(self) -> None:
        self._stack.close()


@contextmanager
def shared_data(base_url: str, cases: int, variants: int) -> Iterator[SharedData]:
    data = SharedData(base_url, cases, variants)
    try:
        yield data
    finally:
        data.close()
