"""What the crawl and the archive share: the one ingest path (pages.py) on worker processes (work.py), URL ids, the sources file, each run's counters, verdict and source health.
May import common/, extract/, nlp/ and index/; never crawler/, archive/ or a front end."""
