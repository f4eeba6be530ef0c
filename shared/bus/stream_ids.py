"""Redis stream entry ids ("<ms>-<seq>") as comparable tuples."""

from __future__ import annotations


def parse(entry_id: bytes | str) -> tuple[int, int]:
    """``b"1700000000000-3"`` -> ``(1700000000000, 3)``."""
    text = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def fmt(parts: tuple[int, int]) -> str:
    """``(ms, seq)`` -> ``"ms-seq"``."""
    return f"{parts[0]}-{parts[1]}"


def successor(entry_id: bytes | str) -> tuple[int, int]:
    """The smallest id strictly greater than ``entry_id``."""
    ms, seq = parse(entry_id)
    return ms, seq + 1
