"""What the two front ends share: configuration, the sources a command uses, search notes, output formats.
May import common/, the stages, ingest/, archive/ and crawler/; never alerts/, web/ or policywatch/.

The small core the two front ends stand on: configuration (config.py), the search notes that
front query parsing (notes.py) and the output formats (output.py). The CLI (policywatch/) and the
web UI (web/) both import it; it imports neither of them.

Named `core` as the shared middle of the two front ends; it is no installed top-level module.
"""
__version__ = "0.1.0"
