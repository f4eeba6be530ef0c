"""Bearer-token authentication for every route except health (constant-time comparison)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import HTTPException, Request, status


def load_or_create_token(configured: str | None, data_dir: Path) -> tuple[str, Path | None]:
    """The configured token, or one generated once and kept in ``data_dir/api-token`` (mode 0600)."""
    if configured:
        return configured, None
    path = data_dir / "api-token"
    if path.exists():
        return path.read_text().strip(), path
    data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(token)
    return token, path


def require_token(token: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency that accepts only ``Authorization: Bearer <token>``."""
    expected = token.encode()

    async def dependency(request: Request) -> None:
        header = request.headers.get("authorization", "")
        scheme, _, presented = header.partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(presented.encode(), expected):
            raise HTTPException(
                status_code=status.HTTP_401_UNAUTHORIZED,
                detail="missing or invalid bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return dependency
