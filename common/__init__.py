"""What every stage may import: the error hierarchy, the one ISO-date helper and the language
identifier (crawler/ decides a page's language, nlp/ and index/ act on it).

This package imports nothing of PolicyWatch's own, so crawler/, nlp/, index/, core/, web/ and
policywatch/ can all lean on it without a cycle.
"""
