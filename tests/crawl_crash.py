"""A Scrapy extension that raises in the reactor mid-crawl, for test_crawl_failures.py:
enabled with `--set 'EXTENSIONS={"tests.crawl_crash.RaiseInReactor": 100}'`."""
from scrapy import signals
from twisted.internet import reactor


class RaiseInReactor:
    @classmethod
    def from_crawler(cls, crawler):
        ext = cls()
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        return ext

    def opened(self, spider):
        reactor.callLater(0.2, self.boom)

    def boom(self):
        raise RuntimeError("boom in the reactor")
