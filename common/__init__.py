"""The small things every room uses: the error hierarchy, ISO dates, log levels, YAML files, the language identifier.
May import nothing of PolicyWatch's own, so every other room can lean on it without a cycle.
"""
