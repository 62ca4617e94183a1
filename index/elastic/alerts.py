"""Alerts beside the collection, as SQLite keeps them in its file: the small index NAME.alerts
(mapping in alerts.json), created on first save. Writes wait for a refresh, so the next read,
from this process or a scheduler on another machine, sees them."""
from __future__ import annotations

from elasticsearch import NotFoundError

from ..base import StoredAlert

MAX_ALERTS = 10_000


class Alerts:
    """ElasticIndex's alert records (self.client, self.name, self.run, self.state)."""

    def alerts(self) -> list[StoredAlert]:
        def read():
            try:
                response = self.client.search(index=self.state.alerts, query={"match_all": {}},
                                              size=MAX_ALERTS, sort=[{"name": "asc"}])
            except NotFoundError:
                return []
            return [StoredAlert(h["_source"]["name"], h["_source"]["record"]) for h in response["hits"]["hits"]]
        return self.run(read)

    def save_alert(self, alert: StoredAlert) -> None:
        def save():
            self.state._ensure(self.state.alerts, "alerts")
            self.client.index(index=self.state.alerts, id=alert.name,
                              document={"name": alert.name, "record": alert.record}, refresh="wait_for")
        self.run(save)

    def remove_alert(self, name: str) -> bool:
        def remove():
            try:
                self.client.delete(index=self.state.alerts, id=name, refresh="wait_for")
            except NotFoundError:
                return False
            return True
        return self.run(remove)
