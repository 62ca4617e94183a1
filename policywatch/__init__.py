"""PolicyWatch: the command line and configuration edge over crawler/, nlp/ and index/."""
__version__ = "0.1.0"
