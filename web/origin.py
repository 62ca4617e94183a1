"""Cross-site request checks for the app's writes (saving and deleting searches) when no token
protects them: a browser says where a request comes from (`Sec-Fetch-Site`, or `Origin` in older
browsers), so a page on another site — or another port of this host — cannot make the user's
browser write here. Requests without either header are not from a browser's cross-site form
(curl, scripts) and pass."""
from __future__ import annotations

from typing import Mapping

ALLOWED_FETCH_SITES = ("same-origin", "none")     # "none": typed in the address bar, a bookmark


def cross_site(headers: Mapping[str, str], own_origin: str) -> str | None:
    """Why the request is cross-site ('Sec-Fetch-Site: cross-site', 'Origin http://evil'), or None."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return None if site.strip().lower() in ALLOWED_FETCH_SITES else f"Sec-Fetch-Site: {site}"
    origin = headers.get("origin")
    if origin is None:
        return None
    if origin.strip().rstrip("/").lower() != own_origin.lower():
        return f"Origin {origin}"
    return None
