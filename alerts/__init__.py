"""Alerts: a query or an entity that tells people, through any Apprise channel, when something new is indexed.
May import everything below the front ends (common/ ... core/); never web/ or policywatch/.

Store-agnostic: the records live with the index (index.base.StoredAlert,
both backends); this package decides what is due (timing.py), what is new (window.py), builds the
digest (digest.py, coverage.py), renders it (render.py), sends it (channels.py) and keeps the
marks that make delivery lose nothing and repeat nothing (run.py)."""
