"""CLI commands for tightrope.web (registered on the shared app)."""

from .app import app  # noqa: F401
