#!/usr/bin/env python3
"""Container health check: GET http://127.0.0.1:$ARBEES_HEALTH_PORT/health, exit 0 only on 200.

The service's runtime answers 200 ``ok`` or 503 ``degraded`` (Redis or the database unreachable, a task
dead, a feed stale); anything but 200, or no answer within the timeout, makes the container unhealthy.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("ARBEES_HEALTH_PORT", "9100")
    url = f"http://127.0.0.1:{port}/health"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 - fixed loopback http URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
