"""Print the API's OpenAPI document: ``python -m services.api.openapi > frontend/openapi.json``.

The document does not depend on the database, Redis or the tokens, so none is needed: the app is built
with placeholders and never serves.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from services.api.app import create_app

_PLACEHOLDER_READ = "openapi-read-placeholder"
_PLACEHOLDER_CONTROL = "openapi-control-placeholder"


def schema() -> dict[str, Any]:
    """The OpenAPI document of the app, control scope included."""
    app = create_app(None, None, _PLACEHOLDER_READ, _PLACEHOLDER_CONTROL)
    return app.openapi()


def render() -> str:
    """The document as written to ``frontend/openapi.json``: sorted keys, indent 2, trailing newline."""
    return json.dumps(schema(), sort_keys=True, indent=2) + "\n"


def main() -> None:
    """Write the document to stdout."""
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
