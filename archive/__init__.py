"""The page archive: WARC files written during a crawl and read back by `import`, `reprocess` and their offline batches.
May import common/, extract/, nlp/, index/ and ingest/; never crawler/ (no Scrapy) or a front end."""
