"""Serving the built dashboard (Vite output) at ``/`` with an SPA fallback; no auth for the static files.

Any GET outside ``/api/`` answers the file under the dashboard directory when there is one, else
``index.html`` (the dashboard routes itself). Without a built dashboard ``/`` answers 404 and says how
to build it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response

NOT_BUILT = (
    "the dashboard is not built: run `npm --prefix frontend ci && npm --prefix frontend run build` "
    "(or set API_DASHBOARD_DIR to a built dashboard)"
)


def mount_dashboard(app: FastAPI, directory: Path | None) -> None:
    """Add the catch-all GET route serving ``directory`` (after every API route)."""
    root = directory.resolve() if directory is not None else None
    index = root / "index.html" if root is not None else None

    async def dashboard(request: Request, path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            raise HTTPException(status_code=404, detail="Not Found")
        if root is None or index is None or not index.is_file():
            return JSONResponse({"detail": NOT_BUILT}, status_code=404)
        candidate = (root / path).resolve()
        if path and candidate.is_relative_to(root) and candidate.is_file():
            return FileResponse(candidate)
        if path.startswith("assets/"):  # a missing asset is a 404, not the page
            raise HTTPException(status_code=404, detail=f"no asset {path!r}")
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.add_api_route("/{path:path}", dashboard, methods=["GET"], include_in_schema=False)
