"""What the node's refusals mean: one short line for a person, and whether to retry later."""
from __future__ import annotations

import re


def transient(status, error) -> bool:
    """A refusal that says nothing about the document: retry later rather than drop it."""
    kind = error.get("type") if isinstance(error, dict) else ""
    return (not isinstance(status, int) or status in (401, 403, 408, 429) or status >= 500
            or kind in ("cluster_block_exception", "es_rejected_execution_exception", "index_not_found_exception"))


def describe(exc: Exception) -> str:
    """'connection refused' rather than three nested exception reprs."""
    found = re.search(r"\[Errno -?\d+\] ([^)\]]+)", str(exc))
    return found.group(1).strip().lower() if found else str(exc)[:300]


def reason(error) -> str:
    return f"{error.get('type')}: {error.get('reason')}" if isinstance(error, dict) else str(error)
