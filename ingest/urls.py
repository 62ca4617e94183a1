"""URL normalisation and article ids: the same story reached through a feed, a sitemap, a
listing with tracking parameters or an old redirecting URL gets one id."""
from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

# Parameters that say how a reader arrived, never which page they read. Generic names a site may
# use for its articles stay: `cid` is the Jerusalem Post's article id (Satellite?cid=…), `ref`
# and `share` name documents elsewhere; stripping them would merge two articles into one id.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi|"
    r"ref_src|ref_url|cmpid|ncid|ocid|sr_share|smid|s_cid|__twitter_impression|amp)$",
    re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}


# The same URL is normalised again and again (the listing, the request, the pipeline's URL
# states, the article's id): a pure function of a string, so remembered.
@functools.lru_cache(maxsize=1 << 15)
def normalize_url(url: str) -> str:
    """The key for ids and duplicate detection, never the URL stored or shown. Lower-case scheme and host, drop default ports, fragments, tracking parameters and a
    trailing 'index.html'; keep the other parameters in their order (some sites need it)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = parts.path or "/"
    path = re.sub(r"/{2,}", "/", path)
    if path.endswith("/index.html") or path.endswith("/index.htm"):
        path = path.rsplit("/", 1)[0] + "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not TRACKING_PARAMS.match(k)])
    return urlunsplit((scheme, netloc, path, query, ""))


def article_id(url: str) -> str:
    """The article's id: a hash of its normalised canonical URL (stable across re-crawls)."""
    return hashlib.sha256(normalize_url(url).encode()).hexdigest()[:20]


def stored_url(url: str) -> str:
    """The URL an article is stored and shown under: as the page declared it (or was served
    under), only without its #fragment."""
    return urldefrag(url.strip()).url


def same_site(url: str, other: str) -> bool:
    a, b = urlsplit(url), urlsplit(other)
    return (a.hostname or "").lower().removeprefix("www.") == (b.hostname or "").lower().removeprefix("www.")
