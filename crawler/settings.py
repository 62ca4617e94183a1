"""Scrapy settings: polite by default. `policywatch crawl --set KEY=VALUE` overrides any of them."""
import index as _index   # lower-case: Scrapy takes only upper-case names as settings
from ingest.sources import DEFAULT_SOURCES

BOT_NAME = "policywatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: say who we are, obey robots.txt, and let AutoThrottle slow down for busy sites.
USER_AGENT = "PolicyWatch/0.1 (news and policy monitoring; +https://github.com/policywatch/policywatch)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Faults: retry 429 and 5xx with exponential backoff (honouring Retry-After), time out, cap size.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 1.0          # seconds; doubled on every retry
RETRY_BACKOFF_MAX = 60.0
RETRY_GIVE_UP_LOG_LEVEL = "INFO"    # the spider counts and logs the failure itself
DOWNLOAD_TIMEOUT = 30              # the whole download, not each read: a page that drips in slowly times out too
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024   # larger pages are refused while they arrive ("errors/page too large")
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# A connection that closes before the announced Content-Length is an error ("errors/truncated
# download", retried), never half a page handed to extraction. Scrapy's default; stated here on purpose.
DOWNLOAD_FAIL_ON_DATALOSS = True
REDIRECT_MAX_TIMES = 5
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # After redirects, decompression and retries: only the final response is archived.
    "crawler.warc_middleware.ArchiveMiddleware": 450,
}

ITEM_PIPELINES = {"crawler.pipelines.ArticlePipeline": 300}
# Items of one response go through the pipeline one after another: an article page yields one
# item, a feed one URL state. On the asyncio reactor Scrapy starts CONCURRENT_ITEMS tasks for
# every response, whatever it yields: its default of 100 was ~130 tasks per article.
CONCURRENT_ITEMS = 1
DOWNLOADER_STATS = False    # request/response byte counts nobody reads, at a serialised request each
EXTENSIONS = {"crawler.progress.Progress": 500}
POLICYWATCH_PROGRESS_SECONDS = 0   # the CLI turns it on
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"     # non-articles are expected, and counted per source
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# PolicyWatch's own settings.
POLICYWATCH_SOURCES = str(DEFAULT_SOURCES)
POLICYWATCH_INDEX = _index.DEFAULT_INDEX   # defined once, in index/
POLICYWATCH_INDEX_OPTIONS = {}
POLICYWATCH_WORKERS = 0            # 0 = one per core
POLICYWATCH_NLP = True
POLICYWATCH_GAZETTEERS = []        # extra gazetteer files merged over nlp/gazetteer.yaml
POLICYWATCH_WRITE_BATCH = 50
POLICYWATCH_WRITE_SECONDS = 2.0
POLICYWATCH_NLP_BATCH = 16
# Incremental crawling: what a crawl fetches again of what earlier crawls saw.
POLICYWATCH_INCREMENTAL = True
POLICYWATCH_RECHECK_HOURS = 48       # articles published this recently are re-checked (conditional GET)
POLICYWATCH_RETRY_SKIPPED_DAYS = 7   # non-article pages are looked at again after this long
POLICYWATCH_RETRY_ERRORS_HOURS = 6   # failed pages are tried again after this long
# Limits, so that every crawl ends however a site behaves; each cut is counted under its reason.
POLICYWATCH_MAX_SITEMAP_DEPTH = 3        # nested sitemap indexes followed below a listed sitemap
POLICYWATCH_MAX_SITEMAPS = 100           # feeds and sitemaps fetched per source per run
POLICYWATCH_MAX_LINKS_PER_LISTING = 300  # article links taken from one listing page
POLICYWATCH_MAX_PAGES = 10_000           # requests per source per run
URLLENGTH_LIMIT = 2083                   # longer URLs are not requested ("skipped/URL too long"); Scrapy's default
# The page archive (WARC files; `policywatch import` and `reprocess` read them).
POLICYWATCH_ARCHIVE = True           # --no-archive turns it off
POLICYWATCH_ARCHIVE_DIR = ""         # --archive DIR; empty: archive/ beside a SQLite index, data/archive/NAME for ES
POLICYWATCH_ARCHIVE_FEEDS = False    # feeds and sitemaps too
POLICYWATCH_ARCHIVE_MAX_MB = 100     # a WARC file is closed and a new one begun past this size
