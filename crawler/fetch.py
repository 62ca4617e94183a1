"""A single polite fetch for `policywatch extract URL` (the crawl itself goes through Scrapy)."""
from __future__ import annotations

import urllib.error
import urllib.request

from common.errors import WorkFailed

from .settings import DOWNLOAD_MAXSIZE, DOWNLOAD_TIMEOUT, USER_AGENT


class FetchError(WorkFailed):
    pass


def fetch(url: str, timeout: float = DOWNLOAD_TIMEOUT) -> tuple[bytes, str, str | None]:
    """(body, final URL, charset from the header)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(DOWNLOAD_MAXSIZE + 1)
            if len(body) > DOWNLOAD_MAXSIZE:
                raise FetchError(f"{url}: page larger than {DOWNLOAD_MAXSIZE} bytes")
            return body, response.geturl(), response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError(f"{url}: {getattr(exc, 'reason', exc)}") from None
