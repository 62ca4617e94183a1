"""The web UI's alerts (issue 24): the alerts page, and "Alert me" on a search and on an entity
page. Alerts live with the index (alerts/, both backends); channels are shown redacted."""
from __future__ import annotations

from datetime import datetime, timezone

from alerts.channels import Secrets
from alerts.model import UnknownAlert, all_alerts, remove
from alerts.run import create, summary

from .errors import NotFound


def _secrets(services) -> Secrets:
    return Secrets(services.environ, services.cfg.channels)


def listed(services) -> list[dict]:
    """Each alert as the alerts page shows it: per channel, last delivery, next one, failures."""
    now = datetime.now(timezone.utc)
    return [summary(a, _secrets(services), now) for a in all_alerts(services.index)]


def add(services, name: str, url: str, every: str, query: str = "", entity: str = "", saved: str = "") -> None:
    """BadUsage (HTTP 400) for a malformed query, a bad name, frequency or channel URL; NotFound
    for a saved search that is gone. A saved search becomes an alert on its query and filters, as
    the CLI's `alert add --saved` makes it."""
    saved_name = None
    if saved.strip():
        from .search import SearchForm
        search = services.saved.get(saved.strip())             # NotFound: 404
        query, entity, saved_name = SearchForm.from_saved(search.query, search.filters).query_text(), "", search.name
    entity = services.canonical(entity.strip()) if entity.strip() else None
    services.parse_query(query if not entity else f'entity:"{entity}"')
    create(services.index, _secrets(services), name.strip(), [url.strip()] if url.strip() else [],
           query="" if entity else query, entity=entity, every=every, saved=saved_name)


def delete(services, name: str) -> None:
    try:
        remove(services.index, name)
    except UnknownAlert as exc:
        raise NotFound(str(exc)) from None
