"""The local web app: ``storytrace serve`` (Starlette + Jinja2 + uvicorn on 127.0.0.1)."""
from __future__ import annotations

from pathlib import Path

HOST = "127.0.0.1"


def serve(db: str | Path, port: int = 8765) -> None:
    """Serve the store read-only on 127.0.0.1:PORT until interrupted."""
    import uvicorn

    from ..errors import UsageError
    from .app import create_app

    if not Path(db).exists():
        raise UsageError(f"no store at {db}: run storytrace analyze first")
    print(f"storytrace: serving {db} on http://{HOST}:{port}/ (read-only; Ctrl-C stops)")
    uvicorn.run(create_app(db, HOST, port), host=HOST, port=port, log_level="warning",
                server_header=False, proxy_headers=False)


def create_app(db, host: str = HOST, port: int = 8765):
    from .app import create_app as make

    return make(db, host, port)


__all__ = ["serve", "create_app", "HOST"]
