"""`python -m otelbi.probe /readyz`: a container health check without curl in the image.

GETs the path on this container's own port (PORT, default 8000) and exits 0 on 200, 1
otherwise, printing the answer. Standard library only, so it starts fast.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 4.0


def main(argv: list[str]) -> int:
    """Probe `argv[0]` (default /readyz) on 127.0.0.1:$PORT; 0 if it answered 200."""
    path = argv[0] if argv else "/readyz"
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            print(response.status, response.read(500).decode(errors="replace"))
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(error.code, error.read(500).decode(errors="replace"))
    except OSError as error:
        print(f"{url}: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
