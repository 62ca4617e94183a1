"""Crawl settings checked before a crawl starts, so that `--set POLICYWATCH_WORKERS=abc` is one
line and exit code 2, not a ValueError deep in Scrapy's reactor after the crawl began."""
from __future__ import annotations

from scrapy.settings import Settings

from common.errors import BadUsage

from . import settings as defaults


class SettingsError(BadUsage):
    """A crawl setting that cannot be used; str() names the setting and what it takes."""


# name -> (kind, smallest allowed value). Our own numeric and boolean settings, and the Scrapy
# ones a user is most likely to `--set` (the rest are Scrapy's to check).
_RULES: dict[str, tuple[str, float | None]] = {
    "POLICYWATCH_WORKERS": ("int", 0),
    "POLICYWATCH_NLP": ("bool", None),
    "POLICYWATCH_NLP_BATCH": ("int", 1),
    "POLICYWATCH_WRITE_BATCH": ("int", 1),
    "POLICYWATCH_WRITE_SECONDS": ("float", 0),
    "POLICYWATCH_INCREMENTAL": ("bool", None),
    "POLICYWATCH_RECHECK_HOURS": ("float", 0),
    "POLICYWATCH_RETRY_SKIPPED_DAYS": ("float", 0),
    "POLICYWATCH_RETRY_ERRORS_HOURS": ("float", 0),
    "POLICYWATCH_PROGRESS_SECONDS": ("float", 0),
    "POLICYWATCH_MAX_SITEMAP_DEPTH": ("int", 0),
    "POLICYWATCH_MAX_SITEMAPS": ("int", 1),
    "POLICYWATCH_MAX_LINKS_PER_LISTING": ("int", 1),
    "POLICYWATCH_MAX_PAGES": ("int", 1),
    "POLICYWATCH_ARCHIVE": ("bool", None),
    "POLICYWATCH_ARCHIVE_FEEDS": ("bool", None),
    "POLICYWATCH_ARCHIVE_MAX_MB": ("float", 0.001),
    "CONCURRENT_REQUESTS": ("int", 1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": ("int", 1),
    "DOWNLOAD_DELAY": ("float", 0),
    "DOWNLOAD_DELAY_JITTER": ("float", 0),
    "DOWNLOAD_TIMEOUT": ("float", 0.001),
    "DOWNLOAD_MAXSIZE": ("int", 0),
    "DOWNLOAD_WARNSIZE": ("int", 0),
    "DOWNLOAD_FAIL_ON_DATALOSS": ("bool", None),
    "AUTOTHROTTLE_ENABLED": ("bool", None),
    "AUTOTHROTTLE_START_DELAY": ("float", 0),
    "AUTOTHROTTLE_MAX_DELAY": ("float", 0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": ("float", 0.001),
    "RETRY_ENABLED": ("bool", None),
    "RETRY_TIMES": ("int", 0),
    "RETRY_BACKOFF_BASE": ("float", 0),
    "RETRY_BACKOFF_MAX": ("float", 0),
    "REDIRECT_MAX_TIMES": ("int", 0),
    "ROBOTSTXT_OBEY": ("bool", None),
    "URLLENGTH_LIMIT": ("int", 1),
}
_TAKES = {"int": "a whole number", "float": "a number", "bool": "true or false"}
# Our own settings, to catch a misspelt `--set POLICYWATCH_…` that would otherwise do nothing.
KNOWN = {name for name in vars(defaults) if name.startswith("POLICYWATCH_")}


def check_settings(settings: Settings) -> None:
    """Raise SettingsError for the first unusable setting."""
    for name in sorted(settings.attributes):
        if name.startswith("POLICYWATCH_") and name not in KNOWN:
            raise SettingsError(f"unknown setting {name} (see the crawl settings in docs/sources.md)")
    for name, (kind, minimum) in _RULES.items():
        if settings.get(name) is None:        # not set at all (Scrapy without our settings module)
            continue
        getter = {"int": settings.getint, "float": settings.getfloat, "bool": settings.getbool}[kind]
        try:
            value = getter(name)
        except (TypeError, ValueError):
            raise SettingsError(f"bad setting {name}={settings.get(name)!r}: it takes {_TAKES[kind]}") from None
        if minimum is not None and value < minimum:
            least = "more than 0" if 0 < minimum < 1 else f"at least {minimum:g}"
            raise SettingsError(f"bad setting {name}={settings.get(name)!r}: it takes {_TAKES[kind]}, {least}")
