"""PolicyWatch's command line: cli.py (entry point, parser, exit codes) and commands/ (one module per group).
May import every other room (web/ only lazily: `serve`, and `alert --saved` for saved searches)."""
from core import __version__

__all__ = ["__version__"]
