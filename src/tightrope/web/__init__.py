"""The web dashboard (FastAPI): `create_app(db)`; run with `tightrope serve`."""

from .app import create_app

__all__ = ["create_app"]
