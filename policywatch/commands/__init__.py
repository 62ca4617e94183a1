"""One module per command group of the `policywatch` CLI: its arguments and its handler together.
May import every stage and core/; cli.py assembles them into one parser."""
