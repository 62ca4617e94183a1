"""YAML data files read with libyaml's C parser when PyYAML was built with it: the gazetteer and
pattern files take a worker process about 0.13 s of CPU to read with the pure-Python parser,
paid by every crawl worker at start-up, and about a tenth of that with the C one."""
from __future__ import annotations

from typing import IO, Any

import yaml

# The same safe subset of YAML either way; only the parser's speed differs.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(stream: str | bytes | IO) -> Any:
    """yaml.safe_load, faster."""
    return yaml.load(stream, Loader=_LOADER)


def read(path, error, what: str) -> Any:
    """The YAML file at `path` ({} when empty); an unreadable or invalid file raises
    error(path, "file", "cannot read WHAT: ...") (a DataFileError of the nlp package)."""
    from pathlib import Path
    try:
        return load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise error(path, "file", f"cannot read {what}: {exc}") from exc
