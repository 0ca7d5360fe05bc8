"""CLI commands for tightrope.stories (registered on the shared app)."""

from .app import app  # noqa: F401
