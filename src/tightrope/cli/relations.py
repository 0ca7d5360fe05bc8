"""CLI commands for tightrope.relations (registered on the shared app)."""

from .app import app  # noqa: F401
