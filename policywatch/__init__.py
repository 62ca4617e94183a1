"""PolicyWatch: the command line over crawler/, nlp/ and index/, on the shared core/ (with web/ beside it)."""
from core import __version__

__all__ = ["__version__"]
