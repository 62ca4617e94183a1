"""Alerts in the index file: the `alerts` table (schema.py), one JSON record per alert."""
from __future__ import annotations

import json

from ..base import StoredAlert


class Alerts:
    """SQLiteIndex's alert records (self.db: the connection)."""

    def alerts(self) -> list[StoredAlert]:
        return [StoredAlert(name, json.loads(record))
                for name, record in self.db.execute("SELECT name, record FROM alerts ORDER BY name")]

    def save_alert(self, alert: StoredAlert) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO alerts VALUES (?, ?)",
                            (alert.name, json.dumps(alert.record, ensure_ascii=False, sort_keys=True)))

    def remove_alert(self, name: str) -> bool:
        with self.db:
            return self.db.execute("DELETE FROM alerts WHERE name = ?", (name,)).rowcount > 0
