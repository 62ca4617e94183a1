"""What every stage may import: the error hierarchy and the one ISO-date helper.

This package imports nothing of PolicyWatch's own, so crawler/, nlp/, index/, core/, web/ and
policywatch/ can all lean on it without a cycle.
"""
