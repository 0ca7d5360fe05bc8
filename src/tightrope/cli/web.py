"""`tightrope serve`: the read-only web dashboard (FastAPI + uvicorn), on loopback unless told otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..store import DEFAULT_DB
from .app import app
from .messages import print_line

err = Console(stderr=True, highlight=False)


@app.command()
def serve(
    db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `tightrope extract` (opened read-only)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on. Loopback by default; give e.g. 0.0.0.0 explicitly to "
                                  "expose the dashboard to other machines."),
    allow_host: Optional[list[str]] = typer.Option(
        None, "--allow-host",
        help="Also answer requests addressed to this host name (repeatable; '*.example.org' for a domain). "
             "Loopback names and the --host address are always answered; any other Host header gets 400, "
             "which stops web pages from reading the dashboard through DNS rebinding."),
) -> None:
    """Serve the dashboard: overview, stories, pairs, network, search, articles; JSON API under /api."""
    import uvicorn

    from ..web import create_app
    from ..web.security import LOOPBACK_HOSTS, allowed_hosts_for, connection_limit

    if not Path(db).exists():
        print_line(err, f"{db}: no such database (run `tightrope demo` or `tightrope extract` first)", "error:", "red")
        raise typer.Exit(1)
    allowed = allowed_hosts_for(host, allow_host or ())
    if host not in LOOPBACK_HOSTS:
        print_line(err, f"serving on {host}: the dashboard is reachable from other machines (no authentication); "
                        f"it answers requests addressed to: {', '.join(allowed)}", "warning:")
    print_line(err, f"Tightrope dashboard on http://{host}:{port}/  (database {db}, read-only; Ctrl-C to stop)")
    uvicorn.run(create_app(db, allowed_hosts=list(allowed), warm=True), host=host, port=port, log_level="warning",
                server_header=False, limit_concurrency=connection_limit(), timeout_keep_alive=5,
                h11_max_incomplete_event_size=16 * 1024)
