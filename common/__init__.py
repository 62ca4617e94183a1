"""The small things every room uses: the error hierarchy, ISO dates, log levels, YAML files.
May import nothing of PolicyWatch's own, so every other room can lean on it without a cycle.
"""
