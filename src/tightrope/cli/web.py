"""`tightrope serve`: the read-only web dashboard (FastAPI + uvicorn), on loopback unless told otherwise."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from ..store import DEFAULT_DB
from .app import app

err = Console(stderr=True, highlight=False)


@app.command()
def serve(
    db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `tightrope extract` (opened read-only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on. Loopback by default; give e.g. 0.0.0.0 explicitly to "
                                  "expose the dashboard to other machines."),
) -> None:
    """Serve the dashboard: overview, stories, pairs, network, search, articles; JSON API under /api."""
    import uvicorn

    from ..web import create_app

    if not Path(db).exists():
        err.print(f"error: {db}: no such database (run `tightrope demo` or `tightrope extract` first)")
        raise typer.Exit(1)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning[/]: serving on {host}: the dashboard is reachable from other machines "
                  "(no authentication).", markup=True)
    err.print(f"Tightrope dashboard on http://{host}:{port}/  (database {db}, read-only; Ctrl-C to stop)")
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning", server_header=False,
                limit_concurrency=64, timeout_keep_alive=5, h11_max_incomplete_event_size=16 * 1024)
