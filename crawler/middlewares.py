"""Retries that back off: a site that answers 429 or 503 is asking us to wait."""
from __future__ import annotations

import asyncio
import logging

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def _delay(self, request, response) -> float:
        retry_after = response.headers.get(b"Retry-After")
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.cap)
        return min(self.base * 2 ** request.meta.get("retry_times", 0), self.cap)

    async def process_response(self, request, response):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = self._delay(request, response)
        if delay > 0:
            logger.debug("HTTP %s from %s; retrying in %.1f s", response.status, request.url, delay)
            await asyncio.sleep(delay)
        return retry
