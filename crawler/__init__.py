"""The crawl stage: a config-driven Scrapy spider, page extraction, and the pipeline into nlp/ and index/."""
