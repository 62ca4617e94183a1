"""Page -> article: the body cascade, dates, metadata, encoding, Korean page rules, text cleaning, word counts.
May import common/ only: the crawl, `import`, `reprocess` and `policywatch extract` all call it alike."""
