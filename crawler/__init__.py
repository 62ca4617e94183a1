"""The Scrapy side of the crawl: spider, feeds, links, middlewares, settings, locks, schedule, run, the pipeline into ingest/.
May import common/, extract/, nlp/, index/, ingest/ and archive/; the only package that imports Scrapy."""
