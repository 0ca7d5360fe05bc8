"""The command line: a thin layer over the Python API. Each module registers its commands."""

from . import bench, main, relations, stories, web  # noqa: F401  (registration side effects)
from .app import app

__all__ = ["app"]
