"""Bearer-token authentication for every route except health (constant-time comparison).

Two scopes: the read token for the read routes, and a separate control token for the trading controls
(halt, resume). The read token on a control route is refused with 403, any other token with 401.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import HTTPException, Request, status


def load_or_create_token(configured: str | None, data_dir: Path, name: str = "api-token") -> tuple[str, Path | None]:
    """The configured token, or one generated once and kept in ``data_dir/<name>`` (mode 0600)."""
    if configured:
        return configured, None
    path = data_dir / name
    if path.exists():
        return path.read_text().strip(), path
    data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(token)
    return token, path


def _presented(request: Request) -> bytes | None:
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    return presented.encode() if scheme.lower() == "bearer" else None


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="missing or invalid bearer token",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require_token(token: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency that accepts only ``Authorization: Bearer <token>``."""
    expected = token.encode()

    async def dependency(request: Request) -> None:
        presented = _presented(request)
        if presented is None or not secrets.compare_digest(presented, expected):
            raise _unauthorized()

    return dependency


def require_control_token(control_token: str, read_token: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency for the control scope: the control token passes, the read token is 403."""
    expected, read = control_token.encode(), read_token.encode()

    async def dependency(request: Request) -> None:
        presented = _presented(request)
        if presented is not None and secrets.compare_digest(presented, expected):
            return
        if presented is not None and secrets.compare_digest(presented, read):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN, detail="the read token cannot use the control scope"
            )
        raise _unauthorized()

    return dependency
