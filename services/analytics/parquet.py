"""Blocking Parquet I/O for the archive: write a file durably, then read it back to prove it holds the rows.

Run these in a worker thread (``asyncio.to_thread``). A file is first written under a temporary name,
fsynced, renamed into place and its directory fsynced; :func:`verify` then re-reads it from disk and
compares the row count, the key columns and the checksum with what was written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an archived table and its Arrow type."""

    name: str
    pg_type: str
    arrow: pa.DataType


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """A durable Parquet file: its size and SHA-256."""

    path: Path
    bytes: int
    sha256: str


def arrow_type(data_type: str, precision: int | None, scale: int | None) -> pa.DataType:
    """The Arrow type of a PostgreSQL column (``information_schema.columns.data_type``)."""
    if data_type == "timestamp with time zone":
        return pa.timestamp("us", tz="UTC")
    if data_type == "numeric" and precision is not None and scale is not None:
        return pa.decimal128(precision, scale)
    simple: dict[str, pa.DataType] = {
        "double precision": pa.float64(),
        "real": pa.float32(),
        "integer": pa.int32(),
        "bigint": pa.int64(),
        "smallint": pa.int16(),
        "boolean": pa.bool_(),
    }
    return simple.get(data_type, pa.string())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_durably(path: Path, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> WrittenFile:
    """Write ``rows`` (tuples in ``columns`` order) to ``path``; returns once the file is on disk.

    Raises
    ------
    FileExistsError
        If ``path`` exists already (an archive file is never overwritten).
    """
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([pa.field(c.name, c.arrow) for c in columns])
    arrays = [pa.array([r[i] for r in rows], type=c.arrow) for i, c in enumerate(columns)]
    table = pa.Table.from_arrays(arrays, schema=schema)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        pq.write_table(table, f, compression="zstd")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    return WrittenFile(path, path.stat().st_size, _sha256(path))


def verify(written: WrittenFile, key_names: Sequence[str], keys: Sequence[tuple[Any, ...]]) -> None:
    """Re-read ``written`` from disk: same checksum, same row count, same keys in the same order.

    Raises
    ------
    ValueError
        If anything differs (nothing may then be deleted from the hot table).
    """
    if _sha256(written.path) != written.sha256:
        raise ValueError(f"{written.path}: checksum changed after writing")
    table = pq.read_table(written.path, columns=list(key_names))
    if table.num_rows != len(keys):
        raise ValueError(f"{written.path}: {table.num_rows} rows read back, {len(keys)} written")
    read = list(zip(*(table.column(k).to_pylist() for k in key_names), strict=True))
    if read != list(keys):
        raise ValueError(f"{written.path}: the keys read back differ from those written")


def row_count(path: Path) -> int:
    """Rows in a Parquet file, from its footer."""
    return int(pq.ParquetFile(path).metadata.num_rows)
